"""SSDA903 (children looked after) return: the files, their DfE column layout, and the export.

A collection year runs 1 April to 31 March; `year=2024` is the year that starts 1 April 2024 (the
DfE's "2025" collection). Dates are written DD/MM/YYYY. An episode still open on 31 March, or
ending after it, is written without its end (DEC, REC and REASON_PLACE_CHANGE blank), as the DfE
expects.

Files produced: Header, Episodes, Reviews, UASC. Files the service cannot produce, and why, are
listed in NOT_PRODUCED (shown on the returns page and in the README).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from iro.models import CareEpisode, Child
from iro.rules import add_months
from reviews.models import Review, ReviewStatus

DATE_FORMAT = "%d/%m/%Y"

COLUMNS: dict[str, list[str]] = {
    "Header": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    "Episodes": [
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ],
    "Reviews": ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
    "UASC": ["CHILD", "SEX", "DOB", "DUC"],
}
FILE_NAMES = {name: f"{name.lower()}.csv" for name in COLUMNS}

NOT_PRODUCED = {
    "Missing": "The service does not record missing or away-from-placement episodes.",
    "PrevPerm": "The service does not record permanence orders from before care began.",
    "OC2": "Health, offending and SDQ outcomes are not recorded here.",
    "OC3": "Care leavers' accommodation and activity are recorded by the leaving-care service.",
    "AD1": "Adoption matching details are held by the adoption service.",
    "PlacedAdoption": "Decisions to place for adoption are held by the adoption service.",
    "SWEpisodes": "Social worker changes are held in the case management system.",
}


@dataclass(frozen=True)
class CollectionYear:
    year: int

    @property
    def start(self) -> date:
        return date(self.year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.year + 1, 3, 31)

    @property
    def collection(self) -> str:
        """The DfE's name for the collection: the year it ends."""
        return str(self.year + 1)

    @property
    def ruleset(self) -> str:
        """The 903 validator ruleset for this collection (lac2025_26 and later are maintained)."""
        first = max(self.year, 2025)
        return f"lac{first}_{(first + 1) % 100:02d}"

    def __str__(self) -> str:
        return f"{self.year} to {self.year + 1}"


def fmt_date(value: date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def upn_for(child: Child, year: CollectionYear) -> str:
    """The child's UPN, or the DfE's 'not known' code: UN1 under school age, otherwise UN5."""
    if child.upn:
        return child.upn
    if child.date_of_birth and (year.end - child.date_of_birth).days < 5 * 365:
        return "UN1"
    return "UN5"


def episodes_in_year(year: CollectionYear):
    """Episodes open at any time in the collection year, in return order."""
    return (
        CareEpisode.objects.filter(start__lte=year.end)
        .filter(Q(end__isnull=True) | Q(end__gte=year.start))
        .select_related("child")
        .order_by("child__la_child_id", "start", "id")
    )


def children_in_year(year: CollectionYear):
    return Child.objects.filter(
        pk__in=episodes_in_year(year).order_by().values("child_id")
    ).order_by("la_child_id")


def reviews_in_year(year: CollectionYear):
    return (
        Review.objects.filter(
            status=ReviewStatus.HELD,
            held_on__gte=year.start,
            held_on__lte=year.end,
            child__in=children_in_year(year),
        )
        .select_related("child")
        .order_by("child__la_child_id", "held_on", "id")
    )


def header_rows(year: CollectionYear) -> list[list[str]]:
    return [
        [
            c.la_child_id,
            c.sex,
            fmt_date(c.date_of_birth),
            c.ethnicity,
            upn_for(c, year),
            "" if c.mother is None else str(int(c.mother)),
            fmt_date(c.mother_child_dob),
        ]
        for c in children_in_year(year)
    ]


def episode_row(e: CareEpisode, year: CollectionYear) -> list[str]:
    ended_in_year = e.end is not None and e.end <= year.end
    return [
        e.child.la_child_id,
        fmt_date(e.start),
        e.reason_new_episode,
        e.legal_status,
        e.category_of_need,
        e.placement_type,
        e.placement_provider,
        fmt_date(e.end) if ended_in_year else "",
        e.reason_ceased if ended_in_year else "",
        e.reason_place_change if ended_in_year else "",
        e.home_postcode,
        e.placement_postcode,
        e.placement_urn,
    ]


def episode_rows(year: CollectionYear) -> list[list[str]]:
    return [episode_row(e, year) for e in episodes_in_year(year)]


def review_rows(year: CollectionYear) -> list[list[str]]:
    return [
        [r.child.la_child_id, fmt_date(r.child.date_of_birth), fmt_date(r.held_on), r.participation]
        for r in reviews_in_year(year)
    ]


def uasc_ceased_for(child: Child) -> date | None:
    """DUC: the date UASC status ceased, or for a child still UASC their 18th birthday, when the
    status ends by law. DfE rule 205B checks, for a child in two years' UASC files, that last
    year's DUC is the 18th birthday; a blank one fails it (docs/rules.md, SSDA903 UASC)."""
    if child.uasc_ceased or not child.date_of_birth:
        return child.uasc_ceased
    return eighteenth_birthday(child.date_of_birth)


def eighteenth_birthday(dob: date) -> date:
    """The 18th birthday (29 February gives 28 February, as the DfE validator counts it)."""
    return add_months(dob, 12 * 18)


def uasc_rows(year: CollectionYear) -> list[list[str]]:
    return [
        [c.la_child_id, c.sex, fmt_date(c.date_of_birth), fmt_date(uasc_ceased_for(c))]
        for c in children_in_year(year).filter(uasc=True)
    ]


def to_csv(columns: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def export_files(year: int | CollectionYear) -> dict[str, str]:
    """The return's files as {file name: CSV text}."""
    year = year if isinstance(year, CollectionYear) else CollectionYear(year)
    builders = {
        "Header": header_rows,
        "Episodes": episode_rows,
        "Reviews": review_rows,
        "UASC": uasc_rows,
    }
    return {
        FILE_NAMES[name]: to_csv(COLUMNS[name], build(year)) for name, build in builders.items()
    }


def export_zip(year: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in export_files(year).items():
            archive.writestr(f"ssda903-{year}-{year + 1}/{name}", text)
    return out.getvalue()
