"""Builds CP histories in memory, then bulk inserts them in dependency order."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F

from iro.models import Allocation, AllocationRole, Child, Meeting, MeetingKind, User, VenueType
from iro.roles import Role, group_name
from iro.rules import add_working_days
from iro.synthetic.copy import bulk_copy
from protection import rules
from protection.models import (
    ChildViews,
    Conference,
    ConferenceKind,
    ConferenceOutcome,
    ConferenceStatus,
    CoreGroupMeeting,
    DelayReason,
    PlanEndReason,
    ProtectionPlan,
    StrategyDiscussion,
)
from protection.synthetic.shapes import (
    CATEGORY_WEIGHTS,
    MEAN_MONTHS,
    NAMES_F,
    NAMES_M,
    REVIEWS_BEFORE_END,
    SURNAMES,
    weighted,
    working_on_or_after,
    working_on_or_before,
)

# How the child's views reached conferences they did not attend (Middlesbrough 2020/21: the
# child's views clear in 74% of conferences; children rarely attend), and why conferences ran
# late (Darlington and Middlesbrough: late information, professionals or staff unavailable).
CHILD_VIEWS_MIX = {
    ChildViews.PROFESSIONAL: 40,
    ChildViews.WRITTEN: 12,
    ChildViews.ADVOCATE: 8,
    ChildViews.NOT_SHARED: 15,
    ChildViews.TOO_YOUNG: 25,
}
DELAY_MIX = {
    DelayReason.LATE_INFORMATION: 35,
    DelayReason.PROFESSIONAL_UNAVAILABLE: 20,
    DelayReason.CHAIR_UNAVAILABLE: 20,
    DelayReason.FAMILY_UNAVAILABLE: 10,
    DelayReason.INTERPRETER: 5,
    DelayReason.LATE_REQUEST: 5,
    DelayReason.OTHER: 5,
}


@dataclass
class Rows:
    discussions: list = field(default_factory=list)
    meetings: list = field(default_factory=list)  # (Meeting, child key)
    conferences: list = field(default_factory=list)  # (Conference, meeting index, plan index)
    plans: list = field(default_factory=list)  # (ProtectionPlan, child key, icpc index)
    core_groups: list = field(default_factory=list)  # (CoreGroupMeeting, plan index)
    allocations: list = field(default_factory=list)  # (Allocation, child key)


class CpGenerator:
    def __init__(self, ctx):
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = ctx.today
        self.years = ctx.params.get("years", 3)
        self.target = ctx.params.get("cp_plans", 30)
        self.rows = Rows()
        self.new_children: list[Child] = []
        self.child_seq = itertools.count(1)
        self.plan_counts: dict = {}

    def _meeting(self, kind, chair_id, day, child_key) -> int:
        meeting = Meeting(
            kind=kind,
            chair_id=chair_id,
            starts_at=self.ctx.diary.book(self.rng, chair_id, day),
            venue_type=weighted(
                self.rng, {VenueType.OFFICE: 5, VenueType.VIRTUAL: 3, VenueType.HYBRID: 2}
            ),
            status="held" if day <= self.today else "booked",
        )
        meeting.ends_at = meeting.starts_at + timedelta(minutes=90)
        self.rows.meetings.append((meeting, child_key))
        return len(self.rows.meetings) - 1

    def _conference(self, conference: Conference, chair_id, child_key, plan_index=None, day=None):
        """Add a conference; held or booked ones get a meeting on `day`."""
        meeting_index = None
        if day is not None:
            if day <= self.today:
                conference.status = ConferenceStatus.HELD
                conference.held_on = day
                # Darlington 2019/20: a parent attended 89-92% of conferences they were invited to.
                conference.parents_invited = self.rng.random() < 0.96
                conference.parents_attended = conference.parents_invited and (
                    self.rng.random() < 0.9
                )
                conference.child_attended = self.rng.random() < 0.15
                conference.child_views = (
                    ChildViews.SPOKE
                    if conference.child_attended
                    else weighted(self.rng, CHILD_VIEWS_MIX)
                )
                conference.professionals_attended = self.rng.randint(3, 9)
                conference.reports_shared_in_advance = self.rng.random() < 0.75
            elif (conference.due - self.today).days <= 21:
                conference.status = ConferenceStatus.BOOKED
            else:
                conference.status = ConferenceStatus.DUE
            if conference.status != ConferenceStatus.DUE:
                kind = {
                    ConferenceKind.ICPC: MeetingKind.ICPC,
                    ConferenceKind.RCPC: MeetingKind.RCPC,
                    ConferenceKind.TRANSFER_IN: MeetingKind.TRANSFER_IN,
                }[conference.kind]
                meeting_index = self._meeting(kind, chair_id, day, child_key)
            if day > conference.due and conference.status != ConferenceStatus.DUE:
                reason = weighted(self.rng, DELAY_MIX)
                conference.reason_after_due = DelayReason(reason).label
                if conference.status == ConferenceStatus.HELD:
                    conference.delay_reason = reason
        self.rows.conferences.append((conference, meeting_index, plan_index, child_key))
        return len(self.rows.conferences) - 1

    def _new_child(self, start: date):
        number = next(self.child_seq)
        sex = self.rng.choice("MF")
        unborn = self.rng.random() < 0.05
        if unborn:
            expected = start + timedelta(days=self.rng.randint(20, 120))
            dob = expected if expected <= self.today else None
        else:
            expected = None
            dob = start - timedelta(days=self.rng.randint(30, 16 * 365))
        self.new_children.append(
            Child(
                la_child_id=f"P{number:07d}",
                first_name=self.rng.choice(NAMES_M if sex == "M" else NAMES_F),
                last_name=self.rng.choice(SURNAMES),
                sex=sex,
                date_of_birth=dob,
                expected_date_of_birth=expected,
                ethnicity=weighted(
                    self.rng, {"WBRI": 84, "MWBC": 5, "APKN": 4, "BAFR": 3, "WOTH": 4}
                ),
            )
        )
        return ("new", len(self.new_children) - 1)

    def build(self) -> None:
        rng, today = self.rng, self.today
        iros = list(
            # Ordered by key, not by name, so a seed gives the same data on any database.
            User.objects.filter(groups__name=group_name(Role.IRO), is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not iros:
            self.ctx.log("protection: no IROs, nothing generated")
            return
        cla_iro = dict(
            Allocation.objects.filter(role=AllocationRole.CLA, end__isnull=True).values_list(
                "child_id", "iro_id"
            )
        )
        existing = list(Child.objects.order_by("pk").values_list("pk", "date_of_birth"))
        rng.shuffle(existing)
        existing_iter = iter(existing)
        per_year = self.target * 12 / MEAN_MONTHS / 0.9  # 90% of ICPCs lead to a plan
        first = today - timedelta(days=365 * self.years + 400)
        total = int(per_year * (today - first).days / 365)
        free_since: dict = {}  # child key -> date their last plan ended
        free_keys: list = []
        busy_until: dict = {}  # child key -> date they are free (plan end) or None while open
        days = (today - first).days
        dates = sorted(
            working_on_or_after(first + timedelta(days=rng.randint(0, days))) for _ in range(total)
        )
        for discussion_on in dates:
            if discussion_on > today - timedelta(days=2):
                continue
            # Who: a child with a previous plan (about a fifth), an existing child, or a new one.
            key = None
            if rng.random() < 0.2 and free_keys:
                for _ in range(5):
                    candidate = rng.choice(free_keys)
                    ended = free_since.get(candidate)
                    if ended and ended < discussion_on - timedelta(days=30):
                        key = candidate
                        break
            if key is None and rng.random() < 0.08:
                picked = next(existing_iter, None)
                # Only a child already born and under 17 then (the core generator's children are
                # born across its ten years): a CP enquiry before birth is refused by the CIN
                # census (rule 8606) and is not what happens.
                if picked is not None and _child_then(picked[1], discussion_on):
                    key = ("db", picked[0])
            if key is None:
                key = self._new_child(discussion_on)
            if key in busy_until and (busy_until[key] is None or busy_until[key] >= discussion_on):
                continue
            chair = cla_iro.get(key[1]) if key[0] == "db" else None
            chair = chair or rng.choice(iros)
            self._one_enquiry(key, chair, discussion_on, free_since, free_keys, busy_until)

    def _one_enquiry(self, key, chair, discussion_on, free_since, free_keys, busy_until) -> None:
        rng, today = self.rng, self.today
        discussion = StrategyDiscussion(
            held_on=discussion_on, s47_started=True, s47_started_on=discussion_on
        )
        self.rows.discussions.append((discussion, key))
        due = rules.icpc_due(discussion_on)
        timely = rng.random() < 0.85
        held = add_working_days(
            discussion_on, rng.randint(8, 15) if timely else rng.randint(16, 28)
        )
        icpc = Conference(
            kind=ConferenceKind.ICPC,
            due=due,
            due_dfe=rules.icpc_due_dfe(discussion_on),
        )
        icpc.discussion_index = len(self.rows.discussions) - 1
        if held > today:
            self._conference(icpc, chair, key, day=held)
            busy_until[key] = None
            return
        outcome = weighted(
            rng,
            {
                ConferenceOutcome.CP_PLAN: 90,
                ConferenceOutcome.CIN_PLAN: 8,
                ConferenceOutcome.NFA: 2,
            },
        )
        icpc.outcome = outcome
        if outcome != ConferenceOutcome.CP_PLAN:
            self._conference(icpc, chair, key, day=held)
            return
        category = weighted(rng, CATEGORY_WEIGHTS)
        icpc.category = category
        icpc_index = self._conference(icpc, chair, key, day=held)
        previous = self.plan_counts.get(key, 0)
        self.plan_counts[key] = previous + 1
        plan = ProtectionPlan(
            start=held,
            initial_category=category,
            latest_category=category,
            previous_plans=previous,
            chair_id=chair,
            first_core_group_due=rules.first_core_group_due(held),
        )
        self.rows.plans.append((plan, key, icpc_index))
        plan_index = len(self.rows.plans) - 1
        end_at = weighted(rng, REVIEWS_BEFORE_END)
        other_end = rng.random() < 0.13
        other_end_day = held + timedelta(days=rng.randint(40, 200)) if other_end else None
        review_due = rules.first_rcpc_due(held)
        number = 0
        while True:
            number += 1
            if other_end_day and other_end_day < review_due:
                if other_end_day <= today:
                    plan.end = other_end_day
                    plan.end_reason = weighted(
                        rng, {PlanEndReason.LOOKED_AFTER: 6, PlanEndReason.MOVED: 4}
                    )
                    self._conference(
                        Conference(
                            kind=ConferenceKind.RCPC,
                            due=review_due,
                            status=ConferenceStatus.CANCELLED,
                            cancel_reason="The child protection plan ended.",
                        ),
                        chair,
                        key,
                        plan_index=plan_index,
                    )
                else:
                    self._review(review_due, chair, key, plan_index, None)
                break
            timely_review = rng.random() < 0.8
            if timely_review:
                day = working_on_or_before(review_due - timedelta(days=rng.randint(0, 10)))
            else:
                day = working_on_or_after(review_due + timedelta(days=rng.randint(1, 25)))
            ends_here = number >= end_at
            outcome = (
                weighted(rng, {ConferenceOutcome.CIN_PLAN: 8, ConferenceOutcome.NFA: 2})
                if ends_here
                else ConferenceOutcome.CP_PLAN
            )
            self._review(review_due, chair, key, plan_index, day, outcome)
            if day > today:
                break
            if ends_here:
                plan.end = day
                plan.end_reason = PlanEndReason.NO_LONGER_AT_RISK
                break
            review_due = rules.next_rcpc_due(day)
        self._core_groups(plan, plan_index)
        if plan.end:
            if key not in free_since:
                free_keys.append(key)
            free_since[key] = plan.end
            busy_until[key] = plan.end
        else:
            busy_until[key] = None
            free_since.pop(key, None)
        self.rows.allocations.append(
            (
                Allocation(
                    iro_id=chair,
                    role=AllocationRole.CP,
                    start=plan.start,
                    end=plan.end,
                    reason="Chair of the initial child protection conference",
                    end_reason="Child protection plan ended" if plan.end else "",
                ),
                key,
            )
        )

    def _review(self, due, chair, key, plan_index, day, outcome=None) -> None:
        conference = Conference(kind=ConferenceKind.RCPC, due=due)
        if day is not None and day <= self.today:
            conference.outcome = outcome
        self._conference(conference, chair, key, plan_index=plan_index, day=day)

    def _core_groups(self, plan, plan_index) -> None:
        rng = self.rng
        day = add_working_days(
            plan.start, rng.randint(5, 10) if rng.random() < 0.85 else rng.randint(11, 20)
        )
        last = min(plan.end or self.today, self.today)
        while day <= last:
            self.rows.core_groups.append((CoreGroupMeeting(held_on=day), plan_index))
            day = working_on_or_after(day + timedelta(weeks=rng.randint(5, 8)))

    @transaction.atomic
    def save(self) -> None:
        rows = self.rows
        bulk_copy(Child, self.new_children)

        def child_id(key):
            return key[1] if key[0] == "db" else self.new_children[key[1]].pk

        for discussion, key in rows.discussions:
            discussion.child_id = child_id(key)
        bulk_copy(StrategyDiscussion, [d for d, _ in rows.discussions])
        meetings = [m for m, _ in rows.meetings]
        bulk_copy(Meeting, meetings)
        through = Meeting.children.through
        bulk_copy(
            through, [through(meeting_id=m.pk, child_id=child_id(key)) for m, key in rows.meetings]
        )
        # Bookings made about three weeks ahead, as the service asks.
        Meeting.objects.filter(kind__in=[MeetingKind.ICPC, MeetingKind.RCPC]).update(
            booked_at=F("starts_at") - timedelta(days=21)
        )
        # ICPCs and transfer-ins first (plans point at them), then plans, then reviews.
        firsts = [row for row in rows.conferences if row[2] is None]
        for conference, meeting_index, _, key in firsts:
            conference.child_id = child_id(key)
            conference.meeting_id = (
                meetings[meeting_index].pk if meeting_index is not None else None
            )
            index = getattr(conference, "discussion_index", None)
            if index is not None:
                conference.strategy_discussion_id = rows.discussions[index][0].pk
        bulk_copy(Conference, [c for c, *_ in firsts])
        for plan, key, icpc_index in rows.plans:
            plan.child_id = child_id(key)
            plan.starting_conference_id = rows.conferences[icpc_index][0].pk
        bulk_copy(ProtectionPlan, [p for p, *_ in rows.plans])
        reviews = [row for row in rows.conferences if row[2] is not None]
        for conference, meeting_index, plan_index, key in reviews:
            conference.child_id = child_id(key)
            conference.plan_id = rows.plans[plan_index][0].pk
            conference.meeting_id = (
                meetings[meeting_index].pk if meeting_index is not None else None
            )
        bulk_copy(Conference, [c for c, *_ in reviews])
        for meeting, plan_index in rows.core_groups:
            meeting.plan_id = rows.plans[plan_index][0].pk
        bulk_copy(CoreGroupMeeting, [m for m, _ in rows.core_groups])
        for allocation, key in rows.allocations:
            allocation.child_id = child_id(key)
        bulk_copy(Allocation, [a for a, _ in rows.allocations])


def _child_then(dob: date | None, on: date) -> bool:
    """Whether a child born on `dob` is born and under 17 on `on`."""
    return dob is not None and dob <= on and (on - dob).days < 17 * 365
