"""CIN census, child protection module, as XML for a census year (1 April to 31 March).

What goes in, for each child with a section 47 enquiry started in the year or a child protection
plan open at any time in it, in one CINdetails episode per child:
- Section47: the s47 start date, the ICPC target (DfE basis: the start date is working day 1),
  the ICPC date when held, and ICPCnotRequired when the enquiry led to no conference.
- ChildProtectionPlans: start and end dates, initial and latest category of abuse, the number of
  previous plans, and the dates of review conferences held in the year.

The service holds no referrals: the CINreferralDate written is the date of the strategy
discussion that started the enquiry (or the plan's start when the plan began by transfer-in),
which is on or before every date in the block as the census requires (rules 2889, 1105); the
case management system's own referral date replaces it when the module is merged into the whole
census. Closure of the child-in-need case is not recorded here either, so no CINclosureDate is
written. ReferralSource and PrimaryNeedCode are the same stand-ins for every child (10, N1). The
rest of the census (assessments, CIN plans, disabilities) is not held here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import Q

from iro.models import Child
from protection import rules as cp_rules
from protection.models import (
    Conference,
    ConferenceKind,
    ConferenceStatus,
    ProtectionPlan,
    StrategyDiscussion,
)
from reporting.returns.ssda903 import CollectionYear

REFERRAL_SOURCE = "10"  # stand-in, see the module docstring
PRIMARY_NEED = "N1"  # abuse or neglect: the need behind every child protection enquiry


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


@dataclass
class Block:
    """One CINdetails block: an s47 enquiry and/or the plan it led to."""

    referral: date
    s47: StrategyDiscussion | None = None
    icpc: Conference | None = None
    plan: ProtectionPlan | None = None
    reviews: list[date] = field(default_factory=list)


def cin_ruleset(year: CollectionYear) -> str:
    first = max(year.year, 2025)
    return f"cin{first}_{(first + 1) % 100:02d}"


def blocks_for_year(year: CollectionYear) -> dict[int, list[Block]]:
    # An enquiry started in the year, or one started before 1 April whose initial conference was
    # held in the year: the plan it led to must start on that conference's date (CIN rule 2885).
    icpc_in_year = StrategyDiscussion.objects.filter(
        conferences__kind=ConferenceKind.ICPC,
        conferences__status=ConferenceStatus.HELD,
        conferences__held_on__gte=year.start,
        conferences__held_on__lte=year.end,
    ).values("pk")
    s47s = (
        StrategyDiscussion.objects.filter(s47_started=True)
        .filter(
            Q(s47_started_on__gte=year.start, s47_started_on__lte=year.end) | Q(pk__in=icpc_in_year)
        )
        .prefetch_related("conferences")
        .order_by("child_id", "s47_started_on")
    )
    plans = (
        ProtectionPlan.objects.filter(start__lte=year.end)
        .filter(Q(end__isnull=True) | Q(end__gte=year.start))
        .order_by("child_id", "start")
    )
    reviews: dict[int, list[date]] = {}
    for plan_id, held in Conference.objects.filter(
        kind=ConferenceKind.RCPC,
        status=ConferenceStatus.HELD,
        held_on__gte=year.start,
        held_on__lte=year.end,
    ).values_list("plan_id", "held_on"):
        reviews.setdefault(plan_id, []).append(held)  # type: ignore[arg-type]
    blocks: dict[int, list[Block]] = {}
    by_icpc_date: dict[tuple[int, date], Block] = {}
    for s47 in s47s:
        icpc = next(
            (
                c
                for c in s47.conferences.all()
                if c.kind == ConferenceKind.ICPC
                and c.status == ConferenceStatus.HELD
                and c.held_on <= year.end  # type: ignore[operator]
            ),
            None,
        )
        block = Block(referral=s47.held_on, s47=s47, icpc=icpc)
        blocks.setdefault(s47.child_id, []).append(block)
        if icpc is not None:
            by_icpc_date[(s47.child_id, icpc.held_on)] = block  # type: ignore[index]
    for plan in plans:
        block = by_icpc_date.get((plan.child_id, plan.start))  # type: ignore[assignment]
        if block is None:
            block = Block(referral=plan.start)
            blocks.setdefault(plan.child_id, []).append(block)
        block.plan = plan
        block.reviews = sorted(d for d in reviews.get(plan.pk, []) if d > plan.start)
    return blocks


def census_xml(year: int | CollectionYear) -> bytes:
    year = year if isinstance(year, CollectionYear) else CollectionYear(year)
    blocks = blocks_for_year(year)
    root = ET.Element("Message")
    header = _sub(root, "Header")
    details = _sub(header, "CollectionDetails")
    _sub(details, "Collection", "CIN")
    _sub(details, "Year", year.collection)
    _sub(details, "ReferenceDate", _d(year.end))
    source = _sub(header, "Source")
    _sub(source, "SourceLevel", "L")
    _sub(source, "LEA", settings.LOCAL_AUTHORITY_LEA)
    _sub(source, "SoftwareCode", "IRO service")
    _sub(source, "Release", "1")
    _sub(source, "SerialNo", "1")
    _sub(source, "DateTime", datetime(year.year + 1, 4, 1).isoformat(timespec="seconds"))
    children = _sub(root, "Children")
    for child in Child.objects.filter(pk__in=list(blocks)).order_by("la_child_id"):
        element = _sub(children, "Child")
        ids = _sub(element, "ChildIdentifiers")
        _sub(ids, "LAchildID", child.la_child_id)
        if child.upn:
            _sub(ids, "UPN", child.upn)
        else:
            _sub(ids, "UPNunknown", "UN1" if child.is_unborn else "UN5")
        if child.date_of_birth and child.date_of_birth <= year.end:
            _sub(ids, "PersonBirthDate", _d(child.date_of_birth))
        else:  # unborn on the census date
            _sub(
                ids,
                "ExpectedPersonBirthDate",
                _d(child.expected_date_of_birth or child.date_of_birth),
            )
        unborn = not (child.date_of_birth and child.date_of_birth <= year.end)
        _sub(ids, "Sex", child.sex if child.sex in ("M", "F") and not unborn else "U")
        chars = _sub(element, "ChildCharacteristics")
        _sub(chars, "Ethnicity", child.ethnicity)
        disabilities = _sub(chars, "Disabilities")
        _sub(disabilities, "Disability", "NONE")
        _cin_details(element, sorted(blocks[child.pk], key=lambda b: b.referral), year)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _cin_details(parent: ET.Element, blocks: list[Block], year: CollectionYear) -> None:
    """One open CINdetails episode for the child, holding every enquiry and plan of the year
    (the census allows one open episode per child, rules 8815/8816/8820)."""
    cin = _sub(parent, "CINdetails")
    _sub(cin, "CINreferralDate", _d(blocks[0].referral))
    _sub(cin, "ReferralSource", REFERRAL_SOURCE)
    _sub(cin, "PrimaryNeedCode", PRIMARY_NEED)
    # A plan that began in the year without an s47 enquiry here (a transfer-in) has its
    # conference date at CINdetails level (rule 2885); only one such date can be given.
    transfer_in = next(
        (
            b.plan.start
            for b in blocks
            if b.plan is not None and b.icpc is None and b.plan.start >= year.start
        ),
        None,
    )
    if transfer_in:
        _sub(cin, "DateOfInitialCPC", _d(transfer_in))
    _sub(cin, "ReferralNFA", "false")
    for block in blocks:
        if block.s47 is None:
            continue
        s47 = _sub(cin, "Section47")
        _sub(s47, "S47ActualStartDate", _d(block.s47.s47_started_on))
        _sub(s47, "InitialCPCtarget", _d(cp_rules.icpc_due_dfe(block.s47.s47_started_on)))  # type: ignore[arg-type]
        if block.icpc is not None:
            _sub(s47, "DateOfInitialCPC", _d(block.icpc.held_on))
        _sub(s47, "ICPCnotRequired", "false" if block.icpc is not None else "true")
    for block in blocks:
        if block.plan is None:
            continue
        plan = block.plan
        cpp = _sub(cin, "ChildProtectionPlans")
        _sub(cpp, "CPPstartDate", _d(plan.start))
        if plan.end and plan.end <= year.end:
            _sub(cpp, "CPPendDate", _d(plan.end))
        _sub(cpp, "InitialCategoryOfAbuse", plan.initial_category)
        _sub(cpp, "LatestCategoryOfAbuse", plan.latest_category)
        _sub(cpp, "NumberOfPreviousCPP", str(plan.previous_plans))
        for day in block.reviews:
            reviews = _sub(cpp, "Reviews")
            _sub(reviews, "CPPreviewDate", _d(day))
