"""`manage.py load_benchmarks FILE.csv`: England, region and statistical-neighbour values.

The CSV has a header row and the columns figure_id, scope, year, value, source:
- figure_id: the id of a figure the service computes (reporting.figures.REGISTRY; listed in
  docs/figures.md), such as CLA-03;
- scope: england, region or neighbours;
- year: the reporting year the value belongs to, by the year it starts (2023 = 2023/24, so a
  value "at 31 March 2024" is year 2023), within the service's reporting span
  (settings.REPORTING_FIRST_YEAR to the current year);
- value: a number in the figure's unit, never negative: a percentage 0-100, a rate per 10,000
  0-10,000, a count (reporting.reference.value_range);
- source: where the value comes from (publication, table and date).

Loading is idempotent: a row for a (figure_id, scope, year) already held replaces its value and
source. The file is UTF-8 text (as "CSV UTF-8" saves it). Every row is checked first; if any row is bad, nothing is loaded and each bad row is
reported with its line number.
"""

import csv
import re
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from iro.validators import reporting_years
from reporting.models import Benchmark, BenchmarkScope
from reporting.reference import check_value, known_figure

COLUMNS = ["figure_id", "scope", "year", "value", "source"]
FIGURE_ID = re.compile(r"^[A-Z]{2,3}-\d{2}$")


def parse_rows(reader: csv.DictReader) -> tuple[list[dict], list[str]]:
    rows, errors = [], []
    seen: dict[tuple, int] = {}
    first_year, last_year = reporting_years()
    for row in reader:
        line = reader.line_num
        problems = []
        figure_id = (row.get("figure_id") or "").strip().upper()
        scope = (row.get("scope") or "").strip().lower()
        source = (row.get("source") or "").strip()
        if not FIGURE_ID.match(figure_id):
            problems.append(f"figure_id {figure_id!r} is not a figure id such as CLA-03")
        elif known_figure(figure_id) is None:
            problems.append(f"figure_id {figure_id!r} is not a figure the service computes")
        if scope not in BenchmarkScope.values:
            problems.append(f"scope {scope!r} is not one of {', '.join(BenchmarkScope.values)}")
        year: int | None
        try:
            year = int((row.get("year") or "").strip())
        except ValueError:
            problems.append(f"year {row.get('year')!r} is not a year such as 2024")
            year = None
        else:
            if not first_year <= year <= last_year:
                problems.append(
                    f"year {year} is outside the reporting span {first_year} to {last_year}"
                )
        value: Decimal | None
        try:
            value = Decimal((row.get("value") or "").strip().replace(",", ""))
            if not value.is_finite() or abs(value) >= Decimal("1e8"):
                raise InvalidOperation
        except InvalidOperation:
            problems.append(f"value {row.get('value')!r} is not a number")
            value = None
        else:
            out_of_range = check_value(figure_id, value, "value")
            if value < 0:
                problems.append(f"value {value} is negative: no figure is below 0")
            elif out_of_range:
                problems.append(out_of_range)
        if not source:
            problems.append("source is empty: say where the value comes from")
        elif len(source) > 300:
            problems.append("source is longer than 300 characters")
        key = (figure_id, scope, year)
        if not problems and key in seen:
            problems.append(f"repeats line {seen[key]} ({figure_id} {scope} {year})")
        if problems:
            errors.append(f"line {line}: " + "; ".join(problems))
            continue
        seen[key] = line
        rows.append(
            {"figure_id": figure_id, "scope": scope, "year": year, "value": value, "source": source}
        )
    return rows, errors


def load_benchmarks(path) -> tuple[int, int]:
    """Loads the CSV at `path`; returns (created, updated). Raises CommandError on bad rows."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        try:
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise CommandError(
                    f"{path}: the header must name the columns {', '.join(COLUMNS)}; "
                    f"missing {', '.join(missing)}"
                )
            rows, errors = parse_rows(reader)
        except UnicodeDecodeError:
            raise CommandError(
                f"{path}: line {reader.line_num + 1} is not UTF-8 text, nothing loaded. Save the "
                "file as CSV UTF-8 (in Excel: Save as, CSV UTF-8) and load it again."
            ) from None
        except csv.Error as exc:
            raise CommandError(
                f"{path}: line {reader.line_num} is not valid CSV ({exc}), nothing loaded"
            ) from None
    if errors:
        raise CommandError(
            f"{path}: {len(errors)} bad row(s), nothing loaded:\n" + "\n".join(errors)
        )
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            _obj, was_created = Benchmark.objects.update_or_create(
                figure_id=row["figure_id"],
                scope=row["scope"],
                year=row["year"],
                defaults={"value": row["value"], "source": row["source"]},
            )
            created += was_created
            updated += not was_created
    return created, updated


class Command(BaseCommand):
    help = "Load benchmark values (figure_id, scope, year, value, source) from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file with a header row")

    def handle(self, *args, file, **options):
        created, updated = load_benchmarks(file)
        self.stdout.write(f"Benchmarks loaded from {file}: {created} added, {updated} updated.")
