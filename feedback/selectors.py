"""Reads: which invitations and answers a member of staff may see (through iro.access)."""

from django.db.models import QuerySet
from django.http import Http404

from feedback.models import FeedbackInvitation, FeedbackResponse
from iro.access import chairs_overseen_by, children_visible_to


def invitations_for(user) -> QuerySet:
    """Invitations of meetings chaired by someone the user answers for (themselves, or their
    team's IROs for a team manager), of children they may see: the page names the child."""
    if not user.has_perm("feedback.add_feedbackinvitation"):
        return FeedbackInvitation.objects.none()
    return FeedbackInvitation.objects.filter(
        chair__in=chairs_overseen_by(user), child__in=children_visible_to(user)
    )


def responses_for(user) -> QuerySet:
    """Answers about meetings chaired by the user or, for a team manager, by their team. An
    answer names its child only when the respondent chose to be named (`named_child`)."""
    if not user.has_perm("feedback.view_feedbackresponse"):
        return FeedbackResponse.objects.none()
    return FeedbackResponse.objects.filter(
        invitation__chair__in=chairs_overseen_by(user)
    ).select_related("invitation", "invitation__chair", "invitation__child")


def meeting_invitations_or_404(user, meeting_id: int, child_id: int) -> list[FeedbackInvitation]:
    found = list(
        invitations_for(user)
        .filter(meeting_id=meeting_id, child_id=child_id)
        .select_related("child", "meeting", "response")
        .order_by("respondent", "pk")
    )
    if not found:
        raise Http404("No feedback invitations for this meeting")
    return found


def invitation_or_404(user, pk: int) -> FeedbackInvitation:
    invitation = invitations_for(user).filter(pk=pk).select_related("child", "meeting").first()
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def response_or_404(user, pk: int) -> FeedbackResponse:
    response = responses_for(user).filter(pk=pk).first()
    if response is None:
        raise Http404("No such feedback")
    return response
