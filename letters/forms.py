"""Forms of the letters pages (crispy-forms with the GOV.UK pack and the one error summary)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from letters.photos import PHOTO_MAX_BYTES


class ProfileForm(forms.Form):
    who_i_am = forms.CharField(
        label="Who I am",
        help_text="A few sentences a child can read: your name, and something about you.",
        max_length=1000,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter who you are",
            "max_length": "Who I am must be 1,000 characters or fewer",
        },
    )
    what_i_do = forms.CharField(
        label="What I do",
        help_text="What an IRO does for the child, in plain words.",
        max_length=1000,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter what you do",
            "max_length": "What I do must be 1,000 characters or fewer",
        },
    )
    how_to_reach_me = forms.CharField(
        label="How to reach me",
        help_text="A work phone number or email address, and when you can be reached.",
        max_length=600,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter how a child can reach you",
            "max_length": "How to reach me must be 600 characters or fewer",
        },
    )
    photo = forms.FileField(
        label="Photo (optional)",
        help_text=f"A JPEG or PNG of at most {PHOTO_MAX_BYTES // (1024 * 1024)} MB.",
        required=False,
    )
    remove_photo = forms.BooleanField(label="Remove my photo", required=False)

    def __init__(self, *args, has_photo: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_show_errors = True
        items = [
            Field.textarea("who_i_am", rows=4, label_size=Size.SMALL),
            Field.textarea("what_i_do", rows=4, label_size=Size.SMALL),
            Field.textarea("how_to_reach_me", rows=3, label_size=Size.SMALL),
            Field("photo"),
        ]
        if has_photo:
            items.append(Field.checkbox("remove_photo", small=True))
        else:
            del self.fields["remove_photo"]
        self.helper.layout = Layout(*items, Submit("submit", "Save my profile"))


ACTIONS = {
    "Check readability": "preview",
    "Save draft": "save",
    "Finish the record": "finish",
    "Save changes": "save",
}


class ChildRecordForm(forms.Form):
    text = forms.CharField(
        label="Record written to the child",
        help_text=(
            "Write to the child in words they can read. The readability score above updates as "
            "you write."
        ),
        max_length=10000,
        widget=forms.Textarea(attrs={"data-readability": "1"}),
        error_messages={
            "required": "Enter the record written to the child",
            "max_length": "The record must be 10,000 characters or fewer",
        },
    )

    def __init__(self, *args, finished: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_show_errors = True
        buttons = [Submit("action", "Check readability", css_class="govuk-button--secondary")]
        if not finished:
            buttons.append(Submit("action", "Save draft", css_class="govuk-button--secondary"))
        buttons.append(Submit("action", "Save changes" if finished else "Finish the record"))
        self.helper.layout = Layout(
            Field.textarea("text", rows=18, label_size=Size.MEDIUM), *buttons
        )
