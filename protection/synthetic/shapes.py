"""Shapes of the synthetic CP data (seed report figures). Meetings are booked through the shared
diary (``iro.synthetic.diary``), so CP chairs are never double-booked with their CLA reviews."""

from __future__ import annotations

from datetime import date, timedelta

from iro.rules import is_working_day

# Number of review conferences before the plan ends at one (weights): 3, 9, 15, 21, 27+ months.
REVIEWS_BEFORE_END = {1: 14, 2: 46, 3: 17, 4: 12, 5: 6, 6: 5}
# Calibrated so that open plans at `today` come out near the scale's cp_plans.
MEAN_MONTHS = 11.7
CATEGORY_WEIGHTS = {"NEG": 61, "EMO": 30, "PHY": 4, "SAB": 2, "MUL": 3}
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
