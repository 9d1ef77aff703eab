"""Synthetic reviews for `manage.py generate_data`, built from the children, care episodes and
allocations already in the database (whatever the core generator made).

For every period of care (short breaks excluded) the review cycle of reviews.rules is walked from
the start to today: about 93% of reviews are held in timescale (Middlesbrough 2022/23: 93%,
2023/24: 85%; target 95%), participation follows the 2023/24 PN mix of the Middlesbrough report
(PN0 for every child under 4), and record milestones mostly meet 5/15/20 working days. A child
still in care gets the next review: booked when it is near, otherwise due. Recent and upcoming
reviews get meetings (so the schedule, My work and calendar have something to show). Rows are
bulk inserted.

The proportions are in ``mixes``, the review cycle in ``cycle``, and ``builder`` builds and saves
the rows of a chunk of children.
"""

from __future__ import annotations

from collections import defaultdict

from iro.models import Allocation, AllocationRole, CareEpisode, Child
from iro.synthetic.layout import store_in_date_order
from reviews.models import ReviewStatus
from reviews.synthetic.builder import ReviewBuilder

CHILDREN_PER_CHUNK = 5000  # bounds memory at national scale: build and save chunk by chunk


def generate(ctx) -> None:
    """Reviews, meetings, recommendations, visits and monitoring checks for the data in the DB."""
    fallback = Allocation.objects.values_list("iro_id", flat=True).first()
    if fallback is None:
        ctx.log("  no IRO allocations: no reviews generated")
        return
    child_ids = list(
        CareEpisode.objects.order_by("child_id").values_list("child_id", flat=True).distinct()
    )
    totals = {"reviews": 0, "held": 0, "on_time": 0, "meetings": 0}
    for first in range(0, len(child_ids), CHILDREN_PER_CHUNK):
        ids = child_ids[first : first + CHILDREN_PER_CHUNK]
        builder = ReviewBuilder(ctx)
        episodes: dict[int, list[CareEpisode]] = defaultdict(list)
        for episode in CareEpisode.objects.filter(child_id__in=ids).order_by(
            "child_id", "start", "id"
        ):
            episodes[episode.child_id].append(episode)
        allocations: dict[int, list[Allocation]] = defaultdict(list)
        for allocation in Allocation.objects.filter(
            child_id__in=ids, role=AllocationRole.CLA
        ).order_by("start", "id"):
            allocations[allocation.child_id].append(allocation)
        for child in Child.objects.filter(pk__in=ids).only("pk", "date_of_birth").order_by("pk"):
            builder.child(child, episodes[child.pk], allocations[child.pk], fallback)
        builder.save()
        held = [r for r in builder.reviews if r.status == ReviewStatus.HELD]
        totals["reviews"] += len(builder.reviews)
        totals["held"] += len(held)
        totals["on_time"] += sum(1 for r in held if r.held_on <= r.due_date)
        totals["meetings"] += len(builder.meetings)
    # Planner statistics for the new rows: generate_data analyses after each generator.
    store_in_date_order("reviews_review", "held_on")
    ctx.log(
        f"  saved {totals['reviews']:,} reviews ({totals['held']:,} held, "
        f"{100 * totals['on_time'] / max(1, totals['held']):.1f}% in timescale), "
        f"{totals['meetings']:,} meetings"
    )
