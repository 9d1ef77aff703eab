"""SSDA903 import: one or several years' return CSVs into children, episodes and held reviews.

Rules:
- Each year's files are read and checked first; the years are applied oldest first (a year's
  age is its latest date). Nothing is written unless every row of every year passes: the import
  is all-or-nothing, with a refusal for every bad row (file, line, child, reason).
- Children are matched on CHILD (LA child ID), episodes on child and DECOM, reviews on child and
  review date, so importing the same files again changes nothing.
- An episode written without an end (open on 31 March) does not clear an end already recorded
  after that year, so importing last year's return after this year's loses nothing.
- The 903 holds no names: new children are named "Not recorded" with their LA child ID.
- A review's PN code (REVIEW_CODE) gives how the child took part and whether they attended
  (PN1-PN4 attended, PN5-PN7 did not; REV-05, REV-06). An episode's placement location
  (PL_LOCATION, in or out of the authority) comes from its placement postcode's authority, as the
  DfE derives it (PLC-06).
- Held reviews get their due date and sequence from reviews.rules, as if held in the service,
  and the child's next review is then recomputed by the reviews app's own service. Reviews
  imported are marked as coming from the return (Review.source): what the return does not carry
  (permanence plan, venue, the IRO's work) is not known rather than absent.
- A review's place in the period of care (first, second, subsequent) and so its due date are
  known when the period began inside the imported years, or when two reviews of the period are on
  record before it (then it is a subsequent review, due 6 months after the one before), or one
  recorded as the first. Otherwise the period began before the earliest file, whose reviews are
  not on record, and the review is marked "not known" (ReviewSequence.NOT_KNOWN); its due date is
  then only an estimate (the reviews due before the files taken as held on their due dates) and
  the timeliness figures leave it out and say how many (REV-03, REV-04; docs/rules.md section 1).
- When a period of care has ended, the review then due is worked out from every review held in
  the period (including those of later files) and kept as missed only if it fell due while the
  child was looked after, as the service does when care ends.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone

from iro import date_bounds
from iro import episode_rules as rules
from iro.codes import (
    CategoryOfNeed,
    Ethnicity,
    LegalStatus,
    ParticipationCode,
    PlacementProvider,
    PlacementType,
    ReasonCeased,
    ReasonNewEpisode,
    ReasonPlaceChange,
    Sex,
)
from iro.csv_input import CountingReader as _CountingReader
from iro.csv_input import encoding_of as _encoding_of
from iro.csv_input import human_size as _size
from iro.models import CareEpisode, Child
from iro.postcodes import episode_distance, placement_location
from iro.rules import age_on, normalise_postcode
from reporting.returns.ssda903 import COLUMNS, DATE_FORMAT, eighteenth_birthday
from reviews import rules as review_rules
from reviews.models import OPEN_STATUSES, Review, ReviewSequence, ReviewSource, ReviewStatus
from reviews.services import reviews_recompute

IMPORTED_FIRST_NAME = "Not recorded"
TABLES = ("Header", "Episodes", "Reviews", "UASC")


@dataclass(frozen=True)
class Refusal:
    """A refused row (line 0: the file or upload as a whole), with the column at fault."""

    file: str
    line: int
    child: str
    reason: str
    field: str = ""

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "child": self.child,
            "field": self.field,
            "reason": self.reason,
        }


class UploadRefused(Exception):
    """The upload as a whole cannot be read: not a zip or CSV file, a damaged zip, over one of
    the limits, or text in an encoding that cannot be read. Reading stops at once (before a
    crafted file can fill memory) and nothing is written."""

    def __init__(self, reason: str, file: str = ""):
        super().__init__(reason)
        self.refusal = Refusal(file, 0, "", reason)


@dataclass(frozen=True)
class Limits:
    """What one upload may hold (settings RETURN_IMPORT_MAX_*)."""

    upload_bytes: int
    members: int
    bytes: int
    rows: int

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        return cls(
            upload_bytes=settings.RETURN_IMPORT_MAX_UPLOAD_BYTES,
            members=settings.RETURN_IMPORT_MAX_MEMBERS,
            bytes=settings.RETURN_IMPORT_MAX_BYTES,
            rows=settings.RETURN_IMPORT_MAX_ROWS,
        )

    def describe(self) -> list[str]:
        """The limits in words, for the upload page."""
        return [
            f"a zip of CSV files, or one CSV file, of at most {_size(self.upload_bytes)}",
            f"at most {self.members:,} files in the zip",
            f"at most {_size(self.bytes)} of CSV once unzipped",
            f"at most {self.rows:,} rows in all",
            "text in UTF-8 (Windows-1252, and UTF-16 with a byte-order mark, are also read)",
        ]


@dataclass
class Row:
    file: str
    line: int
    values: dict


@dataclass
class YearFiles:
    """One year's return: its rows by table, and what was refused while reading it."""

    label: str
    tables: dict[str, list[Row]] = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)

    @property
    def latest(self) -> date:
        found = [date.min]
        for table, rows in self.tables.items():
            key = {"Episodes": "DECOM", "Reviews": "REVIEW"}.get(table)
            found += [r.values[key] for r in rows if key and isinstance(r.values.get(key), date)]
        return max(found)


