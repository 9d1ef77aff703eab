"""Base sets shared by the children-in-care, placement and leaving-care figures (areas 1-3).

Definitions (SSDA903 basis):
- Looked after at the end of day D: an episode with start <= D and no end or an end after D,
  whose legal status is not a short break (V3/V4). One episode covers each day of a period of
  care (X1 chains end one episode and start the next on the same day), so counting these
  episodes counts children.
- A starter in a period: a child whose period of care starts in it (an episode with RNE = S whose
  start is in the period and whose legal status is not a short break). A child who starts twice
  in the year is counted once, by the first of those periods.
- A leaver in a period: a child whose period of care ends in it (an episode that ends in the
  period with any reason other than X1, not a short break). A child who leaves twice in the year
  is counted once, by the last of those periods.
- Age on a date: whole years from the date of birth (a child born on 29 February turns a year
  older on 1 March in other years), in the DfE bands under 1, 1-4, 5-9, 10-15, 16+.
"""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)

from iro.age_bands import AGE_BAND_CODES, age_case
from iro.codes import SHORT_BREAK_LEGAL_STATUSES
from iro.models import CareEpisode, Child
from iro.selectors import looked_after_episodes_on
from reporting.figures.base import Period, shared

AGE_BANDS = AGE_BAND_CODES  # the DfE bands (iro.age_bands)

CHILD_COLUMNS = (
    ("LA child ID", "la_child_id"),
    ("First name", "first_name"),
    ("Last name", "last_name"),
    ("Date of birth", "date_of_birth"),
)
EPISODE_COLUMNS = (
    ("LA child ID", "child__la_child_id"),
    ("First name", "child__first_name"),
    ("Last name", "child__last_name"),
    ("Episode start", "start"),
    ("Episode end", "end"),
    ("Legal status", "legal_status"),
    ("Placement", "placement_type"),
    ("Reason ceased", "reason_ceased"),
)


class AgeOn(Func):
    """Whole years between a date of birth and a date, in PostgreSQL (age())."""

    template = "EXTRACT(YEAR FROM AGE(%(expressions)s))::integer"
    arg_joiner = ", "
    output_field = IntegerField()

    def __init__(self, on: Expression | F | date, dob: Expression | str, **extra):
        on_expr = on if hasattr(on, "resolve_expression") else Value(on, DateField())
        dob_expr = F(dob) if isinstance(dob, str) else dob
        super().__init__(on_expr, dob_expr, **extra)


def counts(qs: QuerySet, key: str, order: list[str] | None = None) -> dict[str, int]:
    """{key value: count} from one GROUP BY query, in `order` (zeros kept) or by count."""
    rows = dict(qs.order_by().values_list(key).annotate(n=Count("pk")).values_list(key, "n"))
    if order is None:
        return dict(sorted(rows.items(), key=lambda kv: (-kv[1], str(kv[0]))))
    out = {k: rows.pop(k, 0) for k in order}
    out.update({str(k): v for k, v in sorted(rows.items(), key=lambda kv: str(kv[0]))})
    return out


# --- Looked after on a day -----------------------------------------------------------------------


@shared
def looked_after_ids(day: date) -> QuerySet:
    """Ids of children looked after at the end of `day` (V3/V4 short breaks left out)."""
    return looked_after_episodes_on(day).values("child_id")


def open_episodes(day: date) -> QuerySet[CareEpisode]:
    """The episode each child looked after at the end of `day` is in (one per child)."""
    return looked_after_episodes_on(day)


def first_on_file_subquery(on_field: str = "start") -> Subquery:
    """The child's first episode on file starting on or before the episode.

    Periods of care that began before the earliest data (CLA-15, PLC-09). An SSDA903 history
    imported from a first collection year, like any history that starts part-way, holds the
    episodes open in that year but not the RNE = S episode that started a period of care begun
    years before. The reading used: a period of care began before the earliest data held when
    the child has no RNE = S episode on file on or before the episode (period_start_subquery is
    NULL; every other path that writes episodes starts a period with S, iro.episode_rules).
    Its true start is unknown, but the child has been looked after at least since their first
    episode on file: this is the lower bound the figures use where it decides the answer."""
    return Subquery(
        CareEpisode.objects.filter(child=OuterRef("child"), start__lte=OuterRef(on_field))
        .order_by("start")
        .values("start")[:1],
        output_field=DateField(),
    )


def period_start_subquery(on_field: str = "start") -> Subquery:
    """The start of the period of care an episode belongs to: the latest RNE = S episode of the
    child starting on or before the episode (periods are unbroken X1 chains)."""
    return Subquery(
        CareEpisode.objects.filter(
            child=OuterRef("child"), reason_new_episode="S", start__lte=OuterRef(on_field)
        )
        .order_by("-start")
        .values("start")[:1],
        output_field=DateField(),
    )


def with_age(qs: QuerySet[CareEpisode], on: date | str) -> QuerySet[CareEpisode]:
    """Episodes annotated with `age` (on a date, or on a field of the episode such as "end") and
    `band`."""
    on_expr = F(on) if isinstance(on, str) else Value(on, DateField())
    return qs.annotate(age=AgeOn(on_expr, "child__date_of_birth")).annotate(band=age_case("age"))


def children_in(episodes: QuerySet[CareEpisode]) -> QuerySet[Child]:
    return Child.objects.filter(pk__in=episodes.values("child_id")).order_by("la_child_id")


# --- Starters and leavers ------------------------------------------------------------------------


@shared
def starter_episode_ids(period: Period) -> QuerySet:
    """The first period-of-care start of each child starting to be looked after in `period`."""
    return (
        CareEpisode.objects.filter(
            reason_new_episode="S", start__gte=period.start, start__lte=period.end
        )
        .exclude(legal_status__in=SHORT_BREAK_LEGAL_STATUSES)
        .order_by("child_id", "start")
        .distinct("child_id")
        .values("pk")
    )


def starters(period: Period) -> QuerySet[CareEpisode]:
    return CareEpisode.objects.filter(pk__in=starter_episode_ids(period))


@shared
def leaver_episode_ids(period: Period) -> QuerySet:
    """The last period-of-care ending of each child who stopped being looked after in `period`."""
    return (
        CareEpisode.objects.filter(end__gte=period.start, end__lte=period.end)
        .exclude(reason_ceased="X1")
        .exclude(legal_status__in=SHORT_BREAK_LEGAL_STATUSES)
        .order_by("child_id", "-end")
        .distinct("child_id")
        .values("pk")
    )


def leavers(period: Period) -> QuerySet[CareEpisode]:
    return CareEpisode.objects.filter(pk__in=leaver_episode_ids(period))


def sex_key() -> Case:
    """The child's sex as M/F/U (the codes 1 and 2 used before 2024/25 read as M and F)."""
    return Case(
        When(child__sex__in=["M", "1"], then=Value("M")),
        When(child__sex__in=["F", "2"], then=Value("F")),
        default=Value("U"),
        output_field=CharField(),
    )


SEX_CODES = {"M": ["M", "1"], "F": ["F", "2"], "U": ["U"]}
