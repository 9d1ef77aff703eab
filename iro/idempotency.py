"""Double submissions: every create form carries a one-off token, and a repeat of the same token
answers with the record the first one made (a redirect to it) instead of creating another.

Use: the form mixes in `OnceForm` (a hidden `submission_token`, new for each form shown), and the
view wraps its create in `once(request, form, create)`, where `create()` calls the service and
returns the URL of the record made. The token is claimed by inserting (token, user) in the same
transaction as the record: a second press waits on the unique index, then finds the first's
record. A refused create (ValidationError) rolls the claim back, so the form can be sent again.
"""

from __future__ import annotations

import uuid

from django import forms
from django.db import IntegrityError, transaction
from django.shortcuts import redirect

from iro.models import Submission


class OnceForm(forms.Form):
    """Mixin of a create form: a hidden one-off token, so sending it twice creates one record."""

    submission_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())

    def full_clean(self):
        from iro.form_fields import bound_text_fields

        bound_text_fields(self)  # every text box has a maximum length (iro/validators.py)
        super().full_clean()


def once(request, token, create):
    """Run `create()` (a service call returning the new record's URL) once per token and user.

    Returns a redirect to the record: the new one, or the one a first press of the same form made.
    Without a token (a client that sends none) the create simply runs.
    """
    if not token:
        return redirect(create())
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = Submission.objects.create(token=token, user=request.user)
        except IntegrityError:
            done = Submission.objects.filter(token=token, user=request.user).first()
            if done is not None and done.redirect_to:
                return redirect(done.redirect_to)
            raise
        url = create()
        claim.redirect_to = url
        claim.save(update_fields=["redirect_to"])
    return redirect(url)


def already_done(request, field: str = "submission_token"):
    """A redirect to the record a first press of this form made, or None (not sent before).

    Views call it before their own checks, so a repeat that arrives after the first finished is
    sent to the record rather than told that the record's state no longer allows the action.
    """
    if request.method != "POST" or not request.user.is_authenticated:
        return None
    raw = next((v for k, v in request.POST.items() if k.endswith(field) and v), None)
    try:
        token = uuid.UUID(str(raw)) if raw else None
    except ValueError:
        return None
    done = (
        Submission.objects.filter(token=token, user=request.user).exclude(redirect_to="").first()
        if token
        else None
    )
    return redirect(done.redirect_to) if done else None
