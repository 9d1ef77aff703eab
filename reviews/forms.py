"""Forms of the reviews pages (crispy-forms with the GOV.UK pack). The API validates with them too."""

from datetime import datetime, timedelta

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from iro.codes import ParticipationCode
from iro.concurrency import VersionedForm
from iro.form_fields import BookingTimeWarnings, GovukDateField
from iro.idempotency import OnceForm
from iro.models import User, VenueType
from iro.roles import Role, group_name
from reviews.models import (
    ContactKind,
    NonAttendanceReason,
    PermanencePlanType,
    PermanenceTrack,
    ReviewMode,
    SafeguardingIssue,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


def yes_no_field(
    label: str, *, required: bool = True, help_text: str = ""
) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=_yes_no,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": f"Select yes or no: {label[0].lower()}{label[1:]}"},
    )


def date_field(label: str, *, required: bool = True, help_text: str = "") -> DateInputField:
    field = GovukDateField(
        label=label, required=required, help_text=help_text or "For example, 27 3 2026"
    )
    return field


def users_in(role: Role):
    return User.objects.filter(groups__name=group_name(role), is_active=True).order_by(
        "last_name", "first_name"
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class GdsForm(forms.Form):
    """A form rendered by crispy-forms-gds, with the submit button named by `submit_label`."""

    submit_label = "Save"

    def shows_confirm_box(self) -> bool:
        return False

    def __init__(self, *args, follow_ups=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Next steps other apps offer (iro.registry.FollowUp): each a second button named
        # "follow_up", whose label the view reads to choose where to go once the form is saved.
        self.follow_ups = tuple(follow_ups)
        self.helper = FormHelper()
        self.helper.form_show_errors = True
        self.rebuild_layout()

    def _buttons(self) -> list:
        return [Submit("submit", self.submit_label)] + [
            Submit("follow_up", step.label, css_class="govuk-button--secondary")
            for step in self.follow_ups
        ]

    def rebuild_layout(self) -> None:
        self.helper.layout = Layout(*self.layout_fields(), *self._buttons())

    def layout_fields(self):
        items = []
        for name, field in self.fields.items():
            if name == "confirm_time" and not self.shows_confirm_box():
                continue  # the confirm box appears with its warning
            if isinstance(field.widget, forms.CheckboxInput):
                items.append(Field.checkbox(name, small=True))
            elif isinstance(field.widget, forms.CheckboxSelectMultiple):
                items.append(Field.checkboxes(name, legend_size=Size.SMALL, small=True))
            elif isinstance(field.widget, forms.RadioSelect):
                items.append(Field.radios(name, legend_size=Size.SMALL))
            elif field.widget.is_hidden or isinstance(field, DateInputField):
                items.append(Field(name))
            elif isinstance(field.widget, forms.Textarea):
                items.append(Field.textarea(name, rows=3))
            elif isinstance(field.widget, forms.Select):
                items.append(Field.select(name))
            else:
                items.append(Field.text(name, field_width=10 if name.endswith("time") else None))
        return items

    # Field names the services use, mapped to the fields of this form (iro.form_errors.apply_errors).
    service_fields: dict[str, str] = {}


def _aware(day, at) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


class SlotMixin(BookingTimeWarnings, forms.Form):
    """Date, time, length and venue of a meeting; cleaned into starts_at and ends_at."""

    def clean(self):
        data = super().clean()
        day, at, minutes = data.get("meeting_date"), data.get("start_time"), data.get("duration")
        if day and at and minutes:
            data["starts_at"] = _aware(day, at)
            data["ends_at"] = data["starts_at"] + timedelta(minutes=int(minutes))
            self.warn_about_time(data["starts_at"])
            self.rebuild_layout()
        return data


DURATIONS = [("60", "1 hour"), ("90", "1 hour 30 minutes"), ("120", "2 hours")]


def _start_time() -> forms.TimeField:
    return forms.TimeField(
        label="Start time",
        help_text="Use the 24-hour clock, for example 14:30",
        input_formats=["%H:%M", "%H.%M"],
        error_messages={
            "required": "Enter the start time",
            "invalid": "Enter the start time as hours and minutes, for example 14:30",
        },
    )


def _duration() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Length",
        choices=DURATIONS,
        initial="90",
        widget=forms.RadioSelect,
        error_messages={"required": "Select how long the review will take"},
    )


def _venue(required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Venue",
        choices=VenueType.choices,
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": "Select where the review will take place"},
    )


def _late_reason() -> forms.CharField:
    return forms.CharField(
        label="Reason for holding the review after its due date (if it is)",
        required=False,
        widget=forms.Textarea,
    )


class BookForm(OnceForm, VersionedForm, SlotMixin, GdsForm):
    submit_label = "Book review"
    service_fields = {"starts_at": "meeting_date", "ends_at": "duration"}

    chair = UserChoiceField(
        label="IRO chairing the review",
        queryset=User.objects.none(),
        error_messages={"required": "Select the IRO chairing the review"},
    )
    meeting_date = date_field("Date of the review")
    start_time = _start_time()
    duration = _duration()
    venue_type = _venue()
    venue_detail = forms.CharField(
        label="Venue details (optional)",
        required=False,
        max_length=200,
        help_text="For example the meeting room or the video call link",
    )
    late_reason = _late_reason()
    additional = forms.BooleanField(
        label="This is an additional review, brought forward (for example at the IRO's request)",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = users_in(Role.IRO)


class RescheduleForm(VersionedForm, SlotMixin, GdsForm):
    submit_label = "Reschedule review"
    service_fields = {"starts_at": "meeting_date", "ends_at": "duration"}

    meeting_date = date_field("New date of the review")
    start_time = _start_time()
    duration = _duration()
    venue_type = _venue()
    venue_detail = forms.CharField(label="Venue details (optional)", required=False, max_length=200)
    reason = forms.CharField(
        label="Reason for rescheduling",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for rescheduling"},
    )
    agreed_by = UserChoiceField(
        label="Team manager who agreed the change",
        queryset=User.objects.none(),
        error_messages={"required": "Select the team manager who agreed the change"},
    )
    late_reason = _late_reason()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_by"].queryset = users_in(Role.TEAM_MANAGER)


class CancelForm(VersionedForm, GdsForm):
    submit_label = "Cancel review meeting"

    reason = forms.CharField(
        label="Reason for cancelling",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for cancelling"},
    )


class OutcomeForm(VersionedForm, GdsForm):
    submit_label = "Record outcome"

    held_on = date_field("Date the review was held")
    participation = forms.ChoiceField(
        label="How the child participated",
        choices=ParticipationCode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the child participated (PN0 to PN7)"},
    )
    child_attended = yes_no_field("Did the child attend?")
    non_attendance_reason = forms.ChoiceField(
        label="If the child did not attend, why not?",
        choices=NonAttendanceReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    parents_attended = yes_no_field("Did the parents attend?")
    professionals_attended = forms.CharField(
        label="Professionals who attended (optional)", required=False, widget=forms.Textarea
    )
    actual_venue = forms.ChoiceField(
        label="Where the review took place",
        choices=VenueType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the review took place"},
    )
    mode = forms.ChoiceField(
        label="How the review was held",
        choices=ReviewMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the review was held"},
    )
    child_seen_before = yes_no_field("Did you see the child before the review?")
    childs_views_considered = yes_no_field("Were the child's views considered in the plan?")
    safeguarding_issue = yes_no_field("Was a current safeguarding issue raised?")
    safeguarding_types = forms.MultipleChoiceField(
        label="Types of safeguarding issue (select all that apply)",
        choices=SafeguardingIssue.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    permanence_plan_type = forms.ChoiceField(
        label="Permanence plan in place",
        choices=[("", "No permanence plan yet"), *PermanencePlanType.choices],
        required=False,
    )
    permanence_track = forms.ChoiceField(
        label="Permanence planning track (optional)",
        choices=PermanenceTrack.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean(self):
        data = super().clean()
        if data.get("permanence_track") and not data.get("permanence_plan_type"):
            self.add_error(
                "permanence_plan_type", "Choose the type of permanence plan for this track."
            )
        if data.get("child_attended") is False and not data.get("non_attendance_reason"):
            self.add_error("non_attendance_reason", "Select why the child did not attend.")
        if data.get("safeguarding_issue") and not data.get("safeguarding_types"):
            self.add_error(
                "safeguarding_types", "Select the type of each safeguarding issue raised."
            )
        return data


class PreparationForm(VersionedForm, GdsForm):
    submit_label = "Save"

    sw_report_received_on = date_field(
        "Date the social worker's report was received", required=False
    )
    child_seen_before = yes_no_field("Have you seen the child before the review?", required=False)
    parents_invited = yes_no_field("Have the parents been invited?", required=False)


class MilestonesForm(VersionedForm, GdsForm):
    submit_label = "Save review record dates"

    manager_informed_on = date_field("Manager informed", required=False)
    record_completed_on = date_field("Review record completed", required=False)
    record_distributed_on = date_field("Review record distributed", required=False)


class RecommendationForm(OnceForm, GdsForm):
    submit_label = "Add recommendation"

    text = forms.CharField(
        label="Recommendation",
        widget=forms.Textarea,
        error_messages={"required": "Enter the recommendation"},
    )
    owner = forms.CharField(
        label="Who is responsible",
        max_length=120,
        error_messages={"required": "Enter who is responsible for the recommendation"},
    )
    target_date = date_field("Target date")


class ContactForm(OnceForm, GdsForm):
    submit_label = "Record contact"

    contact_on = date_field("Date of the visit or contact")
    kind = forms.ChoiceField(
        label="Type of contact",
        choices=ContactKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of contact"},
    )
    seen_alone = yes_no_field("Was the child seen alone?", required=False)
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)


class MidwayForm(OnceForm, GdsForm):
    submit_label = "Record midway review"

    held_on = date_field("Date of the midway review")
    plan_on_track = yes_no_field("Is the care plan on track?")
    recommendations_progressing = yes_no_field("Are the review's recommendations progressing?")
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea,
        help_text="Required when the plan or the recommendations are off track",
    )


class MonitoringForm(OnceForm, GdsForm):
    submit_label = "Record monitoring check"

    checked_on = date_field("Date of the check")
    plan_up_to_date = yes_no_field("Is the care plan up to date?")
    plan_smart = yes_no_field("Is the plan SMART?")
    assessment_current = yes_no_field("Is the assessment current?")
    voice_of_child = yes_no_field("Is the voice of the child evident?")
    issues_found = forms.CharField(
        label="Issues found",
        required=False,
        widget=forms.Textarea,
        help_text="Required when any standard is not met",
    )
