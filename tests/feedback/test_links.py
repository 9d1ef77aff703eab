"""The feedback link: made when an outcome is recorded, kept only as a hash, works once, expires,
and a guessed or altered link answers exactly like one that does not exist."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from feedback.models import Channel, FeedbackInvitation, FeedbackResponse, Respondent
from feedback.services import invitation_issue

pytestmark = pytest.mark.django_db

ANSWERS = {"listened": "all", "involved": "some", "plans_discussed": "yes", "took_part": "came",
           "anything_else": "It was good", "named": "no", "via": "qr"}  # fmt: skip


def url(token: str, easy: bool = False) -> str:
    return f"/have-your-say/{token}/" + ("easy/" if easy else "")


def test_recording_an_outcome_invites_the_child_and_a_parent(held, iro_allocated):
    invitations = FeedbackInvitation.objects.filter(meeting=held.meeting)
    assert sorted(invitations.values_list("respondent", flat=True)) == ["child", "parent"]
    first = invitations.first()
    assert first.chair == iro_allocated
    assert first.held_on == held.held_on
    assert first.token_hash == ""  # no link until the IRO makes one
    days = (first.expires_at - timezone.now()).total_seconds() / 86400
    assert 27.9 < days <= 28


def test_only_the_hash_of_the_token_is_kept(invitation):
    token = invitation_issue(invitation=invitation)
    invitation.refresh_from_db()
    assert len(token) == 43
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM feedback_feedbackinvitation WHERE token_hash = %s",
                       [token])  # fmt: skip
        assert cursor.fetchone()[0] == 0


def test_the_form_works_once_and_records_the_channel(invitation, child):
    token = invitation_issue(invitation=invitation)
    client = Client(enforce_csrf_checks=False)
    page = client.get(url(token) + "?via=qr")
    assert page.status_code == 200
    body = page.content.decode()
    for detail in (child.first_name, child.last_name, child.la_child_id):
        assert detail not in body
    assert page["Cache-Control"] == "no-store"
    assert page["Referrer-Policy"] == "same-origin"
    sent = client.post(url(token), ANSWERS)
    assert sent.status_code == 302 and sent["Location"] == "/have-your-say/thanks/"
    response = FeedbackResponse.objects.get()
    assert (response.channel, response.listened, response.named) == (Channel.QR, "all", False)
    assert response.submitted_on == timezone.localdate()
    again = client.get(url(token))
    assert again.status_code == 410
    assert "This link has been used" in again.content.decode()
    second = client.post(url(token), {**ANSWERS, "listened": "no"})
    assert second.status_code == 410
    assert FeedbackResponse.objects.count() == 1
    assert FeedbackResponse.objects.get().listened == "all"


def test_the_easy_version_is_recorded_as_such(invitation):
    token = invitation_issue(invitation=invitation)
    client = Client()
    page = client.get(url(token, easy=True))
    assert page.status_code == 200
    assert page.content.decode().count('class="app-feedback-icon"') >= 20
    client.post(url(token, easy=True), {**ANSWERS, "via": "email"})
    response = FeedbackResponse.objects.get()
    assert response.easy_read is True and response.channel == Channel.EMAIL


def test_an_empty_answer_is_refused_and_the_link_still_works(invitation):
    token = invitation_issue(invitation=invitation)
    client = Client()
    refused = client.post(url(token), {"named": "no", "via": "link"})
    assert refused.status_code == 400
    assert "Answer at least one question" in refused.content.decode()
    assert client.post(url(token), ANSWERS).status_code == 302


def test_an_unknown_channel_counts_as_a_link(invitation):
    token = invitation_issue(invitation=invitation)
    Client().post(url(token), {**ANSWERS, "via": "carrier-pigeon"})
    assert FeedbackResponse.objects.get().channel == Channel.LINK


def test_an_expired_link_explains_itself(invitation):
    token = invitation_issue(invitation=invitation)
    with time_machine.travel(timezone.now() + timedelta(days=28, minutes=1)):
        client = Client()
        page = client.get(url(token))
        assert page.status_code == 410
        assert "This link has stopped working" in page.content.decode()
        assert client.post(url(token), ANSWERS).status_code == 410
    assert not FeedbackResponse.objects.exists()


def test_making_the_link_again_retires_the_earlier_one(invitation):
    old = invitation_issue(invitation=invitation)
    new = invitation_issue(invitation=invitation)
    client = Client()
    assert client.get(url(old)).status_code == 404
    assert client.get(url(new)).status_code == 200


def test_guessed_or_altered_links_answer_like_a_link_that_does_not_exist(invitation):
    token = invitation_issue(invitation=invitation)
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    client = Client()
    bodies = set()
    for candidate in (altered, token.upper() if token.upper() != token else token.lower(),
                      "x" * 43, "short", token + "x", "%00"):  # fmt: skip
        response = client.get(url(candidate))
        assert response.status_code == 404, candidate
        bodies.add(response.content)
        response = client.post(url(candidate), ANSWERS)
        assert response.status_code == 404, candidate
        bodies.add(response.content)
    assert len(bodies) == 1
    assert not FeedbackResponse.objects.exists()


def test_the_form_checks_csrf(invitation):
    token = invitation_issue(invitation=invitation)
    response = Client(enforce_csrf_checks=True).post(url(token), ANSWERS)
    assert response.status_code == 403
    assert not FeedbackResponse.objects.exists()


def test_one_address_is_limited(invitation, settings):
    settings.FEEDBACK_FORM_RATE = "3/minute"
    cache.delete_many(
        [k for k in [f"throttle_feedback_form_{ip}" for ip in ("127.0.0.1", "10.9.8.7")]]
    )
    token = invitation_issue(invitation=invitation)
    client = Client(REMOTE_ADDR="10.9.8.7")
    codes = [client.get(url("y" * 43)).status_code for _ in range(3)]
    assert codes == [404, 404, 404]
    limited = client.get(url(token))
    assert limited.status_code == 429
    assert "Please wait a minute" in limited.content.decode()
    assert Client(REMOTE_ADDR="10.9.8.6").get(url(token)).status_code == 200
    cache.delete("throttle_feedback_form_10.9.8.7")


def test_a_parent_invitation_is_added_by_the_iro(held, login, iro_allocated):
    client = login(iro_allocated)
    path = f"/feedback/meetings/{held.meeting_id}/children/{held.child_id}/parents/"
    assert client.post(path).status_code == 302
    assert (
        FeedbackInvitation.objects.filter(
            meeting=held.meeting, respondent=Respondent.PARENT
        ).count()
        == 2
    )


def test_each_child_of_a_sibling_conference_gets_their_own_invitations(iro_allocated, login):
    from protection import services as protection_services
    from tests.iro.factories import ChildFactory, SiblingGroupFactory
    from tests.protection.factories import book, icpc_due_for

    group = SiblingGroupFactory()
    older, younger = ChildFactory(sibling_group=group), ChildFactory(sibling_group=group)
    held_on = timezone.localdate() - timedelta(days=2)
    discussed = held_on - timedelta(days=7)
    conferences = [icpc_due_for(c, discussion_on=discussed) for c in (older, younger)]
    meeting = book(conferences, iro_allocated, held_on)
    protection_services.conference_record_outcome(
        conference=conferences[0], held_on=held_on, outcome="cp_plan", category="NEG",
        parents_invited=True,
    )  # fmt: skip
    protection_services.conference_record_outcome(
        conference=conferences[1], held_on=held_on, outcome="nfa", parents_invited=False
    )
    made = FeedbackInvitation.objects.filter(meeting=meeting)
    assert sorted(made.values_list("child_id", "respondent")) == sorted(
        [(older.pk, "child"), (older.pk, "parent"), (younger.pk, "child")]
    )
    assert set(made.values_list("meeting_kind", flat=True)) == {"icpc"}
    page = login(iro_allocated).get(f"/protection/conferences/{conferences[1].pk}/")
    assert "1 of 1 not answered yet" in page.content.decode()
