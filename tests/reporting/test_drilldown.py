"""A figure's drill-down lists every record behind the number: each row names its child as the
reader may see them (name and LA id, linked, or "Restricted record"), gives the reason the
child counts (the figure's own columns, and days late where there are due and held dates), and
sorts by its columns (MOJ Frontend's sortable table, with data-sort-value on dates and numbers).

REV-03 (reviews on time) in 2024/25 with three children: Ada's review held on its due date,
Ben's held 3 days late (restricted, not allocated to anyone), Cal's missed."""

import re
from datetime import date

import pytest
from django.urls import reverse

from iro.access import RESTRICTED_RECORD
from reviews.models import ReviewStatus
from tests.iro.factories import CareEpisodeFactory, ChildFactory
from tests.reviews.factories import ReviewFactory, held_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviews(iro_allocated):
    ada = ChildFactory(la_child_id="C0001001", first_name="Ada", last_name="Atkins")
    ben = ChildFactory(la_child_id="C0001002", first_name="Ben", last_name="Blake", restricted=True)
    cal = ChildFactory(la_child_id="C0001003", first_name="Cal", last_name="Cole")
    for child in (ada, ben, cal):
        CareEpisodeFactory(child=child, start=date(2024, 1, 1))
    start = {"period_start": date(2024, 1, 1)}
    held_review(
        chair=iro_allocated, child=ada, held_on=date(2024, 5, 10), due_date=date(2024, 5, 10),
        **start,
    )  # fmt: skip
    held_review(
        chair=iro_allocated, child=ben, held_on=date(2024, 6, 13), due_date=date(2024, 6, 10),
        **start,
    )  # fmt: skip
    ReviewFactory(child=cal, due_date=date(2024, 7, 1), status=ReviewStatus.MISSED, **start)
    return ada, ben, cal


def _rows(response) -> list[tuple[str, list[str]]]:
    return [(row["child"], [c["text"] for c in row["cells"]]) for row in response.context["rows"]]


def test_rev03_lists_every_review_with_due_held_and_days_late(reviews, team_manager, login):
    url = reverse("reporting:figure-rows", args=["REV-03", 2024])
    response = login(team_manager).get(url, {"cell": "held late"})
    assert response.context["headings"] == [
        "Child",
        "Sequence",
        "Due",
        "Held",
        "Status",
        "Days late",
    ]
    assert _rows(response) == [
        ("Ben Blake (C0001002)", ["First review", "10 Jun 2024", "13 Jun 2024", "Held", "3"])
    ]
    every = login(team_manager).get(url, {"cell": "2024-05"})
    assert _rows(every) == [
        ("Ada Atkins (C0001001)", ["First review", "10 May 2024", "10 May 2024", "Held", "0"])
    ]
    body = every.content.decode()
    assert 'data-module="moj-sortable-table"' in body
    assert body.count('aria-sort="none"') == 6
    # Dates sort by their ISO value, numbers by their value, the child by name.
    assert 'data-sort-value="2024-05-10">10 May 2024<' in body
    assert 'data-sort-value="0">0<' in body
    ada = reviews[0]
    assert f'<a class="govuk-link" href="{reverse("children:detail", args=[ada.pk])}">' in body
    assert "Child record" not in body


def test_a_restricted_child_is_a_restricted_record_that_still_counts(
    reviews, performance_officer, login
):
    url = reverse("reporting:figure-rows", args=["REV-03", 2024])
    response = login(performance_officer).get(url, {"cell": "held late"})
    assert response.context["total"] == 1 and response.context["hidden"] == 1
    # The reason it counts stays; the name, LA id and link do not.
    assert _rows(response) == [
        (RESTRICTED_RECORD, ["First review", "10 Jun 2024", "13 Jun 2024", "Held", "3"])
    ]
    body = response.content.decode()
    assert "Blake" not in body and "C0001002" not in body
    assert not re.search(r'href="/children/\d+/"', body)
    assert "1 record outside your access" in body


def test_cla05_names_each_child_or_a_restricted_record(
    reviews, head_of_service, team_manager, login
):
    """A figure whose rows carry no due or held dates: CLA-05 (children looked after at any time
    in the year) lists the child and the episode's dates, without a days-late column."""
    url = reverse("reporting:figure-rows", args=["CLA-05", 2024])
    manager = login(team_manager).get(url)
    children = sorted(child for child, _cells in _rows(manager))
    assert children == ["Ada Atkins (C0001001)", "Ben Blake (C0001002)", "Cal Cole (C0001003)"]
    assert "Days late" not in manager.context["headings"]
    assert manager.context["headings"][0] == "Child"
    assert not {"LA child ID", "First name", "Last name"} & set(manager.context["headings"])
    head = login(head_of_service).get(url)
    assert [child for child, _cells in _rows(head)] == [RESTRICTED_RECORD] * 3
    assert head.context["hidden"] == 3 and head.context["total"] == 3
    body = head.content.decode()
    assert not {"Atkins", "Blake", "Cole", "C000100"} & {w for w in body.split() if w}
    assert "C000100" not in body
