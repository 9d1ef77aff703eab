"""scripts/run.sh (`make run`): the links in emails open the server it starts, and Ctrl-C is a
clean stop that says the embedded database is still running.

The script runs for real from a copy of the repository's scripts folder whose `.venv/bin/python`
and `.venv/bin/celery` stand in for Django and Celery (each manage.py command is written to
calls.log with the SITE_URL it was given; runserver and the worker wait to be stopped), so the test takes a second, not the minutes
of a real migrate and demo load.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FAKE_PYTHON = """#!/usr/bin/env bash
# Stands in for .venv/bin/python: writes each command to calls.log; runserver then waits.
here="$(dirname "$0")/../.."
if [ "${2:-}" = "runserver" ]; then echo "runserver $3" >> "$here/calls.log"; exec sleep 30; fi
echo "python $* SITE_URL=${SITE_URL:-unset}" >> "$here/calls.log"
"""
FAKE_CELERY = """#!/usr/bin/env bash
exec sleep 30
"""


@pytest.fixture
def checkout(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "run.sh", tmp_path / "scripts" / "run.sh")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name, text in [("python", FAKE_PYTHON), ("celery", FAKE_CELERY)]:
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return tmp_path


def start(checkout: Path, **env) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "DATABASE_URL"}}
    environment.pop("PORT", None)
    environment.pop("HOST", None)
    environment.update(env)
    return subprocess.Popen(
        ["bash", str(checkout / "scripts" / "run.sh")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )


def ctrl_c(process: subprocess.Popen, checkout: Path) -> tuple[str, int]:
    """Wait until the web server is up and the script has said all it says on starting (its last
    line names the links' address), then send SIGINT to the whole group, as Ctrl-C does.
    Returns what the script printed followed by the commands it ran (calls.log), and its code."""
    calls = checkout / "calls.log"
    deadline = time.monotonic() + 30
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if "with links to" in line or not line:
            break
    while time.monotonic() < deadline and "runserver" not in (
        calls.read_text() if calls.exists() else ""
    ):
        time.sleep(0.1)
    time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)
    rest, _ = process.communicate(timeout=30)
    return "".join(lines) + rest + calls.read_text(), process.returncode


def test_ctrl_c_exits_0_and_says_how_to_stop_the_embedded_database(checkout):
    output, code = ctrl_c(start(checkout), checkout)
    assert code == 0, output
    assert "Stopped the web server and the worker." in output
    assert "The embedded database is still running" in output
    assert "'make stop' stops it" in output


def test_with_an_external_database_ctrl_c_does_not_mention_the_embedded_one(checkout):
    output, code = ctrl_c(start(checkout, DATABASE_URL="postgresql://db.example/iro"), checkout)
    assert code == 0, output
    assert "embedded database" not in output


def test_links_in_emails_follow_the_port_the_server_runs_on(checkout):
    output, code = ctrl_c(start(checkout, PORT="8080"), checkout)
    assert code == 0, output
    assert "runserver 127.0.0.1:8080" in output
    assert "seed_demo SITE_URL=http://127.0.0.1:8080" in output
    assert "with links to http://127.0.0.1:8080." in output


def test_a_server_on_every_address_is_linked_at_the_local_address(checkout):
    output, _ = ctrl_c(start(checkout, HOST="0.0.0.0", PORT="8081"), checkout)
    assert "runserver 0.0.0.0:8081" in output
    assert "seed_demo SITE_URL=http://127.0.0.1:8081" in output


def test_a_site_url_that_is_set_is_kept(checkout):
    output, _ = ctrl_c(
        start(checkout, PORT="8080", SITE_URL="https://iro.example.gov.uk"), checkout
    )
    assert "seed_demo SITE_URL=https://iro.example.gov.uk" in output
