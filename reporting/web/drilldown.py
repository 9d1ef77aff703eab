"""The drill-down from a figure's number to the records behind it.

Every record behind the number is listed, since every record counts. Each row names its child as
the reader may see them (iro/access.py `child_names`): the child's name and LA id, linked to the
child record, or "Restricted record" for a child outside the reader's access set, whose row keeps
only the reason it counts (due date, held date, days late and the like), never a name, LA id or
date of birth. The columns sort in the browser (MOJ Frontend's sortable table), dates and numbers
by their value (`data-sort-value`).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from iro.access import RESTRICTED_RECORD, child_names, hidden_records_text
from reporting.figures import REGISTRY
from reporting.presentation import fmt
from reporting.web.common import require_perm, year_period

# Rows per page: the sortable table sorts the rows of one page, so a page holds a long list.
ROWS_PER_PAGE = 200

# Columns that identify the child: folded into the one "Child" column, which names the child or
# reads "Restricted record".
IDENTITY_FIELDS = ("la_child_id", "first_name", "last_name", "date_of_birth")

# The due and held dates from which "Days late" is worked out, by their column lookups.
DUE_LOOKUPS = ("due_date", "due")
HELD_LOOKUPS = ("held_on",)


def _drill_rows(fig, records) -> list[tuple]:
    """The records as (columns..., record key, child pk) tuples: child pk None for rows that are
    not children (staff). A rows function may give its rows ready as (columns..., child pk), as
    QA-01 does for midway reviews and for its union of two tables: those have no one record key."""
    if records.query.combinator or records.query.values_select:
        return [(*row[:-1], None, row[-1]) for row in records]
    lookups = [lookup for _heading, lookup in fig.row_columns]
    if fig.child_path is None:
        return [(*values, None) for values in records.values_list(*lookups, "pk")]
    child_pk = f"{fig.child_path}__pk" if fig.child_path else "pk"
    return list(records.values_list(*lookups, "pk", child_pk))


def _one_per_record(rows: list[tuple], named: dict) -> list[tuple]:
    """A record with several children (an IRP about siblings) listed once: under the first of its
    children the reader may see, else as a restricted record."""
    chosen: dict = {}
    order: list = []
    for index, row in enumerate(rows):
        key = row[-2] if row[-2] is not None else ("row", index)
        if key not in chosen:
            chosen[key] = row
            order.append(key)
        elif chosen[key][-1] not in named and row[-1] in named:
            chosen[key] = row
    return [chosen[key] for key in order]


def cell(value) -> dict:
    """A table cell: its text as read (UK dates) and the value it sorts by."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return {"text": value.strftime("%-d %b %Y %H:%M"), "sort": value.isoformat()}
    if isinstance(value, date):
        return {"text": value.strftime("%-d %b %Y"), "sort": value.isoformat()}
    if isinstance(value, bool):
        return {"text": fmt(value), "sort": int(value)}
    if isinstance(value, int | float | Decimal):
        return {"text": fmt(value), "sort": value}
    return {"text": fmt(value), "sort": ""}


def choice_labels(model, lookups: list[str]) -> list[dict]:
    """For each column, what its stored values read as: the label of a field with choices (the
    code lists of iro/codes.py and the apps' choices), else nothing (the value reads as itself)."""
    out: list[dict] = []
    for lookup in lookups:
        labels: dict = {}
        try:
            current, field = model, None
            for part in lookup.split("__"):
                field = current._meta.get_field(part)
                current = field.related_model or current
            if field is not None and getattr(field, "flatchoices", None):
                labels = {key: str(label) for key, label in field.flatchoices}
        except (FieldDoesNotExist, AttributeError):  # a computed column: no choices
            labels = {}
        out.append(labels)
    return out


def _read(labels: dict, value):
    """A stored value as read: its label where it has one (each item of a list of codes)."""
    if isinstance(value, list | tuple):
        return ", ".join(str(_read(labels, v)) for v in value)
    if not labels or isinstance(value, date | float) or value is None:
        return value
    return labels.get(value, value)


def _index(lookups: list[str], names: tuple[str, ...]) -> int | None:
    for i, lookup in enumerate(lookups):
        if lookup.rsplit("__", 1)[-1] in names:
            return i
    return None


def days_late(due, held) -> int | None:
    """Calendar days from the due date to the held date (0 when held on or before the due date);
    None when the meeting was not held or has no due date."""
    if not isinstance(due, date) or not isinstance(held, date):
        return None
    return max((held - due).days, 0)


def drill_table(fig, rows: list[tuple], user, model=None) -> tuple[list[str], list[dict], int]:
    """The drill-down's headings, its rows as {"child", "url", "cells"} and how many rows name a
    restricted record. Identity columns fold into one "Child" column; "Days late" is added where
    the rows carry a due and a held date."""
    lookups = [lookup for _heading, lookup in fig.row_columns]
    headings = [heading for heading, _lookup in fig.row_columns]
    names_children = fig.child_path is not None
    named = child_names(user, (row[-1] for row in rows)) if names_children else {}
    if names_children:
        rows = _one_per_record(rows, named)
    keep = [
        i
        for i, lookup in enumerate(lookups)
        if not (names_children and lookup.rsplit("__", 1)[-1] in IDENTITY_FIELDS)
    ]
    labels = choice_labels(model, lookups) if model is not None else [{} for _ in lookups]
    due, held = _index(lookups, DUE_LOOKUPS), _index(lookups, HELD_LOOKUPS)
    late = due is not None and held is not None
    out_headings = (["Child"] if names_children else []) + [headings[i] for i in keep]
    if late:
        out_headings.append("Days late")
    out, restricted = [], 0
    for values in rows:
        child_pk = values[-1]
        cells = [cell(_read(labels[i], values[i])) for i in keep]
        if due is not None and held is not None:
            cells.append(cell(days_late(values[due], values[held])))
        row: dict = {"cells": cells, "child": "", "url": ""}
        if names_children:
            if child_pk in named:
                row["child"] = named[child_pk]
                row["url"] = reverse("children:detail", args=[child_pk])
            else:
                row["child"] = RESTRICTED_RECORD
                restricted += 1
        out.append(row)
    return out_headings, out, restricted


@require_safe
def figure_rows(request, figure_id: str, year: int):
    """The records behind one number. Every record counts and is listed; those naming a child
    outside the reader's access set (iro/access.py) read "Restricted record", never the child's
    identity."""
    require_perm(request, "reporting.view_drilldown")
    fig = REGISTRY.get(figure_id)
    if fig is None or not fig.has_rows:
        raise Http404("No such figure")
    period = year_period(year)
    cell_key = request.GET.get("cell") or None
    try:
        records = fig.records(period, cell_key)
        total = records.count()
        rows = _drill_rows(fig, records)
    except (LookupError, ValueError, KeyError):
        raise Http404("No such cell") from None
    headings, table, hidden = drill_table(fig, rows, request.user, records.model)
    page = Paginator(table, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reporting/figure_rows.html",
        {
            "figure": fig,
            "period": period,
            "year": year,
            "cell": cell_key,
            "headings": headings,
            "names_children": fig.child_path is not None,
            "rows": page.object_list,
            "page": page,
            "total": total,
            "hidden": hidden,
            "hidden_text": hidden_records_text(hidden),
            "restricted_text": RESTRICTED_RECORD,
            "query": query.urlencode(),
        },
    )
