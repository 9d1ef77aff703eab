"""Applying an SSD extract: one run, all or nothing.

The run reads every table first (ssd.reader), then applies them in ssd.tables.APPLY_ORDER inside
one transaction. Each SSD row is matched on (table, SSD id) through ssd.SourceRecord; a row whose
mapped values hash the same as last time is skipped without touching its record, so a run with
nothing new writes nothing (no version, no history row). A row that cannot be mapped is refused
naming its file and line; a real run with any refused row is rolled back whole, and a dry run is
always rolled back. Records gone from a table the extract holds are flagged (and allocations
closed), never deleted. Counts per table: add, change, close, reject, unchanged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from ssd.models import SourceRecord
from ssd.reader import Extract, Refusal, Row

REPORT_ROWS = 5000  # rejected rows and unmapped codes kept for the downloads


@dataclass
class Outcome:
    counts: dict = field(default_factory=dict)
    rejected: list[Refusal] = field(default_factory=list)
    unmapped: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.rejected


class _Rollback(Exception):
    pass


@dataclass
class Link:
    pk: int | None
    object_id: int
    row_hash: str
    removed: bool


class Context:
    """What one run knows while it applies: the links so far, counts, refusals, unmapped codes
    and conflicts, and the per-authority choices (involvement roles)."""

    def __init__(self, extract: Extract, *, roles: dict[str, str], progress: Callable, run=None):
        self.extract = extract
        self.roles = {k.strip().upper(): v for k, v in roles.items()}
        self.progress = progress
        self.run = run
        self.today = timezone.localdate()
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.rejected: list[Refusal] = list(extract.refusals)
        for refusal in extract.refusals:
            table = refusal.file.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
            self.counts[table]["reject"] += 1
        self.unmapped: dict[tuple[str, str, str], dict] = {}
        self.conflicts: list[dict] = []
        self.notes: list[str] = []
        self.seen: dict[str, set[str]] = defaultdict(set)
        self.changed_children: set[int] = set()
        self.period_of_episode_row: dict[str, tuple[str, int]] = {}
        self.team_ids: dict[str, int] = {}
        self.links: dict[tuple[str, str], Link] = {}
        self._ct: dict = {}
        self.pending: dict[tuple[str, str], SourceRecord] = {}
        self.locations: dict[str, str] = {}
        for rec in SourceRecord.objects.values_list(
            "id", "table", "ssd_id", "object_id", "row_hash", "removed_at_source"
        ).iterator(chunk_size=5000):
            self.links[(rec[1], rec[2])] = Link(rec[0], rec[3], rec[4], rec[5])

    # --- reporting ---------------------------------------------------------------------------
    def refuse(self, table: str, row: Row, reason: str, column: str = "") -> None:
        self.rejected.append(Refusal(row.file, row.line, row.key, reason, column))
        self.counts[table]["reject"] += 1

    def unmapped_code(self, table: str, row: Row, column: str, code: str) -> None:
        key = (table, column, code)
        entry = self.unmapped.setdefault(
            key,
            {
                "table": table,
                "column": column,
                "code": code,
                "rows": 0,
                "first_file": row.file,
                "first_line": row.line,
            },
        )
        entry["rows"] += 1

    def conflict(self, table: str, ssd_id: str, fieldname: str, service, source, rule: str):
        self.conflicts.append(
            {
                "table": table,
                "ssd_id": ssd_id,
                "field": fieldname,
                "service_value": str(service),
                "source_value": str(source),
                "rule": rule,
            }
        )

    def parse(self, table: str, row: Row, fields) -> dict | None:
        """The row's mapped values, or None after refusing it (unknown codes listed too)."""
        from ssd.mapping import parse_fields

        values, problems = parse_fields(fields, row.values)
        for column, reason, code in problems:
            if code:
                self.unmapped_code(table, row, column, code)
            self.refuse(table, row, reason, column)
        return None if problems else values

    # --- links -------------------------------------------------------------------------------
    def content_type(self, model):
        if model not in self._ct:
            self._ct[model] = ContentType.objects.get_for_model(model)
        return self._ct[model]

    def link(self, table: str, ssd_id: str) -> Link | None:
        self.seen[table].add(ssd_id)
        return self.links.get((table, ssd_id))

    def unchanged(self, table: str, ssd_id: str, digest: str) -> Link | None:
        """The link when the row is as last time (counted unchanged), else None."""
        link = self.link(table, ssd_id)
        if link is not None and link.row_hash == digest and not link.removed:
            self.counts[table]["unchanged"] += 1
            return link
        return None

    def record(
        self, table: str, ssd_id: str, obj, digest: str, *, created: bool, count: str = ""
    ) -> None:
        """Keep the link from the SSD row to the saved record, counted as an add or change (or
        as `count`: a conflict keeps the service's record and only moves the link on)."""
        link = self.links.get((table, ssd_id))
        if link is not None and link.pk is not None:
            SourceRecord.objects.filter(pk=link.pk).update(
                object_id=obj.pk,
                row_hash=digest,
                removed_at_source=False,
                removed_on=None,
                content_type=self.content_type(type(obj)),
            )
            link.object_id, link.row_hash, link.removed = obj.pk, digest, False
        else:
            # New links are written together (flush after each step), thousands an insert.
            self.pending[(table, ssd_id)] = SourceRecord(
                table=table,
                ssd_id=ssd_id,
                content_type=self.content_type(type(obj)),
                object_id=obj.pk,
                row_hash=digest,
                first_run=self.run,
            )
            if link is None:
                self.links[(table, ssd_id)] = Link(None, obj.pk, digest, False)
            else:
                link.object_id, link.row_hash = obj.pk, digest
        self.counts[table][count or ("add" if created else "change")] += 1

    def flush(self) -> None:
        """Write the links made since the last flush."""
        made = SourceRecord.objects.bulk_create(self.pending.values(), batch_size=2000)
        for rec in made:  # PostgreSQL returns the ids: later updates in this run find them
            self.links[(rec.table, rec.ssd_id)].pk = rec.pk
        self.pending.clear()

    def placement_location(self, postcode: str) -> str:
        """In or out of the authority from the postcode (iro.postcodes), once per postcode."""
        from iro.postcodes import placement_location

        if postcode not in self.locations:
            self.locations[postcode] = placement_location(postcode)
        return self.locations[postcode]

    def object_id(self, table: str, ssd_id: str) -> int | None:
        link = self.links.get((table, ssd_id))
        return None if link is None or link.removed else link.object_id


