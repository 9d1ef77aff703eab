"""The proportions the synthetic reviews follow (timeliness, participation, venues, permanence
plans, absences, safeguarding issues), with their sources.
"""

from __future__ import annotations

IN_TIMESCALE = 0.93
# Middlesbrough IRO annual report 2023/24, participation of children aged 4 and over.
PN_MIX = {"PN1": 395, "PN2": 11, "PN3": 2, "PN4": 4, "PN5": 15, "PN6": 482, "PN7": 115}
MEETINGS_SINCE_DAYS = 120  # held reviews this recent get a meeting row
BOOK_AHEAD_DAYS = 42  # the next review is booked when due within six weeks (mostly)
DETAIL_SINCE_DAYS = 365  # recommendations, visits and monitoring checks for the last year
# Birmingham, January-March 2023: home 39%, school 14%, office 6% (59% wholly in person),
# virtual 22%, hybrid 19%. A hybrid review mostly has a room at the child's home or school.
VENUES = ["home", "school", "office", "virtual", "hybrid"]
VENUE_WEIGHTS = [39, 14, 6, 22, 19]
HYBRID_ROOMS = {"hybrid": 10, "home": 5, "school": 3, "office": 1}
PLAN_WEIGHTS = [8, 45, 10, 12, 15, 10]
PLAN_CHANCE = {"first": 0.6, "second": 0.88}
TRACKS = {"single": 84, "twin": 10, "triple": 6}  # Birmingham 2022/23
# An additional review is brought forward after a placement move (the care plan changes; reg
# 32(2)) about this often; it restarts the 6-month cycle.
ADDITIONAL_AFTER_MOVE = 0.9
MIDWAY_CHANCE = 0.45  # a midway review between reviews (Middlesbrough: visits and midways)
# Why children aged 4 and over did not attend (Birmingham: about two-thirds their own choice).
ABSENCE_REASONS = {
    "child_choice": 66, "education": 10, "wellbeing": 8, "practical": 6, "unwell": 5,
    "not_invited": 2, "other": 3,
}  # fmt: skip
# Current safeguarding issues at reviews (Birmingham 2022/23: 9.8% of reviews; the types as a
# share of children with an issue). Mostly teenagers.
SAFEGUARDING_TYPES = {
    "missing": 14, "sexual_exploitation": 14, "criminal_exploitation": 13,
    "substance_misuse": 13, "neet": 13, "gangs": 9, "domestic_abuse": 9, "mental_health": 7,
    "bullying": 4, "online": 4,
}  # fmt: skip
SAFEGUARDING_CHANCE = {"under 10": 0.02, "10-13": 0.10, "14+": 0.22}
