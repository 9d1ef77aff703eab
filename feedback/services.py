"""Writes: invitations after an outcome, making and sending links, answers, chosen quotes."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from feedback import tokens
from feedback.models import Channel, FeedbackInvitation, FeedbackResponse, Respondent


def link_days() -> int:
    return int(getattr(settings, "FEEDBACK_LINK_DAYS", 28))


def invitations_for_outcome(
    *, meeting, child, held_on, parents_invited=None, recorded_by=None, **kwargs
) -> list[FeedbackInvitation]:
    """One invitation for the child and, when parents were invited, one for a parent or carer
    (the IRO adds one for each other parent or carer invited). They expire `FEEDBACK_LINK_DAYS`
    (28 by default) after the outcome is recorded. Recording again adds nothing."""
    expires = timezone.now() + timedelta(days=link_days())
    made = []
    wanted = [Respondent.CHILD] + ([Respondent.PARENT] if parents_invited else [])
    existing = set(
        FeedbackInvitation.objects.filter(meeting=meeting, child=child).values_list(
            "respondent", flat=True
        )
    )
    for respondent in wanted:
        if respondent in existing:
            continue
        made.append(
            FeedbackInvitation.objects.create(
                meeting=meeting,
                child=child,
                chair_id=meeting.chair_id,
                meeting_kind=meeting.kind,
                held_on=held_on,
                respondent=respondent,
                expires_at=expires,
            )
        )
    return made


def on_outcome_recorded(sender, **kwargs) -> None:
    invitations_for_outcome(**kwargs)


@transaction.atomic
def invitation_add_parent(*, meeting, child) -> FeedbackInvitation:
    """Another parent or carer invited to the meeting: an invitation of their own."""
    first = FeedbackInvitation.objects.filter(meeting=meeting, child=child).order_by("pk").first()
    if first is None:
        raise ValidationError("Record the outcome of the meeting first.")
    return FeedbackInvitation.objects.create(
        meeting=meeting,
        child=child,
        chair_id=first.chair_id,
        meeting_kind=first.meeting_kind,
        held_on=first.held_on,
        respondent=Respondent.PARENT,
        expires_at=first.expires_at,
    )


def usable_problem(invitation: FeedbackInvitation, now=None) -> str:
    """Why the invitation's link cannot be answered ("used", "expired"), or "" when it can."""
    now = now or timezone.now()
    if invitation.used_at is not None:
        return "used"
    if invitation.expires_at <= now:
        return "expired"
    return ""


@transaction.atomic
def invitation_issue(*, invitation: FeedbackInvitation) -> str:
    """A new token for the invitation's link, returned once; an earlier link stops working."""
    invitation = FeedbackInvitation.objects.select_for_update().get(pk=invitation.pk)
    problem = usable_problem(invitation)
    if problem:
        raise ValidationError(
            "This person has already answered."
            if problem == "used"
            else "This invitation has expired: the link can no longer be made."
        )
    token = tokens.new_token()
    invitation.token_hash = tokens.token_hash(token)
    invitation.issued_at = timezone.now()
    invitation.save(update_fields=["token_hash", "issued_at"])
    return token


def invitation_for_token(token: str) -> FeedbackInvitation | None:
    """The invitation whose link carries `token`, or None (unknown, altered or never made)."""
    if not tokens.well_formed(token):
        return None
    return FeedbackInvitation.objects.filter(token_hash=tokens.token_hash(token)).first()


@transaction.atomic
def response_submit(
    *, token: str, answers: dict, channel: str, easy_read: bool
) -> FeedbackResponse:
    """Saves the answer and closes the link, once: a second answer (or a race) is refused."""
    now = timezone.now()
    invitation = invitation_for_token(token)
    if invitation is None:
        raise FeedbackInvitation.DoesNotExist
    invitation = FeedbackInvitation.objects.select_for_update().get(pk=invitation.pk)
    problem = usable_problem(invitation, now)
    if problem:
        raise ValidationError(problem)
    if channel not in Channel.values:
        channel = Channel.LINK
    response = FeedbackResponse(
        invitation=invitation,
        submitted_at=now,
        submitted_on=timezone.localdate(now),
        channel=channel,
        easy_read=easy_read,
        listened=answers.get("listened", ""),
        involved=answers.get("involved", ""),
        plans_discussed=answers.get("plans_discussed", ""),
        took_part=answers.get("took_part", ""),
        anything_else=(answers.get("anything_else") or "").strip(),
        named=answers.get("named") == "yes",
    )
    response.full_clean()
    response.save()
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    return response


@transaction.atomic
def response_choose_for_report(*, response: FeedbackResponse, chosen: bool, by) -> None:
    """A manager puts the answer's words into (or takes them out of) the report's quotes."""
    if chosen and not response.anything_else:
        raise ValidationError("This answer has no words to quote.")
    FeedbackResponse.objects.filter(pk=response.pk).update(
        for_report=chosen, chosen_by=by if chosen else None
    )
