"""The generator's children: families simulated over the history window, validated as the
SSDA903 rules require, and saved with their care episodes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from iro import episode_rules as rules
from iro.models import (
    Area,
    CareEpisode,
    Child,
    SiblingGroup,
)
from iro.rules import add_months
from iro.synthetic.copy import bulk_copy
from iro.synthetic.histories import IN_AREA_CODES, HistoryBuilder, SyntheticChild, _birthday
from iro.synthetic.mixes import (
    BATCH,
    ENTRY_AGE_WEIGHTS,
    ETHNICITY_WEIGHTS,
    FIRST_NAMES,
    LAST_NAMES,
    UASC_ETHNICITY,
    weighted,
)


class ChildrenGenerator:
    """Part of ``Generator``: the children and their episode histories."""

    params: dict
    rng: random.Random
    today: date
    log: Callable[[str], None]

    def simulate(self, areas: list[Area]):
        """Yield batches of children (whole families) with care in the history window."""
        p, rng, today = self.params, self.rng, self.today
        window_start = add_months(today, -12 * p["years"])
        lead_in = 6  # years before the window whose periods may still be open inside it
        mean_days = 1250  # mean length of a period from HistoryBuilder's mix, capped at 18
        per_year = p["in_care"] * 365 / mean_days
        total_admissions = int(per_year * (p["years"] + lead_in))
        first_start = add_months(window_start, -12 * lead_in)
        span = (today - first_start).days
        start_number = (Child.objects.count() or 0) + 1
        children: list[SyntheticChild] = []
        number = start_number
        made = 0
        family_id = 0
        self.log(f"  simulating about {total_admissions:,} admissions")
        while made < total_admissions:
            family_id += 1
            size = rng.choices([1, 2, 3], weights=[72, 20, 8])[0]
            admitted = first_start + timedelta(days=rng.randrange(span))
            last_name = rng.choice(LAST_NAMES)
            uasc = rng.random() < 0.06
            ethnicity = weighted(rng, UASC_ETHNICITY if uasc else ETHNICITY_WEIGHTS)
            area_index = rng.randrange(len(areas))
            family = []
            for _ in range(1 if uasc else size):
                low, high, _w = rng.choices(
                    ENTRY_AGE_WEIGHTS, weights=[w for *_r, w in ENTRY_AGE_WEIGHTS]
                )[0]
                if uasc:
                    low, high = 14, 17
                age_days = rng.randint(low * 365, high * 365 + 364)
                dob = admitted - timedelta(days=age_days)
                sex = "M" if rng.random() < (0.9 if uasc else 0.54) else "F"
                child = SyntheticChild(
                    number=number,
                    sex=sex,
                    dob=dob,
                    ethnicity=ethnicity,
                    uasc=uasc,
                    family=family_id if size > 1 and not uasc else 0,
                    area_index=area_index,
                    first_name=rng.choice(FIRST_NAMES[sex]),
                    last_name=last_name,
                    disability=rng.random() < 0.08,
                )
                number += 1
                made += 1
                builder = HistoryBuilder(rng, child, today)
                start = admitted
                adopted = False
                while start < today and start < builder.eighteen:
                    episodes, end = builder.period(start)
                    if adopted:
                        # An adopted child does not come back into care under the same child
                        # ID (903 rule 199). The period is still drawn, so that every other
                        # child's history comes out of the same seed as before.
                        break
                    child.episodes.extend(episodes)
                    adopted = episodes[-1].reason_ceased in ("E11", "E12")
                    if end is None or rng.random() > 0.15:
                        break
                    start = end + timedelta(days=rng.randint(30, 700))
                family.append(child)
            for child in family:
                last_end = child.episodes[-1].end if child.episodes else None
                if child.episodes and (last_end is None or last_end >= window_start):
                    children.append(child)
            if len(children) >= BATCH:
                yield children
                children = []
        if children:
            yield children

    def validate(self, children: list[SyntheticChild]) -> None:
        for child in children:
            problems = rules.history_problems(child.episodes, child.dob)
            if problems:
                raise AssertionError(f"Generated history breaks the rules: {problems[:3]}")

    def save(self, children: list[SyntheticChild], areas: list[Area]) -> list[Child]:
        rng, today = self.rng, self.today
        groups: dict[int, SiblingGroup] = {}
        for c in children:
            if c.family and c.family not in groups:
                groups[c.family] = SiblingGroup(name=f"{c.last_name} family")
        bulk_copy(SiblingGroup, list(groups.values()))
        rows = [
            Child(
                la_child_id=f"C{c.number:07d}",
                first_name=c.first_name,
                last_name=c.last_name,
                date_of_birth=c.dob,
                sex=c.sex,
                ethnicity=c.ethnicity,
                disability=c.disability,
                # 903 MOTHER is asked of girls; the synthetic children are not mothers.
                mother=False if c.sex == "F" else None,
                uasc=c.uasc,
                uasc_ceased=(
                    _birthday(c.dob, 18) if c.uasc and _birthday(c.dob, 18) <= today else None
                ),
                area=areas[c.area_index],
                sibling_group=groups.get(c.family),
                restricted=rng.random() < 0.005,
            )
            for c in children
        ]
        bulk_copy(Child, rows)
        self.log(f"  saved {len(rows):,} children")
        episodes = []
        for child, row in zip(children, rows, strict=True):
            home = ""
            for e in child.episodes:
                if e.reason_new_episode == "S":
                    home = child.home_postcodes.get(e.start, "")
                episodes.append(
                    CareEpisode(
                        child_id=row.pk,
                        home_postcode=home,
                        **{
                            name: getattr(e, name)
                            for name in [
                                f for f in rules.Episode.__dataclass_fields__ if f != "key"
                            ]
                        },
                        placement_location=(
                            ("IN" if e.placement_postcode in IN_AREA_CODES else "OUT")
                            if e.placement_postcode
                            else ""
                            if e.distance_miles is None
                            else ("IN" if e.distance_miles < 8 else "OUT")
                        ),
                        # Middlesbrough 2023/24: a third of children at their preferred placement.
                        preferred_placement=rng.random() < 0.36,
                    )
                )
        bulk_copy(CareEpisode, episodes)
        self.log(f"  saved {len(episodes):,} care episodes")
        return rows
