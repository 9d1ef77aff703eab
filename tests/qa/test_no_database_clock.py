"""No SQL of the service reads the database's clock.

Business dates ("today", "overdue", "this reporting year") come from Python (`timezone.now()`,
`timezone.localdate()`), so one clock decides them: the one `pytest --today` moves and the one
that follows TIME_ZONE. PostgreSQL's `now()`, `CURRENT_DATE` and friends answer in the database
server's clock and time zone instead, which the tests cannot move and which can be a day apart
from Europe/London around midnight. This test reads every Python and SQL file of the service
(migrations and tests excepted) and fails on any of them, naming the file and line.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICE_PACKAGES = [
    "iro",
    "reviews",
    "protection",
    "escalations",
    "letters",
    "reporting",
    "validators",
]

# Each pattern with what it is. Python's own `timezone.now()` / `datetime.now()` are attribute
# calls (preceded by a dot) and are allowed; a bare `now()` is SQL's.
DATABASE_CLOCK = [
    (re.compile(r"(?<![.\w])now\s*\(\s*\)", re.IGNORECASE), "SQL now()"),
    (re.compile(r"\bcurrent_(date|timestamp|time)\b", re.IGNORECASE), "SQL CURRENT_DATE/TIME"),
    (re.compile(r"(?<![.\w])localtime(stamp)?\b(?!\s*\()", re.IGNORECASE), "SQL LOCALTIMESTAMP"),
    (
        re.compile(
            r"\b(statement|transaction|clock)_timestamp\s*\(|\btimeofday\s*\(", re.IGNORECASE
        ),
        "SQL clock function",
    ),
    (
        re.compile(
            r"'now'\s*::|::\s*date\s*'now'|\b(date|timestamp|timestamptz)\s+'(now|today)'",
            re.IGNORECASE,
        ),
        "SQL 'now' literal",
    ),
    (re.compile(r"\bNow\s*\("), "Django's Now()"),
    (re.compile(r"import\b[^\n]*\bNow\b"), "Django's Now imported"),
]


def service_files():
    for package in SERVICE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix not in {".py", ".sql"} or not path.is_file():
                continue
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "tests" in parts or ".venv" in parts:
                continue
            yield path


def clock_reads(text: str):
    for number, line in enumerate(text.splitlines(), start=1):
        code = line.split("#", 1)[0] if not line.lstrip().startswith(("'", '"')) else line
        for pattern, what in DATABASE_CLOCK:
            if pattern.search(code):
                yield number, what, line.strip()


def test_the_service_is_read_in_full():
    files = list(service_files())
    names = {path.relative_to(ROOT).as_posix() for path in files}
    # The check reads the places where SQL lives: figures, selectors, reminders, services.
    assert "reporting/figures/__init__.py" in names or any(
        n.startswith("reporting/figures/") for n in names
    )
    assert "reviews/reminders.py" in names and "iro/selectors.py" in names
    assert len(files) > 100


def test_no_sql_reads_the_database_clock():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {what}: {line}"
        for path in service_files()
        for number, what, line in clock_reads(path.read_text(encoding="utf-8"))
    ]
    assert not found, "Pass the date in from Python instead:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        'cursor.execute("SELECT count(*) FROM t WHERE due < now()")',
        "sql = 'WHERE held_on = CURRENT_DATE'",
        'sql = "WHERE d <= current_timestamp"',
        "sql = 'SELECT localtimestamp'",
        "sql = 'SELECT statement_timestamp()'",
        "sql = \"WHERE d < 'now'::date\"",
        "qs.filter(due__lt=Now())",
        "from django.db.models.functions import Lower, Now",
    ],
)
def test_the_check_catches_each_way_of_reading_the_database_clock(source):
    assert list(clock_reads(source)), source


@pytest.mark.parametrize(
    "source",
    [
        "today = timezone.localdate()",
        "at = timezone.now()",
        "moment = timezone.localtime(value)",
        "stamp = datetime.now(UTC)",
        "# the figure is worked out now()",
        'cursor.execute("SELECT count(*) FROM t WHERE due < %s", [today])',
    ],
)
def test_the_check_lets_python_clocks_and_parameters_through(source):
    assert not list(clock_reads(source)), source


# The machine's clock in the machine's zone: `date.today()` is a day behind Europe/London from
# midnight to 01:00 in summer time on a server set to UTC. The service takes today from
# `timezone.localdate()` and the moment from `timezone.now()`.
MACHINE_ZONE_CLOCK = re.compile(
    r"\bdate\.today\(\)|\bdatetime\.(today|utcnow)\(\)|\bdatetime\.now\(\s*\)"
)


def test_the_service_takes_today_in_its_own_time_zone():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in service_files()
        if path.suffix == ".py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if MACHINE_ZONE_CLOCK.search(line.split("#", 1)[0])
    ]
    assert not found, "Use timezone.localdate() / timezone.now():\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("today = date.today()", True),
        ("moment = datetime.now()", True),
        ("moment = datetime.utcnow()", True),
        ("moment = datetime.now(UTC)", False),
        ("today = timezone.localdate()", False),
    ],
)
def test_the_machine_zone_check_catches_date_today(source, caught):
    assert bool(MACHINE_ZONE_CLOCK.search(source)) is caught