@dataclass
class ImportResult:
    counts: dict = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    # Records the files held that were already stored exactly so (children, episodes, reviews).
    unchanged: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.refusals


CODES = {
    "SEX": {c for c in Sex.values},
    "ETHNIC": set(Ethnicity.values),
    "RNE": set(ReasonNewEpisode.values),
    "LS": set(LegalStatus.values),
    "CIN": set(CategoryOfNeed.values),
    "PLACE": set(PlacementType.values),
    "PLACE_PROVIDER": set(PlacementProvider.values),
    "REC": set(ReasonCeased.values),
    "REASON_PLACE_CHANGE": set(ReasonPlaceChange.values),
    "REVIEW_CODE": set(ParticipationCode.values),
    "MOTHER": {"0", "1"},
}
DATES = {"DOB", "MC_DOB", "DECOM", "DEC", "REVIEW", "DUC"}
BIRTH_DATES = {"DOB", "MC_DOB"}
REQUIRED = {
    "Header": {"CHILD", "SEX", "DOB", "ETHNIC"},
    "Episodes": {"CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE"},
    "Reviews": {"CHILD", "REVIEW", "REVIEW_CODE"},
    "UASC": {"CHILD"},
}


def _table_for(name: str, header: list[str]) -> tuple[str | None, list[str]]:
    """The 903 table a file holds, from its columns (or its name), and any missing columns."""
    present = {h.strip().upper() for h in header}
    for table, columns in COLUMNS.items():
        if set(columns) <= present:
            return table, []
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    for table, columns in COLUMNS.items():
        if table.lower() in stem:
            return table, [c for c in columns if c not in present]
    best = max(COLUMNS, key=lambda t: len(set(COLUMNS[t]) & present) / len(COLUMNS[t]))
    if len(set(COLUMNS[best]) & present) >= 3:
        return best, [c for c in COLUMNS[best] if c not in present]
    return None, []


def _parse_row(table: str, values: dict, today: date) -> tuple[dict, list[tuple[str, str]]]:
    """The row's values parsed, and its problems as (column, reason)."""
    parsed, problems = {}, []
    for column in COLUMNS[table]:
        raw = (values.get(column) or "").strip()
        if not raw:
            if column in REQUIRED[table]:
                problems.append((column, f"{column} is missing"))
            parsed[column] = None if column in DATES else ""
            continue
        if column in DATES:
            try:
                parsed[column] = datetime.strptime(raw, DATE_FORMAT).date()
            except ValueError:
                problems.append(
                    (column, f"malformed date in {column}: '{raw}' (expected DD/MM/YYYY)")
                )
                continue
            if column in BIRTH_DATES:
                problem = date_bounds.date_of_birth_problem(parsed[column], today)
                if problem:
                    problems.append((column, f"{column}: {problem}"))
            continue
        if column in CODES and raw.upper() not in CODES[column]:
            problems.append((column, f"unknown code in {column}: '{raw}'"))
            continue
        parsed[column] = raw.upper() if column in CODES else raw
    return parsed, problems


# A line of a 903 file is under 200 characters; a longer one is not a 903 row.
MAX_LINE_CHARS = 64 * 1024
TEXT_HELP = "save it as CSV UTF-8 (Windows-1252, and UTF-16 with a byte-order mark, are also read)"


# Refusals listed for one upload before reading stops (a file of one row repeated a million
# times is refused on its first thousand duplicates, not held in memory a million times).
MAX_REFUSALS = 1000


class _StopReading(Exception):
    """Enough rows were refused: the upload is not read further (it is refused as it stands)."""


