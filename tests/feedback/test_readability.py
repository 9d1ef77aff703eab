"""The child's form is written for a child: its words read at a reading age of about 9 to 11.

textstat's Flesch reading ease (higher is easier: 80 to 90 is "easy", read by an average 11 year
old) and Flesch-Kincaid grade (a US school grade: grade 5 is age 10 to 11) of the text a child
reads on each page of the journey: the form (both versions), the thanks page and the closed-link
pages.

textstat counts syllables with NLTK's CMU pronouncing dictionary, which it downloads on first
use; the suite runs offline, so it counts them with pyphen's hyphenation dictionary instead
(textstat's own fallback for a word the CMU dictionary lacks), which is installed with it.
"""

import re
from datetime import timedelta
from html import unescape

import pytest
import textstat
import time_machine
from django.test import Client
from django.utils import timezone

from feedback.services import invitation_issue
from tests.feedback.helpers import feedback_answer

pytestmark = pytest.mark.django_db

MIN_READING_EASE = 80
MAX_GRADE = 5


def main_text(html: str) -> str:
    """The words in the page's main content, as sentences (headings and labels end one)."""
    main = html.split('id="main-content"', 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<svg.*?</svg>", " ", main, flags=re.S)
    main = re.sub(r"</(h1|h2|legend|label|p|li|button|a|div)>", ". ", main)
    text = unescape(re.sub(r"<[^>]+>", " ", main))
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"([.?!])\s*\.(\s*\.)*", r"\1", text)
    return text.strip(" .") + "."


@pytest.fixture(autouse=True)
def _syllables_without_download(monkeypatch):
    from textstat.backend.counts import _count_syllables

    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: None)


def scores(text: str) -> tuple[float, float]:
    return textstat.flesch_reading_ease(text), textstat.flesch_kincaid_grade(text)


@pytest.fixture
def pages(invitation):
    token = invitation_issue(invitation=invitation)
    client = Client()
    out = {
        "form": client.get(f"/have-your-say/{token}/").content.decode(),
        "easy": client.get(f"/have-your-say/{token}/easy/").content.decode(),
    }
    out["thanks"] = client.get("/have-your-say/thanks/").content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        out["expired"] = client.get(f"/have-your-say/{token}/").content.decode()
    feedback_answer(invitation)
    return out


@pytest.mark.parametrize("page", ["form", "easy", "thanks", "expired"])
def test_the_childs_pages_read_at_a_childs_reading_age(pages, page):
    text = main_text(pages[page])
    ease, grade = scores(text)
    assert len(text.split()) > 15, text
    assert ease >= MIN_READING_EASE, (ease, text)
    assert grade <= MAX_GRADE, (grade, text)


def test_the_measure_tells_hard_text_from_easy():
    hard = ("The Independent Reviewing Officer's responsibilities encompass scrutinising "
            "the local authority's care planning arrangements and ensuring statutory compliance.")  # fmt: skip
    assert scores(hard)[0] < 20 < MIN_READING_EASE
