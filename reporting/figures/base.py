"""The figure library's building blocks: periods, results, and the registry of figures.

Every figure that the service computes is one function registered here under its catalogue
id (``REV-03``), computed in PostgreSQL and returning a :class:`Result` of plain data. The same
``Result`` feeds the annual report page, the charts, the XLSX/CSV/.docx exports,
``annual_report --json``, the scorecard and frozen snapshots (stored as its JSON).

A figure may also say which records stand behind its number (``@fig.rows``), for drill-down: the
rows for cell ``None`` are the records counted in ``value`` (a count) or ``numerator`` (a
percentage); ``"denominator"`` gives the denominator's records; a breakdown key (``"M"``,
``"under 1"``) or a month (``"2024-05"``) gives the records behind that cell. Row counts add up
to the number they stand behind (tested for every figure).
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet

from iro.db_router import reporting_alias, reporting_connection, reporting_reads

# The annual report's sections, in the order the seed reports use; a figure names its section.
SECTIONS: dict[str, str] = {
    "children_in_care": "Children in care",
    "placements": "Placements and stability",
    "leaving_care": "Leaving care",
    "reviews": "Reviews",
    "review_records": "Review records",
    "caseloads": "Caseloads and staffing",
    "allocation": "Allocation",
    "child_protection": "Child protection",
    "quality": "Monitoring and quality assurance",
    "disputes": "Disputes and IRO concerns",
    "feedback": "Feedback from children and families",
    "scorecard": "Scorecard measures",
}


class Kind(StrEnum):
    COUNT = "COUNT"
    PCT = "PCT"
    RATE = "RATE"
    MEAN = "MEAN"
    MODE = "MODE"
    MAX = "MAX"
    LIST = "LIST"
    EXT = "EXT"


class Better(StrEnum):
    """Which way is good, for RAG and direction of travel."""

    HIGHER = "higher"
    LOWER = "lower"
    NEITHER = "neither"


@dataclass(frozen=True, order=True)
class Period:
    """An inclusive date range: a reporting year (1 April to 31 March), a month or a window."""

    start: date
    end: date
    kind: str = "window"

    @classmethod
    def year(cls, start_year: int) -> Period:
        """The reporting year that starts on 1 April of `start_year` (2024 = 2024/25)."""
        return cls(date(start_year, 4, 1), date(start_year + 1, 3, 31), "year")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return cls(date(year, month, 1), nxt - timedelta(days=1), "month")

    @classmethod
    def containing(cls, day: date) -> Period:
        """The reporting year that contains `day`."""
        return cls.year(day.year if day.month >= 4 else day.year - 1)

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.start.year}-{str(self.start.year + 1)[2:]}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    @property
    def title(self) -> str:
        if self.kind == "year":
            return f"{self.start.year}/{str(self.start.year + 1)[2:]}"
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    def previous(self) -> Period:
        """The same kind of period just before this one (the year before, the month before)."""
        if self.kind == "year":
            return Period.year(self.start.year - 1)
        if self.kind == "month":
            prev = self.start - timedelta(days=1)
            return Period.month(prev.year, prev.month)
        length = self.end - self.start
        return Period(self.start - length - timedelta(days=1), self.start - timedelta(days=1))

    def months(self) -> list[Period]:
        """The calendar months this period covers, in order (April to March for a year)."""
        out, y, m = [], self.start.year, self.start.month
        while date(y, m, 1) <= self.end:
            out.append(Period.month(y, m))
            y, m = y + (m == 12), m % 12 + 1
        return out

    @property
    def month_keys(self) -> list[str]:
        return [p.label for p in self.months()]


Number = int | float | Decimal | None


@dataclass
class Result:
    """A figure's value for one period, as plain data.

    - ``value``: the headline number (a count is an ``int``; a percentage is 0-100, 1 decimal).
    - ``numerator`` / ``denominator``: for percentages and rates.
    - ``breakdown``: counts (or values) keyed by DfE code or band label, in display order.
    - ``months``: a monthly series keyed ``YYYY-MM``.
    - ``table``: for LIST figures and multi-column tables, ``columns`` and ``rows``.
    - ``note``: anything the reader must know (e.g. a stated choice of definition).
    """

    value: Number = None
    numerator: Number = None
    denominator: Number = None
    breakdown: dict[str, Any] | None = None
    months: dict[str, Any] | None = None
    columns: list[str] | None = None
    table: list[list[Any]] | None = None
    note: str = ""

    def as_dict(self) -> dict:
        data = {k: _plain(v) for k, v in asdict(self).items()}
        return {k: v for k, v in data.items() if v not in (None, "")}


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def pct(numerator: Number, denominator: Number, places: int = 1) -> float | None:
    """A percentage rounded to `places`, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return round(100 * float(numerator or 0) / float(denominator), places)


