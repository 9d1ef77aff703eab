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


class InboxFilterForm(forms.Form):
    """The inbox's filters: kind, child (only children iro.access lets the user see) and read."""

    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        error_messages={"invalid_choice": "Choose a kind of notification from the list."},
    )
    child: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Child",
        required=False,
        queryset=None,
        empty_label="All children",
        error_messages={"invalid_choice": "Choose a child from the list."},
    )
    read = forms.ChoiceField(
        label="Read or unread",
        required=False,
        choices=[("", "All"), ("unread", "Unread"), ("read", "Read")],
    )

    def __init__(self, *args, user, **kwargs):
        from iro.notifications import selectors

        super().__init__(*args, **kwargs)
        kinds = selectors.filter_kinds(user)
        self.fields["kind"].choices = [("", "All kinds")] + sorted(
            ((k, registry.notification_kinds.get(k, k)) for k in kinds), key=lambda item: item[1]
        )
        self.fields["child"].queryset = selectors.filter_children(user)
        self.fields["child"].label_from_instance = lambda c: (
            f"{c.first_name} {c.last_name} ({c.la_child_id})"
        )
