"""Forms for concerns and IRPs. The services validate; these collect and show errors."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.forms.models import ModelChoiceIterator

from escalations.models import Category, OutcomeQuality, PracticeConcern, StageDefinition
from iro.concurrency import VersionedForm
from iro.form_fields import GovukDateField
from iro.idempotency import OnceForm
from iro.models import Child, ResponderLevel, User

PRACTICE_CHOICES = [c for c in PracticeConcern.choices if c[0]]


class GroupedByLevelIterator(ModelChoiceIterator):
    """Responders grouped by their level, in ladder order, so the select shows who is who."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for user in self.queryset:
            groups.setdefault(user.responder_level, []).append(self.choice(user))
        for level, label in ResponderLevel.choices:
            if groups.get(level):
                yield (label, groups[level])


class ResponderChoiceField(forms.ModelChoiceField):
    iterator = GroupedByLevelIterator

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_responder_level_display()})"


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: StageDefinition) -> str:
        return f"Stage {obj.order}: {obj.name} ({obj.response_working_days} working days)"


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Child) -> str:
        return f"{obj.full_name} ({obj.la_child_id})"


class ChildrenChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Child) -> str:
        return f"{obj.full_name} ({obj.la_child_id})"


def _helper(button: str, *fields, warning: bool = False) -> FormHelper:
    """Fields and a submit button; `warning` for an action that ends something (GOV.UK warning
    button: red, not the green of the main action)."""
    helper = FormHelper()
    helper.form_tag = False
    submit = (
        Submit("submit", button, css_class="govuk-button--warning")
        if warning
        else Submit("submit", button)
    )
    helper.layout = Layout(*fields, submit)
    return helper


def _check_responder_level(form: forms.Form, data: dict) -> dict:
    stage, responder = data.get("stage"), data.get("responder")
    if stage and responder and responder.responder_level != stage.responder_level:
        form.add_error(
            "responder",
            f"Choose a responder who is a {stage.get_responder_level_display().lower()}",
        )
    return data


def _category_fields() -> dict:
    return {
        "category": forms.ChoiceField(
            choices=Category.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Select a category"},
        ),
        "practice_subcategory": forms.ChoiceField(
            label="If a practice concern, which kind",
            choices=PRACTICE_CHOICES,
            widget=forms.RadioSelect,
            required=False,
        ),
    }


class ConcernForm(OnceForm):
    child = ChildChoiceField(
        queryset=Child.objects.none(), error_messages={"required": "Select the child"}
    )
    raised_on = GovukDateField(label="Date raised", require_all_fields=True)
    description = forms.CharField(
        widget=forms.Textarea, error_messages={"required": "Describe the concern"}
    )
    raised_with = forms.CharField(
        label="Raised with",
        max_length=200,
        help_text="For example, the social worker and their team manager",
        error_messages={"required": "Enter who you raised the concern with"},
    )

    def __init__(self, *args, children=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_category_fields())
        self.fields["child"].queryset = children if children is not None else Child.objects.none()
        self.order_fields(["child", "raised_on", "category", "practice_subcategory"])
        self.helper = _helper(
            "Save concern",
            Field("submission_token"),
            Field.select("child"),
            Field("raised_on"),
            Field.radios("category", legend_size=Size.MEDIUM),
            Field.radios("practice_subcategory", legend_size=Size.SMALL),
            Field.textarea("description"),
            Field.text("raised_with"),
        )


