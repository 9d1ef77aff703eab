"""The IRO's and the manager's pages: links and QR codes after a meeting, and the answers."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from feedback import selectors, senders, services
from feedback.forms import SendForm
from feedback.models import Channel
from feedback.qr import qr_svg
from iro.access import can_see_child
from iro.audit import log_child_access
from iro.form_errors import apply_errors
from iro.idempotency import already_done
from iro.notifications.delivery import absolute

perm = permission_required  # raise_exception below: a signed-in user without it gets 403


def _public_url(token: str, via: str) -> str:
    return absolute(reverse("feedback_public:answer", args=[token])) + f"?via={via}"


def _status(invitation) -> str:
    problem = services.usable_problem(invitation)
    if invitation.used_at:
        return "Answered"
    if problem == "expired":
        return "Expired"
    return "Link made" if invitation.issued_at else "Not sent yet"


@require_safe
@perm("feedback.add_feedbackinvitation", raise_exception=True)
def meeting(request, meeting_id: int, child_id: int):
    invitations = selectors.meeting_invitations_or_404(request.user, meeting_id, child_id)
    first = invitations[0]
    log_child_access(user=request.user, child=first.child, path=request.path)
    rows = [{"invitation": i, "status": _status(i), "open": not services.usable_problem(i)}
            for i in invitations]  # fmt: skip
    return render(
        request,
        "feedback/meeting.html",
        {"child": first.child, "meeting": first.meeting, "first": first, "rows": rows},
    )


@require_POST
@perm("feedback.add_feedbackinvitation", raise_exception=True)
def add_parent(request, meeting_id: int, child_id: int):
    invitations = selectors.meeting_invitations_or_404(request.user, meeting_id, child_id)
    if repeat := already_done(request):
        return repeat
    services.invitation_add_parent(meeting=invitations[0].meeting, child=invitations[0].child)
    messages.success(request, "Invitation added for another parent or carer")
    return redirect("feedback:meeting", meeting_id=meeting_id, child_id=child_id)


@require_POST
@perm("feedback.add_feedbackinvitation", raise_exception=True)
def make_link(request, pk: int):
    """Makes a new link (an earlier one stops working) and shows it with its QR code, once."""
    invitation = selectors.invitation_or_404(request.user, pk)
    back = reverse("feedback:meeting", args=[invitation.meeting_id, invitation.child_id])
    try:
        token = services.invitation_issue(invitation=invitation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(back)
    log_child_access(user=request.user, child=invitation.child, path=request.path)
    link = _public_url(token, Channel.LINK)
    response = render(
        request,
        "feedback/link.html",
        {
            "invitation": invitation,
            "link": link,
            "qr": qr_svg(
                _public_url(token, Channel.QR),
                label="QR code that opens the feedback form",
            ),
            "expires_on": timezone.localdate(invitation.expires_at),
            "back": back,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@perm("feedback.add_feedbackinvitation", raise_exception=True)
def send(request, pk: int):
    invitation = selectors.invitation_or_404(request.user, pk)
    back = reverse("feedback:meeting", args=[invitation.meeting_id, invitation.child_id])
    form = SendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        channel, to = form.cleaned_data["channel"], form.cleaned_data["to"]
        try:
            to = senders.check_address(channel, to)
            token = services.invitation_issue(invitation=invitation)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            days = max((invitation.expires_at - timezone.now()).days, 1)
            senders.sender().send(
                channel, to, senders.message_for(_public_url(token, channel), days)
            )
            messages.success(
                request, "Link sent by email" if channel == "email" else "Link sent by text message"
            )
            return redirect(back)
    return render(
        request,
        "feedback/send.html",
        {"form": form, "invitation": invitation, "back": back},
        status=400 if request.method == "POST" else 200,
    )


@require_safe
@perm("feedback.view_feedbackresponse", raise_exception=True)
def answers(request):
    responses = selectors.responses_for(request.user)
    page = Paginator(responses, 25).get_page(request.GET.get("page"))
    rows = []
    for response in page:
        child = response.invitation.child
        named = response.named and can_see_child(request.user, child)
        rows.append({"response": response, "named_child": child if named else None})
    return render(
        request,
        "feedback/answers.html",
        {
            "page": page,
            "rows": rows,
            "can_choose": request.user.has_perm("feedback.change_feedbackresponse"),
        },
    )


@require_POST
@perm("feedback.change_feedbackresponse", raise_exception=True)
def choose(request, pk: int):
    response = selectors.response_or_404(request.user, pk)
    chosen = request.POST.get("chosen") == "yes"
    try:
        services.response_choose_for_report(response=response, chosen=chosen, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, "Quote added to the report" if chosen else "Quote taken out of the report"
        )
    return redirect(reverse("feedback:answers") + f"#feedback-{response.pk}")
