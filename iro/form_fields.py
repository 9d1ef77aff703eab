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


def govuk_number_field(field: forms.Field) -> None:
    """A whole-number or decimal field as GOV.UK asks: a text input with a numeric keyboard
    (not the browser's number input) and error messages that name the field."""
    label = str(field.label or "The number").rstrip("?").strip()
    # DecimalField and FloatField are subclasses of IntegerField in Django.
    whole = not isinstance(field, forms.DecimalField | forms.FloatField)
    example = "like 3" if whole else "like 12.5"
    kind = "a whole number" if whole else "a number"
    attrs = {"inputmode": "numeric" if whole else "decimal", "spellcheck": "false"}
    if whole:
        attrs["pattern"] = "[0-9]*"
    field.widget = forms.TextInput(attrs=attrs)
    field.error_messages["invalid"] = f"{label} must be {kind}, {example}"
    if getattr(field, "min_value", None) is not None:
        field.error_messages["min_value"] = f"{label} must be {field.min_value} or more"  # type: ignore[attr-defined]
    if getattr(field, "max_value", None) is not None:
        field.error_messages["max_value"] = f"{label} must be {field.max_value} or less"  # type: ignore[attr-defined]
    if isinstance(field, forms.DecimalField):
        places = field.decimal_places
        field.error_messages["max_decimal_places"] = (
            f"{label} must have no more than {places} decimal place{'s' if places != 1 else ''}"
        )
        field.error_messages["max_digits"] = f"{label} is too long"
        field.error_messages["max_whole_digits"] = f"{label} is too large"


def bound_text_fields(form: forms.BaseForm) -> None:
    """Every text box has a maximum length (iro.validators.TEXT_MAX_LENGTH unless the field
    states a shorter one), and a too-long value is refused with a message naming the field.
    Idempotent: called when a form is built and again before it is validated."""
    from django.core.validators import MaxLengthValidator

    from iro.validators import TEXT_MAX_LENGTH, text_too_long_message

    for name, field in form.fields.items():
        if type(field) not in (forms.CharField, forms.SlugField, forms.EmailField):
            continue
        if field.max_length is None:  # type: ignore[attr-defined]
            field.max_length = TEXT_MAX_LENGTH  # type: ignore[attr-defined]
            field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
            field.widget.attrs.update(field.widget_attrs(field.widget))
        label = str(field.label or name.replace("_", " ")).rstrip("?").strip()
        field.error_messages["max_length"] = text_too_long_message(label[:1].upper() + label[1:])


def name_required_errors(form: forms.BaseForm) -> None:
    """Replace Django's "This field is required." with a message that names the field, and give
    number fields a numeric text input and messages of their own (no "Enter a whole number.").
    Text fields get a maximum length (bound_text_fields)."""
    bound_text_fields(form)
    for field in form.fields.values():
        numeric = isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField)
        if numeric and not field.widget.is_hidden:  # a record's version stays a hidden input
            govuk_number_field(field)
        if str(field.error_messages.get("required", "")) != DJANGO_REQUIRED or not field.label:
            continue
        phrase = _phrase(field.label)  # type: ignore[arg-type]
        article = "" if phrase.lower().startswith(("the ", "a ", "an ", "why ")) else "the "
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            field.error_messages["required"] = f"Select {article}{phrase}"
        else:
            field.error_messages["required"] = f"Enter {article}{phrase}"


def form_status(*forms) -> int:
    """The status of a page showing forms: 400 when a sent form is shown again with its errors.

    Every failed POST that re-renders its form answers 400 (a successful one redirects), so a
    browser, a test or a log never reads a refused submission as a success.
    """
    return 400 if any(f is not None and f.is_bound and f.errors for f in forms) else 200


class BookingTimeWarnings(forms.Form):
    """Mixin of a booking form: warn (not refuse) about a weekend, a bank holiday or a time out of
    office hours. The confirm box appears with the warning; ticking it books the time anyway."""

    confirm_time = forms.BooleanField(
        required=False, label="Yes, book the meeting at this time", widget=forms.CheckboxInput
    )
    time_warnings: list[str] = []

    def warn_about_time(self, starts_at) -> None:
        from django.utils import timezone

        from iro.rules import booking_time_warnings

        self.time_warnings = booking_time_warnings(timezone.localtime(starts_at))
        if self.time_warnings and not self.cleaned_data.get("confirm_time"):
            self.add_error(
                "confirm_time",
                "Check the meeting time: "
                + " and ".join(self.time_warnings)
                + ". Tick the box to book it at this time anyway",
            )

    def shows_confirm_box(self) -> bool:
        return bool(self.time_warnings)
