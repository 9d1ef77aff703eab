"""Disclosure control proved: for every figure of a published snapshot, no withheld cell can be
worked out from the cells, totals and percentages shown (tests/reporting/disclosure_checker.py),
over the synthetic authority at `small` scale, over a tiny authority with many small counts, and
over thousands of random breakdowns. The checker is shown to catch the old leaks first."""

import random
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from iro.synthetic import SCALES
from reporting.figures.base import pct
from reporting.models import Snapshot
from reporting.services import snapshot_publish
from reporting.suppression import LEGEND, report_for_board, suppress_result
from tests.iro.factories import make_user
from tests.reporting.disclosure_checker import findings, report_findings

# A fixed day for the generated history (the service's own calendar does the rest).
TODAY = date(2026, 3, 18)


# --- The checker catches what used to get through -------------------------------------------------


def test_the_checker_finds_a_cell_given_away_by_the_total():
    # DR-01 before: 13 children, the 3 hidden, the total and the 10 shown.
    true = {"value": 13, "breakdown": {"looked_after": 3, "cp_plan": 10, "dual": 0}}
    shown = {"value": 13, "breakdown": {"looked_after": "c", "cp_plan": 10, "dual": 0}}
    assert any("worked out as 3" in p for p in findings("DR-01", "COUNT", true, shown))


def test_the_checker_finds_a_shown_five_and_a_percentage_of_a_small_count():
    # Counts of 5 used to be shown; DR-05's percentage within 20 days stood for 5 IRPs.
    true = {"value": 14.2, "numerator": 5, "denominator": 9, "breakdown": {"% within": 55.6}}
    problems = findings("DR-05", "MEAN", true, true)
    assert any("a count of 5 is shown" in p for p in problems)
    assert any("55.6% of 9 is 1 to 5" in p for p in problems)


def test_the_checker_finds_ones_by_their_sum_and_a_numerator_by_its_percentage():
    true = {"value": 40, "breakdown": {"a": 1, "b": 1, "c": 38}}
    shown = {"value": 40, "breakdown": {"a": "c", "b": "c", "c": 38}}
    assert any("1 each" in p for p in findings("X", "COUNT", true, shown))
    true = {"value": 7.5, "numerator": 3, "denominator": 40}
    shown = {"value": 7.5, "numerator": "c", "denominator": 40}
    problems = findings("Y", "PCT", true, shown)
    assert any("numerator 3 from the percentage" in p for p in problems)


# --- The rules, cell by cell -------------------------------------------------------------------------


def test_one_to_five_are_withheld_and_zero_is_shown():
    for n in range(1, 6):
        assert suppress_result({"value": n}, "COUNT")["value"] == "c"
    assert suppress_result({"value": 0}, "COUNT")["value"] == 0
    assert suppress_result({"value": 6}, "COUNT")["value"] == 6


def test_dr01_the_next_smallest_cell_goes_with_the_small_one():
    out = suppress_result(
        {"value": 13, "breakdown": {"looked_after": 3, "cp_plan": 10, "dual": 0}}, "COUNT"
    )
    assert out == {"value": 13, "breakdown": {"looked_after": "c", "cp_plan": "c", "dual": 0}}


def test_dr05_a_mean_and_percentage_of_a_few_irps_are_withheld():
    data = {"value": 14.2, "numerator": 5, "denominator": 9, "breakdown": {"% within": 55.6}}
    out = suppress_result(data, "MEAN")
    assert out == {
        "value": "c",
        "numerator": "c",
        "denominator": 9,
        "breakdown": {"% within": "c"},
    }
    assert findings("DR-05", "MEAN", data, out) == []


def test_two_ones_are_protected_by_a_third_cell():
    data = {"value": 40, "breakdown": {"a": 1, "b": 1, "c": 30, "d": 8}}
    out = suppress_result(data, "COUNT")
    assert out["breakdown"] == {"a": "c", "b": "c", "c": 30, "d": "c"}
    assert findings("X", "COUNT", data, out) == []


