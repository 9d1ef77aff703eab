"""The core generator: staff, areas, children, episode histories, allocations."""

from __future__ import annotations

import random
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
    Postcode,
    ResponderLevel,
    SiblingGroup,
    Team,
    User,
)
from iro.roles import Role, group_name
from iro.rules import add_months
from iro.synthetic.histories import IN_AREA_CODES, HistoryBuilder, SyntheticChild, _birthday
from iro.synthetic.mixes import (
    AREA_NAMES,
    BATCH,
    ENTRY_AGE_WEIGHTS,
    ETHNICITY_WEIGHTS,
    FIRST_NAMES,
    LAST_NAMES,
    SCALES,
    UASC_ETHNICITY,
    weighted,
)
from iro.synthetic.postcodes import DEMO_LA_CODE, FAR, IN_AREA, NEARBY


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
        Child.objects.bulk_create(rows, batch_size=5000)
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

    def postcodes(self) -> None:
        """The grid references of the postcodes the histories use (a stand-in for the directory)."""
        Postcode.objects.bulk_create(
            [
                Postcode(postcode=code, easting=e, northing=n, la_code=DEMO_LA_CODE)
                for code, e, n in IN_AREA
            ]
            + [Postcode(postcode=code, easting=e, northing=n) for code, e, n in NEARBY + FAR],
            ignore_conflicts=True,
        )

    @transaction.atomic
    def run(self) -> dict:
        self.log(f"Core data at scale {self.scale} (as at {self.today})")
        staff = self.staff()
        self.postcodes()
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
