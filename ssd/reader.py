"""Reading an SSD extract: a folder or zip of CSV files (one per table, named after it), or the
SSD tables of a PostgreSQL schema.

The house rules for files from outside (as the SSDA903 import): sizes and row counts are limited
(settings SSD_IMPORT_MAX_*), checked from what a zip declares before reading and again while
reading; text is UTF-8 with or without a byte-order mark, else Windows-1252; UTF-16 with a mark is
read, and without one is refused in words; a bad row is refused naming its file and line, and
reading stops after MAX_REFUSALS refusals. Rows are parsed as they stream past and kept as
small dicts of the columns the service maps.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from iro.csv_input import CountingReader, encoding_of, human_size
from ssd.tables import KNOWN_UNMAPPED, TABLES, table_for_file

MAX_LINE_CHARS = 256 * 1024  # the address JSON makes long lines; a megabyte line is no SSD row
MAX_REFUSALS = 1000
TEXT_HELP = "save it as CSV UTF-8 (Windows-1252, and UTF-16 with a byte-order mark, are also read)"
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class Refusal:
    """A refused row (line 0: the file or extract as a whole), with the column at fault."""

    file: str
    line: int
    key: str
    reason: str
    column: str = ""

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "id": self.key,
            "column": self.column,
            "reason": self.reason,
        }


class ExtractRefused(Exception):
    """The extract as a whole cannot be read (over a limit, not text, not a zip): nothing is
    written."""

    def __init__(self, reason: str, file: str = ""):
        super().__init__(f"{file}: {reason}" if file else reason)
        self.refusal = Refusal(file, 0, "", reason)


@dataclass(frozen=True)
class Limits:
    bytes: int
    rows: int
    members: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            bytes=settings.SSD_IMPORT_MAX_BYTES,
            rows=settings.SSD_IMPORT_MAX_ROWS,
            members=settings.SSD_IMPORT_MAX_MEMBERS,
        )


@dataclass
class Row:
    file: str
    line: int
    values: dict

    @property
    def key(self) -> str:
        return self.values.get("_key", "")


@dataclass
class Extract:
    """What was read: rows by table, the columns each file held, and what was refused."""

    source: str
    tables: dict[str, list[Row]] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)
    unread_files: list[str] = field(default_factory=list)  # not an SSD table the service knows
    seen_unmapped: list[str] = field(default_factory=list)  # SSD tables read but not mapped

    def missing_tables(self) -> list[str]:
        return [t for t in TABLES if t not in self.tables]

    def missing_columns(self) -> dict[str, list[str]]:
        return {
            t: [c for c in TABLES[t].columns if c not in cols]
            for t, cols in self.columns.items()
            if t in TABLES and any(c not in cols for c in TABLES[t].columns)
        }


class _Counter:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.bytes = 0
        self.rows = 0
        self.refusals = 0

    def add_bytes(self, n: int, name: str) -> None:
        self.bytes += n
        if self.bytes > self.limits.bytes:
            raise ExtractRefused(
                f"the extract holds more than {human_size(self.limits.bytes)} of CSV "
                "(SSD_IMPORT_MAX_BYTES)",
                name,
            )

    def add_row(self, name: str) -> None:
        self.rows += 1
        if self.rows > self.limits.rows:
            raise ExtractRefused(
                f"the extract holds more than {self.limits.rows:,} rows (SSD_IMPORT_MAX_ROWS)",
                name,
            )


class _Stop(Exception):
    pass


def parse_date(raw: str) -> date | None:
    """A date as SQL Server writes it (`2023-04-01 00:00:00.000`), ISO, or DD/MM/YYYY."""
    raw = raw.strip()
    if not raw:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(
        f"'{raw}' is not a date (expected YYYY-MM-DD, as SQL Server writes it, or DD/MM/YYYY)"
    )


def _is_date_column(column: str) -> bool:
    return column.endswith(("_date", "_dob", "_due")) or column in ("pers_dob", "pers_expected_dob")


def _lines(text: io.TextIOBase, name: str) -> Iterator[str]:
    while True:
        line = text.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
            raise ExtractRefused(
                f"a line is longer than {MAX_LINE_CHARS:,} characters: this is not an SSD CSV file",
                name,
            )
        yield line


def _read_stream(extract: Extract, name: str, opener: Callable[[], BinaryIO], counter) -> None:
    table = table_for_file(name)
    if table is None:
        extract.unread_files.append(name)
        return
    if table in KNOWN_UNMAPPED:
        extract.seen_unmapped.append(table)
        return
    with opener() as probe:
        head = probe.read(4)
    marked = encoding_of(head)
    if marked is None and len(head) >= 2 and (head[1:2] == b"\x00" or head[0:1] == b"\x00"):
        raise ExtractRefused(
            f"the file looks like UTF-16 without a byte-order mark, which cannot be read safely: "
            f"{TEXT_HELP}",
            name,
        )
    for encoding in [marked] if marked else ["utf-8", "cp1252"]:
        state = (counter.rows, counter.bytes, counter.refusals, len(extract.refusals))
        try:
            with opener() as raw:
                stream = io.BufferedReader(CountingReader(raw, counter, name), 64 * 1024)
                text = io.TextIOWrapper(stream, encoding=encoding, newline="")
                rows = _read_csv(extract, table, name, csv.reader(_lines(text, name)), counter)
            extract.tables.setdefault(table, []).extend(rows)
            return
        except _Stop:
            return
        except UnicodeError:
            counter.rows, counter.bytes, counter.refusals = state[:3]
            del extract.refusals[state[3] :]
        except csv.Error as exc:
            raise ExtractRefused(
                f"the file cannot be read as CSV ({exc}): {TEXT_HELP}", name
            ) from None
    raise ExtractRefused(f"the file is not text in a known encoding: {TEXT_HELP}", name)


def _read_csv(extract: Extract, table: str, name: str, reader, counter) -> list[Row]:
    spec = TABLES[table]
    header = next(reader, [])
    if header and "\x00" in "".join(header):
        raise ExtractRefused(
            f"the file holds NUL characters, so it is not CSV text: {TEXT_HELP}", name
        )
    columns = [h.strip().lower() for h in header]
    extract.columns[table] = columns
    missing = sorted(c for c in spec.required if c not in columns)
    if missing:
        extract.refusals.append(
            Refusal(name, 1, "", f"missing required column {', '.join(missing)} in {table}")
        )
        return []
    wanted = [(i, c) for i, c in enumerate(columns) if c in spec.columns]
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        counter.add_row(name)
        values: dict = {}
        problems: list[tuple[str, str]] = []
        for i, column in wanted:
            raw = cells[i].strip() if i < len(cells) else ""
            if raw.upper() in ("NULL",):
                raw = ""
            if _is_date_column(column):
                try:
                    values[column] = parse_date(raw)
                except ValueError as exc:
                    problems.append((column, f"{column}: {exc}"))
            else:
                values[column] = raw
        key = values.get(spec.key) or ""
        values["_key"] = key
        for column in sorted(spec.required):
            if values.get(column) in ("", None) and not any(c == column for c, _ in problems):
                problems.append((column, f"{column} is missing"))
        if key and key in seen:
            problems.append(
                (spec.key, f"id {key} is in {table} twice: rows {seen[key]} and {line}")
            )
        elif key:
            seen[key] = line
        for column, problem in problems:
            extract.refusals.append(Refusal(name, line, key, problem, column))
        counter.refusals += len(problems)
        if not problems:
            rows.append(Row(name, line, values))
        if counter.refusals >= MAX_REFUSALS:
            extract.refusals.append(
                Refusal(name, line, "", f"reading stopped after {MAX_REFUSALS:,} refused rows")
            )
            raise _Stop
    return rows


def read_folder(path: str | Path, limits: Limits | None = None) -> Extract:
    folder = Path(path)
    extract = Extract(str(folder.name))
    counter = _Counter(limits or Limits.from_settings())
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv")
    if len(files) > counter.limits.members:
        raise ExtractRefused(
            f"the folder holds {len(files)} CSV files; at most {counter.limits.members} are read"
        )
    for file in files:
        size = file.stat().st_size
        if size > counter.limits.bytes:
            raise ExtractRefused(
                f"the file is larger than {human_size(counter.limits.bytes)}", file.name
            )
        _read_stream(extract, file.name, lambda file=file: file.open("rb"), counter)
    return extract


def read_zip(path_or_bytes: str | Path | bytes, limits: Limits | None = None) -> Extract:
    limits = limits or Limits.from_settings()
    counter = _Counter(limits)
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    name = "upload.zip" if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).name
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError):
        raise ExtractRefused("the file is not a zip file, or it is damaged", name) from None
    with archive:
        members = [
            m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".csv")
        ]
        if not members:
            raise ExtractRefused("the zip holds no CSV files", name)
        if len(archive.infolist()) > limits.members:
            raise ExtractRefused(f"the zip holds more than {limits.members} files", name)
        declared = sum(m.file_size for m in members)
        if declared > limits.bytes:
            raise ExtractRefused(
                f"the zip's CSV files would expand to {human_size(declared)}; at most "
                f"{human_size(limits.bytes)} are read",
                name,
            )
        extract = Extract(name)
        for info in sorted(members, key=lambda m: m.filename):
            try:
                _read_stream(extract, info.filename, lambda info=info: archive.open(info), counter)
            except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
                raise ExtractRefused(f"the zip file is damaged ({exc})", info.filename) from None
    return extract


def read_schema(schema: str, limits: Limits | None = None) -> Extract:
    """The SSD tables of a PostgreSQL schema on the configured database, streamed with COPY as
    CSV through the same reader (so the same limits, dates and row checks apply)."""
    from django.db import connection

    counter = _Counter(limits or Limits.from_settings())
    extract = Extract(f"schema {schema}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            [schema],
        )
        names = sorted(r[0] for r in cursor.fetchall())
        if not names:
            raise ExtractRefused(f"the schema {schema} holds no tables (or does not exist)")
        for table in names:
            if table_for_file(table) is None:
                extract.unread_files.append(table)
                continue
            buffer = io.BytesIO()
            quoted = connection.ops.quote_name(schema) + "." + connection.ops.quote_name(table)
            with cursor.cursor.copy(f"COPY {quoted} TO STDOUT WITH (FORMAT csv, HEADER)") as copy:  # type: ignore[attr-defined]
                for chunk in copy:
                    buffer.write(chunk)
                    counter.add_bytes(len(chunk), table)
            data = buffer.getvalue()
            counter.bytes -= len(data)  # counted again as it is read
            _read_stream(extract, f"{table}.csv", lambda data=data: io.BytesIO(data), counter)
    return extract


def read_extract(source: str | Path, *, schema: str | None = None) -> Extract:
    """A folder, a zip file, or (schema given) a PostgreSQL schema."""
    if schema:
        return read_schema(schema)
    path = Path(source)
    if path.is_dir():
        return read_folder(path)
    if path.is_file():
        if path.stat().st_size > Limits.from_settings().bytes:
            raise ExtractRefused(
                "the file is larger than the limit (SSD_IMPORT_MAX_BYTES)", path.name
            )
        return read_zip(path)
    raise ExtractRefused(f"no folder or zip file at {source}")
