"""Form fields and error messages in the GOV.UK pattern, shared by every app's forms.

GOV.UK error messages name the field and say what to do ("Enter the date care ended", "Date care
ended must be a real date"), so the error summary makes sense on its own.
"""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError

DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])
GDS_DATE_REQUIRED = "Enter the day, month and year"


def _phrase(label: str) -> str:
    """The label inside a sentence: first letter lowered unless it starts an acronym."""
    label = str(label).rstrip("?").strip()
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


class GovukDateField(DateInputField):
    """Day, month and year boxes whose errors name the field and reject impossible dates."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        label = kwargs.get("label")
        if label:
            phrase = _phrase(label)
            message = (
                f"Enter the {phrase}"
                if phrase.startswith(("date", "new date"))
                else (f"Enter the date: {phrase}")
            )
            self.error_messages["required"] = message
            self.error_messages["incomplete"] = message

    def compress(self, data_list):
        day, month, year = data_list
        if day and month and year and len(str(year)) != 4:
            raise ValidationError(f"{self.label} must include a 4-digit year", code="invalid_year")
        try:
            return super().compress(data_list)
        except ValidationError as error:
            raise ValidationError(f"{self.label} must be a real date", code="invalid") from error


def name_required_errors(form: forms.BaseForm) -> None:
    """Replace Django's "This field is required." with a message that names the field."""
    for field in form.fields.values():
        if str(field.error_messages.get("required", "")) != DJANGO_REQUIRED or not field.label:
            continue
        phrase = _phrase(field.label)
        article = "" if phrase.lower().startswith(("the ", "a ", "an ", "why ")) else "the "
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            field.error_messages["required"] = f"Select {article}{phrase}"
        else:
            field.error_messages["required"] = f"Enter {article}{phrase}"