def apply_extract(
    extract: Extract,
    *,
    dry_run: bool,
    roles: dict[str, str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    run=None,
) -> Outcome:
    """Apply the extract (all or nothing; a dry run always rolls back) and say what it did."""
    from ssd.mapping import care, people, reviews, staff

    ctx = Context(extract, roles=roles or {}, progress=progress or (lambda d, t, s: None), run=run)
    steps = [
        ("staff", staff.apply),
        ("people", people.apply),
        ("care", care.apply),
        ("allocations", staff.apply_involvements),
        ("reviews", reviews.apply),
        ("removed at source", close_removed),
    ]
    written = False
    try:
        with transaction.atomic():
            for index, (stage, step) in enumerate(steps):
                ctx.progress(index, len(steps), stage)
                step(ctx)
                ctx.flush()
            ctx.progress(len(steps), len(steps), "done")
            if dry_run or ctx.rejected:
                raise _Rollback
            written = True
    except _Rollback:
        pass
    return Outcome(
        counts={t: dict(c) for t, c in sorted(ctx.counts.items())},
        rejected=sorted(ctx.rejected, key=lambda r: (r.file, r.line, r.reason)),
        unmapped=sorted(ctx.unmapped.values(), key=lambda u: (u["table"], u["column"], u["code"])),
        conflicts=ctx.conflicts,
        notes=ctx.notes,
        written=written,
    )


def close_removed(ctx: Context) -> None:
    """Rows gone from a table the extract holds: flag their link (and end an open allocation on
    the day of the run). Nothing is deleted; a table missing from the extract removes nothing."""
    from iro.models import Allocation

    for table in ctx.extract.tables:
        gone = [
            (ssd_id, link)
            for (t, ssd_id), link in ctx.links.items()
            if t == table and not link.removed and ssd_id not in ctx.seen[table]
        ]
        for _ssd_id, link in gone:
            if link.pk is None:
                continue
            SourceRecord.objects.filter(pk=link.pk).update(
                removed_at_source=True, removed_on=ctx.today
            )
            link.removed = True
            if table == "ssd_involvements":
                allocation = Allocation.objects.filter(pk=link.object_id, end__isnull=True).first()
                if allocation is not None:
                    allocation.end = max(ctx.today, allocation.start)
                    allocation.end_reason = "Removed from the case system's extract"
                    allocation.save(update_fields=["end", "end_reason"])
            ctx.counts[table]["close"] += 1
