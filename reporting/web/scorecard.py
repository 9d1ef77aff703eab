"""The monthly scorecard and its spreadsheet."""

from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from iro.exports import xlsx_response
from reporting import caching
from reporting.charts import sparkline
from reporting.dashboard_data import last_complete_month
from reporting.exports.tables import write_xlsx
from reporting.figures import Period
from reporting.presentation import fmt, month_label
from reporting.web.common import as_at_text, require_perm
from reporting.web.scorecard_extras import month_choices, rag_words


def _scorecard_end(request) -> Period:
    raw = request.GET.get("end", "")
    if raw:
        try:
            year, month = (int(p) for p in raw.split("-"))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return Period.month(year, month)
        except ValueError:
            pass
        raise Http404("No such month")
    return last_complete_month()


def scorecard_data(end: Period) -> dict:
    return caching.scorecard(end)


def _monthly_title(title: str) -> str:
    """The scorecard counts each month on its last day, not on 31 March: its titles say so."""
    return title.replace("on 31 March", "at the end of the month")


@require_safe
def scorecard(request):
    require_perm(request, "reporting.view_reports")
    end = _scorecard_end(request)
    data = scorecard_data(end)
    labels = [month_label(m["label"]) for m in data["months"]]
    rows = []
    for row in data["rows"]:
        pct = row["kind"] == "PCT"
        rows.append(
            {
                **row,
                "title": _monthly_title(row["title"]),
                "cells": [fmt(v, percent=pct) for v in row["values"]],
                "target_text": fmt(row["target"], percent=pct) if row["target"] is not None else "",
                "rag_words": rag_words(row["rag"], row["better"]),
                "spark": mark_safe(  # noqa: S308 - charts.py escapes its text
                    sparkline(
                        f"spark-{row['id']}",
                        f"{row['title']}: last 13 months",
                        labels,
                        row["values"],
                    )
                ),
            }
        )
    return render(
        request,
        "reporting/scorecard.html",
        {
            "data": data,
            "labels": labels,
            "rows": rows,
            "as_at": as_at_text(data["as_at"]),
            "end": end,
            "month_choices": month_choices(end),
        },
    )


@require_safe
def scorecard_xlsx(request):
    require_perm(request, "reporting.view_reports")
    end = _scorecard_end(request)
    data = scorecard_data(end)
    labels = [month_label(m["label"]) for m in data["months"]]
    table = {
        "caption": "Monthly scorecard",
        "headers": ["Measure", *labels, "Target", "RAG", "Direction of travel"],
        "rows": [
            {
                "label": f"{row['id']} {_monthly_title(row['title'])}",
                "cells": [{"value": v, "text": fmt(v)} for v in row["values"]]
                + [
                    {"value": row["target"], "text": fmt(row["target"])},
                    {"value": row["rag"] or "", "text": (row["rag"] or "").capitalize()},
                    {
                        "value": (row["direction"] or {}).get("label", ""),
                        "text": (row["direction"] or {}).get("label", ""),
                    },
                ],
            }
            for row in data["rows"]
        ],
    }
    sections = [
        {
            "title": "Scorecard",
            "figures": [{"id": "", "title": "Monthly scorecard", "tables": [table], "result": {}}],
        }
    ]
    meta = {
        "title": "Monthly scorecard",
        "lines": [f"13 months to {end.title}", f"Figures as at {as_at_text(data['as_at'])}"],
    }
    return xlsx_response(f"scorecard-{end.label}.xlsx", write_xlsx(meta, sections))
