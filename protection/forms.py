"""Forms of the protection pages (crispy-forms GDS). Services do the rule checks."""

from datetime import datetime, time

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils import timezone

from iro.codes import CategoryOfAbuse
from iro.concurrency import VersionedForm
from iro.form_fields import BookingTimeWarnings, GovukDateField, name_required_errors
from iro.idempotency import OnceForm
from iro.models import User, VenueType
from iro.roles import Role, group_name
from protection.models import ChildViews, Conference, ConferenceOutcome, DelayReason, PlanEndReason

YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("", "Not recorded")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _date_field(label: str, help_text: str = "", required: bool = True) -> DateInputField:
    field = GovukDateField(label=label, help_text=help_text or "For example, 27 3 2025")
    field.required = required
    field.require_all_fields = False
    return field


def _users_in(role: Role):
    return User.objects.filter(groups__name=group_name(role), is_active=True).order_by(
        "last_name", "first_name"
    )


class _GdsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_errors(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*self._layout())

    def shows_confirm_box(self) -> bool:
        return False

    def clean(self):
        data = super().clean()
        if "confirm_time" in self.fields and data.get("day") and "start_time" in data:
            self.warn_about_time(_starts_at(data))
            self.helper.layout = Layout(*self._layout())
        return data

    def _layout(self):
        items = []
        for name, field in self.fields.items():
            if name == "confirm_time" and not self.shows_confirm_box():
                continue  # the confirm box appears with its warning
            if field.widget.is_hidden:
                items.append(Field(name))
            elif isinstance(field.widget, forms.CheckboxInput):
                items.append(Field.checkbox(name, small=True))
            elif isinstance(field.widget, forms.CheckboxSelectMultiple):
                items.append(Field.checkboxes(name, legend_size=Size.SMALL))
            elif isinstance(field.widget, forms.RadioSelect):
                items.append(Field.radios(name, legend_size=Size.SMALL))
            elif isinstance(field.widget, forms.Select):
                items.append(Field.select(name, label_size=Size.SMALL))
            elif isinstance(field.widget, forms.Textarea):
                items.append(Field.textarea(name, label_size=Size.SMALL, rows=4))
            elif isinstance(field, DateInputField):
                items.append(Field(name))
            else:
                items.append(Field.text(name, label_size=Size.SMALL, field_width=10))
        return items


class StrategyDiscussionForm(OnceForm, _GdsForm):
    held_on = _date_field("Date of the strategy discussion")
    s47_started = forms.ChoiceField(
        label="Did section 47 enquiries start at this discussion?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if section 47 enquiries started"},
    )
    s47_started_on = _date_field(
        "Section 47 start date", "Leave empty if enquiries did not start", required=False
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "s47_started": data["s47_started"] == "yes",
            "s47_started_on": data.get("s47_started_on") or None,
            "notes": data["notes"],
        }


class TransferInForm(OnceForm, _GdsForm):
    notified_on = _date_field("Date this authority was notified of the plan")


def _time_field() -> forms.TimeField:
    return forms.TimeField(
        label="Start time",
        help_text="Use the 24-hour clock, for example 14:30",
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"required": "Enter the start time", "invalid": "Enter a time like 14:30"},
    )


def _starts_at(data) -> datetime:
    return timezone.make_aware(datetime.combine(data["day"], data["start_time"] or time(10)))


class BookForm(OnceForm, BookingTimeWarnings, _GdsForm):
    chair = forms.ModelChoiceField(queryset=User.objects.none(), label="Chair")
    day = _date_field("Date of the conference")
    start_time = _time_field()
    venue_type = forms.ChoiceField(label="Venue", choices=VenueType.choices)
    venue_detail = forms.CharField(label="Venue details (optional)", required=False, max_length=200)
    siblings = forms.ModelMultipleChoiceField(
        queryset=Conference.objects.none(),
        required=False,
        label="Conference siblings together",
        help_text="Siblings whose conference is also due: they join the same meeting, with an outcome each",
        widget=forms.CheckboxSelectMultiple,
    )
    reason_after_due = forms.CharField(
        label="Reason the conference is after its due date (if it is)",
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args, siblings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = _users_in(Role.IRO)
        if siblings:
            self.fields["siblings"].queryset = siblings
            self.fields["siblings"].label_from_instance = lambda c: (
                f"{c.child.full_name} (due {c.due:%-d %B %Y})"
            )
        else:
            del self.fields["siblings"]
        self.helper.layout = Layout(*self._layout())

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "chair": data["chair"],
            "starts_at": _starts_at(data),
            "venue_type": data["venue_type"],
            "venue_detail": data["venue_detail"],
            "reason_after_due": data["reason_after_due"],
        }


