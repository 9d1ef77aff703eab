from django import forms

from iro.registry import registry


class PreferenceForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label="Also send these by email as they happen",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    daily_digest = forms.BooleanField(
        label="Send me one email a day listing the notifications not already emailed",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_kinds"].choices = sorted(
            registry.notification_kinds.items(), key=lambda item: item[1]
        )