class _Counter:
    """Bytes, rows and refusals so far in one upload, against the limits."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.bytes = 0
        self.rows = 0
        self.refusals = 0
        self.stopped = False

    def refused(self, n: int) -> bool:
        """Count refusals; True once there are too many to go on reading."""
        self.refusals += n
        self.stopped = self.refusals >= MAX_REFUSALS
        return self.stopped

    def add_bytes(self, n: int, name: str) -> None:
        self.bytes += n
        if self.bytes > self.limits.bytes:
            raise UploadRefused(
                f"the files hold more than {_size(self.limits.bytes)} of CSV once unzipped "
                "(the limit for one upload)",
                name,
            )

    def add_row(self, name: str) -> None:
        self.rows += 1
        if self.rows > self.limits.rows:
            raise UploadRefused(
                f"the files hold more than {self.limits.rows:,} rows (the limit for one upload)",
                name,
            )


def _lines(text: io.TextIOBase, name: str) -> Iterator[str]:
    while True:
        line = text.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
            raise UploadRefused(
                f"a line is longer than {MAX_LINE_CHARS:,} characters: this is not an SSDA903 "
                "CSV file",
                name,
            )
        yield line


def _read_stream(year: YearFiles, name: str, opener: Callable[[], BinaryIO], counter) -> None:
    """Read one CSV file into the year, streaming its rows: the encoding from a byte-order mark,
    else UTF-8, else Windows-1252 (the file is read again from the start)."""
    with opener() as probe:
        head = probe.read(4)
    marked = _encoding_of(head)
    for encoding in [marked] if marked else ["utf-8", "cp1252"]:
        rows_before, bytes_before = counter.rows, counter.bytes
        refusals_before = len(year.refusals)
        kept = {table: len(rows) for table, rows in year.tables.items()}
        refused_before = counter.refusals
        try:
            with opener() as raw:
                stream = io.BufferedReader(_CountingReader(raw, counter, name), 64 * 1024)
                text = io.TextIOWrapper(stream, encoding=encoding, newline="")
                _read_csv(year, name, csv.reader(_lines(text, name)), counter)
            return
        except _StopReading:
            return
        except UnicodeError:
            # Not this encoding: forget what was read and try the next one.
            counter.rows, counter.bytes = rows_before, bytes_before
            counter.refusals, counter.stopped = refused_before, False
            del year.refusals[refusals_before:]
            for table, rows in year.tables.items():
                del rows[kept.get(table, 0) :]
        except csv.Error as exc:
            raise UploadRefused(
                f"the file cannot be read as CSV ({exc}): {TEXT_HELP}", name
            ) from None
    raise UploadRefused(f"the file is not text in a known encoding: {TEXT_HELP}", name)


def _read_csv(year: YearFiles, name: str, reader, counter: _Counter) -> None:
    header = next(reader, [])
    if header and "\x00" in "".join(header):
        raise UploadRefused(
            f"the file holds NUL characters, so it is not CSV text: {TEXT_HELP}", name
        )
    table, missing = _table_for(name, header)
    if table is None:
        year.refusals.append(Refusal(name, 1, "", "not a Header, Episodes, Reviews or UASC file"))
        return
    if missing:
        year.refusals.append(
            Refusal(name, 1, "", f"missing column {', '.join(missing)} in the {table} file")
        )
        return
    today = timezone.localdate()
    columns = [h.strip().upper() for h in header]
    rows = year.tables.setdefault(table, [])
    first_row_of: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        counter.add_row(name)
        values = dict(zip(columns, cells, strict=False))
        parsed, problems = _parse_row(table, values, today)
        child = (values.get("CHILD") or "").strip()
        if table in ONE_ROW_PER_CHILD and child:
            if child in first_row_of:
                problems.append(
                    (
                        "CHILD",
                        f"child {child} is in the {table} file twice: rows "
                        f"{first_row_of[child]} and {line}",
                    )
                )
            else:
                first_row_of[child] = line
        for column, problem in problems:
            year.refusals.append(Refusal(name, line, child, problem, column))
        if not problems:
            rows.append(Row(name, line, parsed))
        elif counter.refused(len(problems)):
            year.refusals.append(
                Refusal(
                    name,
                    line,
                    "",
                    f"reading stopped after {MAX_REFUSALS:,} refused rows: correct these and "
                    "upload the files again",
                )
            )
            raise _StopReading


# Files that hold one row per child: a second row for the same child is refused (both named).
ONE_ROW_PER_CHILD = {"Header", "UASC"}


def read_year(label: str, files: dict[str, str]) -> YearFiles:
    """Parse one year's CSV files given as text ({name: text})."""
    year = YearFiles(label)
    counter = _Counter(Limits.from_settings())
    for name, text in sorted(files.items()):
        if counter.stopped:
            break
        data = text.encode("utf-8")
        _read_stream(year, name, lambda data=data: io.BytesIO(data), counter)
    return year


