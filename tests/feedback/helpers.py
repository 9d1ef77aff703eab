"""Building feedback for tests: answers saved through the service, as the form saves them."""

from feedback.models import Channel, FeedbackInvitation, FeedbackResponse
from feedback.services import invitation_issue, response_submit


def feedback_answer(
    invitation: FeedbackInvitation,
    *,
    channel: str = Channel.QR,
    easy_read: bool = False,
    named: bool = False,
    **answers,
) -> FeedbackResponse:
    token = invitation_issue(invitation=invitation)
    values = {"listened": "all", "involved": "some", "plans_discussed": "yes",
              "took_part": "came", "anything_else": "", **answers}  # fmt: skip
    values["named"] = "yes" if named else "no"
    return response_submit(token=token, answers=values, channel=channel, easy_read=easy_read)
