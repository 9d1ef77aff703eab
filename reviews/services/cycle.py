"""The review cycle: the next review of a child exists at once, with its due date."""

from django.db import transaction

from iro.models import CareEpisode, Child
from reviews import rules
from reviews.models import OPEN_STATUSES, Review, ReviewSequence, ReviewStatus


@transaction.atomic
def reviews_recompute(*, child: Child) -> Review | None:
    """Create or update the child's next review from their episodes and the reviews held.

    Only the review not yet held changes; held reviews are history. A new period of care
    restarts the cycle. When the period of care ends, a review that is due but not booked and
    already fell due while the child was looked after is kept as MISSED (it counts as out of
    timescale); one not yet due is removed, as it is when the child is only on short breaks. A
    booked review is left for the IRO to hold or cancel.
    """
    # Serialise recomputes of one child (episode changes and outcomes can arrive together).
    Child.objects.select_for_update().filter(pk=child.pk).first()
    period = rules.period_for_reviews(CareEpisode.objects.filter(child=child))
    open_review = (
        Review.objects.select_for_update().filter(child=child, status__in=OPEN_STATUSES).first()
    )
    if period is None or period.ended:
        if open_review is not None and open_review.status == ReviewStatus.DUE:
            if (
                period is not None
                and period.end is not None
                and open_review.period_start == period.start
                and rules.review_missed_when_care_ends(open_review.due_date, period.end)
            ):
                open_review.status = ReviewStatus.MISSED
                open_review.full_clean()
                open_review.save(update_fields=["status", "updated_at"])
            else:
                open_review.delete()
            return None
        return open_review
    held_reviews = list(
        Review.objects.filter(
            child=child, status=ReviewStatus.HELD, held_on__gte=period.start
        ).order_by("held_on")
    )
    held = [r.held_on for r in held_reviews]
    nxt = rules.next_review_due(
        period_start=period.start,
        held=held,
        authority_from=period.authority_from,
        placed_on=period.placed_on,
    )
    review = open_review or Review(child=child, status=ReviewStatus.DUE)
    sequence = review.sequence if review.sequence == ReviewSequence.ADDITIONAL else nxt.sequence
    if sequence != ReviewSequence.ADDITIONAL and not _placed(review, held_reviews, period.start):
        sequence = ReviewSequence.NOT_KNOWN
    unchanged = (review.sequence, review.due_date, review.period_start) == (
        sequence,
        nxt.due,
        nxt.period_start,
    )
    if review.pk is not None and unchanged:
        return review
    review.sequence = sequence
    review.due_date = nxt.due
    review.period_start = nxt.period_start
    review.full_clean()
    review.save()
    return review


def _placed(review: Review, held: list[Review], period_start) -> bool:
    """Whether the next review's place in the period is known. It is not when the period's
    reviews came from an SSDA903 import that could not place them (ReviewSequence.NOT_KNOWN: the
    period began before the earliest imported year) and too few are on record since: two held
    reviews make it a subsequent one, one recorded as the first makes it the second."""
    marked = review.pk is not None and review.period_start == period_start
    if not any(r.sequence == ReviewSequence.NOT_KNOWN for r in held) and not (
        marked and review.sequence == ReviewSequence.NOT_KNOWN
    ):
        return True
    return len(held) >= 2 or (len(held) == 1 and held[0].sequence == ReviewSequence.FIRST)
