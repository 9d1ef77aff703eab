"""The feedback form (standard and easy-read share it), and the IRO's send form."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from feedback.models import Channel, Often, TookPart, YesNo

NAMED_CHOICES = [("no", "No, keep it private"), ("yes", "Yes, tell them my name")]


class FeedbackForm(forms.Form):
    """Every question may be left out: a child who answers one question has still answered."""

    listened = forms.ChoiceField(
        label="Did your IRO listen to you?",
        choices=Often.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    involved = forms.ChoiceField(
        label="Did you have a say in the choices made about you?",
        choices=Often.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    plans_discussed = forms.ChoiceField(
        label="Did your IRO talk with you about your plans?",
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    took_part = forms.ChoiceField(
        label="How did you take part?",
        choices=TookPart.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    anything_else = forms.CharField(
        label="Is there anything else you want to tell us?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        required=False,
        error_messages={"max_length": "Your message must be 1,000 characters or fewer"},
    )
    named = forms.ChoiceField(
        label="Can we tell your IRO who wrote this?",
        choices=NAMED_CHOICES,
        widget=forms.RadioSelect,
        initial="no",
        required=False,
    )
    via = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        answered = [data.get(name) for name in ("listened", "involved", "plans_discussed",
                                                "took_part", "anything_else")]  # fmt: skip
        if not any(answered):
            raise forms.ValidationError("Answer at least one question before you send it.")
        if data.get("via") not in Channel.values:
            data["via"] = Channel.LINK
        return data


class SendForm(forms.Form):
    channel = forms.ChoiceField(
        label="How should we send it?",
        choices=[("email", "Email"), ("text", "Text message")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select email or text message"},
    )
    to = forms.CharField(
        label="Email address or mobile phone number",
        max_length=254,
        error_messages={"required": "Enter an email address or a mobile phone number"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.radios("channel", legend_size=Size.MEDIUM),
            Field.text("to"),
            Submit("submit", "Send the link"),
        )