class EscalationForm(OnceForm):
    children = ChildrenChoiceField(
        queryset=Child.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="A sibling group can share one IRP",
        error_messages={"required": "Select at least one child"},
    )
    summary = forms.CharField(
        label="Summary of the issue",
        widget=forms.Textarea,
        error_messages={"required": "Enter a summary of the issue"},
    )
    outcome_sought = forms.CharField(
        label="Outcome you seek for the child",
        widget=forms.Textarea,
        error_messages={"required": "Enter the outcome you seek"},
    )
    stage = StageChoiceField(
        queryset=StageDefinition.objects.none(),
        widget=forms.RadioSelect,
        label="Starting stage",
        help_text="You may skip stages",
        empty_label=None,
        error_messages={"required": "Select the starting stage"},
    )
    responder = ResponderChoiceField(
        queryset=User.objects.none(),
        label="Named responder",
        error_messages={"required": "Select the named responder"},
    )

    def __init__(self, *args, children, stages, responders, with_category=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_category:
            self.fields.update(_category_fields())
        self.fields["children"].queryset = children
        self.fields["stage"].queryset = stages
        self.fields["responder"].queryset = responders
        order = ["children"] + (["category", "practice_subcategory"] if with_category else [])
        self.order_fields(order + ["summary", "outcome_sought", "stage", "responder"])
        layout = [Field.checkboxes("children", legend_size=Size.MEDIUM)]
        if with_category:
            layout += [
                Field.radios("category", legend_size=Size.MEDIUM),
                Field.radios("practice_subcategory", legend_size=Size.SMALL),
            ]
        layout += [
            Field.textarea("summary"),
            Field.textarea("outcome_sought"),
            Field.radios("stage", legend_size=Size.MEDIUM),
            Field.select("responder"),
        ]
        self.helper = _helper("Raise IRP", Field("submission_token"), *layout)

    def clean(self):
        return _check_responder_level(self, super().clean())


class ConcernResolveForm(VersionedForm):
    outcome = forms.CharField(
        widget=forms.Textarea, error_messages={"required": "Enter the outcome"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Mark concern resolved", Field("version"), Field.textarea("outcome"))


class RespondForm(VersionedForm):
    response = forms.CharField(
        label="Your response",
        widget=forms.Textarea,
        error_messages={"required": "Enter your response"},
    )
    resolved = forms.TypedChoiceField(
        label="Is the issue resolved?",
        choices=[("no", "No, this is my response"), ("yes", "Yes, the issue is resolved")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the issue is resolved"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "Send response",
            Field("version"),
            Field.textarea("response"),
            Field.radios("resolved", legend_size=Size.SMALL),
        )


class EscalateForm(VersionedForm):
    stage = StageChoiceField(
        queryset=StageDefinition.objects.none(),
        widget=forms.RadioSelect,
        label="Escalate to",
        help_text="The next stage, or a later one",
        empty_label=None,
        error_messages={"required": "Select the stage to escalate to"},
    )
    responder = ResponderChoiceField(
        queryset=User.objects.none(),
        label="Named responder",
        error_messages={"required": "Select the named responder"},
    )
    note = forms.CharField(label="Why you are escalating", widget=forms.Textarea, required=False)

    def __init__(self, *args, stages, responders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = stages
        self.fields["responder"].queryset = responders
        self.helper = _helper(
            "Escalate",
            Field("version"),
            Field.radios("stage", legend_size=Size.SMALL),
            Field.select("responder"),
            Field.textarea("note"),
        )

    def clean(self):
        return _check_responder_level(self, super().clean())


class ResolveForm(VersionedForm):
    outcome_quality = forms.ChoiceField(
        label="How well was the issue resolved?",
        choices=[c for c in OutcomeQuality.choices if c[0]],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how well the issue was resolved"},
    )
    note = forms.CharField(label="Resolution", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "Accept resolution",
            Field("version"),
            Field.radios("outcome_quality", legend_size=Size.SMALL),
            Field.textarea("note"),
        )


class NoteForm(VersionedForm):
    """Refer to Cafcass (note optional) or withdraw (note required)."""

    note = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(
        self, *args, button: str, label: str, required: bool = False, warning=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
        self.fields["note"].required = required
        self.fields["note"].error_messages["required"] = f"Enter {label.lower()}"
        self.helper = _helper(button, Field("version"), Field.textarea("note"), warning=warning)
