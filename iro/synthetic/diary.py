"""One diary for every generated meeting, so that no chair is ever booked into two at once.

The service refuses a booking that overlaps another held or booked meeting of the same chair
(``iro.meetings``); generated data must keep the same rule, whichever app's generator books the
meeting (CLA reviews and CP conferences share chairs). Each app's generator books through
``SyntheticContext.diary``.

A day has six 90-minute slots in working hours, back to back from 08:00 to 17:00. Chairs are
booked into the four usual ones first (09:30, 11:00, 14:00, 15:30), then the lunchtime and early
slots, then 17:00. A day already that full takes further meetings in the evening, one after
another: rare (a handful of chair-days at `la` scale), and what the service's out-of-hours
warning exists for.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

MEETING_MINUTES = 90
USUAL = [time(9, 30), time(11, 0), time(14, 0), time(15, 30)]
SPARE = [time(12, 30), time(8, 0), time(17, 0)]
EVENING_FROM = time(18, 30)


class Diary:
    def __init__(self) -> None:
        self._used: dict[tuple[int, date], list[time]] = defaultdict(list)
        self._evening: dict[tuple[int, date], int] = defaultdict(int)

    def book(self, rng, chair_id: int, day: date) -> datetime:
        """The start of a free 90-minute slot in `chair_id`'s diary on `day`, now taken."""
        key = (chair_id, day)
        used = self._used[key]
        free = [slot for slot in USUAL if slot not in used] or [
            slot for slot in SPARE if slot not in used
        ][:1]
        if free:
            chosen = rng.choice(free)
            used.append(chosen)
            return timezone.make_aware(datetime.combine(day, chosen))
        # The day is full: one evening meeting after another (never overlapping, however many).
        later = self._evening[key]
        self._evening[key] += 1
        evening = datetime.combine(day, EVENING_FROM) + later * timedelta(minutes=MEETING_MINUTES)
        return timezone.make_aware(evening)
