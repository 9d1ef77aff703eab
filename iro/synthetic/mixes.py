"""Scales and the mixes the synthetic data is drawn from (see the package docstring)."""

from __future__ import annotations

import random

from iro.age_bands import AGE_BANDS

# Children simulated, checked and saved per batch, so memory stays flat at national scale.
BATCH = 20000

SCALES: dict[str, dict] = {
    # in_care: children looked after on any one day; years: history length.
    # The demo (seed_demo): small, but with caseloads per FTE inside the 50-70 guidance range.
    "demo": {
        "in_care": 230,
        "years": 3,
        "iros": 4,
        "teams": 1,
        "areas": 4,
        "cp_plans": 60,
        "waiting": 4,
    },
    "small": {
        "in_care": 70,
        "years": 3,
        "iros": 6,
        "teams": 1,
        "areas": 4,
        "cp_plans": 30,
        "waiting": 4,
    },
    "la": {
        "in_care": 2200,
        "years": 10,
        "iros": 32,
        "teams": 4,
        "areas": 5,
        "cp_plans": 1000,
        "waiting": 12,
    },
    "national": {
        "in_care": 84000,
        "years": 10,
        "iros": 1250,
        "teams": 60,
        "areas": 20,
        "cp_plans": 50000,
        "waiting": 300,
    },
}

AREA_NAMES = [
    "North", "South", "East", "West", "Central", "North East", "North West", "South East",
    "South West", "Inner City", "Riverside", "Hillside", "Parkside", "Old Town", "Harbour",
    "Valley", "Coast", "Moorland", "Forest", "Lakes",
]  # fmt: skip

FIRST_NAMES = {
    "M": [
        "Oliver", "Jack", "Harry", "Muhammad", "Noah", "Leo", "Arthur", "Oscar", "George",
        "Theo", "Kai", "Ethan", "Reuben", "Tyler", "Kayden", "Ibrahim", "Yusuf", "Ahmed",
        "Kofi", "Daniel", "Samuel", "Jayden", "Tomasz", "Liam", "Mason", "Riley", "Callum",
        "Aiden", "Zain", "Omar", "Dylan", "Connor", "Elijah", "Hassan", "Ravi", "Jordan",
    ],
    "F": [
        "Olivia", "Amelia", "Isla", "Ava", "Lily", "Freya", "Mia", "Aisha", "Grace", "Ella",
        "Sophia", "Poppy", "Maya", "Zara", "Amara", "Chloe", "Evie", "Fatima", "Nia", "Jade",
        "Leah", "Ruby", "Hannah", "Maryam", "Kayla", "Esme", "Millie", "Ayesha", "Tia",
        "Niamh", "Layla", "Imani", "Alicja", "Sienna", "Hollie", "Precious",
    ],
}  # fmt: skip
LAST_NAMES = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Wood", "Jackson", "Clarke", "Khan", "Ali", "Hussain", "Begum", "Ahmed", "Patel", "Singh",
    "Mensah", "Okafor", "Adeyemi", "Campbell", "Francis", "Nowak", "Kowalski", "O'Brien",
    "Murphy", "Kelly", "Hughes", "Edwards", "Turner", "Phillips", "Bennett", "Shaw", "Lewis",
    "Harris", "Martin", "Cooper", "Ward", "Morris", "Baker", "Mohamed", "Abdi", "Osei",
]  # fmt: skip

# Birmingham table 5 (CIC March 2023): White 49.4, Asian 13.1, Black 11.9, Mixed 23.1, Other 2.5.
ETHNICITY_WEIGHTS = {
    "WBRI": 42.0, "WIRI": 1.0, "WOTH": 5.0, "WIRT": 0.7, "WROM": 0.7,
    "MWBC": 10.0, "MWBA": 3.5, "MWAS": 4.5, "MOTH": 5.1,
    "AIND": 1.5, "APKN": 6.5, "ABAN": 1.6, "AOTH": 3.5,
    "BCRB": 3.9, "BAFR": 5.5, "BOTH": 2.5,
    "CHNE": 0.3, "OOTH": 2.2,
}  # fmt: skip
# IRO workforce (Birmingham IRO report appendix 2.4: 51% White, 32% Black, 17% Asian).
STAFF_ETHNICITY_WEIGHTS = {"WBRI": 44, "WIRI": 3, "WOTH": 4, "BCRB": 16, "BAFR": 14, "BOTH": 2,
                           "APKN": 8, "AIND": 7, "ABAN": 2}  # fmt: skip
UASC_ETHNICITY = {"AOTH": 35, "BAFR": 25, "OOTH": 25, "BOTH": 10, "WOTH": 5}
# Age at entry to care by age band (iro.age_bands), weighted so the in-care snapshot looks like
# Birmingham table 4 (under 1: 5%, 1-4: 17%, 5-9: 17%, 10-15: 37%, 16-17: 24%): (youngest,
# oldest, weight) in whole years; care starts before 18.
ENTRY_AGE_SHARES = {"under 1": 22, "1-4": 18, "5-9": 17, "10-15": 30, "16+": 13}
ENTRY_AGE_WEIGHTS = [
    (band.low, (band.high or 18) - 1, ENTRY_AGE_SHARES[band.code]) for band in AGE_BANDS
]

# (placement type, provider) options. Consecutive placements always differ in one of the two,
# so a move is a placement change under 903 rules 434-436 without inventing postcodes.
FOSTER = [("U6", "PR1"), ("U6", "PR4"), ("U4", "PR1"), ("U4", "PR4"), ("U6", "PR5")]
CONNECTED = [("U3", "PR1"), ("U1", "PR1")]
RESIDENTIAL = [("K2", "PR4"), ("K2", "PR1"), ("K2", "PR5")]
SUPPORTED = [("K3", "PR4"), ("K3", "PR5")]


def weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]