def read_upload(data: bytes, file_name: str, limits: Limits | None = None) -> list[YearFiles]:
    """The years in an upload: a zip (each folder of CSVs is one year; files at the top level
    are one year) or one CSV file. Sizes and counts are checked before anything is read (the
    zip's declared sizes) and again as it is read (actual bytes and rows); a breach raises
    UploadRefused with the reason in words."""
    limits = limits or Limits.from_settings()
    counter = _Counter(limits)
    archive = _checked_archive(data, file_name, limits)
    if archive is None:
        year = YearFiles(".")
        _read_stream(year, file_name, lambda: io.BytesIO(data), counter)
        return [year]
    with archive:
        csvs = _csv_members(archive)
        folders: dict[str, list[zipfile.ZipInfo]] = defaultdict(list)
        for info in csvs:
            folder = info.filename.rsplit("/", 1)[0] if "/" in info.filename else "."
            folders[folder].append(info)
        years = []
        for folder, infos in sorted(folders.items()):
            year = YearFiles(folder)
            for info in sorted(infos, key=lambda i: i.filename):
                if counter.stopped:
                    break
                try:
                    _read_stream(year, info.filename, lambda info=info: archive.open(info), counter)
                except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
                    raise UploadRefused(
                        f"the zip file is damaged or incomplete ({exc})", info.filename
                    ) from None
            years.append(year)
        return years


def _csv_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".csv")]


def _checked_archive(data: bytes, file_name: str, limits: Limits) -> zipfile.ZipFile | None:
    """The upload opened as a zip after the checks that need no reading (size, members, the
    sizes the zip declares), or None for a CSV file. Raises UploadRefused."""
    if len(data) > limits.upload_bytes:
        raise UploadRefused(f"the file is larger than {_size(limits.upload_bytes)}", file_name)
    is_zip = data[:4] == b"PK\x03\x04" or file_name.lower().endswith(".zip")
    if not is_zip:
        if not file_name.lower().endswith(".csv"):
            raise UploadRefused(
                "the file is neither a zip of SSDA903 CSV files nor a CSV file", file_name
            )
        if len(data) > limits.bytes:
            raise UploadRefused(f"the file is larger than {_size(limits.bytes)}", file_name)
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError):
        if data[:2] != b"PK":
            raise UploadRefused("the file is not a zip file", file_name) from None
        raise UploadRefused(
            "the zip file is damaged or incomplete (it may have been cut short while uploading)",
            file_name,
        ) from None
    members = archive.infolist()
    if len(members) > limits.members:
        archive.close()
        raise UploadRefused(
            f"the zip holds {len(members):,} files; at most {limits.members:,} are read", file_name
        )
    csvs = _csv_members(archive)
    if not csvs:
        archive.close()
        raise UploadRefused("the zip holds no CSV files", file_name)
    declared = sum(m.file_size for m in csvs)
    if declared > limits.bytes:
        archive.close()
        raise UploadRefused(
            f"the zip's CSV files would expand to {_size(declared)}; at most "
            f"{_size(limits.bytes)} are read",
            file_name,
        )
    return archive


def precheck_upload(data: bytes, file_name: str, limits: Limits | None = None) -> None:
    """The checks made before anything is read; raises UploadRefused."""
    archive = _checked_archive(data, file_name, limits or Limits.from_settings())
    if archive is not None:
        archive.close()


def read_zip(data: bytes) -> list[YearFiles]:
    """Years in a zip (see read_upload)."""
    return read_upload(data, "upload.zip")


def _rule_episode(values: dict, key) -> rules.Episode:
    return rules.Episode(
        start=values["DECOM"],
        reason_new_episode=values["RNE"],
        legal_status=values["LS"],
        category_of_need=values["CIN"],
        placement_type=values["PLACE"],
        placement_provider=values["PLACE_PROVIDER"],
        placement_postcode=values["PL_POST"],
        placement_urn=values["URN"],
        end=values["DEC"],
        reason_ceased=values["REC"],
        reason_place_change=values["REASON_PLACE_CHANGE"],
        key=key,
    )


@dataclass
class ChildPlan:
    """What one year's rows say about one child, merged with what is stored."""

    header: Row | None = None
    uasc: Row | None = None
    episodes: list[Row] = field(default_factory=list)
    reviews: list[Row] = field(default_factory=list)


