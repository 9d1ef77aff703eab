"""`pytest --today YYYY-MM-DD` runs the tests as if that day were today (tests/conftest.py)."""

import os
import subprocess
import sys
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import time_machine
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]


def test_pytest_today_moves_the_clock_of_the_tests_and_their_threads(request):
    value = request.config.getoption("--today")
    if value:
        expected = date.fromisoformat(value[:10])
        assert timezone.localdate() == expected
        assert date.today() == timezone.localtime().date()  # the machine's clock too
        seen = {}
        thread = threading.Thread(target=lambda: seen.update(day=timezone.localdate()))
        thread.start()
        thread.join()
        assert seen["day"] == expected  # a live server thread sees the same day
        # A test that travels itself nests inside, and comes back to the day after.
        with time_machine.travel(datetime(2030, 6, 1, 12, tzinfo=UTC), tick=False):
            assert timezone.localdate() == date(2030, 6, 1)
        assert timezone.localdate() == expected
        start = timezone.now()
        while timezone.now() == start:  # the clock keeps moving (tick=True)
            pass
        return
    # Without the option: this test again, in a new pytest, as of 29 February 2028.
    node = f"{Path(__file__).relative_to(ROOT)}::{request.node.name}"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", node, "--today", "2028-02-29", "-p", "no:xdist"],
        cwd=ROOT,
        env={**os.environ, "PYTEST_ADDOPTS": ""},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert "today: 2028-02-29" in result.stdout  # the report header names the day


def test_a_bad_today_is_refused_with_a_message():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--today", "29/02/2028", "--collect-only", "-q",
         "-p", "no:xdist", "tests/qa/test_today_option.py"],
        cwd=ROOT,
        env={**os.environ, "PYTEST_ADDOPTS": ""},
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode != 0
    assert "--today: '29/02/2028' is not a date (YYYY-MM-DD)" in result.stdout + result.stderr
