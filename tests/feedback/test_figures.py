"""FB-01, FB-02 and FB-05 from answers given through the form, and their suppression."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from feedback.models import FeedbackInvitation, FeedbackResponse, Respondent
from feedback.services import invitation_add_parent, invitations_for_outcome
from reporting.figures import Period, get_figure
from reporting.suppression import suppress_result
from tests.feedback.helpers import feedback_answer
from tests.iro.factories import ChildFactory
from tests.reviews.factories import held_review

pytestmark = pytest.mark.django_db


def child_invitation(chair, held_on):
    review = held_review(chair=chair, child=ChildFactory(), held_on=held_on)
    invitations_for_outcome(meeting=review.meeting, child=review.child, held_on=held_on)
    return FeedbackInvitation.objects.get(meeting=review.meeting)


@pytest.fixture
def answers(iro_allocated):
    """Four children and one parent answer in 2025/26; one child answered the year before."""
    with time_machine.travel(date(2025, 3, 20), tick=False):
        feedback_answer(child_invitation(iro_allocated, date(2025, 3, 10)), listened="no")
    with time_machine.travel(date(2025, 6, 10), tick=False):
        a = child_invitation(iro_allocated, date(2025, 6, 2))
        feedback_answer(a, listened="all", anything_else="My IRO listened", channel="qr")
        feedback_answer(child_invitation(iro_allocated, date(2025, 6, 3)), listened="some",
                        involved="no", plans_discussed="no", channel="email")  # fmt: skip
        feedback_answer(child_invitation(iro_allocated, date(2025, 6, 4)), listened="no",
                        involved="", plans_discussed="yes", channel="text")  # fmt: skip
        feedback_answer(child_invitation(iro_allocated, date(2025, 6, 5)), listened="",
                        involved="all", plans_discussed="", channel="link")  # fmt: skip
        parent = invitation_add_parent(meeting=a.meeting, child=a.child)
        feedback_answer(parent, listened="no", involved="no", plans_discussed="no",
                        anything_else="Too long", channel="qr")  # fmt: skip
    FeedbackResponse.objects.filter(anything_else__in=["My IRO listened", "Too long"]).update(
        for_report=True
    )


def test_fb01_counts_children_who_answered_each_question(answers):
    result = get_figure("FB-01").compute(Period.year(2025))
    # listened: all, some, no among three children who answered it (one left it out)
    assert (result.numerator, result.denominator, result.value) == (2, 3, 66.7)
    # involved: some, no, all (one left it out); plans: yes, no, yes (one left it out)
    assert result.breakdown == {"listened": 66.7, "involved": 66.7, "plans_discussed": 66.7}
    assert result.table[0] == ["Their IRO listened to them", 2, 3]
    previous = get_figure("FB-01").compute(Period.year(2024))
    assert (previous.numerator, previous.denominator, previous.value) == (0, 1, 0.0)


def test_fb05_counts_every_answer_by_channel(answers):
    result = get_figure("FB-05").compute(Period.year(2025))
    assert result.value == 5
    assert result.breakdown == {"qr": 2, "link": 1, "email": 1, "text": 1}


def test_fb02_lists_the_chosen_quotes_without_names(answers):
    result = get_figure("FB-02").compute(Period.year(2025))
    assert result.value == 2
    assert sorted(result.table) == [
        ["My IRO listened", "A child or young person"],
        ["Too long", "A parent or carer"],
    ]


def test_published_feedback_figures_hide_small_numbers(answers):
    fb05 = suppress_result(get_figure("FB-05").compute(Period.year(2025)).as_dict(), "COUNT")
    assert fb05["value"] == "c"
    assert set(fb05["breakdown"].values()) == {"c"}
    fb01 = suppress_result(get_figure("FB-01").compute(Period.year(2025)).as_dict(), "PCT")
    assert fb01["value"] == "c" and fb01["denominator"] == "c"


def test_an_answer_counts_in_the_year_it_was_given(iro_allocated):
    held_on = timezone.localdate() - timedelta(days=1)
    feedback_answer(child_invitation(iro_allocated, held_on), listened="all")
    period = Period.containing(timezone.localdate())
    assert get_figure("FB-01").compute(period).numerator == 1
    assert FeedbackResponse.objects.get().invitation.respondent == Respondent.CHILD
