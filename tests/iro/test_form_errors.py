"""Errors on forms, one way: a service's errors onto the form, and the one error summary."""

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from iro.form_errors import apply_errors, error_links

ROOT = Path(__file__).resolve().parents[2]


class _Form(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField()
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    when = forms.SplitDateTimeField()
    meeting_date = forms.DateField(required=False)


def _bound(**data) -> _Form:
    form = _Form({"name": "typed", "kind": "a", "when_0": "2026-01-05", "when_1": "10:00", **data})
    assert form.is_valid(), form.errors
    return form


def test_service_errors_go_next_to_their_fields_renamed_or_at_the_top():
    form = _bound()
    error = ValidationError(
        {"name": "Name is taken", "starts_at": "Clashes with another meeting", "other": "Not here"}
    )
    apply_errors(form, error, field_names={"starts_at": "meeting_date"})
    assert form.errors == {
        "name": ["Name is taken"],
        "meeting_date": ["Clashes with another meeting"],
        "__all__": ["Not here"],
    }
    # What was typed is kept.
    assert form["name"].value() == "typed"


def test_a_service_error_without_fields_goes_at_the_top():
    form = _bound()
    apply_errors(form, ValidationError(["First", "Second"]))
    assert form.non_field_errors() == ["First", "Second"]


def test_summary_links_point_at_inputs_that_exist_in_page_order():
    form = _bound()
    form.add_error("when", "Enter a time")
    form.add_error("kind", "Choose one")
    form.add_error("name", "Enter a name")
    form.add_error("version", "Someone else changed it")
    form.add_error(None, "Refused")
    assert error_links(form) == [
        ("id_name", "Refused"),
        ("id_name", "Someone else changed it"),
        ("id_name", "Enter a name"),
        ("id_kind_1", "Choose one"),
        ("id_when_0", "Enter a time"),
    ]


def test_summary_from_a_dict_of_errors_and_nothing_without_errors():
    assert error_links({"as_at": "Enter a date", "__all__": "Refused"}) == [
        ("id_as_at", "Enter a date"),
        ("main-content", "Refused"),
    ]
    assert error_links(None) == [] and error_links(_bound()) == []


def test_the_one_summary_template_renders_a_form_or_a_dict():
    form = _bound()
    form.add_error("kind", "Choose one")
    html = render_to_string("includes/error_summary.html", {"form": form})
    assert '<a href="#id_kind_1">Choose one</a>' in html
    html = render_to_string("includes/error_summary.html", {"errors": {"reason": "Give a reason"}})
    assert '<a href="#id_reason">Give a reason</a>' in html
    assert render_to_string("includes/error_summary.html", {"form": _bound()}).strip() == ""


def test_every_page_uses_the_one_error_summary():
    others = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if 'class="govuk-error-summary"' in path.read_text()
        and path != ROOT / "templates" / "includes" / "error_summary.html"
    ]
    assert others == []
