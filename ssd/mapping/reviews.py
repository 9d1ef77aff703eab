"""Looked-after reviews: ssd_cla_reviews -> reviews.Review.

A review hangs on the period of care (clar_cla_id = clae_cla_id), and its child is found
through that period. Status from the row:
- a review date: held (participation from the PN code, attendance from it as the SSDA903
  import reads it: PN1-PN4 attended, PN5-PN7 did not, PN0 unknown);
- clar_cla_review_cancelled = Y: cancelled (neither held nor missed);
- neither, in a period of care that has ended: missed (fell due while looked after, never
  held); in a period still open the service works out its own next review.
The sequence is the review's place among the period's reviews (first, second, subsequent):
the SSD does not say whether a review was an additional one.

Ownership, the stated rule for a fact both hold (the review date and participation): a review
whose outcome was recorded in the service (outcome_recorded_by set, or booked there) keeps the
service's values; a different date or code in the extract is listed as a conflict for a person
to resolve. A review brought in by the sync is the case system's and follows the extract.
No SSD table records who chaired a review: the chair is the IRO allocated to the child on the
review's date, and the service shows it from the allocation (nothing is stored on the review).
"""

from __future__ import annotations

from iro.codes import ParticipationCode
from ssd.mapping import Field

REVIEW = [
    Field("clar_cla_review_due_date", "due_date", "date"),
    Field("clar_cla_review_date", "held_on", "date"),
    Field("clar_cla_review_participation", "participation", "code", ParticipationCode),
]


def attended_from_pn(code: str) -> bool | None:
    if code in ("PN1", "PN2", "PN3", "PN4"):
        return True
    if code in ("PN5", "PN6", "PN7"):
        return False
    return None


def export_review(review, period_id: str) -> dict:
    from ssd.mapping import format_fields

    row = format_fields(REVIEW, review)
    row.update(
        clar_cla_review_id=str(review.pk),
        clar_cla_id=period_id,
        clar_cla_review_cancelled="Y" if review.status == "cancelled" else "N",
    )
    return row


def _periods(ctx) -> dict[str, dict]:
    """Each period of care (clae_cla_id) of the extract: its child, start and whether it ended."""
    out: dict[str, dict] = {}
    for row in ctx.extract.tables.get("ssd_cla_episodes", []):
        v = row.values
        period_id = v.get("clae_cla_id") or ""
        child_id = ctx.object_id("ssd_person", v["clae_person_id"])
        if not period_id or child_id is None or v.get("clae_cla_episode_start_date") is None:
            continue
        p = out.setdefault(period_id, {"child": child_id, "start": None, "last": None})
        start = v.get("clae_entered_care_date") or v["clae_cla_episode_start_date"]
        if p["start"] is None or start < p["start"]:
            p["start"] = start
        if (
            p["last"] is None
            or v["clae_cla_episode_start_date"] > p["last"]["clae_cla_episode_start_date"]
        ):
            p["last"] = v
    for p in out.values():
        last = p.pop("last")
        p["ended"] = bool(
            last.get("clae_cla_episode_ceased_date")
            and (last.get("clae_cla_episode_ceased_reason") or "").upper() != "X1"
        )
    return out


def apply(ctx) -> None:
    """Reviews by period of care; then each changed child's next review from the service's own
    cycle (reviews.services.reviews_recompute)."""
    from collections import defaultdict

    from iro.models import Child
    from reviews import rules
    from reviews.models import Review, ReviewStatus
    from reviews.services import reviews_recompute
    from ssd.mapping import row_hash

    table = "ssd_cla_reviews"
    periods = _periods(ctx)
    by_period: dict[str, list] = defaultdict(list)
    for row in ctx.extract.tables.get(table, []):
        by_period[row.values["clar_cla_id"]].append(row)
    for period_id, rows in by_period.items():
        period = periods.get(period_id)
        if period is None:
            for row in rows:
                ctx.refuse(
                    table,
                    row,
                    f"period of care {period_id} is not in ssd_cla_episodes",
                    "clar_cla_id",
                )
            continue
        rows.sort(
            key=lambda r: (
                r.values.get("clar_cla_review_date")
                or r.values.get("clar_cla_review_due_date")
                or period["start"],
                r.line,
            )
        )
        counted = 0
        for row in rows:
            values = ctx.parse(table, row, REVIEW)
            if values is None:
                continue
            cancelled = (row.values.get("clar_cla_review_cancelled") or "").upper() in (
                "Y",
                "YES",
                "1",
            )
            if cancelled:
                status = ReviewStatus.CANCELLED
                values.update(held_on=None, participation="")
            elif values.get("held_on"):
                status = ReviewStatus.HELD
                if not values.get("participation"):
                    ctx.refuse(
                        table,
                        row,
                        "a held review needs its participation (PN) code",
                        "clar_cla_review_participation",
                    )
                    continue
            elif period["ended"]:
                status = ReviewStatus.MISSED
                values["participation"] = ""
            else:
                ctx.seen[table].add(row.key)
                ctx.counts[table]["left to the service"] += 1
                continue  # the next review of an open period: the service's cycle makes it
            if not values.get("due_date"):
                values["due_date"] = values.get("held_on") or period["start"]
            if status != ReviewStatus.CANCELLED:
                counted += 1
            values.update(
                status=status,
                child_id=period["child"],
                period_start=period["start"],
                sequence=rules.sequence_for(max(counted - 1, 0)),
                child_attended=attended_from_pn(values.get("participation", "")),
            )
            digest = row_hash(values)
            if ctx.unchanged(table, row.key, digest) is not None:
                continue
            pk = ctx.object_id(table, row.key)
            review = Review.objects.filter(pk=pk).first() if pk else None
            if review is None and status == ReviewStatus.HELD:
                review = Review.objects.filter(
                    child_id=period["child"], status=ReviewStatus.HELD, held_on=values["held_on"]
                ).first()
            created = review is None
            if review is not None and (review.outcome_recorded_by_id or review.meeting_id):
                for name in ("held_on", "participation"):
                    if getattr(review, name) != values.get(name):
                        ctx.conflict(
                            table,
                            row.key,
                            name,
                            getattr(review, name),
                            values.get(name),
                            "outcome recorded in the service: the service's value stands",
                        )
                ctx.record(table, row.key, review, digest, created=False, count="conflict")
                continue
            review = review or Review()
            for name, value in values.items():
                setattr(review, name, value)
            if status == ReviewStatus.CANCELLED and not review.cancellation_reason:
                review.cancellation_reason = "Cancelled in the case system"
            review.save()
            ctx.record(table, row.key, review, digest, created=created)
            ctx.changed_children.add(period["child"])
    held = ctx.counts[table].get("add", 0)
    if held:
        ctx.notes.append(
            f"The SSD records no review chair: none is recorded on the {held:,} reviews added; "
            "their chair is read as the IRO allocated to the child on the review's date"
        )
    for child in Child.objects.filter(pk__in=ctx.changed_children).order_by("pk"):
        reviews_recompute(child=child)
