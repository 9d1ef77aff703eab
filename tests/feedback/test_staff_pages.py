"""The IRO's and the manager's feedback pages: the link and QR code, sending, the answers."""

import pytest
from django.core import mail

from feedback.models import FeedbackInvitation, FeedbackResponse, Respondent
from tests.feedback.helpers import feedback_answer

pytestmark = pytest.mark.django_db


def test_the_review_page_leads_to_the_feedback_links(held, login, iro_allocated):
    page = login(iro_allocated).get(f"/reviews/{held.pk}/")
    body = page.content.decode()
    assert 'data-testid="feedback-panel">2 of 2 not answered yet' in body
    assert f"/feedback/meetings/{held.meeting_id}/children/{held.child_id}/" in body


def test_the_iro_gets_a_link_and_a_qr_code(invitation, login, iro_allocated):
    client = login(iro_allocated)
    page = client.get(f"/feedback/meetings/{invitation.meeting_id}/children/{invitation.child_id}/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="make-link-') == 2
    shown = client.post(f"/feedback/invitations/{invitation.pk}/link/")
    body = shown.content.decode()
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    assert '<svg role="img" aria-label="QR code that opens the feedback form"' in body
    assert "<script" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]
    link = body.split('data-testid="feedback-link"><a class="govuk-link" href="', 1)[1].split('"')[
        0
    ]
    assert link.startswith("http://") and "/have-your-say/" in link and link.endswith("?via=link")
    invitation.refresh_from_db()
    assert invitation.issued_at is not None and len(invitation.token_hash) == 64


def test_sending_by_email_and_by_text(invitation, login, iro_allocated, capsys):
    client = login(iro_allocated)
    path = f"/feedback/invitations/{invitation.pk}/send/"
    bad = client.post(path, {"channel": "email", "to": "not an address"})
    assert bad.status_code == 400
    assert "Enter an email address in the right format" in bad.content.decode()
    assert 'value="not an address"' in bad.content.decode()
    assert client.post(path, {"channel": "email", "to": "carer@example.org"}).status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["carer@example.org"]
    assert "/have-your-say/" in mail.outbox[0].body and "?via=email" in mail.outbox[0].body
    assert client.post(path, {"channel": "text", "to": "07700 900 982"}).status_code == 302
    printed = capsys.readouterr().out
    assert "Text message to 07700900982" in printed and "?via=text" in printed


def test_answers_reach_the_chair_and_their_manager_anonymised(
    invitation, login, iro_allocated, iro_other, team_manager, child
):
    feedback_answer(invitation, anything_else="My IRO listened to me")
    for user in (iro_allocated, team_manager):
        body = login(user).get("/feedback/").content.decode()
        assert "My IRO listened to me" in body
        assert child.first_name not in body and child.la_child_id not in body
        assert "The child or young person" in body
    assert "My IRO listened to me" not in login(iro_other).get("/feedback/").content.decode()


def test_a_child_who_chose_to_be_named_is_named(invitation, login, iro_allocated, child):
    feedback_answer(invitation, named=True, anything_else="Thanks")
    body = login(iro_allocated).get("/feedback/").content.decode()
    assert f"{child.first_name} {child.last_name}" in body


def test_a_manager_chooses_quotes_for_the_report_and_an_iro_cannot(
    invitation, login, iro_allocated, team_manager
):
    response = feedback_answer(invitation, anything_else="I liked it")
    path = f"/feedback/responses/{response.pk}/report/"
    assert login(iro_allocated).post(path, {"chosen": "yes"}).status_code == 403
    assert FeedbackResponse.objects.get().for_report is False
    assert login(team_manager).post(path, {"chosen": "yes"}).status_code == 302
    chosen = FeedbackResponse.objects.get()
    assert chosen.for_report is True and chosen.chosen_by == team_manager
    login(team_manager).post(path, {"chosen": "no"})
    assert FeedbackResponse.objects.get().for_report is False


def test_an_answered_invitation_makes_no_new_link(invitation, login, iro_allocated):
    feedback_answer(invitation)
    client = login(iro_allocated)
    response = client.post(f"/feedback/invitations/{invitation.pk}/link/")
    assert response.status_code == 302
    parent = FeedbackInvitation.objects.get(
        meeting=invitation.meeting, respondent=Respondent.PARENT
    )
    assert client.post(f"/feedback/invitations/{parent.pk}/link/").status_code == 200


@pytest.mark.parametrize(
    "role", ["iro_other", "head_of_service", "performance_officer", "board_member", "administrator"]
)
def test_others_cannot_reach_the_links_or_answers(role, invitation, login, personas):
    feedback_answer(invitation, anything_else="Private words")
    client = login(personas[role])
    codes = {
        client.get(
            f"/feedback/meetings/{invitation.meeting_id}/children/{invitation.child_id}/"
        ).status_code,
        client.post(f"/feedback/invitations/{invitation.pk}/link/").status_code,
        client.get(f"/feedback/invitations/{invitation.pk}/send/").status_code,
    }
    assert codes <= {403, 404}
    answers = client.get("/feedback/")
    assert answers.status_code in (200, 403)
    assert "Private words" not in answers.content.decode()
