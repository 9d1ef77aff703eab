"""Shapes of the synthetic CP data (seed report figures) and a diary that avoids clashes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from iro.rules import is_working_day

# Number of review conferences before the plan ends at one (weights): 3, 9, 15, 21, 27+ months.
REVIEWS_BEFORE_END = {1: 14, 2: 46, 3: 17, 4: 12, 5: 6, 6: 5}
# Calibrated so that open plans at `today` come out near the scale's cp_plans.
MEAN_MONTHS = 11.7
CATEGORY_WEIGHTS = {"NEG": 61, "EMO": 30, "PHY": 4, "SAB": 2, "MUL": 3}
SLOTS = [time(9, 30), time(11, 30), time(13, 30), time(15, 30)]
NAMES_M = ["Oliver", "Jack", "Noah", "Leo", "Kai", "Ethan", "Tyler", "Yusuf", "Kofi", "Liam"]
NAMES_F = ["Olivia", "Amelia", "Isla", "Ava", "Lily", "Freya", "Aisha", "Grace", "Zara", "Ruby"]
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Khan",
    "Patel",
    "Mensah",
    "Nowak",
    "Kelly",
    "Shaw",
]


def weighted(rng, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def working_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


@dataclass
class Diary:
    """Free slots per chair per day, so generated meetings never clash."""

    used: set = field(default_factory=set)

    def slot(self, rng, chair_id: int, day: date) -> datetime:
        free = [s for s in SLOTS if (chair_id, day, s) not in self.used]
        chosen = rng.choice(free) if free else time(17, 0 + len(self.used) % 50)
        self.used.add((chair_id, day, chosen))
        return timezone.make_aware(datetime.combine(day, chosen))
