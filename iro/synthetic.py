"""Synthetic data for the case core: staff, areas, children, care episode histories, allocations.

Mixes are drawn from the seed reports (Birmingham IRO annual report 2022/23: ages table 4,
ethnicity table 5, legal status table 6, placement profile 2.13, 55.8% boys, UASC 168 of 2,201;
admissions about a third of the in-care population a year). Every generated history passes
iro.episode_rules.history_problems, the same rules the services enforce; rows are bulk inserted.
Names are drawn from small built-in lists; no postcodes are invented (distance is stored as if
entered).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from iro import episode_rules as rules
from iro.models import (
    Allocation,
    AllocationRequest,
    AllocationRole,
    Area,
    CareEpisode,
    Child,
    ResponderLevel,
    SiblingGroup,
    Team,
    User,
)
from iro.roles import Role, group_name
from iro.rules import add_months

# Children simulated, checked and saved per batch, so memory stays flat at national scale.
BATCH = 20000

SCALES: dict[str, dict] = {
    # in_care: children looked after on any one day; years: history length.
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
UASC_ETHNICITY = {"AOTH": 35, "BAFR": 25, "OOTH": 25, "BOTH": 10, "WOTH": 5}
# Age at entry to care, weighted so the in-care snapshot looks like Birmingham table 4
# (under 1: 5%, 1-4: 17%, 5-9: 17%, 10-15: 37%, 16-17: 24%).
ENTRY_AGE_WEIGHTS = [(0, 0, 22), (1, 4, 18), (5, 9, 17), (10, 15, 30), (16, 17, 13)]

# (placement type, provider) options. Consecutive placements always differ in one of the two,
# so a move is a placement change under 903 rules 434-436 without inventing postcodes.
FOSTER = [("U6", "PR1"), ("U6", "PR4"), ("U4", "PR1"), ("U4", "PR4"), ("U6", "PR5")]
CONNECTED = [("U3", "PR1"), ("U1", "PR1")]
RESIDENTIAL = [("K2", "PR4"), ("K2", "PR1"), ("K2", "PR5")]
SUPPORTED = [("K3", "PR4"), ("K3", "PR5")]


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


def weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


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
        episodes: list[rules.Episode] = []
        current = rules.Episode(
            start=start,
            reason_new_episode="S",
            legal_status=legal,
            category_of_need=cin,
            placement_type=placement[0],
            placement_provider=placement[1],
            distance_miles=self._distance(legal),
        )
        day = start
        # Events: court order progression, moves, adoption.
        while True:
            step = rng.randint(60, 420)
            next_day = day + timedelta(days=step)
            if next_day >= end or next_day >= self.today:
                break
            if current.placement_type in {"A5", "A6"} or current.legal_status == "J1":
                break  # placed for adoption until the order; remand until it ends
            new_legal = current.legal_status
            new_place = (current.placement_type, current.placement_provider)
            carer_changed = False
            if current.legal_status == "C1" and rng.random() < 0.7:
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
            current = rules.Episode(
                start=next_day,
                reason_new_episode=rne,
                legal_status=new_legal,
                category_of_need=cin,
                placement_type=new_place[0],
                placement_provider=new_place[1],
                distance_miles=self._distance(new_legal),
            )
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
            return weighted(
                rng, {"E45": 20, "E46": 8, "E47": 20, "E48": 5, "E41": 17, "E4A": 25, "E3": 5}
            )
        return weighted(rng, {"E4A": 55, "E4B": 10, "E13": 15, "E41": 8, "E3": 4, "E8": 8})


class Generator:
    def __init__(self, *, scale: str, seed: int, today: date, log):
        self.scale = scale
        self.params = SCALES[scale]
        self.rng = random.Random(seed)
        self.today = today
        self.log = log

    # --- Staff ---------------------------------------------------------------------------------

    def staff(self) -> dict:
        p, rng = self.params, self.rng
        groups = {role: Group.objects.get_or_create(name=group_name(role))[0] for role in Role}
        users: list[User] = []

        def person(username, role, **kw):
            sex = rng.choice("MF")
            user = User(
                username=username,
                first_name=rng.choice(FIRST_NAMES[sex]),
                last_name=rng.choice(LAST_NAMES),
                email=f"{username}@example.org",
                **kw,
            )
            user.set_unusable_password()
            user._role = role
            users.append(user)
            return user

        teams = [Team(name=f"IRO team {i + 1}") for i in range(p["teams"])]
        Team.objects.bulk_create(teams)
        managers = [
            person(f"manager{i + 1:02d}", Role.TEAM_MANAGER, team=t, job_title="IRO team manager")
            for i, t in enumerate(teams)
        ]
        iros = []
        for i in range(p["iros"]):
            fte = rng.choices(
                [Decimal("1.00"), Decimal("0.80"), Decimal("0.60"), Decimal("0.50")],
                weights=[75, 12, 8, 5],
            )[0]
            iros.append(
                person(
                    f"iro{i + 1:03d}",
                    Role.IRO,
                    team=teams[i % len(teams)],
                    fte=fte,
                    job_title="Independent Reviewing Officer",
                )
            )
        responders = []
        levels = [
            (ResponderLevel.SW_TEAM_MANAGER, "Social work team manager", max(2, p["teams"])),
            (ResponderLevel.HEAD_OF_SERVICE, "Head of service", max(1, p["teams"] // 2)),
            (ResponderLevel.ASSISTANT_DIRECTOR, "Assistant director", 1),
            (ResponderLevel.DIRECTOR, "Director of children's services", 1),
        ]
        for level, title, count in levels:
            for i in range(count):
                responders.append(
                    person(
                        f"{level.value.replace('_', '')}{i + 1:02d}",
                        Role.HEAD_OF_SERVICE,
                        responder_level=level,
                        job_title=title,
                    )
                )
        person("performance01", Role.PERFORMANCE_OFFICER, job_title="Performance officer")
        person("board01", Role.BOARD_MEMBER, job_title="Corporate parenting board member")
        person("admin01", Role.ADMINISTRATOR, job_title="Service administrator")
        User.objects.bulk_create(users)
        saved = {
            u.username: u for u in User.objects.filter(username__in=[u.username for u in users])
        }
        through = User.groups.through
        through.objects.bulk_create(
            [through(user_id=saved[u.username].pk, group_id=groups[u._role].pk) for u in users]
        )
        for team, manager in zip(teams, managers, strict=True):
            team.manager = saved[manager.username]
            iro_lines = [saved[u.username] for u in iros if u.team_id == team.pk]
            User.objects.filter(pk__in=[u.pk for u in iro_lines]).update(line_manager=team.manager)
        Team.objects.bulk_update(teams, ["manager"])
        self.log(f"  staff: {len(teams)} teams, {len(iros)} IROs, {len(responders)} responders")
        return {
            "teams": teams,
            "managers": [saved[u.username] for u in managers],
            "iros": [saved[u.username] for u in iros],
            "responders": [saved[u.username] for u in responders],
        }

    # --- Children and histories ----------------------------------------------------------------

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
                while start < today and start < builder.eighteen:
                    episodes, end = builder.period(start)
                    child.episodes.extend(episodes)
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
        SiblingGroup.objects.bulk_create(list(groups.values()))
        rows = [
            Child(
                la_child_id=f"C{c.number:07d}",
                first_name=c.first_name,
                last_name=c.last_name,
                date_of_birth=c.dob,
                sex=c.sex,
                ethnicity=c.ethnicity,
                disability=c.disability,
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
        Child.objects.bulk_create(rows, batch_size=5000)
        self.log(f"  saved {len(rows):,} children")
        episodes = []
        for child, row in zip(children, rows, strict=True):
            for e in child.episodes:
                episodes.append(
                    CareEpisode(
                        child_id=row.pk,
                        **{
                            name: getattr(e, name)
                            for name in [
                                f for f in rules.Episode.__dataclass_fields__ if f != "key"
                            ]
                        },
                        placement_location=(
                            ""
                            if e.distance_miles is None
                            else ("IN" if e.distance_miles < 8 else "OUT")
                        ),
                    )
                )
        CareEpisode.objects.bulk_create(episodes, batch_size=5000)
        self.log(f"  saved {len(episodes):,} care episodes")
        return rows

    def allocations(self, staff: dict, children: list[SyntheticChild], rows: list[Child]) -> None:
        rng, today = self.rng, self.today
        iros = staff["iros"]
        weights = [float(i.fte) for i in iros]
        allocations: list[Allocation] = []
        family_iro: dict[tuple[int, date], User] = {}
        manager_by_team = {m.team_id: m for m in staff["managers"]}
        for child, row in zip(children, rows, strict=True):
            periods: list[tuple[date, date | None]] = []
            for e in child.episodes:
                if e.reason_new_episode == "S":
                    periods.append((e.start, e.end))
                else:
                    periods[-1] = (periods[-1][0], e.end)
            for start, end in periods:
                key = (child.family, start)
                if child.family and key in family_iro:
                    iro = family_iro[key]
                else:
                    iro = rng.choices(iros, weights=weights)[0]
                    family_iro[key] = iro
                allocated_on = min(start + timedelta(days=rng.randint(0, 3)), end or today, today)
                if end is not None and (end - allocated_on).days > 700 and rng.random() < 0.3:
                    handover = allocated_on + timedelta(
                        days=rng.randint(200, (end - allocated_on).days - 1)
                    )
                    successor = rng.choices(iros, weights=weights)[0]
                    if successor != iro:
                        allocations.append(
                            Allocation(
                                child_id=row.pk,
                                iro=iro,
                                role="cla",
                                start=allocated_on,
                                end=handover,
                                end_reason="Caseload balance",
                                allocated_by=manager_by_team.get(iro.team_id),
                            )
                        )
                        iro, allocated_on = successor, handover
                allocations.append(
                    Allocation(
                        child_id=row.pk,
                        iro=iro,
                        role=AllocationRole.CLA,
                        start=allocated_on,
                        end=end,
                        end_reason="Left care" if end else "",
                        allocated_by=manager_by_team.get(iro.team_id),
                    )
                )
        Allocation.objects.bulk_create(allocations, batch_size=5000)
        self.log(f"  saved {len(allocations):,} allocations")

    def hold_back_waiting(self) -> None:
        """The most recent admissions still wait for an IRO (some past the 72-hour target)."""
        period_start = (
            CareEpisode.objects.filter(child=OuterRef("child"), reason_new_episode="S")
            .order_by("-start")
            .values("start")[:1]
        )
        child_ids = list(
            CareEpisode.objects.filter(end__isnull=True)
            .annotate(period_start=Subquery(period_start))
            .order_by("-period_start", "child_id")
            .values_list("child_id", flat=True)[: self.params["waiting"]]
        )
        Allocation.objects.filter(
            child_id__in=child_ids, role=AllocationRole.CLA, end__isnull=True
        ).delete()
        now = timezone.now()
        AllocationRequest.objects.bulk_create(
            [
                AllocationRequest(
                    child_id=child_id,
                    role=AllocationRole.CLA,
                    notified_at=now - timedelta(hours=4 + 30 * i),
                )
                for i, child_id in enumerate(child_ids)
            ]
        )
        self.log(f"  {len(child_ids)} children waiting for an IRO")

    @transaction.atomic
    def run(self) -> dict:
        self.log(f"Core data at scale {self.scale} (as at {self.today})")
        staff = self.staff()
        areas = [Area.objects.get_or_create(name=n)[0] for n in AREA_NAMES[: self.params["areas"]]]
        total = 0
        for batch in self.simulate(areas):
            self.validate(batch)
            rows = self.save(batch, areas)
            self.allocations(staff, batch, rows)
            total += len(rows)
            self.log(f"  {total:,} children so far")
        self.hold_back_waiting()
        return {"staff": staff, "children": total}
