"""Ofsted ILACS Annex A lists 5, 7 and 8 as one XLSX workbook, in Ofsted's column order.

Every list starts with the child's ID, gender, ethnicity, date of birth, age, disability,
allocated team and allocated worker (here: the reviewing officer's team and the IRO or CP chair,
the allocation this service holds). Rows are the children the signed-in user may see
(iro.access). Columns the service holds no data for (statutory social work visits, missing
episodes, health and dental checks) are present and left blank, so the column order stays
Ofsted's. Every text cell goes through `iro.exports.escape_cell` against formula injection.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Max, Q
from openpyxl import Workbook
from openpyxl.styles import Font

from iro.access import children_visible_to
from iro.codes import SHORT_BREAK_LEGAL_STATUSES
from iro.exports import escape_cell, workbook_bytes
from iro.models import Allocation, AllocationRole, CareEpisode, Child
from iro.rules import add_months, age_on
from protection.models import (
    ConferenceKind,
    ConferenceOutcome,
    ConferenceStatus,
    ProtectionPlan,
    StrategyDiscussion,
)
from reviews.models import IroContact, PermanencePlanType, Review, ReviewStatus

BASE = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
    "Allocated Team",
    "Allocated Worker",
]
LIST_5 = BASE + [
    "Date of the strategy discussion that initiated the Section 47 enquiry",
    "Was an Initial Child Protection Conference not required?",
    "Date of Initial Child Protection Conference",
    "Did the Initial Child Protection Conference result in a Child Protection Plan?",
    "Number of Section 47 Enquiries in the last 12 months",
    "Number of ICPCs in the last 12 months",
]
LIST_7 = BASE + [
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the last statutory visit",
    "Was the child seen alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Police Protection in the last 6 months",
    "Number of Previous Child Protection Plans",
]
LIST_8 = BASE + [
    "Date of latest statutory review",
    "Date of last IRO visit or contact",
    "Date of last social work visit",
    "Permanence plan",
    "Date started to be looked after",
    "Legal status",
    "Date of current legal status",
    "Category of need",
    "Date ceased to be looked after",
    "Reason ceased to be looked after",
    "Number of placements in the last 12 months",
    "Placement type",
    "Placement provider",
    "Placement postcode",
    "Placement distance (miles)",
    "Placement start date",
    "Missing or absent episodes in the last 12 months",
    "UASC",
    "Date of last health assessment",
    "Date of last dental check",
]


def _yn(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def _workers(child_ids, role: str) -> dict[int, tuple[str, str]]:
    rows = Allocation.objects.filter(child_id__in=child_ids, role=role, end__isnull=True).values(
        "child_id", "iro__first_name", "iro__last_name", "iro__team__name"
    )
    return {
        r["child_id"]: (r["iro__team__name"] or "", f"{r['iro__first_name']} {r['iro__last_name']}")
        for r in rows
    }


def _base(child: Child, on: date, workers: dict) -> list:
    team, worker = workers.get(child.pk, ("", ""))
    return [
        child.la_child_id,
        child.get_sex_display(),
        child.ethnicity,
        child.date_of_birth,
        age_on(child.date_of_birth, on) if child.date_of_birth else "",
        _yn(child.disability),
        team,
        worker,
    ]


def list_5(user, on: date) -> list[list]:
    """Section 47 enquiries started in the 6 months to `on`."""
    since = add_months(on, -6)
    year_ago = add_months(on, -12)
    visible = children_visible_to(user)
    s47s = list(
        StrategyDiscussion.objects.filter(
            s47_started=True,
            s47_started_on__gt=since,
            s47_started_on__lte=on,
            child__in=visible,
        )
        .select_related("child")
        .prefetch_related("conferences")
        .order_by("child__la_child_id", "s47_started_on")
    )
    ids = {s.child_id for s in s47s}
    counts = {
        r["pk"]: r
        for r in Child.objects.filter(pk__in=ids)
        .annotate(
            s47=Count(
                "strategy_discussions",
                filter=Q(
                    strategy_discussions__s47_started=True,
                    strategy_discussions__s47_started_on__gt=year_ago,
                    strategy_discussions__s47_started_on__lte=on,
                ),
                distinct=True,
            ),
            icpcs=Count(
                "conferences",
                filter=Q(
                    conferences__kind=ConferenceKind.ICPC,
                    conferences__status=ConferenceStatus.HELD,
                    conferences__held_on__gt=year_ago,
                    conferences__held_on__lte=on,
                ),
                distinct=True,
            ),
        )
        .values("pk", "s47", "icpcs")
    }
    workers = _workers(ids, AllocationRole.CP)
    rows = []
    for s47 in s47s:
        icpc = next(
            (
                c
                for c in s47.conferences.all()
                if c.kind == ConferenceKind.ICPC and c.status == ConferenceStatus.HELD
            ),
            None,
        )
        pending = any(
            c.kind == ConferenceKind.ICPC and c.status != ConferenceStatus.CANCELLED
            for c in s47.conferences.all()
        )
        rows.append(
            _base(s47.child, on, workers)
            + [
                s47.held_on,
                "" if pending else "Yes",
                icpc.held_on if icpc else "",
                _yn(icpc.outcome == ConferenceOutcome.CP_PLAN) if icpc else "",
                counts[s47.child_id]["s47"],
                counts[s47.child_id]["icpcs"],
            ]
        )
    return rows


def list_7(user, on: date) -> list[list]:
    """Child protection plans open on `on` or ended in the 6 months before."""
    since = add_months(on, -6)
    plans = list(
        ProtectionPlan.objects.filter(start__lte=on, child__in=children_visible_to(user))
        .filter(Q(end__isnull=True) | Q(end__gt=since))
        .select_related("child")
        .annotate(
            latest_review=Max(
                "reviews__held_on",
                filter=Q(reviews__status=ConferenceStatus.HELD, reviews__held_on__lte=on),
            )
        )
        .order_by("child__la_child_id", "start")
    )
    ids = {p.child_id for p in plans}
    protected = set(
        CareEpisode.objects.filter(child_id__in=ids, legal_status__in=["L1", "L2"], start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gt=since))
        .values_list("child_id", flat=True)
    )
    workers = _workers(ids, AllocationRole.CP)
    return [
        _base(p.child, on, workers)
        + [
            p.start,
            p.initial_category,
            p.latest_category,
            "",
            "",
            p.latest_review or "",
            p.end if p.end and p.end <= on else "",
            _yn(p.child_id in protected),
            p.previous_plans,
        ]
        for p in plans
    ]


def list_8(user, on: date) -> list[list]:
    """Children looked after on `on`, or who ceased in the 6 months before."""
    since = add_months(on, -6)
    year_ago = on - timedelta(days=365)
    episodes = _latest_episodes(user, on, since)
    ids = [e.child_id for e in episodes]
    all_episodes: dict[int, list[CareEpisode]] = {}
    for e in CareEpisode.objects.filter(child_id__in=ids).order_by("start", "id"):
        all_episodes.setdefault(e.child_id, []).append(e)
    reviews = {
        r["child_id"]: r
        for r in Review.objects.filter(child_id__in=ids, status=ReviewStatus.HELD, held_on__lte=on)
        .values("child_id")
        .annotate(latest=Max("held_on"))
    }
    plan_types = dict(
        Review.objects.filter(child_id__in=ids, status=ReviewStatus.HELD, held_on__lte=on)
        .exclude(permanence_plan_type="")
        .order_by("child_id", "-held_on")
        .distinct("child_id")
        .values_list("child_id", "permanence_plan_type")
    )
    contacts = dict(
        IroContact.objects.filter(child_id__in=ids, contact_on__lte=on)
        .values("child_id")
        .annotate(latest=Max("contact_on"))
        .values_list("child_id", "latest")
    )
    workers = _workers(ids, AllocationRole.CLA)
    rows = []
    for last in episodes:
        history = all_episodes[last.child_id]
        upto = [e for e in history if e.start <= on]
        period_start = last.start
        legal_from = last.start
        for e in reversed(upto[:-1]):
            if e.end != period_start or e.reason_ceased != "X1":
                break
            period_start = e.start
        for e in reversed(upto[:-1]):
            if e.legal_status != last.legal_status or e.end != legal_from:
                break
            legal_from = e.start
        placements = sum(
            1
            for e in upto
            if (e.end is None or e.end > year_ago)
            and e.reason_new_episode in ("S", "P", "T", "B", "U")
        )
        ceased = last.end if last.end and last.end <= on and last.reason_ceased != "X1" else None
        review = reviews.get(last.child_id)
        rows.append(
            _base(last.child, on, workers)
            + [
                review["latest"] if review else "",
                contacts.get(last.child_id, ""),
                "",
                PermanencePlanType(plan_types[last.child_id]).label
                if last.child_id in plan_types
                else "",
                period_start,
                last.legal_status,
                legal_from,
                last.category_of_need,
                ceased or "",
                last.reason_ceased if ceased else "",
                placements,
                last.placement_type,
                last.placement_provider,
                last.placement_postcode,
                last.distance_miles if last.distance_miles is not None else "",
                _placement_start(upto),
                "",
                _yn(last.child.uasc),
                "",
                "",
            ]
        )
    return rows


def _placement_start(episodes: list[CareEpisode]) -> date:
    start = episodes[-1].start
    for previous, e in zip(reversed(episodes[:-1]), reversed(episodes), strict=False):
        if e.reason_new_episode != "L" or previous.end != e.start:
            break
        start = previous.start
    return start


def _latest_episodes(user, on: date, since: date) -> list[CareEpisode]:
    """Each child's latest episode that makes them looked after on `on` or that ended their care
    in the 6 months before (one per child)."""
    qs = (
        CareEpisode.objects.filter(start__lte=on, child__in=children_visible_to(user))
        .exclude(legal_status__in=SHORT_BREAK_LEGAL_STATUSES)
        .filter(Q(end__isnull=True) | Q(end__gt=on) | (Q(end__gt=since) & ~Q(reason_ceased="X1")))
        .select_related("child")
        .order_by("child__la_child_id", "-start")
        .distinct("child__la_child_id")
    )
    return list(qs)


def workbook(user, on: date) -> bytes:
    book = Workbook()
    notes = book.active
    notes.title = "About"
    for line in [
        f"Ofsted ILACS Annex A, lists 5, 7 and 8, as at {on:%d/%m/%Y}.",
        "Allocated team and worker: the IRO (list 8) or child protection chair (lists 5 and 7).",
        "Blank columns are not recorded in this service: statutory social work visits, missing "
        "episodes, health and dental checks.",
        "Rows: the children you may see in the service.",
    ]:
        notes.append([escape_cell(line)])
    for title, columns, rows in [
        ("List 5 S47 enquiries", LIST_5, list_5(user, on)),
        ("List 7 Child protection", LIST_7, list_7(user, on)),
        ("List 8 Children in care", LIST_8, list_8(user, on)),
    ]:
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([None if v is None else escape_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, date):
                    cell.number_format = "DD/MM/YYYY"
        sheet.freeze_panes = "A2"
    return workbook_bytes(book)
