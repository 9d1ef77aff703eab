"""Flags that mislead: a conference due on 25 November 2026 whose ICPC became due at short notice
showed "Book by 3 Dec" (the trigger date, after the due date). Now, once the book-by date has
passed, it says "Overdue, due 25 Nov 2026" (or "Book now, due ..." while not yet due); and a
meeting held after its due date carries the "Late" flag wherever meetings are listed.

Time is frozen on each date; 4 November 2026 + 15 working days = 25 November 2026.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from iro.rules import LATE_FLAG, booking_advice
from protection import services
from reviews.selectors import weekly_schedule
from tests.protection.factories import book, icpc_due_for
from tests.reviews.factories import held_review

LONDON = ZoneInfo("Europe/London")


def frozen(day: date, hour: int = 9):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=LONDON), tick=False
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 5), "Book by 11 Nov 2026"),
        (date(2026, 11, 11), "Book by 11 Nov 2026"),
        (date(2026, 11, 12), "Book now, due 25 Nov 2026"),
        (date(2026, 11, 25), "Book now, due 25 Nov 2026"),
        (date(2026, 11, 26), "Overdue, due 25 Nov 2026"),
    ],
)
def test_booking_advice_on_each_side_of_the_book_by_and_due_dates(today, expected):
    assert (
        booking_advice(due=date(2026, 11, 25), book_by=date(2026, 11, 11), today=today) == expected
    )


def test_a_book_by_date_after_the_due_date_is_never_shown():
    advice = booking_advice(
        due=date(2026, 11, 25), book_by=date(2026, 12, 3), today=date(2026, 11, 20)
    )
    assert advice == "Book now, due 25 Nov 2026"


def test_a_conference_made_due_after_its_due_date_says_overdue_not_book_by(
    child, iro_allocated, login
):
    with frozen(date(2026, 12, 3)):
        icpc = icpc_due_for(child, discussion_on=date(2026, 11, 4))
        assert icpc.due == date(2026, 11, 25)
        page = login(iro_allocated).get(reverse("protection:conference_detail", args=[icpc.pk]))
        body = page.content.decode()
        assert "Overdue, due 25 Nov 2026" in body
        assert "Book by 3" not in body
        form = login(iro_allocated).get(reverse("protection:conference_book", args=[icpc.pk]))
        assert "Overdue, due 25 Nov 2026" in form.content.decode()
        assert "Book by 3" not in form.content.decode()


def test_a_review_past_its_book_by_date_says_book_now_on_the_review_and_the_list(
    child, iro_allocated, login
):
    from tests.reviews.factories import ReviewFactory

    review = ReviewFactory(child=child, due_date=date(2026, 11, 25))
    with frozen(date(2026, 11, 20)):
        client = login(iro_allocated)
        detail = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
        assert "Book now, due 25 Nov 2026" in detail
        listed = client.get(reverse("reviews:list") + "?mine=1").content.decode()
        assert "Book now, due 25 Nov 2026" in listed


def test_a_conference_held_after_its_due_date_is_late_on_the_schedule(child, iro_allocated):
    with frozen(date(2026, 11, 20)):
        icpc = icpc_due_for(child, discussion_on=date(2026, 11, 4))
        book(icpc, iro_allocated, date(2026, 11, 27), reason_after_due="Parent in hospital")
    with frozen(date(2026, 11, 27), 16):
        services.conference_record_outcome(
            conference=icpc, held_on=date(2026, 11, 27), outcome="nfa", recorded_by=iro_allocated
        )
        days = weekly_schedule(today=date(2026, 11, 27))
    rows = [row for day in days for chair in day.chairs for row in chair.rows]
    assert len(rows) == 1
    assert rows[0].detail.url == reverse("protection:conference_detail", args=[icpc.pk])
    assert LATE_FLAG in rows[0].detail.flags


def test_a_review_held_after_its_due_date_is_late_on_the_schedule(child, iro_allocated):
    with frozen(date(2026, 11, 27), 16):
        held_review(
            chair=iro_allocated,
            child=child,
            held_on=date(2026, 11, 27),
            due_date=date(2026, 11, 25),
        )
        days = weekly_schedule(today=date(2026, 11, 27))
    rows = [row for day in days for chair in day.chairs for row in chair.rows]
    assert [LATE_FLAG in row.detail.flags for row in rows] == [True]
