"""Lists of children in reports, exports, drill-downs and the CP panel lists go through
iro.access.split_visible: every child counts, but a reader outside a child's access set sees
"N records outside your access" instead of the child's name or LA id.

CP-14 (plans lasting 15 months or more, the panel list) with two children on long plans: one
restricted and allocated to an IRO, one allocated to the same IRO. The performance officer sees
the unrestricted one; the head of service (no children of their own) neither; the team manager
both. The figure is 2 for every one of them."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from iro.access import children_visible_to, hidden_records_text, split_visible
from iro.models import StaffRecord
from reporting.figures import REGISTRY
from reviews.models import IroContact, MidwayReview
from tests.iro.factories import AllocationFactory, ChildFactory
from tests.protection.factories import ProtectionPlanFactory
from tests.reporting.helpers import get_following_word_build

pytestmark = pytest.mark.django_db

ON = "2026-03-31"


@pytest.fixture
def long_plans(iro_allocated):
    seen = ChildFactory(la_child_id="C0000101", first_name="Olwen", last_name="Openshaw")
    hidden = ChildFactory(
        la_child_id="C0000202", first_name="Saffron", last_name="Secretan", restricted=True
    )
    for child in (seen, hidden):
        AllocationFactory(child=child, iro=iro_allocated)
        ProtectionPlanFactory(child=child, start=date(2024, 6, 1), chair=iro_allocated)
    return seen, hidden


def _book_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        " ".join(str(v) for v in row if v is not None)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        lines += [" ".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(lines)


def _report_texts(client) -> dict[str, str]:
    page = client.get(reverse("reporting:annual", args=[2025]))
    assert page.status_code == 200
    return {
        "page": page.content.decode(),
        "xlsx": _book_text(client.get(reverse("reporting:annual-xlsx", args=[2025])).content),
        "csv": client.get(reverse("reporting:annual-csv", args=[2025])).content.decode(),
        "docx": _docx_text(
            get_following_word_build(client, reverse("reporting:annual-docx", args=[2025])).content
        ),
    }


def test_split_visible_keeps_the_order_and_counts_the_rest(long_plans, performance_officer):
    seen, hidden = long_plans
    items = [hidden, seen, hidden]
    shown, count = split_visible(performance_officer, items)
    assert shown == [seen] and count == 2
    rows = [["C0000202", "x"], ["C0000101", "y"], [None, "no child"]]
    shown, count = split_visible(performance_officer, rows, child=lambda r: r[0], by="la_child_id")
    assert shown == [["C0000101", "y"], [None, "no child"]] and count == 1
    assert hidden_records_text(0) == ""
    assert hidden_records_text(1) == "1 record outside your access"
    assert hidden_records_text(1234) == "1,234 records outside your access"


@pytest.mark.parametrize(
    ("persona", "named", "hidden"),
    [
        ("performance_officer", {"C0000101"}, 1),
        ("head_of_service", set(), 2),
        ("team_manager", {"C0000101", "C0000202"}, 0),
    ],
)
def test_the_annual_report_and_its_exports_name_only_visible_children(
    long_plans, personas, persona, named, hidden, login
):
    user = personas[persona]
    visible = set(children_visible_to(user).values_list("la_child_id", flat=True))
    texts = _report_texts(login(user))
    # The CSV download holds figures only (one line per figure and breakdown cell): it names no
    # child at all, whoever reads it.
    csv_text = texts.pop("csv")
    assert not {la_id for la_id in ("C0000101", "C0000202") if la_id in csv_text}
    assert "Saffron" not in csv_text
    for kind, text in texts.items():
        found = {la_id for la_id in ("C0000101", "C0000202") if la_id in text}
        assert found == named, kind
        assert found <= visible, kind
        assert ("Saffron" in text) is ("C0000202" in named), kind
        if hidden:
            assert hidden_records_text(hidden) in text, kind
        else:
            assert "outside your access" not in text, kind
    # The figure counts both children, whoever reads it.
    cp14 = texts["page"].split('id="figure-CP-14"')[1]
    rows = reverse("reporting:figure-rows", args=["CP-14", 2025])
    assert f'href="{rows}">2</a>' in cp14


@pytest.mark.parametrize(
    ("persona", "named", "hidden"),
    [
        ("performance_officer", {"C0000101"}, 1),
        ("head_of_service", set(), 2),
        ("team_manager", {"C0000101", "C0000202"}, 0),
    ],
)
def test_the_cp14_drill_down_counts_every_child_and_names_the_visible(
    long_plans, personas, persona, named, hidden, login
):
    response = login(personas[persona]).get(reverse("reporting:figure-rows", args=["CP-14", 2025]))
    body = response.content.decode()
    assert response.context["total"] == 2 and response.context["hidden"] == hidden
    assert {la_id for la_id in ("C0000101", "C0000202") if la_id in body} == named
    if hidden:
        assert hidden_records_text(hidden) in body


@pytest.mark.parametrize(
    ("persona", "named", "hidden"),
    [
        ("performance_officer", {"C0000101"}, 1),
        ("iro_other", set(), 2),
        ("iro_allocated", {"C0000101", "C0000202"}, 0),
        ("team_manager", {"C0000101", "C0000202"}, 0),
    ],
)
def test_the_panel_list_and_its_exports_count_every_plan_and_name_the_visible(
    long_plans, personas, persona, named, hidden, login
):
    client = login(personas[persona])
    url = reverse("protection:plan_list")
    page = client.get(url, {"duration": "15", "on": ON})
    assert page.status_code == 200
    assert page.context["summary"]["at_15_months"] == 2
    texts = {
        "page": page.content.decode(),
        "csv": client.get(url, {"duration": "15", "on": ON, "export": "csv"}).content.decode(),
        "xlsx": _book_text(client.get(url, {"duration": "15", "on": ON, "export": "xlsx"}).content),
    }
    for kind, text in texts.items():
        assert {la_id for la_id in ("C0000101", "C0000202") if la_id in text} == named, kind
        assert ("Saffron" in text) is ("C0000202" in named), kind
        if hidden:
            assert hidden_records_text(hidden) in text, kind
        else:
            assert "outside your access" not in text, kind


def test_a_staff_drill_down_lists_staff_not_filtered_as_children(
    iro_allocated, iro_other, performance_officer, login
):
    """IRO-03 (establishment) lists IROs: its rows are not children, so the reader's access to
    children does not filter them and they carry no link to a child record."""
    for user in (iro_allocated, iro_other):
        StaffRecord.objects.create(
            user=user, valid_from=date(2020, 1, 1), fte=Decimal("1.00"), contract="permanent"
        )
    response = login(performance_officer).get(
        reverse("reporting:figure-rows", args=["IRO-03", 2025])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["hidden"] == 0
    assert response.context["page"].paginator.count == response.context["total"] >= 2
    assert "Adeyemi" in body and "Bennett" in body
    assert "Child record" not in body


def test_qa01_drill_down_opens_for_the_number_and_every_cell(
    iro_allocated, child, performance_officer, login
):
    hidden = ChildFactory(la_child_id="C0000303", restricted=True)
    for kid in (child, hidden):
        IroContact.objects.create(
            child=kid, iro=iro_allocated, contact_on=date(2025, 6, 2), kind="visit"
        )
        MidwayReview.objects.create(
            child=kid,
            iro=iro_allocated,
            held_on=date(2025, 7, 1),
            plan_on_track=True,
            recommendations_progressing=True,
        )
    client = login(performance_officer)
    url = reverse("reporting:figure-rows", args=["QA-01", 2025])
    for cell, total in ((None, 4), ("visit", 2), ("midway", 2)):
        response = client.get(url, {"cell": cell} if cell else {})
        assert response.status_code == 200, cell
        assert response.context["total"] == total, cell
        assert response.context["page"].paginator.count == total, cell
        assert response.context["hidden"] == total // 2, cell
        body = response.content.decode()
        assert child.la_child_id in body and "C0000303" not in body
    assert REGISTRY["QA-01"].has_rows