def rate_per_10k(count: Number, population: Number, places: int = 1) -> float | None:
    if not population:
        return None
    return round(10_000 * float(count or 0) / float(population), places)


RowsFn = Callable[[Period, str | None], QuerySet]


@dataclass
class Figure:
    """One registered figure: its catalogue id, how it is shown, and how it is computed."""

    id: str
    title: str
    kind: Kind
    section: str
    compute_fn: Callable[[Period], Result]
    unit: str = ""
    target: float | None = None
    better: Better = Better.HIGHER
    # The period the figure covers, in words ("on 31 March", "in the year", "each month").
    covers: str = "in the year"
    # Drill-down: a function (period, cell) -> queryset, the columns to show as
    # (heading, lookup) pairs for .values_list(), and the lookup path from a row to its child
    # ("" when the rows are children), so that iro/access.py can filter the rows.
    rows_fn: RowsFn | None = None
    row_columns: tuple[tuple[str, str], ...] = ()
    child_path: str | None = None
    doc: str = ""
    extra: dict = field(default_factory=dict)

    def compute(self, period: Period) -> Result:
        # Reporting reads: on the replica when one is configured (iro.db_router).
        with reporting_reads():
            return self.compute_fn(period)

    def rows(self, fn: RowsFn | None = None, *, columns=(), child_path: str | None = "child"):
        """Decorator: registers the records behind the figure's numbers."""

        def register(rows_fn: RowsFn) -> RowsFn:
            self.rows_fn = rows_fn
            self.row_columns = tuple(columns)
            self.child_path = child_path
            return rows_fn

        return register(fn) if fn is not None else register

    @property
    def has_rows(self) -> bool:
        return self.rows_fn is not None

    def records(self, period: Period, cell: str | None = None) -> QuerySet:
        if self.rows_fn is None:
            raise LookupError(f"{self.id} has no drill-down rows")
        return self.rows_fn(period, cell)


REGISTRY: dict[str, Figure] = {}


def figure(
    figure_id: str,
    *,
    title: str,
    kind: Kind | str,
    section: str,
    unit: str = "",
    target: float | None = None,
    better: Better | str = Better.HIGHER,
    covers: str = "in the year",
    **extra,
) -> Callable[[Callable[[Period], Result]], Figure]:
    """Registers a function as the figure `figure_id`. Its docstring is the definition."""

    def register(fn: Callable[[Period], Result]) -> Figure:
        if section not in SECTIONS:
            raise ValueError(f"figure {figure_id}: unknown section {section!r}")
        if figure_id in REGISTRY:
            raise ValueError(f"figure {figure_id} is registered twice")
        fig = Figure(
            id=figure_id,
            title=title,
            kind=Kind(kind),
            section=section,
            compute_fn=fn,
            unit=unit,
            target=target,
            better=Better(better),
            covers=covers,
            doc=(fn.__doc__ or "").strip(),
            extra=extra,
        )
        REGISTRY[figure_id] = fig
        functools.update_wrapper(fig, fn, updated=())  # type: ignore[arg-type]  # an object, not a function
        return fig

    return register


def breakdown_labels(fig: Figure, keys) -> dict[str, str]:
    """What a person reads for each breakdown key of `fig`: the figure declares where its keys
    come from with ``labels=`` (a DfE code list of iro.codes, read through iro.codes.code_label,
    or a dict for keys of its own, such as DR-04's stages); keys it does not cover are words
    already ("under 1 year") and have no entry."""
    from iro.codes import code_label

    declared = fig.extra.get("labels")
    out: dict[str, str] = {}
    for key in keys:
        key = str(key)
        if isinstance(declared, dict):
            if key in declared:
                out[key] = declared[key]
        elif declared is not None and key in declared.values:
            out[key] = code_label(declared, key)
    return out


def figures_in(section: str) -> list[Figure]:
    """The figures of a section, in the order they were registered (their catalogue order)."""
    return [f for f in REGISTRY.values() if f.section == section]


def get_figure(figure_id: str) -> Figure:
    try:
        return REGISTRY[figure_id]
    except KeyError:
        raise LookupError(f"no figure {figure_id}") from None