class Importer:
    def __init__(self, years: list[YearFiles], progress: Callable[[int, int], None] | None = None):
        self.years = sorted(years, key=lambda y: y.latest)
        self.progress = progress or (lambda done, total: None)
        self.refusals: list[Refusal] = [r for y in self.years for r in y.refusals]
        self.counts = defaultdict(int)
        self.unchanged = defaultdict(int)

    def run(self) -> ImportResult:
        """Apply every year in one transaction, rolled back if any row was refused (rows that
        could not be read are refused up front; the others are still checked, so the report
        lists every bad row)."""
        result = ImportResult(years=[y.label for y in self.years])
        try:
            with transaction.atomic():
                self._apply_all()
                if self.refusals:
                    raise _Rollback
        except _Rollback:
            pass
        result.refusals = sorted(self.refusals, key=lambda r: (r.file, r.line, r.reason))
        result.counts = {} if result.refusals else dict(self.counts)
        result.unchanged = {} if result.refusals else dict(self.unchanged)
        return result

    def _apply_all(self) -> None:
        plans = []
        for year in self.years:
            by_child: dict[str, ChildPlan] = defaultdict(ChildPlan)
            for row in year.tables.get("Header", []):
                by_child[row.values["CHILD"]].header = row
            for row in year.tables.get("UASC", []):
                by_child[row.values["CHILD"]].uasc = row
            for row in year.tables.get("Episodes", []):
                by_child[row.values["CHILD"]].episodes.append(row)
            for row in year.tables.get("Reviews", []):
                by_child[row.values["CHILD"]].reviews.append(row)
            plans.append(by_child)
        total = sum(len(p) for p in plans)
        first = self.years[0].latest if self.years else date.min
        self.history_start = (
            date.min if first == date.min else date(first.year - (first.month < 4), 4, 1)
        )
        done = 0
        for year, by_child in zip(self.years, plans, strict=True):
            latest = year.latest
            self.year_end = date(latest.year + (1 if latest.month >= 4 else 0), 3, 31)
            existing = Child.objects.in_bulk(list(by_child), field_name="la_child_id")
            for la_id, plan in sorted(by_child.items()):
                self._apply_child(la_id, plan, existing.get(la_id))
                done += 1
                if done % 25 == 0 or done == total:
                    self.progress(done, total)

    def _refuse(self, row: Row, reason: str, column: str = "") -> None:
        self.refusals.append(
            Refusal(row.file, row.line, row.values.get("CHILD", ""), reason, column)
        )

    def _apply_child(self, la_id: str, plan: ChildPlan, child: Child | None) -> None:
        if child is None and plan.header is None:
            for row in plan.episodes + plan.reviews + ([plan.uasc] if plan.uasc else []):
                self._refuse(row, "child not in the Header file and not already recorded", "CHILD")
            return
        if plan.header is not None:
            h = plan.header.values
            created = child is None
            if created:
                child = Child(la_child_id=la_id, first_name=IMPORTED_FIRST_NAME, last_name=la_id)
            before = _child_state(child)
            child.sex = h["SEX"]
            child.date_of_birth = h["DOB"]
            child.ethnicity = h["ETHNIC"]
            if h["UPN"] and not h["UPN"].upper().startswith("UN"):
                child.upn = h["UPN"]
            child.mother = None if h["MOTHER"] == "" else h["MOTHER"] == "1"
            child.mother_child_dob = h["MC_DOB"]
            if plan.uasc is not None:
                child.uasc = True
                duc = plan.uasc.values["DUC"]
                # No DUC, or the 18th birthday after the year's end (the date the status will end
                # by law, which the export writes for a child still UASC), says the child was
                # still UASC at the year's end: a date recorded after it (from a later year's
                # file) stays, so the years can come in any order and again without changing.
                if duc is None or (
                    h["DOB"] and duc == eighteenth_birthday(h["DOB"]) and duc > self.year_end
                ):
                    stored = child.uasc_ceased
                    duc = stored if stored and stored > self.year_end else None
                child.uasc_ceased = duc
            if created:
                self.counts["children created"] += 1
                child.save()
            elif _child_state(child) != before:
                # Saved only when something changed: an identical re-import writes no version
                # and no history row.
                self.counts["children updated"] += 1
                child.save()
            else:
                self.unchanged["children"] += 1
        self._apply_episodes(child, plan.episodes)
        self._apply_reviews(child, plan.reviews)
        if plan.episodes or plan.reviews:
            self._place_stored(child)
            self._settle_ended_periods(child)
            self._mark_open_review(child, reviews_recompute(child=child))

    def _mark_open_review(self, child: Child, review: Review | None) -> None:
        """The next review, worked out by the service from the reviews on record, is marked "not
        known" when the reviews before it cannot place it (see _placed); its due date stands as
        the service's estimate for the schedule."""
        if review is None or review.status not in OPEN_STATUSES:
            return
        if review.sequence == ReviewSequence.ADDITIONAL:
            return
        episodes = list(CareEpisode.objects.filter(child=child).order_by("start", "id"))
        period = review_rules.period_for_reviews(episodes)
        if period is None:
            return
        earlier = list(
            Review.objects.filter(
                child=child, status=ReviewStatus.HELD, held_on__gte=period.start
            ).order_by("held_on")
        )
        if not self._placed(period, earlier):
            sequence = ReviewSequence.NOT_KNOWN
        elif review.sequence == ReviewSequence.NOT_KNOWN:
            # Marked by an earlier run; the reviews now on record place it (reviews.rules).
            sequence = review_rules.sequence_for(len(earlier))
        else:
            return
        if review.sequence != sequence:
            review.sequence = sequence
            review.save(update_fields=["sequence", "updated_at"])

    def _placed(self, period, earlier: list[Review]) -> bool:
        """Whether the place in the period of care of the review after `earlier` (the period's
        reviews held before it, on record, in date order) is known: the period began inside the
        imported years, or two reviews before it are on record (then it is a subsequent review,
        due 6 months after the latest: reviews.rules), or one recorded as the period's first (then
        it is the second). Otherwise reviews held before the earliest file may exist and are not
        on record, so neither its sequence nor its due date is known."""
        if period.start >= self.history_start or len(earlier) >= 2:
            return True
        return len(earlier) == 1 and earlier[0].sequence == ReviewSequence.FIRST

    def _assumed_before_history(self, period, held) -> list[date]:
        """The reviews taken as held before the imported history, for a period of care that began
        before it: the earliest file holds only the reviews of its own year, so without these the
        first review imported would count as the period's first (and the next one fall due three
        months later instead of six). With no review on record before the history starts, each
        review that fell due before then is taken as held on its due date."""
        if period.start >= self.history_start or any(
            period.start <= d < self.history_start for d in held
        ):
            return []
        assumed: list[date] = []
        while True:
            nxt = review_rules.next_review_due(
                period_start=period.start,
                held=assumed,
                authority_from=period.authority_from,
                placed_on=period.placed_on,
            )
            if nxt.due >= self.history_start or (period.end and nxt.due >= period.end):
                return assumed
            assumed.append(nxt.due)

    def _settle_ended_periods(self, child: Child) -> None:
        """Settle the review due when each period of care ended, as the service does when care
        ends: missed if it fell due while the child was looked after, otherwise not needed.

        The review left open by an earlier year's import was worked out from that year's held
        reviews only; the reviews held later (imported with the episode that ends care) move it,
        so it is worked out again here from every review held in the period before it is kept as
        missed. Without this a review that was in fact held would be counted as missed.
        """
        episodes = list(CareEpisode.objects.filter(child=child).order_by("start", "id"))
        reviews = list(Review.objects.filter(child=child))
        for index in range(len(episodes)):
            period = review_rules.period_for_reviews(episodes[: index + 1])
            if (
                period is None
                or not period.ended
                or index + 1 < len(episodes)
                and (episodes[index + 1].reason_new_episode != "S")
            ):
                continue
            held_reviews = sorted(
                (
                    r
                    for r in reviews
                    if r.status == ReviewStatus.HELD and period.start <= r.held_on <= period.end
                ),
                key=lambda r: r.held_on,
            )
            held = [r.held_on for r in held_reviews]
            placed = self._placed(period, held_reviews)
            if not placed:
                held = self._assumed_before_history(period, held) + held
            nxt = review_rules.next_review_due(
                period_start=period.start,
                held=held,
                authority_from=period.authority_from,
                placed_on=period.placed_on,
            )
            # The period's open or missed review, whichever start it was given: an earlier year
            # imported later may bring episodes that move the period's start back.
            settled = [
                r
                for r in reviews
                if period.start <= r.period_start <= period.end
                and r.status in (ReviewStatus.DUE, ReviewStatus.MISSED)
            ]
            if not review_rules.review_missed_when_care_ends(nxt.due, period.end):
                for review in settled:
                    review.delete()
                    if review.status == ReviewStatus.MISSED:
                        self.counts["missed reviews removed"] += 1
                continue
            review = settled[0] if settled else Review(child=child)
            for extra in settled[1:]:
                extra.delete()
            sequence = nxt.sequence if placed else ReviewSequence.NOT_KNOWN
            target = (ReviewStatus.MISSED, sequence, nxt.due, nxt.period_start)
            if (review.status, review.sequence, review.due_date, review.period_start) == target:
                continue
            review.status, review.sequence, review.due_date, review.period_start = target
            review.source = ReviewSource.SSDA903
            review.full_clean()
            review.save()
            self.counts["missed reviews recorded"] += 1

    def _apply_episodes(self, child: Child, rows: list[Row]) -> None:
        if not rows:
            return
        stored = {e.start: e for e in CareEpisode.objects.filter(child=child)}
        starts = [r.values["DECOM"] for r in rows]
        for row in rows:
            if starts.count(row.values["DECOM"]) > 1:
                self._refuse(
                    row, "two episodes start on the same day (overlapping episodes)", "DECOM"
                )
                return
        merged: dict[date, rules.Episode] = {
            start: rules.Episode(
                **{n: getattr(e, n) for n in RULE_FIELDS},
                key=("stored", e.pk),
            )
            for start, e in stored.items()
        }
        for row in rows:
            v = row.values
            episode = _rule_episode(v, key=("row", row.line))
            old = stored.get(v["DECOM"])
            if (
                v["DEC"] is None
                and old is not None
                and old.end is not None
                and old.end > self.year_end
            ):
                episode = episode.with_(
                    end=old.end,
                    reason_ceased=old.reason_ceased,
                    reason_place_change=old.reason_place_change,
                )
            merged[v["DECOM"]] = episode
        history = rules.sort_history(list(merged.values()))
        problems = rules.history_problems(history, child.date_of_birth)
        by_line = {("row", r.line): r for r in rows}
        bad = False
        for problem in problems:
            episode = history[problem.index]
            if problem.index == 0 and problem.field == "reason_new_episode":
                continue  # the first episode in the files may continue a period begun earlier
            row = by_line.get(episode.key)
            if row is None:  # a stored episode broken by the new ones: blame the nearest row
                row = min(rows, key=lambda r: abs((r.values["DECOM"] - episode.start).days))
            label = _field_label(problem.field)
            self._refuse(row, f"{label}: {problem.message}", "" if label == "episode" else label)
            bad = True
        if bad:
            return
        for row in rows:
            v = row.values
            target = merged[v["DECOM"]]
            old = stored.get(v["DECOM"])
            episode = old or CareEpisode(child=child, start=v["DECOM"])
            values = {
                "reason_new_episode": target.reason_new_episode,
                "legal_status": target.legal_status,
                "category_of_need": target.category_of_need,
                "placement_type": target.placement_type,
                "placement_provider": target.placement_provider,
                "placement_postcode": normalise_postcode(v["PL_POST"]) if v["PL_POST"] else "",
                "home_postcode": normalise_postcode(v["HOME_POST"]) if v["HOME_POST"] else "",
                "placement_urn": target.placement_urn,
                # PL_LOCATION from the placement postcode's authority, as the DfE derives it;
                # a postcode the directory does not place keeps what is recorded.
                "placement_location": placement_location(v["PL_POST"])
                or (old.placement_location if old is not None else ""),
                "end": target.end,
                "reason_ceased": target.reason_ceased,
                "reason_place_change": target.reason_place_change,
            }
            if old is not None and all(getattr(old, k) == val for k, val in values.items()):
                self.unchanged["episodes"] += 1
                continue
            for name, value in values.items():
                setattr(episode, name, value)
            episode_distance(episode)
            episode.save()
            self.counts["episodes updated" if old else "episodes created"] += 1

    def _apply_reviews(self, child: Child, rows: list[Row]) -> None:
        if not rows:
            return
        episodes = list(CareEpisode.objects.filter(child=child).order_by("start", "id"))
        first_start = episodes[0].start if episodes else None
        held = {r.held_on: r for r in Review.objects.filter(child=child, status=ReviewStatus.HELD)}
        seen = set()
        for row in sorted(rows, key=lambda r: r.values["REVIEW"]):
            v = row.values
            day = v["REVIEW"]
            if day in seen:
                self._refuse(row, "a second review on the same day", "REVIEW")
                continue
            seen.add(day)
            if first_start is None or day < first_start:
                self._refuse(row, "review before the child's care began", "REVIEW")
                continue
            before = [e for e in episodes if e.start <= day]
            period = review_rules.period_for_reviews(before)
            if period is None:
                self._refuse(row, "review while the child was not looked after", "REVIEW")
                continue
            if child.date_of_birth and (v["REVIEW_CODE"] == "PN0") != (
                age_on(child.date_of_birth, day) < 4
            ):
                self._refuse(
                    row,
                    "REVIEW_CODE PN0 is for a child under 4 on the review date only",
                    "REVIEW_CODE",
                )
                continue
            existing = held.get(day)
            attended = child_attended_from_pn(v["REVIEW_CODE"])
            if existing is not None:
                if existing.participation != v["REVIEW_CODE"] or (
                    existing.child_attended is None and attended is not None
                ):
                    existing.participation = v["REVIEW_CODE"]
                    existing.child_attended = attended
                    if attended is not False:
                        existing.non_attendance_reason = ""
                    existing.save(
                        update_fields=[
                            "participation",
                            "child_attended",
                            "non_attendance_reason",
                            "updated_at",
                        ]
                    )
                    self.counts["reviews updated"] += 1
                else:
                    self.unchanged["reviews"] += 1
                continue
            sequence, period_start, due = self._place(period, day, held)
            review = Review(
                child=child,
                source=ReviewSource.SSDA903,
                sequence=sequence,
                period_start=period_start,
                due_date=due,
                status=ReviewStatus.HELD,
                held_on=day,
                participation=v["REVIEW_CODE"],
                child_attended=attended,
            )
            review.save()
            held[day] = review
            self.counts["reviews created"] += 1

    def _place(self, period, day: date, held: dict[date, Review]) -> tuple[str, date, date]:
        """A held review's sequence, period start and due date by reviews.rules, from the
        period's reviews on record before it (`held`, by date): "not known" with an estimated
        due date where the reviews before it cannot place it (see _placed)."""
        on_record = [held[d] for d in sorted(held) if period.start <= d < day]
        earlier = [r.held_on for r in on_record]
        placed = self._placed(period, on_record)
        if not placed:
            earlier = self._assumed_before_history(period, held) + earlier
        nxt = review_rules.next_review_due(
            period_start=period.start,
            held=earlier,
            authority_from=period.authority_from,
            placed_on=period.placed_on,
        )
        return (nxt.sequence if placed else ReviewSequence.NOT_KNOWN, nxt.period_start, nxt.due)

    def _place_stored(self, child: Child) -> None:
        """Place again, by the same rule, the child's held reviews imported earlier: a year
        imported after them (an earlier year, or the episodes that began their period of care)
        may bring the reviews that place one stored as "not known", and the true start of its
        period of care. So importing the years in separate runs, in any order, gives what
        importing them together gives. A review already placed keeps its sequence and due date
        (two reviews before it, or one first review, placed it); only its period start moves."""
        imported = Review.objects.filter(
            child=child, status=ReviewStatus.HELD, source=ReviewSource.SSDA903
        )
        if not imported.exists():
            return
        episodes = list(CareEpisode.objects.filter(child=child).order_by("start", "id"))
        held = {
            r.held_on: r
            for r in Review.objects.filter(child=child, status=ReviewStatus.HELD).order_by(
                "held_on"
            )
        }
        for day, review in held.items():
            if review.source != ReviewSource.SSDA903:
                continue
            period = review_rules.period_for_reviews([e for e in episodes if e.start <= day])
            if period is None:
                continue
            if review.sequence == ReviewSequence.NOT_KNOWN:
                target = self._place(period, day, held)
            else:
                target = (review.sequence, period.start, review.due_date)
            if (review.sequence, review.period_start, review.due_date) == target:
                continue
            was_unknown = review.sequence == ReviewSequence.NOT_KNOWN
            review.sequence, review.period_start, review.due_date = target
            review.save(update_fields=["sequence", "period_start", "due_date", "updated_at"])
            if was_unknown and review.sequence != ReviewSequence.NOT_KNOWN:
                self.counts["reviews placed"] += 1


