"""Publishing a snapshot for the board: choose what and which period (from the months and
years that have data), preview it exactly as the board will see it, then publish.

The preview and the published page present a snapshot's data through one function,
`board_sections`: small numbers suppressed (reporting/suppression.py) and the commentary in
place, so what the publisher checks is what the board reads."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from reporting.annual_data import years_with_data
from reporting.dashboard_data import months_with_data
from reporting.figures import SECTIONS, Period
from reporting.models import SnapshotKind
from reporting.presentation import Presenter
from reporting.services import frozen_data, snapshot_publish
from reporting.suppression import LEGEND, report_for_board
from reporting.web.common import require_perm

# Every published snapshot has small numbers suppressed; the preview shows the same.
PUBLISHED_SUPPRESSED = True


def board_sections(data: dict, commentary: dict, *, svg: bool = True) -> list[dict]:
    """A snapshot's data as the board sees it: suppressed, presented, commentary in place.
    Used by the published snapshot's pages and exports and by the publish preview."""
    shown = report_for_board(data, suppress=PUBLISHED_SUPPRESSED)
    sections = Presenter(shown).sections(svg=svg)
    for section in sections:
        section["commentary"] = commentary.get(section["key"], "")
    return sections


def _choices(today: date | None = None) -> dict:
    """The periods that can be published: for the board dashboard, the end of each complete
    month that has data (newest first); for the annual report, each complete reporting year."""
    months = months_with_data(today)
    last_month_end = months[0].end if months else None
    years = [
        Period.year(y)
        for y in years_with_data(today)
        if last_month_end and Period.year(y).end <= last_month_end
    ]
    return {
        "months": [(m.end.isoformat(), f"End of {m.title}") for m in months],
        "years": [(str(y.start.year), y.title) for y in years],
    }


def _chosen(params, choices: dict) -> tuple[dict, dict]:
    """What the form asks for, checked against the choices offered; errors name the field."""
    values = {
        "kind": params.get("kind", ""),
        "as_at": params.get("as_at", ""),
        "year": params.get("year", ""),
    }
    errors = {}
    if values["kind"] not in SnapshotKind.values:
        errors["kind"] = "Choose a board dashboard or an annual report."
    elif values["kind"] == SnapshotKind.DASHBOARD:
        if values["as_at"] not in dict(choices["months"]):
            errors["as_at"] = "Choose the month the dashboard is for."
    elif values["year"] not in dict(choices["years"]):
        errors["year"] = "Choose the reporting year of the annual report."
    return values, errors


def _arguments(values: dict) -> dict:
    if values["kind"] == SnapshotKind.DASHBOARD:
        return {"kind": values["kind"], "as_at": date.fromisoformat(values["as_at"]), "year": None}
    year = int(values["year"])
    return {"kind": values["kind"], "as_at": Period.year(year).end, "year": year}


def _commentary_from(post) -> dict:
    return {key: post.get(f"commentary_{key}", "") for key in SECTIONS}


def snapshot_publish_view(request):
    """GET without a choice: the form. GET with a valid choice: the preview, with the publish
    button. POST: publish what was previewed."""
    require_perm(request, "reporting.publish_snapshot")
    choices = _choices()
    params = request.POST if request.method == "POST" else request.GET
    # "change" comes back from the preview to choose again, with the choice kept.
    choosing = request.method == "GET" and ("kind" not in request.GET or "change" in request.GET)
    values, errors = _chosen(params, choices)
    commentary = _commentary_from(request.POST) if request.method == "POST" else {}
    context = {
        "choices": choices,
        "kinds": SnapshotKind.choices,
        "sections": SECTIONS.items(),
        "values": {**values, "commentary": commentary},
        "errors": {} if choosing else errors,
        "legend": LEGEND,
    }
    if choosing:
        if not choices["months"]:
            context["errors"] = {"as_at": "There are no complete months with data to publish."}
        return render(request, "reporting/publish.html", context)
    if errors:
        return render(request, "reporting/publish.html", context, status=400)
    arguments = _arguments(values)
    if request.method == "POST":
        try:
            snapshot = snapshot_publish(
                **arguments,
                by=request.user,
                commentary=commentary,
                suppress_small_numbers=PUBLISHED_SUPPRESSED,
            )
        except ValidationError as exc:
            context["errors"] = {k: " ".join(v) for k, v in exc.message_dict.items()}
        else:
            messages.success(request, f"Published: {snapshot} as at {snapshot.as_at:%-d %B %Y}.")
            return HttpResponseRedirect(reverse("reporting:snapshot", args=[snapshot.pk]))
    data = frozen_data(arguments["kind"], arguments["as_at"], arguments["year"])
    context["preview"] = {
        "title": data["title"],
        "period": data["period"]["title"],
        "previous": data["previous_period"]["title"],
        "as_at": arguments["as_at"],
        "sections_html": mark_safe(  # noqa: S308 - rendered by the template engine, which escaped it
            render_to_string(
                "reporting/_sections.html", {"sections": board_sections(data, commentary)}
            )
        ),
    }
    status = 400 if context["errors"] else 200
    return render(request, "reporting/publish_preview.html", context, status=status)
