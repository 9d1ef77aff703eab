"""One synthetic child's care history, built episode by episode within the 903 rules."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from iro import episode_rules as rules
from iro.rules import add_months, grid_distance_miles
from iro.synthetic.mixes import (
    CONNECTED,
    FOSTER,
    RESIDENTIAL,
    SUPPORTED,
    weighted,
)
from iro.synthetic.postcodes import FAR, IN_AREA, NEARBY


@dataclass
class Period:
    episodes: list[rules.Episode] = field(default_factory=list)


@dataclass
class SyntheticChild:
    number: int
    sex: str
    dob: date
    ethnicity: str
    uasc: bool
    family: int
    area_index: int
    first_name: str = ""
    last_name: str = ""
    disability: bool = False
    episodes: list[rules.Episode] = field(default_factory=list)
    # Home postcode of each period of care, by the period's start date (blank for UASC).
    home_postcodes: dict[date, str] = field(default_factory=dict)


GRID = {code: (e, n) for code, e, n in IN_AREA + NEARBY + FAR}
IN_AREA_CODES = frozenset(code for code, _e, _n in IN_AREA)
# Placements the authority provides itself outside fostering and adoption must be in its area
# (903 rule 1015).
# Placements with no Ofsted registration, so no URN (903 rule 218).
NO_URN_PLACEMENT_TYPES = frozenset(
    {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"}
)
LA_FOSTERING_URN = "SC055120"
OWN_AREA_ONLY = frozenset({"K1", "K2", "R1", "R2", "R3", "R5", "S1", "P3"})


def _birthday(dob: date, years: int) -> date:
    return add_months(dob, 12 * years)


class HistoryBuilder:
    """Builds one child's periods of care as rule episodes, one step at a time."""

    def __init__(self, rng: random.Random, child: SyntheticChild, today: date):
        self.rng = rng
        self.child = child
        self.today = today
        self.eighteen = _birthday(child.dob, 18)

    def period(self, start: date) -> tuple[list[rules.Episode], date | None]:
        """Episodes of one period of care from `start`; returns them and the end (None if open)."""
        rng, child = self.rng, self.child
        age = (start - child.dob).days // 365
        if child.uasc:
            legal, cin = "V2", "N8"
        elif age >= 14 and rng.random() < 0.03:
            legal, cin = "J1", "N6"
        else:
            legal = "V2" if rng.random() < 0.3 else "C1"
            cin = weighted(rng, {"N1": 62, "N2": 4, "N3": 4, "N4": 10, "N5": 14, "N6": 2, "N8": 4})
        placement = self._first_placement(age)
        # Postcodes come from their own generator so that the main sequence stays as it was.
        pc = random.Random(f"{child.number}:{start.isoformat()}")
        home = pc.choice(IN_AREA if pc.random() < 0.85 else NEARBY)[0]
        if child.uasc:
            home = ""  # 903 rule 406: no home postcode, so no distance, for UASC
        child.home_postcodes[start] = home
        # How long this period lasts: short stays are common; most who stay, stay long.
        roll = rng.random()
        if legal == "J1":
            days = rng.randint(10, 120)
        elif roll < 0.3:
            days = rng.randint(5, 180)
        elif roll < 0.55:
            days = rng.randint(180, 900)
        else:
            days = rng.randint(900, 5000)
        planned_end = start + timedelta(days=days)
        end = min(planned_end, self.eighteen)
        adoption = age <= 3 and legal == "C1" and rng.random() < 0.2 and days > 500
        # An adoption runs to court timescales, not to the period's drawn length: the care order
        # after proceedings, the placement order with it or soon after, placement with the
        # adopters, then the adoption order (seed scorecards: entering care to moving in with
        # adopters 385-500 days, placement order to adoption order 189-323 days). Drawn from
        # their own generator, so the main sequence stays as it was.
        steps: list[int] = []
        if adoption:
            court = random.Random(f"adoption:{child.number}:{start.isoformat()}")
            steps = [court.randint(120, 330), court.randint(1, 60), court.randint(40, 200)]
            end = min(start + timedelta(days=sum(steps) + court.randint(70, 250)), self.eighteen)
        episodes: list[rules.Episode] = []
        current = rules.Episode(
            start=start,
            reason_new_episode="S",
            legal_status=legal,
            category_of_need=cin,
            placement_type=placement[0],
            placement_provider=placement[1],
        )
        current = self._located(current, pc, home, self._distance(legal))
        day = start
        # Events: court order progression, moves, adoption.
        while True:
            # The first changes come quickly (court orders, a first move); after that most
            # children settle (DfE: about 1 in 10 has 3 or more placements in a year, and about
            # 7 in 10 long-stay children under 16 have been with the same carers for 2 years).
            settled = len(episodes) >= 2 and rng.random() < 0.75
            step = rng.randint(500, 2000) if settled else rng.randint(60, 420)
            if steps:
                step = steps.pop(0)
            next_day = day + timedelta(days=step)
            if next_day >= end or next_day >= self.today:
                break
            if current.placement_type in {"A5", "A6"} or current.legal_status == "J1":
                break  # placed for adoption until the order; remand until it ends
            new_legal = current.legal_status
            new_place = (current.placement_type, current.placement_provider)
            carer_changed = False
            if current.legal_status == "C1" and (rng.random() < 0.7 or adoption):
                new_legal = "C2"
            elif adoption and current.legal_status == "C2":
                new_legal = "E1"
            elif adoption and current.legal_status == "E1":
                new_place = (rng.choice(["A5", "A6"]), rng.choice(["PR1", "PR2"]))
                carer_changed = new_place[0] == "A6"
            elif current.legal_status == "V2" and not child.uasc and rng.random() < 0.25:
                new_legal = "C1"
            if new_legal == current.legal_status and new_place == (
                current.placement_type,
                current.placement_provider,
            ):
                new_place = self._move(current, (next_day - child.dob).days // 365)
                carer_changed = True
            rne = rules.rne_for_change(
                legal_status_changed=new_legal != current.legal_status,
                placement_changed=new_place != (current.placement_type, current.placement_provider),
                carer_changed=carer_changed,
            )
            reason_place_change = ""
            if rne in {"P", "T", "B", "U"}:
                reason_place_change = weighted(
                    rng,
                    {
                        "CARPL": 45,
                        "CREQB": 15,
                        "CREQO": 10,
                        "CHILD": 8,
                        "LAREQ": 8,
                        "STAND": 4,
                        "CLOSE": 4,
                        "OTHER": 6,
                    },
                )
            episodes.append(
                current.with_(
                    end=next_day, reason_ceased="X1", reason_place_change=reason_place_change
                )
            )
            previous = current
            current = rules.Episode(
                start=next_day,
                reason_new_episode=rne,
                legal_status=new_legal,
                category_of_need=cin,
                placement_type=new_place[0],
                placement_provider=new_place[1],
            )
            drawn = self._distance(new_legal)
            if rne == "L":  # same placement: same postcode and distance
                current = current.with_(
                    placement_postcode=previous.placement_postcode,
                    placement_urn=previous.placement_urn,
                    distance_miles=previous.distance_miles,
                )
            else:
                current = self._located(current, pc, home, drawn)
            day = next_day
        if end >= self.today:
            episodes.append(current)
            return episodes, None
        episodes.append(current.with_(end=end, reason_ceased=self._reason_ceased(current, end)))
        return episodes, end

    def _first_placement(self, age: int) -> tuple[str, str]:
        rng = self.rng
        if self.child.uasc and age >= 16:
            return rng.choice(SUPPORTED)
        if age >= 12 and rng.random() < 0.25:
            return rng.choice(RESIDENTIAL)
        if rng.random() < 0.15:
            return rng.choice(CONNECTED)
        return rng.choice(FOSTER)

    def _move(self, current: rules.Episode, age: int) -> tuple[str, str]:
        rng = self.rng
        now = (current.placement_type, current.placement_provider)
        if age >= 16:
            options = SUPPORTED * 3 + RESIDENTIAL + FOSTER
        elif age >= 11:
            options = FOSTER + FOSTER + RESIDENTIAL + CONNECTED
        else:
            options = FOSTER + FOSTER + CONNECTED
        if current.legal_status in {"C2"} and rng.random() < 0.3:
            options = options + [("P1", "PR0")] * 3
        if age >= 15 and rng.random() < 0.02:
            options = options + [("K1", "PR1")]
        choice = now
        while choice == now:
            choice = rng.choice(options)
        return choice

    def _located(
        self, episode: rules.Episode, pc: random.Random, home: str, drawn: Decimal | None
    ) -> rules.Episode:
        """The placement postcode and the distance from home it gives (blank for UASC).

        `drawn` is the old random distance, still drawn so that the rest of a seeded data set is
        unchanged; with postcodes the distance comes from their grid references.
        """
        if episode.placement_type == "P1" and home:
            postcode = home
        elif (
            episode.placement_provider == "PR1" and episode.placement_type in OWN_AREA_ONLY
        ) or episode.placement_type == "K3":  # 903 rules 1015 and 241
            postcode = pc.choice(IN_AREA)[0]
        else:
            roll = pc.random()
            pool = IN_AREA if roll < 0.55 else NEARBY if roll < 0.9 else FAR
            postcode = pc.choice(pool)[0]
        while postcode == home and episode.placement_type != "P1":  # 903 rule 392d
            postcode = pc.choice(IN_AREA)[0]
        if episode.placement_type in NO_URN_PLACEMENT_TYPES:
            urn = ""
        elif episode.placement_provider == "PR1" and episode.placement_type not in OWN_AREA_ONLY:
            urn = LA_FOSTERING_URN  # the authority's own fostering and adoption service
        else:
            urn = f"SC{pc.randint(100000, 999999)}"
        return episode.with_(
            placement_postcode=postcode,
            placement_urn=urn,
            # 903 rule 406: no distance for unaccompanied asylum-seeking children.
            distance_miles=grid_distance_miles(GRID[home], GRID[postcode]) if home else None,
        )

    def _distance(self, legal: str) -> Decimal | None:
        if self.child.uasc:
            return None  # rule 406: blank for UASC
        miles = self.rng.lognormvariate(1.6, 1.0)
        return Decimal(str(round(min(miles, 300.0), 1)))

    def _reason_ceased(self, episode: rules.Episode, end: date) -> str:
        rng = self.rng
        if end >= self.eighteen:
            return weighted(rng, {"E17": 25, "E5": 35, "E6": 10, "E8": 30})
        if episode.legal_status == "J1":
            return "E14"
        if episode.placement_type in {"A5", "A6"}:
            return rng.choice(["E11", "E12"])
        if episode.legal_status in {"C2", "E1"}:
            if not episode.placement_type.startswith("U"):
                # 903 rule 516: an SGO to the former foster carer needs a foster placement.
                return weighted(rng, {"E47": 33, "E48": 20, "E41": 17, "E4A": 25, "E3": 5})
            return weighted(
                rng, {"E45": 20, "E46": 8, "E47": 20, "E48": 5, "E41": 17, "E4A": 25, "E3": 5}
            )
        return weighted(rng, {"E4A": 55, "E4B": 10, "E13": 15, "E41": 8, "E3": 4, "E8": 8})
