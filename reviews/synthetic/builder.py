"""Builds the synthetic reviews of a chunk of children in memory (reviews, meetings,
recommendations, visits, midway reviews, monitoring checks) and saves them in bulk.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from iro.models import Meeting, MeetingKind
from iro.models import MeetingStatus as MS
from iro.rules import add_working_days
from iro.synthetic.copy import bulk_copy
from reviews import rules
from reviews.models import (
    IroContact,
    MidwayReview,
    MonitoringCheck,
    PermanencePlanType,
    Recommendation,
    Review,
    ReviewStatus,
)
from reviews.synthetic.cycle import (
    next_due,
    periods_of_care,
    weekday_on_or_after,
    weekday_on_or_before,
)
from reviews.synthetic.mixes import (
    ABSENCE_REASONS,
    ADDITIONAL_AFTER_MOVE,
    BOOK_AHEAD_DAYS,
    DETAIL_SINCE_DAYS,
    HYBRID_ROOMS,
    IN_TIMESCALE,
    MEETINGS_SINCE_DAYS,
    MIDWAY_CHANCE,
    PLAN_CHANCE,
    PLAN_WEIGHTS,
    PN_MIX,
    SAFEGUARDING_CHANCE,
    SAFEGUARDING_TYPES,
    TRACKS,
    VENUE_WEIGHTS,
    VENUES,
)


class ReviewBuilder:
    def __init__(self, ctx):
        self.ctx, self.rng, self.today = ctx, ctx.rng, ctx.today
        self.reviews: list[Review] = []
        self.meetings: list[tuple[Meeting, int]] = []  # (meeting, child id)
        self.review_meeting: dict[int, int] = {}  # index in reviews -> index in meetings
        self.contacts: list[IroContact] = []
        self.midways: list[MidwayReview] = []
        self.checks: list[tuple[int, MonitoringCheck]] = []  # (review index, check)
        self.recommendations: list[tuple[int, Recommendation]] = []

    @staticmethod
    def allocated_on(allocations, day: date):
        for allocation in allocations:
            if allocation.start <= day and (allocation.end is None or allocation.end >= day):
                return allocation.iro_id
        return None

    def chair_on(self, allocations, day: date, fallback):
        allocated = self.allocated_on(allocations, day)
        if allocated is not None:
            return allocated
        return allocations[-1].iro_id if allocations else fallback

    def meeting(self, *, chair_id, day, status, child_id, venue) -> int:
        starts = self.ctx.diary.book(self.rng, chair_id, day)
        meeting = Meeting(
            kind=MeetingKind.CLA_REVIEW,
            chair_id=chair_id,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=90),
            venue_type=venue,
            status=status,
            booked_by_id=chair_id,
        )
        self.meetings.append((meeting, child_id))
        return len(self.meetings) - 1

    def held_date(self, due: date, not_before: date) -> date:
        rng = self.rng
        if rng.random() < IN_TIMESCALE:
            held = weekday_on_or_before(due - timedelta(days=rng.choice([0, 0, 1, 2, 3, 5, 7, 10])))
            return max(held, not_before)
        return weekday_on_or_after(due + timedelta(days=rng.randint(1, 35)))

    def participation(self, dob: date | None, held: date) -> str:
        if dob is not None and rules.participation_must_be_pn0(dob, held):
            return "PN0"
        return self.rng.choices(list(PN_MIX), weights=list(PN_MIX.values()))[0]

    def additional_after_move(self, episodes, held, not_before: date, next_held: date):
        """An additional review some weeks after a placement move that falls between the last
        review and the next one, when the IRO brings it forward (most of the time)."""
        since = held[-1] if held else not_before
        for episode in episodes:
            if episode.reason_new_episode not in ("P", "B", "T", "U") or episode.start <= since:
                continue
            if episode.start >= next_held:
                break
            if self.rng.random() >= ADDITIONAL_AFTER_MOVE:
                return None
            day = weekday_on_or_after(add_working_days(episode.start, self.rng.randint(10, 30)))
            if max(not_before, since + timedelta(days=28)) <= day < next_held - timedelta(days=21):
                return day
            return None
        return None

    def safeguarding(self, dob: date | None, held: date) -> list[str]:
        age = rules.age_on(dob, held) if dob is not None else 0
        band = "under 10" if age < 10 else ("10-13" if age < 14 else "14+")
        if self.rng.random() >= SAFEGUARDING_CHANCE[band]:
            return []
        kinds = list(SAFEGUARDING_TYPES)
        chosen = self.rng.choices(kinds, weights=list(SAFEGUARDING_TYPES.values()), k=2)
        return list(dict.fromkeys(chosen[: self.rng.choice([1, 1, 2])]))

    def milestone(self, held: date, working_days: int, on_time: float) -> date | None:
        deadline = add_working_days(held, working_days)
        rng = self.rng
        if rng.random() < on_time:
            done = add_working_days(held, rng.randint(max(1, working_days - 6), working_days))
        else:
            done = deadline + timedelta(days=rng.randint(1, 20))
        if done > self.today:
            # Not yet done; most are still within their deadline.
            return None
        return done

    def held_review(self, *, child, period_start, due, held, sequence, allocations, fallback):
        rng, today = self.rng, self.today
        chair_id = self.chair_on(allocations, held, fallback)
        venue = rng.choices(VENUES, weights=VENUE_WEIGHTS)[0]
        mode = {"virtual": "virtual", "hybrid": "hybrid"}.get(venue, "in_person")
        if mode == "hybrid":
            venue = rng.choices(list(HYBRID_ROOMS), weights=list(HYBRID_ROOMS.values()))[0]
        participation = self.participation(child.date_of_birth, held)
        attended = participation in ("PN1", "PN2", "PN3", "PN4") or (
            participation == "PN0" and rng.random() < 0.5
        )
        reason = ""
        if not attended:
            reason = (
                "too_young"
                if participation == "PN0"
                else rng.choices(list(ABSENCE_REASONS), weights=list(ABSENCE_REASONS.values()))[0]
            )
        issues = self.safeguarding(child.date_of_birth, held)
        plan = ""
        # Birmingham 2022/23: a permanence plan at 93.9% of reviews, 87.7% of second reviews.
        if rng.random() < PLAN_CHANCE.get(sequence, 0.96):
            plan = rng.choices(PermanencePlanType.values, weights=PLAN_WEIGHTS)[0]
        review = Review(
            child_id=child.pk,
            sequence=sequence,
            period_start=period_start,
            due_date=due,
            status=ReviewStatus.HELD,
            booked_on=held - timedelta(days=rng.randint(5, 40)),
            late_booking=rng.random() < 0.15,
            sw_report_received_on=held - timedelta(days=rng.choice([1, 2, 3, 4, 5, 6, 8])),
            child_seen_before=rng.random() < 0.85,
            parents_invited=rng.random() < 0.9,
            held_on=held,
            participation=participation,
            child_attended=attended,
            parents_attended=rng.random() < 0.55,
            professionals_attended="Social worker; foster carer",
            actual_venue=venue,
            mode=mode,
            non_attendance_reason=reason,
            safeguarding_issue=bool(issues),
            safeguarding_types=issues,
            permanence_plan_type=plan,
            permanence_track=(
                rng.choices(list(TRACKS), weights=list(TRACKS.values()))[0] if plan else ""
            ),
            # Birmingham: the child's voice considered at 78% of reviews (for babies, from
            # observation and the carers' account).
            childs_views_considered=rng.random() < (0.6 if participation == "PN0" else 0.82),
            manager_informed_on=self.milestone(held, rules.MANAGER_INFORMED_WORKING_DAYS, 0.9),
            record_completed_on=self.milestone(held, rules.RECORD_COMPLETED_WORKING_DAYS, 0.85),
            record_distributed_on=self.milestone(held, rules.RECORD_DISTRIBUTED_WORKING_DAYS, 0.85),
        )
        if not review.late_reason and held > due:
            review.late_reason = rng.choice(
                ["Social worker's report not ready", "Child unwell", "Chair unavailable"]
            )
        self.reviews.append(review)
        index = len(self.reviews) - 1
        if (today - held).days <= MEETINGS_SINCE_DAYS:
            self.review_meeting[index] = self.meeting(
                chair_id=chair_id,
                day=held,
                status=MS.HELD,
                child_id=child.pk,
                venue="hybrid" if mode == "hybrid" else venue,
            )
        if (today - held).days <= DETAIL_SINCE_DAYS:
            self.details(index, child.pk, chair_id, held, review.child_seen_before)

    def details(self, index, child_id, chair_id, held, seen_before):
        rng = self.rng
        midway_on = held + timedelta(days=rng.randint(75, 100))
        if midway_on <= self.today and rng.random() < MIDWAY_CHANCE:
            on_track = rng.random() < 0.8
            self.midways.append(
                MidwayReview(
                    child_id=child_id, iro_id=chair_id, held_on=midway_on,
                    plan_on_track=on_track, recommendations_progressing=on_track,
                    notes="" if on_track else "Plan drifting: escalated to the team manager",
                )
            )  # fmt: skip
        for n in range(rng.choice([1, 2, 2, 3])):
            self.recommendations.append(
                (
                    index,
                    Recommendation(
                        text=rng.choice(
                            [
                                "Update the care plan with SMART outcomes",
                                "Complete life story work",
                                "Arrange the annual health assessment",
                                "Review the personal education plan",
                                "Agree contact arrangements with the family",
                            ]
                        ),
                        owner=rng.choice(["Social worker", "Team manager", "Virtual school"]),
                        target_date=held + timedelta(days=28 * (n + 1)),
                        completed_on=(
                            held + timedelta(days=20 * (n + 1))
                            if held + timedelta(days=20 * (n + 1)) <= self.today
                            and rng.random() < 0.7
                            else None
                        ),
                    ),
                )
            )
        if seen_before:
            self.contacts.append(
                IroContact(
                    child_id=child_id,
                    iro_id=chair_id,
                    contact_on=held - timedelta(days=rng.randint(2, 14)),
                    kind=rng.choices(["visit", "video", "phone"], weights=[70, 15, 15])[0],
                )
            )
        if rng.random() < 0.6:
            answers = [rng.random() < p for p in (0.75, 0.65, 0.8, 0.78)]
            self.checks.append(
                (
                    index,
                    MonitoringCheck(
                        child_id=child_id,
                        iro_id=chair_id,
                        checked_on=held,
                        plan_up_to_date=answers[0],
                        plan_smart=answers[1],
                        assessment_current=answers[2],
                        voice_of_child=answers[3],
                        issues_found="" if all(answers) else "Plan needs updating; see review",
                    ),
                )
            )

    def open_review(self, *, child, period_start, due, sequence, allocations, fallback):
        rng, today = self.rng, self.today
        review = Review(
            child_id=child.pk, sequence=sequence, period_start=period_start, due_date=due
        )
        self.reviews.append(review)
        index = len(self.reviews) - 1
        if due - today > timedelta(days=BOOK_AHEAD_DAYS) or rng.random() < 0.15:
            review.status = ReviewStatus.DUE
            return
        if self.allocated_on(allocations, today) is None:
            # Waiting for an IRO (or for a new one): nobody can book the review yet. Booking it
            # to the last IRO put one who had left in the chair of hundreds of reviews.
            review.status = ReviewStatus.DUE
            return
        earliest = today + timedelta(days=1)
        day = weekday_on_or_before(due - timedelta(days=rng.randint(0, 10)))
        if day < earliest:
            day = weekday_on_or_after(earliest)
        review.status = ReviewStatus.BOOKED
        review.booked_on = min(today, day - timedelta(days=rng.randint(10, 30)))
        review.late_booking = rules.add_working_days(review.booked_on, 10) > due or day > due
        if day > due:
            review.late_reason = "No earlier date the family could attend"
        if rng.random() < 0.6:
            review.sw_report_received_on = min(today, day - timedelta(days=4))
        chair_id = self.chair_on(allocations, today, fallback)
        venue = rng.choices(VENUES, weights=VENUE_WEIGHTS)[0]
        self.review_meeting[index] = self.meeting(
            chair_id=chair_id, day=day, status=MS.BOOKED, child_id=child.pk, venue=venue
        )

    def child(self, child, episodes, allocations, fallback):
        today = self.today
        for period_episodes in periods_of_care(episodes):
            period = rules.period_for_reviews(period_episodes)
            if period is None:
                continue
            end = period.end if period.ended else None
            held: list[date] = []
            while True:
                nxt = next_due(period_episodes, period.start, held)
                not_before = max(
                    [period.start + timedelta(days=5), *[h + timedelta(days=20) for h in held]]
                )
                held_on = self.held_date(nxt.due, not_before)
                extra = self.additional_after_move(period_episodes, held, not_before, held_on)
                if extra is not None and (end is None or extra < end) and extra <= today:
                    self.held_review(
                        child=child, period_start=period.start, due=nxt.due, held=extra,
                        sequence="additional", allocations=allocations, fallback=fallback,
                    )  # fmt: skip
                    held.append(extra)
                    continue
                if end is not None and held_on >= end:
                    if rules.review_missed_when_care_ends(nxt.due, end):
                        # Fell due while the child was looked after, never held: missed.
                        self.reviews.append(
                            Review(
                                child_id=child.pk, sequence=nxt.sequence,
                                period_start=period.start, due_date=nxt.due,
                                status=ReviewStatus.MISSED,
                            )
                        )  # fmt: skip
                    break  # the period of care ended before the next review
                if held_on > today or nxt.due > today + timedelta(days=400):
                    if end is None:
                        self.open_review(
                            child=child, period_start=period.start, due=nxt.due,
                            sequence=nxt.sequence, allocations=allocations, fallback=fallback,
                        )  # fmt: skip
                    break
                self.held_review(
                    child=child, period_start=period.start, due=nxt.due, held=held_on,
                    sequence=nxt.sequence, allocations=allocations, fallback=fallback,
                )  # fmt: skip
                held.append(held_on)

    @transaction.atomic
    def save(self) -> None:
        created = bulk_copy(Meeting, [m for m, _ in self.meetings])
        through = Meeting.children.through
        bulk_copy(
            through,
            [
                through(meeting_id=meeting.pk, child_id=child_id)
                for meeting, (_m, child_id) in zip(created, self.meetings, strict=True)
            ],
        )
        for index, meeting_index in self.review_meeting.items():
            self.reviews[index].meeting_id = created[meeting_index].pk
        saved = bulk_copy(Review, self.reviews)
        for index, recommendation in self.recommendations:
            recommendation.review_id = saved[index].pk
        bulk_copy(Recommendation, [r for _, r in self.recommendations])
        for index, check in self.checks:
            check.review_id = saved[index].pk
        bulk_copy(MonitoringCheck, [c for _, c in self.checks])
        bulk_copy(IroContact, self.contacts)
        bulk_copy(MidwayReview, self.midways)
