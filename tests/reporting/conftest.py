"""Test-only figures covering each shape a figure can take (monthly series, breakdowns,
percentages with targets, LIST tables, EXT benchmarks), registered for one test and removed after.

They count care episodes that start a period of care (RNE S) in the period, so that tests can
craft them with CareEpisodeFactory.
"""

import pytest
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from iro.codes import Sex
from iro.models import CareEpisode
from reporting.figures import REGISTRY, Kind, Period, Result, figure, pct

TEST_IDS = ["TST-01", "TST-02", "TST-03", "TST-04"]
EPISODE_COLUMNS = (
    ("LA child ID", "child__la_child_id"),
    ("Name", "child__first_name"),
    ("Started", "start"),
)


def starters(period: Period):
    return CareEpisode.objects.filter(
        reason_new_episode="S", start__gte=period.start, start__lte=period.end
    )


def _months(period: Period, qs) -> dict:
    counts = {
        row["m"].strftime("%Y-%m"): row["n"]
        for row in qs.annotate(m=TruncMonth("start")).values("m").annotate(n=Count("pk"))
    }
    return {key: counts.get(key, 0) for key in period.month_keys}


def _register():
    @figure(
        "TST-01",
        title="Test starters",
        kind=Kind.COUNT,
        section="children_in_care",
        unit="children",
        better="neither",
        labels=Sex,  # its breakdown keys are sex codes: they read "Male", "Female"
    )
    def starters_count(period: Period) -> Result:
        """Test only: periods of care starting in the period, by sex and month."""
        qs = starters(period)
        by_sex = dict(qs.values_list("child__sex").annotate(n=Count("pk")).order_by("child__sex"))
        return Result(
            value=qs.count(),
            breakdown={"M": by_sex.get("M", 0), "F": by_sex.get("F", 0)},
            months=_months(period, qs) if period.kind == "year" else None,
        )

    @starters_count.rows(columns=EPISODE_COLUMNS)
    def _(period, cell):
        qs = starters(period).order_by("start", "pk")
        if cell in ("M", "F"):
            return qs.filter(child__sex=cell)
        if cell and len(cell) == 7:
            year, month = cell.split("-")
            return qs.filter(start__year=int(year), start__month=int(month))
        return qs

    @figure(
        "TST-02",
        title="Test starters who are girls",
        kind=Kind.PCT,
        section="reviews",
        unit="%",
        target=80,
        better="higher",
    )
    def girls(period: Period) -> Result:
        """Test only: percentage of starters who are girls."""
        agg = starters(period).aggregate(n=Count("pk"), f=Count("pk", filter=Q(child__sex="F")))
        return Result(value=pct(agg["f"], agg["n"]), numerator=agg["f"], denominator=agg["n"])

    @girls.rows(columns=EPISODE_COLUMNS)
    def _(period, cell):
        qs = starters(period).order_by("start", "pk")
        return qs if cell == "denominator" else qs.filter(child__sex="F")

    @figure("TST-03", title="Test list of starters", kind=Kind.LIST, section="child_protection")
    def listing(period: Period) -> Result:
        """Test only: the starters, listed."""
        rows = [
            list(r)
            for r in starters(period)
            .order_by("start", "pk")
            .values_list("child__la_child_id", "start")
        ]
        return Result(value=len(rows), columns=["LA child ID", "Started"], table=rows)

    @figure(
        "TST-04",
        title="Test England benchmark",
        kind=Kind.EXT,
        section="child_protection",
        better="lower",
    )
    def benchmark(period: Period) -> Result:
        """Test only: an imported value, shown beside ours from reporting.Benchmark."""
        return Result(note="Imported value")


@pytest.fixture
def test_figures():
    _register()
    yield [REGISTRY[i] for i in TEST_IDS]
    for fid in TEST_IDS:
        REGISTRY.pop(fid, None)
