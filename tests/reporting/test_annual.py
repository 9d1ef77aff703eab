"""The annual report: its data, page, drill-down, exports and the annual_report command."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from reporting.annual_data import build_report, direction, rag, report_json, targets_for
from reporting.exports.tables import sheet_name
from reporting.figures import REGISTRY, SECTIONS, Period
from reporting.figures.context import target_for
from reporting.models import Benchmark, ReportDownload, Target
from reporting.tasks import build_report_download
from tests.iro.factories import CareEpisodeFactory, ChildFactory

YEAR = Period.year(2024)


@pytest.fixture
def starters_data(db):
    """2024/25: 3 girls and 2 boys start care (April x2, May, Jan, Mar); 2023/24: 1 girl, 1 boy.
    Plus an episode in April 2025 (next year) and a non-starting episode (RNE P) in the year."""
    made = []
    for sex, start in [
        ("F", date(2024, 4, 1)),
        ("F", date(2024, 4, 30)),
        ("M", date(2024, 5, 15)),
        ("F", date(2025, 1, 2)),
        ("M", date(2025, 3, 31)),
        ("F", date(2023, 9, 9)),
        ("M", date(2024, 3, 31)),
        ("M", date(2025, 4, 1)),
    ]:
        child = ChildFactory(sex=sex, first_name=f"Kid{len(made)}")
        CareEpisodeFactory(child=child, start=start)
        made.append(child)
    made[0].episodes.update(end=date(2024, 6, 1), reason_ceased="X1")
    CareEpisodeFactory(child=made[0], start=date(2024, 6, 1), reason_new_episode="P")
    return made


def _entry(report, fid):
    for section in report["sections"]:
        for entry in section["figures"]:
            if entry["id"] == fid:
                return entry
    raise AssertionError(fid)


# --- RAG and direction ---------------------------------------------------------------------------


def test_rag_for_higher_is_better():
    assert rag(95, 95, "higher", 5) == "green"
    assert rag(90, 95, "higher", 5) == "amber"
    assert rag(89.9, 95, "higher", 5) == "red"
    assert rag(None, 95, "higher") is None
    assert rag(90, None, "higher") is None
    assert rag(90, 95, "neither") is None


def test_rag_for_lower_is_better():
    assert rag(10, 12, "lower", 2) == "green"
    assert rag(14, 12, "lower", 2) == "amber"
    assert rag(14.5, 12, "lower", 2) == "red"


def test_direction_of_travel_judges_by_the_better_side():
    assert direction(80, 70, "higher")["judgement"] == "better"
    assert direction(80, 70, "lower")["judgement"] == "worse"
    assert direction(80, 70, "neither")["judgement"] == "neutral"
    assert direction(5, 5, "higher")["arrow"] == "same"
    assert direction(None, 5, "higher") is None


# --- Report data ---------------------------------------------------------------------------------


def test_report_has_sections_in_order_with_current_and_previous(starters_data, test_figures):
    report = build_report(YEAR)
    keys = [s["key"] for s in report["sections"]]
    assert keys == [k for k in SECTIONS if k in keys]
    assert {"children_in_care", "reviews", "child_protection"} <= set(keys)
    count = _entry(report, "TST-01")
    assert count["result"]["value"] == 5
    assert count["previous"]["value"] == 2
    assert count["result"]["breakdown"] == {"M": 2, "F": 3}
    assert count["result"]["months"]["2024-04"] == 2
    assert count["result"]["months"]["2025-03"] == 1
    assert sum(count["result"]["months"].values()) == 5
    assert list(count["result"]["months"]) == YEAR.month_keys
    assert count["rag"] is None  # no target


def test_targets_come_from_settings_over_the_definition(starters_data, test_figures):
    report = build_report(YEAR)
    girls = _entry(report, "TST-02")
    assert (girls["result"]["value"], girls["target"]) == (60.0, 80.0)
    assert girls["rag"] == "red"  # 60 is more than 5 points below 80
    assert girls["direction"]["judgement"] == "better"  # 50% -> 60%
    Target.objects.create(figure_id="TST-02", value=62, amber_margin=3)
    girls = _entry(build_report(YEAR), "TST-02")
    assert (girls["target"], girls["amber_margin"], girls["rag"]) == (62.0, 3.0, "amber")
    assert targets_for(["TST-02"])["TST-02"][0] == float(target_for(REGISTRY["TST-02"]))


def test_benchmarks_sit_beside_our_figures(starters_data, test_figures):
    Benchmark.objects.create(figure_id="TST-04", scope="england", year=2023, value=71, source="DfE")
    Benchmark.objects.create(figure_id="TST-04", scope="england", year=2024, value=70, source="DfE")
    Benchmark.objects.create(figure_id="TST-04", scope="region", year=2025, value=1, source="Later")
    ext = _entry(build_report(YEAR), "TST-04")
    assert [(b["label"], b["year"], b["value"]) for b in ext["benchmarks"]] == [
        ("England", 2024, 70.0)
    ]


def test_json_command_prints_every_figure(starters_data, test_figures, capsys):
    call_command("annual_report", "--year", "2024", "--json")
    data = json.loads(capsys.readouterr().out)
    assert (data["year"], data["start"], data["end"]) == ("2024-25", "2024-04-01", "2025-03-31")
    assert set(data["figures"]) == set(REGISTRY)
    tst = data["figures"]["TST-01"]
    assert tst["value"] == 5 and isinstance(tst["value"], int)
    assert tst["previous"] == 2
    assert tst["breakdown"] == {"M": 2, "F": 3}
    assert tst["months"]["2024-05"] == 1
    girls = data["figures"]["TST-02"]
    assert (girls["value"], girls["numerator"], girls["denominator"]) == (60.0, 3, 5)
    assert girls["previous"] == 50.0
    assert data["figures"]["CLA-01"]["kind"] == "COUNT"


def test_real_figures_in_the_json_and_on_the_page(starters_data, performance_officer, login):
    data = report_json(YEAR)
    # Looked after on 31 March 2025: every episode above is open, except the one from 1 April 2025.
    assert data["figures"]["CLA-01"]["value"] == 7
    assert data["figures"]["CLA-01"]["previous"] == 2  # 2023-09-09 and 2024-03-31
    assert data["figures"]["REV-01"]["value"] == 0
    page = login(performance_officer).get(reverse("reporting:annual", args=[2024]))
    body = page.content.decode()
    assert 'id="figure-CLA-01"' in body and 'id="figure-REV-01"' in body
    cla = reverse("reporting:figure-rows", args=["CLA-01", 2024])
    assert f'href="{cla}">7</a>' in body
    # The rate's denominator is the population: nothing to drill into.
    assert f"{cla}?cell=denominator" not in body


# --- Page, drill-down and permissions ------------------------------------------------------------


def test_page_shows_sections_charts_tables_and_links(
    starters_data, test_figures, performance_officer, login
):
    response = login(performance_officer).get(reverse("reporting:annual", args=[2024]))
    assert response.status_code == 200
    body = response.content.decode()
    for title in ("Children in care", "Reviews", "Child protection"):
        assert f">{title}</h2>" in body
    assert body.count('role="img"') >= 2  # TST-01's breakdown and monthly charts
    rows = reverse("reporting:figure-rows", args=["TST-01", 2024])
    assert f'href="{rows}">5</a>' in body
    assert f'href="{rows}?cell=F">3</a>' in body
    assert f'href="{rows}?cell=2024-04">2</a>' in body
    prev = reverse("reporting:figure-rows", args=["TST-01", 2023])
    assert f'href="{prev}">2</a>' in body
    assert "Figures as at" in body
    assert "govuk-tag--red" in body  # TST-02 against its target
    girls = reverse("reporting:figure-rows", args=["TST-02", 2024])
    assert f'href="{girls}?cell=denominator">5</a>' in body


def test_the_rendered_sections_are_kept_with_the_figures_and_go_with_them(
    starters_data, test_figures, performance_officer, team_manager, login
):
    """The sections' HTML is rendered once per computed report: a second reader gets the same
    page from the cache, and once the figures are worked out again the page shows the change."""
    url = reverse("reporting:annual", args=[2024])
    rows = reverse("reporting:figure-rows", args=["TST-01", 2024])
    officer = login(performance_officer)
    first = officer.get(url).content.decode()
    assert f'href="{rows}">5</a>' in first
    CareEpisodeFactory(child=ChildFactory(sex="F"), start=date(2024, 7, 1))
    manager_page = login(team_manager).get(url).content.decode()
    assert f'href="{rows}">5</a>' in manager_page  # the figures are as at their computation
    assert officer.post(reverse("reporting:annual-refresh", args=[2024])).status_code == 302
    again = officer.get(url).content.decode()
    assert f'href="{rows}">6</a>' in again and f'href="{rows}">5</a>' not in again


@pytest.mark.parametrize("persona", ["team_manager", "head_of_service", "performance_officer"])
def test_managers_and_officers_may_open_the_report(persona, personas, login):
    assert login(personas[persona]).get(reverse("reporting:annual", args=[2024])).status_code == 200


@pytest.mark.parametrize("persona", ["board_member", "iro_allocated", "administrator"])
def test_others_cannot_open_the_report_or_its_exports_or_drilldown(persona, personas, login):
    client = login(personas[persona])
    for name in ("annual", "annual-xlsx", "annual-csv", "annual-docx"):
        assert client.get(reverse(f"reporting:{name}", args=[2024])).status_code == 403, name
    assert client.get(reverse("reporting:annual-index")).status_code == 403
    url = reverse("reporting:figure-rows", args=["CLA-01", 2024])
    assert client.get(url).status_code == 403


def test_drilldown_lists_the_records_the_user_may_see(
    starters_data, test_figures, performance_officer, login
):
    starters_data[1].restricted = True
    starters_data[1].save()
    client = login(performance_officer)
    url = reverse("reporting:figure-rows", args=["TST-01", 2024])
    response = client.get(url, {"cell": "F"})
    body = response.content.decode()
    assert response.context["total"] == 3
    assert response.context["page"].paginator.count == 3
    assert response.context["hidden"] == 1
    assert "1 record outside your access" in body
    assert body.count("Restricted record") == 1  # the row; the line above explains it
    assert starters_data[0].la_child_id in body and starters_data[1].la_child_id not in body
    assert reverse("children:detail", args=[starters_data[0].pk]) in body
    month = client.get(url, {"cell": "2024-04"})
    assert month.context["total"] == 2


def test_drilldown_query_count_is_constant(
    test_figures, performance_officer, login, django_assert_max_num_queries
):
    for i in range(3):
        CareEpisodeFactory(child=ChildFactory(), start=date(2024, 5, 1 + i))
    client = login(performance_officer)
    url = reverse("reporting:figure-rows", args=["TST-01", 2024])
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for i in range(20):
        CareEpisodeFactory(child=ChildFactory(), start=date(2024, 6, 1 + i))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).context["page"].paginator.count == 23


def test_unknown_figure_and_year_are_404(performance_officer, login):
    client = login(performance_officer)
    assert client.get(reverse("reporting:figure-rows", args=["NOPE-1", 2024])).status_code == 404
    assert client.get(reverse("reporting:annual", args=[1900])).status_code == 404


def test_index_lists_years_with_data(starters_data, performance_officer, login):
    response = login(performance_officer).get(reverse("reporting:annual-index"))
    years = [p.start.year for p in response.context["years"]]
    assert years[-1] == 2023 and 2024 in years


def test_performance_officer_home_lists_the_annual_reports(
    starters_data, performance_officer, login
):
    body = login(performance_officer).get(reverse("home")).content.decode()
    assert "coming soon" not in body
    assert reverse("reporting:annual", args=[2024]) in body
    assert reverse("reporting:annual", args=[2023]) in body


# --- Exports -------------------------------------------------------------------------------------


def test_xlsx_has_a_sheet_per_section_with_real_numbers(
    starters_data, test_figures, performance_officer, login
):
    response = login(performance_officer).get(reverse("reporting:annual-xlsx", args=[2024]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    report = build_report(YEAR)
    # A contents sheet, then a sheet per section, named after it within Excel's 31 characters.
    used: set[str] = {"contents"}
    assert book.sheetnames == ["Contents"] + [
        sheet_name(s["title"], used) for s in report["sections"]
    ]
    assert "Monitoring & quality assurance" in book.sheetnames
    sheet = book["Children in care"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    title_at = next(i for i, r in enumerate(rows) if r[0] == "TST-01 Test starters")
    value_row = rows[title_at + 2]
    assert value_row[:3] == ["Test starters (children)", 5, 2]
    assert isinstance(value_row[1], int)
    assert next(r for r in rows[title_at:] if r[0] == "Female")[:3] == ["Female", 3, 1]


def test_csv_has_one_line_per_figure_and_breakdown_cell(
    starters_data, test_figures, performance_officer, login
):
    response = login(performance_officer).get(reverse("reporting:annual-csv", args=[2024]))
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == [
        "Figure id",
        "Title",
        "Period",
        "Breakdown",
        "Breakdown label",
        "Value",
        "Numerator",
        "Denominator",
        "Unit",
    ]
    tst = [line for line in lines if line[0] == "TST-01"]
    assert tst[0][:6] == ["TST-01", "Test starters", "2024/25", "", "", "5"]
    assert ["TST-01", "Test starters", "2024/25", "F", "Female", "3"] in [t[:6] for t in tst]
    assert ["TST-01", "Test starters", "2024/25", "M", "Male", "2"] in [t[:6] for t in tst]
    assert ["TST-01", "Test starters", "2023/24", "", "", "2"] in [t[:6] for t in tst]
    pct = next(line for line in lines if line[0] == "TST-02" and line[2] == "2024/25")
    assert pct[8] == "%" and pct[6] and pct[7]  # a percentage carries its numerator and denominator


def test_json_has_every_figure_by_id(starters_data, test_figures, performance_officer, login):
    response = login(performance_officer).get(reverse("reporting:annual-json", args=[2024]))
    assert response["Content-Disposition"].endswith('iro-annual-report-2024-25.json"')
    data = response.json()
    assert (data["year"], data["start"], data["end"]) == ("2024-25", "2024-04-01", "2025-03-31")
    assert set(data["figures"]) == set(REGISTRY)
    starters = data["figures"]["TST-01"]
    assert (starters["value"], starters["previous"]) == (5, 2)
    assert starters["breakdown"] == {"F": 3, "M": 2}
    assert starters["breakdown_labels"]["M"] == "Male"
    assert data["figures"]["TST-02"]["unit"] == "%"


@pytest.mark.parametrize("persona", ["board_member", "iro_allocated", "administrator", "iro_other"])
@pytest.mark.parametrize("name", ["reporting:annual-json", "reporting:annual-csv"])
def test_figure_downloads_are_not_for_others(persona, name, personas, login):
    response = login(personas[persona]).get(reverse(name, args=[2024]))
    assert response.status_code == 403
    assert b"figures" not in response.content and b"Figure id" not in response.content


def test_text_cells_are_escaped_against_formulas(test_figures, performance_officer, login):
    CareEpisodeFactory(child=ChildFactory(la_child_id="=HYPERLINK(1)"), start=date(2024, 5, 1))
    client = login(performance_officer)
    book = load_workbook(
        io.BytesIO(client.get(reverse("reporting:annual-xlsx", args=[2024])).content)
    )
    values = [c for row in book["Child protection"].iter_rows(values_only=True) for c in row]
    assert "'=HYPERLINK(1)" in values and "=HYPERLINK(1)" not in values
    # The CSV holds figures only (every cell escaped by iro.exports.csv_response): no record's
    # text reaches it.
    text = client.get(reverse("reporting:annual-csv", args=[2024])).content.decode()
    assert "HYPERLINK" not in text and "CLA-01" in text


def test_docx_holds_every_table_and_a_chart_per_chart(
    starters_data, test_figures, performance_officer, login
):
    client = login(performance_officer)
    started = client.get(reverse("reporting:annual-docx", args=[2024]))
    job = ReportDownload.objects.get()
    assert started.url == reverse("reporting:report-download", args=[job.pk])
    assert build_report_download(job.pk) == "done"  # the Celery task, run here in-process
    response = client.get(reverse("reporting:report-download-file", args=[job.pk]))
    doc = Document(io.BytesIO(response.content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "TST-01 Test starters" in headings and "Children in care" in headings
    cells = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert ["Female", "3", "1"] in cells
    assert len(doc.inline_shapes) >= 2


def test_word_charts_are_the_pages_svg_drawn_by_cairo_or_else_by_matplotlib(monkeypatch):
    """Each Word chart is the page's own SVG (640 wide) drawn at 1.5 times: 960 pixels across,
    with its caption. Without the cairo library, matplotlib draws the same specification."""
    from PIL import Image

    from reporting.exports import chart_images, word

    spec = {
        "type": "bar",
        "title": "Children by sex",
        "labels": ["Male", "Female"],
        "series": [["2024/25", [12, 9]], ["2023/24", [10, 11]]],
        "unit": "",
    }
    drawn = Image.open(io.BytesIO(chart_images.chart_png(spec)))
    assert drawn.format == "PNG" and drawn.width == 960
    # The bars are drawn in the page's series colours.
    colours = {colour for _count, colour in drawn.convert("RGB").getcolors(1_000_000)}
    assert (0x1D, 0x70, 0xB8) in colours
    document = Document(
        io.BytesIO(
            word.write_docx(
                {"title": "Report"},
                [{"title": "Children", "figures": [
                    {"id": "T-1", "title": "Sex", "tables": [], "charts": [spec],
                     "result": {}},
                ]}],
            )
        )
    )  # fmt: skip
    assert "Chart: Children by sex" in [p.text for p in document.paragraphs]
    assert len(document.inline_shapes) == 1

    monkeypatch.setattr(chart_images, "_cairo", lambda: None)
    fallback = Image.open(io.BytesIO(chart_images.chart_png(spec)))
    assert fallback.format == "PNG" and fallback.width == 770  # 7 inches at 110 dpi
