"""The annual report page and its exports (the drill-down is reporting.web.drilldown)."""

import hashlib
import json

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from iro.exports import csv_response, xlsx_response
from reporting import caching, headlines
from reporting.annual_data import report_json_from, years_with_data
from reporting.commentary import commentary_for
from reporting.exports.tables import figure_csv_rows, write_xlsx
from reporting.exports.word import uk_date
from reporting.figures import SECTIONS, Period
from reporting.presentation import Presenter, mask_child_lists
from reporting.web.common import (
    as_at_text,
    require_perm,
    year_period,
)

# The rendered sections are named by their content (see _sections_html), so they may be kept
# longer than the figures: an hour, or until "work the figures out again" drops every entry.
RENDERED_SECONDS = 60 * 60


def annual_data(period: Period) -> dict:
    return caching.annual(period)


def export_meta(report: dict) -> dict:
    period, before = report["period"], report["previous_period"]
    return {
        "title": report["title"],
        "lines": [
            f"Reporting year {period['title']}: {uk_date(period['start'])} to "
            f"{uk_date(period['end'])}",
            f"Compared with {before['title']}",
            f"Figures as at {as_at_text(report['as_at'])}",
        ],
    }


@require_safe
def annual_index(request):
    require_perm(request, "reporting.view_reports")
    years = [Period.year(y) for y in years_with_data()]
    return render(request, "reporting/annual_index.html", {"years": years})


def _sections_html(report: dict, period: Period, drill: int | None, shown: str) -> str:
    """The report's contents and sections as HTML. Rendering its 200-odd tables and charts costs
    more than the rest of the page together, and the result depends only on the computed report,
    on whether the reader gets drill-down links and on which children its lists name to this
    reader (`shown`, from present.mask_child_lists), so it is rendered once per computed report
    (a digest of its figures is in the key) and kind of reader, and kept in the cache.
    The drill-down pages themselves check what each reader may see (iro/access.py)."""

    def build() -> str:
        sections = Presenter(report, drill_year=drill).sections()
        before = report["previous_period"]["title"]
        for section in sections:
            section["headlines"] = headlines.section_headlines(section, before)
        return render_to_string("reporting/_annual_sections.html", {"sections": sections})

    # Keyed by the figures' content, not their as-at time: when beat works the report out again
    # (caching.warm_dashboards) and nothing has changed, the rendered sections still serve.
    content = json.dumps(
        [report["sections"], report["previous_period"]], sort_keys=True, default=str
    )
    digest = hashlib.sha256(content.encode()).hexdigest()[:20]
    html = caching.cached(
        ("annual-html", period.label, digest, drill, shown), build, ttl=RENDERED_SECONDS
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, which escaped it


def _with_commentary(html: str, year: int, *, can_edit: bool) -> str:
    """The cached sections with each section's commentary for the year put in its place (the
    commentary is read on every request, so an edit shows at once)."""
    texts = commentary_for(year)
    for key in SECTIONS:
        block = render_to_string(
            "reporting/_section_commentary.html",
            {"text": texts.get(key, ""), "key": key, "year": year, "can_edit": can_edit},
        )
        html = html.replace(f"<!--commentary:{key}-->", block, 1)
    return mark_safe(html)  # noqa: S308 - both parts rendered by the template engine


@require_safe
def annual_report(request, year: int):
    require_perm(request, "reporting.view_reports")
    period = year_period(year)
    report, shown = mask_child_lists(annual_data(period), request.user)
    drill = year if request.user.has_perm("reporting.view_drilldown") else None
    return render(
        request,
        "reporting/annual.html",
        {
            "report": report,
            "period": period,
            "sections_html": _with_commentary(
                _sections_html(report, period, drill, shown),
                year,
                can_edit=request.user.has_perm("reporting.change_reportcommentary"),
            ),
            "summary": headlines.summary(report),
            "as_at": as_at_text(report["as_at"]),
            "year": year,
        },
    )


@require_POST
def annual_refresh(request, year: int):
    require_perm(request, "reporting.view_reports")
    year_period(year)
    caching.invalidate()
    return HttpResponseRedirect(reverse("reporting:annual", args=[year]))


def _export(request, year: int):
    require_perm(request, "reporting.view_reports")
    period = year_period(year)
    report, _shown = mask_child_lists(annual_data(period), request.user)
    sections = Presenter(report).sections(svg=False)
    # The head of service's commentary, at the start of each section as on the page.
    texts = commentary_for(year)
    for section in sections:
        section["commentary"] = texts.get(section["key"], "")
    return report, sections, f"iro-annual-report-{period.label}"


@require_safe
def annual_xlsx(request, year: int):
    report, sections, name = _export(request, year)
    return xlsx_response(f"{name}.xlsx", write_xlsx(export_meta(report), sections))


@require_safe
def annual_csv(request, year: int):
    """One line per figure and breakdown cell, with figure ids (FIGURE_CSV_HEADERS)."""
    require_perm(request, "reporting.view_reports")
    period = year_period(year)
    report = annual_data(period)
    return csv_response(f"iro-annual-report-{period.label}.csv", figure_csv_rows(report))


@require_safe
def annual_json(request, year: int):
    """The figures as JSON keyed by figure id: the shape `annual_report --json` prints, with
    each figure's unit and section and the time the figures were worked out."""
    require_perm(request, "reporting.view_reports")
    period = year_period(year)
    response = JsonResponse(
        report_json_from(annual_data(period)), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = (
        f'attachment; filename="iro-annual-report-{period.label}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response
