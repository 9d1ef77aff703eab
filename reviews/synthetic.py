"""Synthetic reviews for `manage.py generate_data`, built from the children, care episodes and
allocations already in the database (whatever the core generator made).

For every period of care (short breaks excluded) the review cycle of reviews.rules is walked from
the start to today: about 93% of reviews are held in timescale (Middlesbrough 2022/23: 93%,
2023/24: 85%; target 95%), participation follows the 2023/24 PN mix of the Middlesbrough report
(PN0 for every child under 4), and record milestones mostly meet 5/15/20 working days. A child
still in care gets the next review: booked when it is near, otherwise due. Recent and upcoming
reviews get meetings (so the schedule, My work and calendar have something to show). Rows are
bulk inserted.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction

from iro.models import Allocation, AllocationRole, CareEpisode, Child, Meeting, MeetingKind
from iro.models import MeetingStatus as MS
from iro.rules import add_working_days, is_working_day
from iro.synthetic.copy import bulk_copy
from iro.synthetic.layout import store_in_date_order
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

IN_TIMESCALE = 0.93
# Middlesbrough IRO annual report 2023/24, participation of children aged 4 and over.
PN_MIX = {"PN1": 395, "PN2": 11, "PN3": 2, "PN4": 4, "PN5": 15, "PN6": 482, "PN7": 115}
MEETINGS_SINCE_DAYS = 120  # held reviews this recent get a meeting row
BOOK_AHEAD_DAYS = 42  # the next review is booked when due within six weeks (mostly)
DETAIL_SINCE_DAYS = 365  # recommendations, visits and monitoring checks for the last year
# Birmingham, January-March 2023: home 39%, school 14%, office 6% (59% wholly in person),
# virtual 22%, hybrid 19%. A hybrid review mostly has a room at the child's home or school.
VENUES = ["home", "school", "office", "virtual", "hybrid"]
VENUE_WEIGHTS = [39, 14, 6, 22, 19]
HYBRID_ROOMS = {"hybrid": 10, "home": 5, "school": 3, "office": 1}
PLAN_WEIGHTS = [8, 45, 10, 12, 15, 10]
PLAN_CHANCE = {"first": 0.6, "second": 0.88}
TRACKS = {"single": 84, "twin": 10, "triple": 6}  # Birmingham 2022/23
# An additional review is brought forward after a placement move (the care plan changes; reg
# 32(2)) about this often; it restarts the 6-month cycle.
ADDITIONAL_AFTER_MOVE = 0.9
MIDWAY_CHANCE = 0.45  # a midway review between reviews (Middlesbrough: visits and midways)
# Why children aged 4 and over did not attend (Birmingham: about two-thirds their own choice).
ABSENCE_REASONS = {
    "child_choice": 66, "education": 10, "wellbeing": 8, "practical": 6, "unwell": 5,
    "not_invited": 2, "other": 3,
}  # fmt: skip
# Current safeguarding issues at reviews (Birmingham 2022/23: 9.8% of reviews; the types as a
# share of children with an issue). Mostly teenagers.
SAFEGUARDING_TYPES = {
    "missing": 14, "sexual_exploitation": 14, "criminal_exploitation": 13,
    "substance_misuse": 13, "neet": 13, "gangs": 9, "domestic_abuse": 9, "mental_health": 7,
    "bullying": 4, "online": 4,
}  # fmt: skip
SAFEGUARDING_CHANCE = {"under 10": 0.02, "10-13": 0.10, "14+": 0.22}


def _weekday_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _weekday_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _periods(episodes: list[CareEpisode]) -> list[list[CareEpisode]]:
    periods: list[list[CareEpisode]] = []
    for episode in episodes:
        if episode.reason_new_episode == "S" or not periods:
            periods.append([episode])
        else:
            periods[-1].append(episode)
    return periods


def _next_due(period_episodes: list[CareEpisode], period_start: date, held: list[date]):
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


class _Builder:
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
            held = _weekday_on_or_before(
                due - timedelta(days=rng.choice([0, 0, 1, 2, 3, 5, 7, 10]))
            )
            return max(held, not_before)
        return _weekday_on_or_after(due + timedelta(days=rng.randint(1, 35)))

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
            day = _weekday_on_or_after(add_working_days(episode.start, self.rng.randint(10, 30)))
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
        day = _weekday_on_or_before(due - timedelta(days=rng.randint(0, 10)))
        if day < earliest:
            day = _weekday_on_or_after(earliest)
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
        for period_episodes in _periods(episodes):
            period = rules.period_for_reviews(period_episodes)
            if period is None:
                continue
            end = period.end if period.ended else None
            held: list[date] = []
            while True:
                nxt = _next_due(period_episodes, period.start, held)
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
        builder = _Builder(ctx)
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
