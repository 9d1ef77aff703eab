"""Forms of the case core: child details, care episodes (start, change, end), allocation.

Each episode form offers only the codes valid at its step: no retired codes anywhere, no X1 when
ending care. The services repeat every check, so a form only shapes the input.
"""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms

from iro.codes import (
    RETIRED_PLACEMENT_TYPES,
    RETIRED_SEX,
    CategoryOfNeed,
    LegalStatus,
    PlacementProvider,
    PlacementType,
    ReasonCeased,
    ReasonPlaceChange,
    Sex,
    current_choices,
)
from iro.concurrency import VersionField
from iro.form_fields import GovukDateField, name_required_errors
from iro.idempotency import OnceForm
from iro.models import AllocationRole, Area, CareEpisode, Child, PlacementLocation, SiblingGroup
from iro.selectors_caseload import iros
from iro.services.children import CHILD_FIELDS
from iro.services.episodes import EDITABLE_FIELDS

BLANK = [("", "Choose")]


def _helper(*layout, submit: str) -> FormHelper:
    helper = FormHelper()
    # The service's GOV.UK error summary, not the browser's own bubbles, reports missing fields.
    helper.attrs = {"novalidate": ""}
    helper.layout = Layout(*layout, Submit("submit", submit))
    return helper


def _date(label: str, required: bool = True, help_text: str = "") -> DateInputField:
    field = GovukDateField(
        label=label, required=required, help_text=help_text or "For example, 27 3 2026"
    )
    return field


class ChildForm(OnceForm, forms.ModelForm):
    date_of_birth = _date(
        "Date of birth", required=False, help_text="Leave blank if the child is not yet born"
    )
    expected_date_of_birth = _date(
        "Expected date of birth", required=False, help_text="Only for an unborn child"
    )
    uasc_ceased = _date("Date UASC status ceased", required=False)
    version = VersionField()

    class Meta:
        model = Child
        fields = CHILD_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        current_sex = self.instance.sex if self.instance.pk else None
        self.fields["sex"].choices = [
            (v, label) for v, label in Sex.choices if v not in RETIRED_SEX or v == current_sex
        ]
        self.fields["area"].queryset = Area.objects.filter(active=True)
        self.fields["sibling_group"].queryset = SiblingGroup.objects.all()
        name_required_errors(self)
        self.helper = _helper(
            Field("version"),
            Field("submission_token"),
            Field.text("la_child_id", field_width=10),
            Field.text("upn", field_width=20),
            Field.text("first_name"),
            Field.text("last_name"),
            Field("date_of_birth"),
            Field("expected_date_of_birth"),
            Field.radios("sex", inline=True),
            Field.select("ethnicity"),
            Field.checkbox("disability"),
            Field.checkbox("uasc"),
            Field("uasc_ceased"),
            Field.select("area"),
            Field.select("sibling_group"),
            Field.checkbox("restricted"),
            submit="Save child",
        )

    def _post_clean(self):
        # The services (child_create, child_update) validate the model, with clear messages.
        pass


def _distance_widget() -> forms.TextInput:
    """A GOV.UK text input for a decimal: the number input is not styled by the design system."""
    return forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})


def _placement_fields(form: forms.Form, required: bool) -> None:
    form.fields["placement_type"] = forms.ChoiceField(
        label="Placement type",
        choices=BLANK + current_choices(PlacementType, RETIRED_PLACEMENT_TYPES),
        required=required,
    )
    form.fields["placement_provider"] = forms.ChoiceField(
        label="Placement provider",
        choices=[("", "None (temporary or other placement)")] + PlacementProvider.choices,
        required=False,
    )
    form.fields["placement_postcode"] = forms.CharField(
        label="Placement postcode", max_length=8, required=False
    )
    form.fields["placement_urn"] = forms.CharField(
        label="Ofsted URN of the placement", max_length=10, required=False
    )
    form.fields["home_postcode"] = forms.CharField(
        label="Home postcode", max_length=8, required=False
    )
    form.fields["distance_miles"] = forms.DecimalField(
        label="Distance from home (miles)",
        max_digits=6,
        decimal_places=1,
        min_value=0,
        required=False,
        help_text="As worked out from the two postcodes",
        widget=_distance_widget(),
    )
    form.fields["placement_location"] = forms.ChoiceField(
        label="Placement location",
        choices=[("", "Not known")] + PlacementLocation.choices,
        required=False,
    )


PLACEMENT_LAYOUT = [
    Field.select("placement_type"),
    Field.select("placement_provider"),
    Field.text("placement_postcode", field_width=10),
    Field.text("placement_urn", field_width=10),
    Field.text("home_postcode", field_width=10),
    Field.text("distance_miles", field_width=5),
    Field.select("placement_location"),
]