# --- Shared base sets ----------------------------------------------------------------------------
# Figures that read the same base set (children looked after on 31 March, reviews held in the
# year) call one `@shared` function, which runs its query once per period within a report run
# (`computing()`), so a report of ninety figures does not repeat the same scan ninety times.

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("figure_memo", default=None)


@contextmanager
def computing() -> Iterator[None]:
    """Within this block, `@shared` base-set queries run once per (function, arguments)."""
    token = _memo.set({}) if _memo.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _memo.reset(token)


def shared(fn: Callable) -> Callable:
    """Memoises a base-set query for the length of a `computing()` block (or not at all)."""

    @functools.wraps(fn)
    def wrapper(*args):
        memo = _memo.get()
        if memo is None:
            return fn(*args)
        key = (fn.__module__, fn.__qualname__, args)
        if key not in memo:
            memo[key] = fn(*args)
        return memo[key]

    return wrapper


def compute_many(
    ids: list[str],
    period: Period,
    *,
    previous: bool = True,
    previous_period: Period | None = None,
    workers: int | None = None,
) -> dict[str, dict]:
    """Computes the figures `ids` for `period` (and the period before, or `previous_period`) in
    one shared run: ``{id: {"figure", "result", "previous"}}``.

    The two periods are computed side by side on two database connections when the settings allow
    it (``REPORT_WORKERS``, default 2; ``workers`` overrides it), both reading one exported
    snapshot, so the year and the year before see the same data however long the run takes.
    """
    periods = [period]
    if previous_period is not None:
        periods.append(previous_period)
    elif previous:
        periods.append(period.previous())
    with computing(), reporting_reads():
        results = _compute_periods(ids, periods, workers)
    out: dict[str, dict] = {}
    for fid in ids:
        entry = {"figure": get_figure(fid), "result": results[0][fid]}
        if len(periods) > 1:
            entry["previous"] = results[1][fid]
        out[fid] = entry
    return out


def _compute_one_period(ids: list[str], period: Period) -> dict[str, Result]:
    return {fid: get_figure(fid).compute(period) for fid in ids}


def _parallel_allowed(ids: list[str], periods: list[Period], workers: int | None) -> bool:
    from django.conf import settings

    connection = reporting_connection()
    if workers is None:
        workers = getattr(settings, "REPORT_WORKERS", 2)
    # Other connections cannot see an open transaction's writes (a test's, or a caller's atomic
    # block), so the run stays on this connection there; and a handful of figures is not worth
    # a second connection.
    return (
        workers > 1
        and len(periods) > 1
        and len(ids) >= PARALLEL_MIN_FIGURES
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )


# Fewer figures than this are computed on one connection: opening a second costs more than it saves.
PARALLEL_MIN_FIGURES = 8
_SNAPSHOT_SETUP = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
# The run already keeps the cores busy with one connection per period: PostgreSQL's own parallel
# workers would only compete with them (and cost a process start each).
_NO_PARALLEL_QUERY = "SET LOCAL max_parallel_workers_per_gather = 0"


def _compute_periods(
    ids: list[str], periods: list[Period], workers: int | None
) -> list[dict[str, Result]]:
    if not _parallel_allowed(ids, periods, workers):
        return [_compute_one_period(ids, p) for p in periods]

    from concurrent.futures import ThreadPoolExecutor

    from django.db import transaction

    # The reporting connection (the replica when configured): both periods read one snapshot of it.
    alias = reporting_alias()
    connection = reporting_connection()

    def other_period(snapshot: str, period: Period) -> dict[str, Result]:
        # A new thread gets its own connection (Django's are per thread); it reads the snapshot
        # the calling connection exported, then closes.
        try:
            with transaction.atomic(using=alias):
                with reporting_connection().cursor() as cursor:
                    cursor.execute(_SNAPSHOT_SETUP)
                    cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
                    cursor.execute(_NO_PARALLEL_QUERY)
                return _compute_one_period(ids, period)
        finally:
            reporting_connection().close()

    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            cursor.execute(_SNAPSHOT_SETUP)
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            cursor.execute(_NO_PARALLEL_QUERY)
        # The worker shares this run's memo of base sets (the context is copied, the memo dict is
        # the same object); the periods differ, so the two never compute the same entry.
        context = contextvars.copy_context()
        with ThreadPoolExecutor(max_workers=len(periods) - 1) as pool:
            futures = [pool.submit(context.run, other_period, snapshot, p) for p in periods[1:]]
            first = _compute_one_period(ids, periods[0])
            return [first, *(f.result() for f in futures)]
