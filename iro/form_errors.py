"""Errors on forms, one way for every app: a service's ValidationError put on the form, and the
links of the GOV.UK error summary (templates/includes/error_summary.html)."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def apply_errors(
    form: forms.BaseForm, error: ValidationError, *, field_names: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form, keeping what was typed: each message next to
    its field when the form has that field (after renaming a service's field name to the form's
    through `field_names`), otherwise at the top of the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for key, messages in error.message_dict.items():
        name = (field_names or {}).get(key, key)
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


def _anchor(field: forms.BoundField) -> str:
    # The GOV.UK pack numbers radio inputs from 1 (id_field_1), and a date's first box is
    # id_field_0: the summary links to an element that exists on the page.
    if isinstance(field.field.widget, forms.RadioSelect):
        return f"id_{field.html_name}_1"
    if isinstance(field.field.widget, forms.MultiWidget):
        return f"{field.auto_id}_0"
    return field.auto_id or "main-content"


def error_links(source: forms.BaseForm | Mapping[str, str] | None) -> list[tuple[str, str]]:
    """(anchor id, message) for every error, in the order of the fields on the page.

    `source` is a form, or for a page written without a form class a {field name: message}
    dict whose inputs have the ids `id_<name>`. Errors not about one visible field (the form's
    own, a hidden field's) link to the first field, or to the page's main content.
    """
    if not source:
        return []
    if isinstance(source, Mapping):
        return [
            ("main-content" if key == NON_FIELD_ERRORS else f"id_{key}", str(message))
            for key, message in source.items()
        ]
    visible = source.visible_fields()
    first = _anchor(visible[0]) if visible else "main-content"
    links = [(first, str(message)) for message in source.non_field_errors()]
    for field in source.hidden_fields():
        links.extend((first, str(message)) for message in field.errors)
    for field in visible:
        links.extend((_anchor(field), str(message)) for message in field.errors)
    return links