class RescheduleForm(VersionedForm, BookingTimeWarnings, _GdsForm):
    day = _date_field("New date")
    start_time = _time_field()
    reason = forms.CharField(label="Reason for rescheduling", widget=forms.Textarea)
    agreed_by = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Head of service who agreed the change",
        error_messages={"required": "Choose the head of service who agreed the change"},
    )
    reason_after_due = forms.CharField(
        label="Reason the new date is after the due date (if it is)",
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_by"].queryset = _users_in(Role.HEAD_OF_SERVICE)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": _starts_at(data),
            "reason": data["reason"],
            "agreed_by": data["agreed_by"],
            "reason_after_due": data["reason_after_due"],
        }


class CancelForm(VersionedForm, _GdsForm):
    reason = forms.CharField(label="Reason for cancelling", widget=forms.Textarea)


class OutcomeForm(VersionedForm, _GdsForm):
    held_on = _date_field("Date the conference was held")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ConferenceOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the conference"},
    )
    category = forms.ChoiceField(
        label="Category of abuse (for a child protection plan)",
        choices=[("", "Not applicable"), *CategoryOfAbuse.choices],
        required=False,
    )
    parents_invited = forms.ChoiceField(
        label="Were the parents invited?",
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
        required=False,
    )
    parents_attended = forms.ChoiceField(
        label="Did the parents attend?",
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
        required=False,
    )
    child_attended = forms.ChoiceField(
        label="Did the child attend?",
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
        required=False,
    )
    child_views = forms.ChoiceField(
        label="How were the child's views given?",
        choices=ChildViews.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    delay_reason = forms.ChoiceField(
        label="If the conference was held after its due date, why?",
        choices=[("", "Not held late"), *DelayReason.choices],
        required=False,
    )
    professionals_attended = forms.IntegerField(
        label="Number of professionals who attended", min_value=0, max_value=99, required=False
    )
    reports_shared_in_advance = forms.ChoiceField(
        label="Were reports shared with the family in advance?",
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
        required=False,
    )
    decisions = forms.CharField(
        label="Decisions and recommendations", required=False, widget=forms.Textarea
    )

    def __init__(self, *args, review: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if review:
            self.fields[
                "outcome"
            ].label = "Outcome (a child protection plan outcome continues the plan)"
            self.fields["category"].label = "Latest category of abuse (if it changed)"

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "outcome": data["outcome"],
            "category": data["category"],
            "parents_invited": _yes_no(data["parents_invited"]),
            "parents_attended": _yes_no(data["parents_attended"]),
            "child_attended": _yes_no(data["child_attended"]),
            "child_views": data["child_views"],
            "delay_reason": data["delay_reason"],
            "professionals_attended": data["professionals_attended"],
            "reports_shared_in_advance": _yes_no(data["reports_shared_in_advance"]),
            "decisions": data["decisions"],
        }


class PlanEndForm(VersionedForm, _GdsForm):
    end = _date_field("Date the plan ended")
    reason = forms.ChoiceField(
        label="Why did the plan end?",
        choices=PlanEndReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the plan ended"},
    )


class CoreGroupForm(OnceForm, _GdsForm):
    held_on = _date_field("Date of the core group meeting")
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)


class PlanFilterForm(forms.Form):
    DURATIONS = [("", "Any length"), ("15", "15 months or more"), ("24", "2 years or more")]
    SUBSEQUENT = [
        ("", "Any"),
        ("ever", "Second or subsequent plan (ever)"),
        ("2y", "Within 2 years of a previous plan"),
    ]
    duration = forms.ChoiceField(label="Time on plan", choices=DURATIONS, required=False)
    subsequent = forms.ChoiceField(label="Previous plans", choices=SUBSEQUENT, required=False)
