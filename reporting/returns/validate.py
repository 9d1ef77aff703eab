"""Run Data to Insight's validators (SSDA903 and CIN census) on exported files.

Each validator pins old pandas and numpy, so each runs in its own uv project under
`validators/903` and `validators/cin` (its own pyproject.toml and uv.lock, never the service's).
`uv run --project` creates the environment on first use and keeps it in `validators/*/.venv`.
A small script in that environment prints the errors as JSON, read here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
VALIDATORS = ROOT / "validators"


class ValidatorError(RuntimeError):
    """The validator could not be run (environment missing, crashed, or printed no result)."""


def uv_command() -> list[str]:
    uv = shutil.which("uv")
    return [uv] if uv else [sys.executable, "-m", "uv"]


def _run(project: str, script: str, *args: str, timeout: int = 900) -> dict:
    folder = VALIDATORS / project
    command = [
        *uv_command(),
        "run",
        "--quiet",
        "--locked",
        "--project",
        str(folder),
        "python",
        str(folder / script),
        *args,
    ]
    done = subprocess.run(  # noqa: S603 (fixed command, arguments are paths and codes)
        command, capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise ValidatorError(
            f"The {project} validator failed (exit {done.returncode}): {done.stderr[-2000:]}"
        )
    return json.loads(lines[-1])


def validate_903_folder(folder: Path, year, last: Path | None = None) -> dict:
    """Errors the SSDA903 validator finds in a folder of return CSVs for a collection year,
    with the previous year's folder (`last`) when given, for the rules comparing two years.
    The result's "rules_not_run" lists the rules that raised on the files (see the README:
    rules 231 and 233 read XML column names that the CSV layout does not have)."""
    return _run(
        "903",
        "run_903.py",
        str(folder),
        year.ruleset,
        year.collection,
        settings.LOCAL_AUTHORITY_CODE,  # type: ignore[arg-type]
        *([str(last)] if last is not None else []),
    )


def validate_903(year) -> dict:
    """Export the year's return to a temporary folder and validate it."""
    from reporting.returns.ssda903 import CollectionYear, export_files

    year = year if isinstance(year, CollectionYear) else CollectionYear(year)
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in export_files(year).items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        return validate_903_folder(Path(tmp), year)


def validate_cin_file(path: Path, ruleset: str) -> dict:
    """Errors the CIN census validator finds in a census XML file."""
    return _run("cin", "run_cin.py", str(path), ruleset)


def validate_cin(year) -> dict:
    """Export the year's CIN census child protection module to a temporary file and validate it."""
    from reporting.returns.cin_census import census_xml, cin_ruleset
    from reporting.returns.ssda903 import CollectionYear

    year = year if isinstance(year, CollectionYear) else CollectionYear(year)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cin.xml"
        path.write_bytes(census_xml(year))
        return validate_cin_file(path, cin_ruleset(year))
