"""The core generator: staff, areas, children, episode histories, allocations."""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime, time, timedelta
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
    Contract,
    Postcode,
    ResponderLevel,
    SiblingGroup,
    StaffRecord,
    Team,
    User,
)
from iro.roles import Role, group_name, responder_role
from iro.rules import add_months
from iro.synthetic.copy import bulk_copy
from iro.synthetic.histories import IN_AREA_CODES, HistoryBuilder, SyntheticChild, _birthday
from iro.synthetic.layout import store_in_date_order
from iro.synthetic.mixes import (
    AREA_NAMES,
    BATCH,
    ENTRY_AGE_WEIGHTS,
    ETHNICITY_WEIGHTS,
    FIRST_NAMES,
    LAST_NAMES,
    SCALES,
    STAFF_ETHNICITY_WEIGHTS,
    UASC_ETHNICITY,
    weighted,
)
from iro.synthetic.postcodes import DEMO_LA_CODE, FAR, IN_AREA, LA_CODES, NEARBY


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
        # Earlier holders of the same posts, who have left (inactive accounts), so the history
        # of allocations, FTE and turnover is realistic.
        leavers = []
        for post, holder in enumerate(iros):
            for _ in range(self._earlier_holders(post)):
                leaver = person(
                    f"iroleft{len(leavers) + 1:04d}",
                    Role.IRO,
                    team=holder.team,
                    fte=rng.choices([Decimal("1.00"), Decimal("0.80")], weights=[85, 15])[0],
                    job_title="Independent Reviewing Officer",
                    is_active=False,
                )
                leaver._post = post
                leavers.append(leaver)
        for user in [*iros, *leavers]:
            user.sex = "F" if rng.random() < 0.78 else "M"
            user.ethnicity = weighted(rng, STAFF_ETHNICITY_WEIGHTS)
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
                        responder_role(level),
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
        current = [saved[u.username] for u in iros]
        left = [saved[u.username] for u in leavers]
        spells = self.staff_history(current, left, [u._post for u in leavers])
        self.log(
            f"  staff: {len(teams)} teams, {len(iros)} IROs ({len(leavers)} earlier IROs who "
            f"left), {len(responders)} responders"
        )
        return {
            "teams": teams,
            "managers": [saved[u.username] for u in managers],
            "iros": current,
            "spells": spells,
            "responders": [saved[u.username] for u in responders],
        }

    def _earlier_holders(self, post: int) -> int:
        """How many people held an IRO post before its current holder (about 8% turnover a
        year over the history window and its lead-in)."""
        years = self.params["years"] + 6
        return sum(self.rng.random() < 0.08 for _ in range(years))

    def staff_history(self, current: list[User], left: list[User], posts: list[int]):
        """Employment records for every IRO: start and leave dates, FTE and contract by date.

        Each post is held by a chain of people: earlier holders (who left, sometimes after a
        vacancy of a few weeks) and the current holder. About one IRO in eight is agency staff;
        some permanent IROs changed their hours (e.g. 1.0 to 0.8 FTE). Returns each IRO's
        spells in post as (user, start, end or None) for allocating children.
        """
        rng, today = self.rng, self.today
        history_start = add_months(today, -12 * (self.params["years"] + 6))
        records: list[StaffRecord] = []
        spells: list[tuple[User, date, date | None]] = []
        by_post: dict[int, list[User]] = {}
        for user, post in zip(left, posts, strict=True):
            by_post.setdefault(post, []).append(user)
        for post, holder in enumerate(current):
            chain = [*by_post.get(post, []), holder]
            # Start dates: spread the chain's handovers over the history, latest holder last.
            cuts = sorted(
                history_start + timedelta(days=rng.randrange((today - history_start).days - 60))
                for _ in range(len(chain) - 1)
            )
            starts = [history_start - timedelta(days=rng.randrange(0, 3000)), *cuts]
            for i, user in enumerate(chain):
                start = starts[i]
                end = None
                if i + 1 < len(chain):
                    vacancy = rng.choice([0, 0, 14, 30, 45])
                    end = max(start, starts[i + 1] - timedelta(days=1 + vacancy))
                agency = rng.random() < 0.12
                contract = Contract.AGENCY if agency else Contract.PERMANENT
                fte = user.fte
                change = None
                long_in_post = (end or today) - start > timedelta(days=900)
                if not agency and long_in_post and rng.random() < 0.2:
                    change = start + timedelta(
                        days=rng.randrange(365, ((end or today) - start).days)
                    )
                if change is not None and fte < 1:
                    records.append(
                        StaffRecord(
                            user=user,
                            valid_from=start,
                            valid_to=change - timedelta(days=1),
                            fte=Decimal("1.00"),
                            contract=contract,
                        )
                    )
                    start_terms = change
                else:
                    start_terms = start
                records.append(
                    StaffRecord(
                        user=user,
                        valid_from=start_terms,
                        valid_to=end,
                        fte=fte,
                        contract=contract,
                        left_reason=(
                            rng.choice(
                                [
                                    "Resigned",
                                    "Retired",
                                    "Moved to another authority",
                                    "Agency contract ended" if agency else "Promoted",
                                ]
                            )
                            if end
                            else ""
                        ),
                    )
                )
                spells.append((user, start, end))
        bulk_copy(StaffRecord, records)
        return spells

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

    def _in_post(self, staff: dict, day: date) -> tuple[list[User], list[float]]:
        """IROs in post on `day` (their spell covers the day itself, so nobody is allocated a
        child after their last day: iro.services.allocations.validate_iro_in_post) and their
        cumulative weights (FTE), cached by day, for ``rng.choices(people, cum_weights=...)``
        (the same draws as ``weights=``, without summing a national staff list on every draw)."""
        cache = staff.setdefault("_in_post", {})
        if day not in cache:
            people = [
                u
                for u, start, end in staff["spells"]
                if start <= day and (end is None or end >= day)
            ] or staff["iros"]
            cache[day] = (people, list(itertools.accumulate(float(u.fte) for u in people)))
        return cache[day]

    def _leave_date(self, staff: dict, iro: User) -> date | None:
        ends = staff.get("_ends")
        if ends is None:  # built once (a setdefault would build the dict on every call)
            ends = staff["_ends"] = {u.pk: end for u, _start, end in staff["spells"]}
        return ends.get(iro.pk)

    def allocations(self, staff: dict, children: list[SyntheticChild], rows: list[Child]) -> None:
        """CLA allocations for every period of care, with the request each one answered.

        The service hears of an admission (AllocationRequest.notified_at) usually the same day,
        sometimes days later; a manager allocates an IRO (fulfilled_at) usually within 72 hours.
        Allocations go to IROs in post at the time; when an IRO leaves, their children are
        handed to another IRO; some long periods change IRO for caseload balance.
        """
        rng, today = self.rng, self.today
        now = timezone.now()
        allocations: list[Allocation] = []
        requests: list[tuple[int, datetime, datetime]] = []
        family_iro: dict[tuple[int, date], User] = {}
        manager_by_team = {m.team_id: m for m in staff["managers"]}
        tz = timezone.get_current_timezone()
        for child, row in zip(children, rows, strict=True):
            periods: list[tuple[date, date | None]] = []
            for e in child.episodes:
                if e.reason_new_episode == "S":
                    periods.append((e.start, e.end))
                else:
                    periods[-1] = (periods[-1][0], e.end)
            for start, end in periods:
                delay = rng.choices(
                    [rng.uniform(0, 20), rng.uniform(20, 120), rng.uniform(120, 700)],
                    weights=[80, 15, 5],
                )[0]
                notified = datetime.combine(start, time(9), tzinfo=tz) + timedelta(hours=delay)
                wait = rng.choices(
                    [rng.uniform(1, 48), rng.uniform(48, 72), rng.uniform(72, 240)],
                    weights=[82, 12, 6],
                )[0]
                fulfilled = notified + timedelta(hours=wait)
                if fulfilled > now:
                    fulfilled = now
                allocated_on = min(timezone.localdate(fulfilled), end or today, today)
                key = (child.family, start)
                sibling_iro = family_iro.get(key) if child.family else None
                sibling_left = sibling_iro and self._leave_date(staff, sibling_iro)
                if sibling_iro is not None and not (sibling_left and sibling_left < allocated_on):
                    iro = sibling_iro
                else:
                    people, cum = self._in_post(staff, allocated_on)
                    iro = rng.choices(people, cum_weights=cum)[0]
                    family_iro[key] = iro
                requests.append((len(allocations), notified, fulfilled))
                # Hand the child on when the IRO leaves, or (some long periods) for balance.
                while True:
                    left = self._leave_date(staff, iro)
                    handover, why = None, ""
                    if left is not None and left < (end or today) and left >= allocated_on:
                        handover, why = left + timedelta(days=1), "IRO left the service"
                    elif (
                        end is not None and (end - allocated_on).days > 700 and rng.random() < 0.25
                    ):
                        handover = allocated_on + timedelta(
                            days=rng.randint(200, (end - allocated_on).days - 1)
                        )
                        why = "Caseload balance"
                    if handover is None:
                        break
                    people, cum = self._in_post(staff, handover)
                    successor = rng.choices(people, cum_weights=cum)[0]
                    if successor == iro:
                        break
                    allocations.append(
                        Allocation(
                            child_id=row.pk,
                            iro=iro,
                            role=AllocationRole.CLA,
                            start=allocated_on,
                            end=handover,
                            end_reason=why,
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
        bulk_copy(Allocation, allocations)
        bulk_copy(
            AllocationRequest,
            [
                AllocationRequest(
                    child_id=allocations[i].child_id,
                    role=AllocationRole.CLA,
                    notified_at=notified,
                    allocation=allocations[i],
                    fulfilled_at=fulfilled,
                )
                for i, notified, fulfilled in requests
            ],
        )
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
        held_back = Allocation.objects.filter(
            child_id__in=child_ids, role=AllocationRole.CLA, end__isnull=True
        )
        AllocationRequest.objects.filter(allocation__in=held_back).delete()
        held_back.delete()
        now = timezone.now()
        bulk_copy(
            AllocationRequest,
            [
                AllocationRequest(
                    child_id=child_id,
                    role=AllocationRole.CLA,
                    notified_at=now - timedelta(hours=4 + 30 * i),
                )
                for i, child_id in enumerate(child_ids)
            ],
        )
        self.log(f"  {len(child_ids)} children waiting for an IRO")

    def postcodes(self) -> None:
        """The grid references of the postcodes the histories use (a stand-in for the directory)."""
        Postcode.objects.bulk_create(
            [
                Postcode(postcode=code, easting=e, northing=n, la_code=DEMO_LA_CODE)
                for code, e, n in IN_AREA
            ]
            + [
                Postcode(postcode=code, easting=e, northing=n, la_code=LA_CODES.get(code, ""))
                for code, e, n in NEARBY + FAR
            ],
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
        store_in_date_order("iro_careepisode", "start")
        return {"staff": staff, "children": total}