class CareStartForm(OnceForm, forms.Form):
    start = _date("Date care started")
    legal_status = forms.ChoiceField(label="Legal status", choices=BLANK + LegalStatus.choices)
    category_of_need = forms.ChoiceField(
        label="Category of need", choices=BLANK + CategoryOfNeed.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _placement_fields(self, required=True)
        name_required_errors(self)
        self.helper = _helper(
            Field("submission_token"),
            Field("start"),
            Field.select("legal_status"),
            Field.select("category_of_need"),
            Fieldset(*PLACEMENT_LAYOUT, legend="Placement", legend_size=Size.MEDIUM),
            submit="Start care",
        )


class CareChangeForm(OnceForm, forms.Form):
    """Legal status and/or placement change. Blank fields keep the current value."""

    on = _date("Date of the change")
    legal_status = forms.ChoiceField(
        label="New legal status",
        choices=[("", "No change")] + LegalStatus.choices,
        required=False,
    )
    carer_changed = forms.BooleanField(label="The carer changed too", required=False)
    reason_place_change = forms.ChoiceField(
        label="Reason for the placement change",
        choices=[("", "Not a placement change")] + ReasonPlaceChange.choices,
        required=False,
    )

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        _placement_fields(self, required=False)
        self.fields["placement_type"].choices = [("", "No change")] + current_choices(
            PlacementType, RETIRED_PLACEMENT_TYPES
        )
        self.fields["placement_type"].label = "New placement type"
        if current is not None:
            for name in [
                "placement_provider",
                "placement_postcode",
                "placement_urn",
                "home_postcode",
                "distance_miles",
                "placement_location",
            ]:
                self.fields[name].initial = getattr(current, name)
        name_required_errors(self)
        self.helper = _helper(
            Field("submission_token"),
            Field("on"),
            Field.select("legal_status"),
            Fieldset(
                *PLACEMENT_LAYOUT,
                Field.checkbox("carer_changed"),
                Field.select("reason_place_change"),
                legend="Placement",
                legend_size=Size.MEDIUM,
            ),
            submit="Record the change",
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "on": data["on"],
            "legal_status": data["legal_status"] or None,
            "placement_type": data["placement_type"] or None,
            "carer_changed": data["carer_changed"],
            "reason_place_change": data["reason_place_change"],
        }
        for name in [
            "placement_provider",
            "placement_postcode",
            "placement_urn",
            "home_postcode",
            "placement_location",
        ]:
            kwargs[name] = data[name]
        kwargs["distance_miles"] = data["distance_miles"]
        return kwargs


class CareEndForm(OnceForm, forms.Form):
    on = _date("Date care ended")
    reason_ceased = forms.ChoiceField(
        label="Reason care ended",
        choices=BLANK + [(v, label) for v, label in ReasonCeased.choices if v != "X1"],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_errors(self)
        self.helper = _helper(
            Field("submission_token"),
            Field("on"),
            Field.select("reason_ceased"),
            submit="End care",
        )


class AllocateForm(OnceForm):
    role = forms.ChoiceField(label="Role", choices=AllocationRole.choices)
    iro = forms.ModelChoiceField(label="IRO", queryset=None, empty_label="Choose an IRO")  # type: ignore[var-annotated]
    start = _date("Allocated from")
    reason = forms.CharField(
        label="Reason for the allocation or change",
        max_length=200,
        required=False,
        help_text="Required when this replaces another IRO",
    )

    def __init__(self, *args, suggestion=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["iro"].queryset = iros().order_by("last_name", "first_name")
        if suggestion is not None:
            self.fields["iro"].help_text = f"Suggested: {suggestion.iro}. {suggestion.reason}."
        name_required_errors(self)
        self.helper = _helper(
            Field("submission_token"),
            Field.radios("role", inline=True),
            Field.select("iro"),
            Field("start"),
            Field.text("reason"),
            submit="Allocate",
        )


CORRECT_LABELS = {
    "reason_new_episode": "Reason for new episode",
    "legal_status": "Legal status",
    "category_of_need": "Category of need",
    "placement_type": "Placement type",
    "placement_provider": "Placement provider",
    "placement_postcode": "Placement postcode",
    "placement_urn": "Ofsted URN of the placement",
    "home_postcode": "Home postcode",
    "distance_miles": "Distance from home (miles)",
    "placement_location": "Placement location",
    "reason_ceased": "Reason care ended",
    "reason_place_change": "Reason for the placement change",
}


class EpisodeCorrectForm(forms.ModelForm):
    """Correct a recorded episode. Retired codes are offered only if the episode already has one."""

    start = _date("Date episode started")
    end = _date("Date episode ended", required=False, help_text="Leave blank if still open")
    version = VersionField()

    class Meta:
        model = CareEpisode
        fields = EDITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        # The same plain-English labels as the start, change and end steps, not SSDA903 names.
        for name, label in CORRECT_LABELS.items():
            self.fields[name].label = label
        self.fields["distance_miles"].widget = _distance_widget()
        stored = self.instance.placement_type
        self.fields["placement_type"].choices = [
            (v, label)
            for v, label in PlacementType.choices
            if v not in RETIRED_PLACEMENT_TYPES or v == stored
        ]
        name_required_errors(self)
        self.helper = _helper(
            Field("version"),
            Field("start"),
            Field.select("reason_new_episode"),
            Field.select("legal_status"),
            Field.select("category_of_need"),
            Fieldset(*PLACEMENT_LAYOUT, legend="Placement", legend_size=Size.MEDIUM),
            Field("end"),
            Field.select("reason_ceased"),
            Field.select("reason_place_change"),
            submit="Save correction",
        )

    def _post_clean(self):
        # The service validates the whole history; skip the model's own full_clean here.
        pass
