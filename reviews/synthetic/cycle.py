"""The review cycle the synthetic reviews walk: periods of care and each next due date, and
working days on or next to a date.
"""

from __future__ import annotations

from datetime import date, timedelta

from iro.models import CareEpisode
from iro.rules import is_working_day
from reviews import rules


def weekday_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def weekday_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def periods_of_care(episodes: list[CareEpisode]) -> list[list[CareEpisode]]:
    periods: list[list[CareEpisode]] = []
    for episode in episodes:
        if episode.reason_new_episode == "S" or not periods:
            periods.append([episode])
        else:
            periods[-1].append(episode)
    return periods


def next_due(period_episodes: list[CareEpisode], period_start: date, held: list[date]):
    """The next review of a period of care as the live service would have it: its due date is
    recomputed whenever the episodes change (reviews.services.reviews_recompute), so the
    adoption state (placement order, placement for adoption) is the one in force at the time,
    not the one at the end of the period. Starting from the state after the last review held,
    each later episode change before the review falls due recomputes it."""
    since = held[-1] if held else period_start

    def due_as_of(day: date):
        state = rules.period_for_reviews([e for e in period_episodes if e.start <= day])
        return rules.next_review_due(
            period_start=period_start,
            held=held,
            authority_from=state.authority_from if state else None,
            placed_on=state.placed_on if state else None,
        )

    nxt = due_as_of(since)
    for episode in period_episodes:
        if since < episode.start <= nxt.due:
            nxt = due_as_of(episode.start)
    return nxt