# --- Random breakdowns ----------------------------------------------------------------------------


def _random_result(rng: random.Random) -> tuple[str, dict]:
    kind = rng.choice(["COUNT", "COUNT", "PCT", "MEAN"])
    cells = [
        rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20, 45]) for _ in range(rng.randint(1, 6))
    ]
    breakdown = {f"k{i}": v for i, v in enumerate(cells)}
    if kind == "COUNT":
        data = {"value": sum(cells), "breakdown": breakdown}
        if rng.random() < 0.5:  # the same total by month
            months = [0] * rng.randint(2, 7)
            for _ in range(sum(cells)):
                months[rng.randrange(len(months))] += 1
            data["months"] = {f"2025-{m + 1:02d}": v for m, v in enumerate(months)}
        return kind, data
    denominator = sum(cells)
    numerator = rng.randint(0, denominator)
    data = {
        "value": pct(numerator, denominator),
        "numerator": numerator,
        "denominator": denominator,
    }
    if kind == "MEAN":
        data["value"] = round(rng.uniform(1, 40), 1)
    if rng.random() < 0.5:
        data["breakdown"] = breakdown  # the denominator split by category
    else:
        shares = {k: pct(v, denominator) for k, v in breakdown.items()}
        data["breakdown"] = shares
    return kind, data


def test_no_random_breakdown_gives_a_withheld_cell_away():
    rng = random.Random(23)
    problems, withheld = [], 0
    for i in range(3000):
        kind, data = _random_result(rng)
        out = suppress_result(data, kind)
        cells = [*out.values(), *(out.get("breakdown") or {}).values()]
        withheld += sum(1 for v in cells if v == "c")
        problems += findings(f"random {i} {data}", kind, data, out)
    assert problems == []
    assert withheld > 1000


# --- Published snapshots over generated authorities ---------------------------------------------------


def _publish_and_check(publisher):
    checked = withheld = 0
    for kind, kwargs in [("dashboard", {"as_at": TODAY}), ("annual", {"year": 2024})]:
        snapshot = snapshot_publish(kind=kind, by=publisher, **kwargs)
        assert snapshot.suppress_small_numbers
        shown = report_for_board(snapshot.data, suppress=True)
        problems, results, hidden = report_findings(snapshot.data, shown)
        assert problems == [], problems[:20]
        checked += results
        withheld += hidden
    return checked, withheld


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_published_snapshots_of_the_small_authority_give_nothing_away(db, frozen):
    call_command("generate_data", scale="small", seed=5, today=TODAY, stdout=StringIO())
    publisher = make_user(None, username="publisher")
    checked, withheld = _publish_and_check(publisher)
    assert checked > 100 and withheld > 20, (checked, withheld)


def test_a_tiny_authority_with_many_small_counts_gives_nothing_away(db, frozen, monkeypatch):
    monkeypatch.setitem(
        SCALES,
        "tiny",
        {"in_care": 14, "years": 2, "iros": 2, "teams": 1, "areas": 2, "cp_plans": 6, "waiting": 1},
    )
    call_command("generate_data", scale="tiny", seed=11, today=TODAY, stdout=StringIO())
    publisher = make_user(None, username="publisher")
    checked, withheld = _publish_and_check(publisher)
    assert checked > 100 and withheld > 50, (checked, withheld)


def test_the_board_sees_c_explained_once_on_the_page(db, frozen, board_member, login):
    call_command("generate_data", scale="small", seed=5, today=TODAY, stdout=StringIO())
    publisher = make_user(None, username="publisher")
    snapshot = snapshot_publish(kind="dashboard", by=publisher, as_at=TODAY)
    page = login(board_member).get(reverse("reporting:snapshot", args=[snapshot.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count(LEGEND) == 1
    assert "&lt;5" not in body and "[c]" not in body
    assert ">c<" in body  # some cell is withheld
    assert Snapshot.objects.filter(pk=snapshot.pk, suppress_small_numbers=True).exists()
