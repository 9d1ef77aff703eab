"""Pre-export checks: what in a year's SSDA903 return would fail DfE validation, child by child.

The service's own rules run here in one pass over the year's episodes and reviews (the episode
history rules of iro.episode_rules, the review participation rule, and the fields the 903 needs
that the service may not hold: postcodes, the MOTHER field, a URN for registered placements).
The full DfE validator can also be run from the page (it takes several seconds).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from iro import episode_rules as rules
from iro.codes import SHORT_BREAK_LEGAL_STATUSES
from iro.models import CareEpisode, Postcode
from iro.rules import age_on, normalise_postcode
from reporting.returns.ssda903 import (
    CollectionYear,
    children_in_year,
    episodes_in_year,
    reviews_in_year,
)

NO_URN_PLACEMENT_TYPES = frozenset(
    {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"}
)


@dataclass(frozen=True)
class Issue:
    child_id: int
    la_child_id: str
    file: str
    field: str
    message: str


def year_issues(year: CollectionYear) -> list[Issue]:
    issues: list[Issue] = []
    children = {c.pk: c for c in children_in_year(year)}
    for child in children.values():
        if child.sex == "F" and child.mother is None:
            issues.append(
                Issue(
                    child.pk,
                    child.la_child_id,
                    "Header",
                    "MOTHER",
                    "Record whether she is a mother.",
                )
            )
    histories: dict[int, list[CareEpisode]] = defaultdict(list)
    for episode in CareEpisode.objects.filter(child_id__in=children).order_by("start", "id"):
        histories[episode.child_id].append(episode)
    known = set(
        Postcode.objects.filter(
            postcode__in={
                normalise_postcode(p)
                for e in episodes_in_year(year)
                for p in (e.home_postcode, e.placement_postcode)
                if p
            }
        ).values_list("postcode", flat=True)
    )
    in_year = {e.pk for e in episodes_in_year(year)}
    for child_id, history in histories.items():
        child = children[child_id]
        rule_history = [
            rules.Episode(
                **{n: getattr(e, n) for n in rules.Episode.__dataclass_fields__ if n != "key"},
                key=e.pk,
            )
            for e in history
        ]
        for problem in rules.history_problems(rule_history, child.date_of_birth):
            if rule_history[problem.index].key in in_year:
                issues.append(
                    Issue(child_id, child.la_child_id, "Episodes", problem.field, problem.message)
                )
        for e in history:
            if e.pk not in in_year or e.legal_status in SHORT_BREAK_LEGAL_STATUSES:
                continue
            if not e.placement_postcode:
                issues.append(
                    Issue(
                        child_id,
                        child.la_child_id,
                        "Episodes",
                        "PL_POST",
                        f"Episode from {e.start:%d/%m/%Y} has no placement postcode.",
                    )
                )
            if not e.home_postcode and not child.uasc:
                issues.append(
                    Issue(
                        child_id,
                        child.la_child_id,
                        "Episodes",
                        "HOME_POST",
                        f"Episode from {e.start:%d/%m/%Y} has no home postcode.",
                    )
                )
            for label, code in (("HOME_POST", e.home_postcode), ("PL_POST", e.placement_postcode)):
                if code and normalise_postcode(code) not in known:
                    issues.append(
                        Issue(
                            child_id,
                            child.la_child_id,
                            "Episodes",
                            label,
                            f"Postcode {normalise_postcode(code)} is not in the postcode directory.",
                        )
                    )
            if e.placement_type not in NO_URN_PLACEMENT_TYPES and not e.placement_urn:
                issues.append(
                    Issue(
                        child_id,
                        child.la_child_id,
                        "Episodes",
                        "URN",
                        f"Episode from {e.start:%d/%m/%Y}: a {e.placement_type} placement needs its Ofsted URN.",
                    )
                )
    for review in reviews_in_year(year):
        child = review.child
        if child.date_of_birth and (review.participation == "PN0") != (
            age_on(child.date_of_birth, review.held_on) < 4
        ):
            issues.append(
                Issue(
                    child.pk,
                    child.la_child_id,
                    "Reviews",
                    "REVIEW_CODE",
                    f"Review on {review.held_on:%d/%m/%Y}: PN0 is for a child under 4 only.",
                )
            )
    return sorted(issues, key=lambda i: (i.la_child_id, i.file, i.field))