def _child_state(child: Child) -> tuple:
    return (
        child.sex,
        child.date_of_birth,
        child.ethnicity,
        child.upn,
        child.mother,
        child.mother_child_dob,
        child.uasc,
        child.uasc_ceased,
    )


def child_attended_from_pn(code: str) -> bool | None:
    """Whether the child attended the review, from its PN code (REV-06): PN1-PN4 are the codes
    of a child who attended (DfE SSDA903 guidance, REVIEW_CODE), PN5-PN7 of one who did not;
    PN0 (under 4) says nothing about attendance, so it is left unknown, as REV-06 leaves PN0
    reviews out."""
    if code in ("PN1", "PN2", "PN3", "PN4"):
        return True
    if code in ("PN5", "PN6", "PN7"):
        return False
    return None


class _Rollback(Exception):
    pass


RULE_FIELDS = [f for f in rules.Episode.__dataclass_fields__ if f != "key"]


def _field_label(name: str) -> str:
    return {
        "start": "DECOM",
        "end": "DEC",
        "reason_new_episode": "RNE",
        "legal_status": "LS",
        "category_of_need": "CIN",
        "placement_type": "PLACE",
        "placement_provider": "PLACE_PROVIDER",
        "reason_ceased": "REC",
        "reason_place_change": "REASON_PLACE_CHANGE",
        "__all__": "episode",
    }.get(name, name)


def import_years(
    years: list[YearFiles], *, progress: Callable[[int, int], None] | None = None
) -> ImportResult:
    """Import the years (all or nothing) and return the counts or the refusals."""
    return Importer(years, progress).run()


def read_folder(path) -> YearFiles:
    """One year's CSV files from a folder, read as an upload is (encodings, limits)."""
    from pathlib import Path

    folder = Path(path)
    year = YearFiles(folder.name)
    counter = _Counter(Limits.from_settings())
    for file in sorted(folder.glob("*.csv")):
        if counter.stopped:
            break
        _read_stream(year, file.name, lambda file=file: file.open("rb"), counter)
    return year
