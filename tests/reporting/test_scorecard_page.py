"""The scorecard page: the latest month first, any month with data can be picked (a GET form),
the measure column stays in view (sticky CSS in app.css), and RAG in words as well as colour."""

import re
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reporting import caching
from reporting.dashboard_data import build_scorecard
from reporting.figures import Period
from reporting.models import Target
from reporting.web.scorecard_extras import rag_words
from tests.iro.factories import CareEpisodeFactory, ChildFactory
from tests.reviews.factories import held_review

NOW = datetime(2025, 4, 10, 10, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        caching.invalidate()
        yield


def test_latest_month_first_any_month_picked_and_rag_in_words(
    db, frozen, iro_allocated, performance_officer, login
):
    kids = [ChildFactory(first_name=f"Score{i}") for i in range(2)]
    for kid in kids:
        CareEpisodeFactory(child=kid, start=date(2024, 1, 5))
    held_review(chair=iro_allocated, child=kids[0], held_on=date(2024, 6, 3))
    # CP-14 (lower is better) is 0 in March 2025: on its target of 0, so green.
    Target.objects.create(figure_id="CP-14", value=0, amber_margin=0)
    client = login(performance_officer)
    page = client.get(reverse("reporting:scorecard"))
    body = page.content.decode()
    # The month picker: every complete month with data, January 2024 to March 2025, newest first.
    choices = page.context["month_choices"]
    assert choices[0] == ("2025-03", "March 2025") and choices[-1] == ("2024-01", "January 2024")
    assert len(choices) == 15
    assert '<form method="get" action="/reporting/scorecard/"' in body
    assert '<option value="2025-03" selected>' in body
    # Month columns: latest first.
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)', body)
    months = [h.strip() for h in headers if re.fullmatch(r"[A-Z][a-z]{2} \d{4}", h.strip())]
    assert months[:2] == ["Mar 2025", "Feb 2025"] and months[-1] == "Mar 2024"
    # Picking a month shows the 13 months to it.
    picked = client.get(reverse("reporting:scorecard"), {"end": "2024-06"})
    assert picked.context["end"] == Period.month(2024, 6)
    assert '<option value="2024-06" selected>' in picked.content.decode()
    # RAG in words: each row's tag says what its colour means against the target.
    data = build_scorecard(Period.month(2025, 3))
    ragged = [r for r in data["rows"] if r["rag"]]
    assert ragged, "a scorecard measure must have a target to test RAG"
    for row in ragged:
        cell = re.search(
            rf'data-figure="{row["id"]}".*?data-testid="rag">(.*?)</td>', body, re.S
        ).group(1)
        words = {"green": "Green: meets target", "amber": "Amber: just ", "red": "Red: "}
        assert words[row["rag"]] in cell
        if row["rag"] == "red":
            assert ("below target" if row["better"] == "higher" else "above target") in cell


@pytest.mark.parametrize(
    ("rag", "better", "words"),
    [
        ("green", "higher", "Green: meets target"),
        ("amber", "higher", "Amber: just below target"),
        ("red", "higher", "Red: below target"),
        ("green", "lower", "Green: meets target"),
        ("amber", "lower", "Amber: just above target"),
        ("red", "lower", "Red: above target"),
        (None, "higher", ""),
    ],
)
def test_rag_is_said_in_words(rag, better, words):
    assert rag_words(rag, better) == words


def test_the_measure_column_is_sticky_in_app_css():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    rule = css[css.index(".app-scorecard-table th.app-scorecard-measure") :]
    rule = rule[: rule.index("}")]
    assert "position: sticky" in rule and "left: 0" in rule


def test_a_month_that_is_not_a_month_is_not_found(db, frozen, performance_officer, login):
    response = login(performance_officer).get(reverse("reporting:scorecard"), {"end": "2025-13"})
    assert response.status_code == 404
