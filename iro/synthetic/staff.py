"""The generator's staff: IROs, managers and other roles with their contracts, teams and the
spells in post of those who held each post before them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group

from iro.models import (
    Contract,
    ResponderLevel,
    StaffRecord,
    Team,
    User,
)
from iro.roles import Role, group_name, responder_role
from iro.rules import add_months
from iro.synthetic.copy import bulk_copy
from iro.synthetic.mixes import (
    FIRST_NAMES,
    LAST_NAMES,
    STAFF_ETHNICITY_WEIGHTS,
    weighted,
)


class StaffGenerator:
    """Part of ``Generator``: the staff, today's and those who left."""

    params: dict
    rng: random.Random
    today: date
    log: Callable[[str], None]

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
        leavers: list[User] = []
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
            [
                through(
                    user_id=saved[u.username].pk,
                    group_id=groups[u._role].pk,  # type: ignore[attr-defined]
                )
                for u in users
            ]
        )
        for team, manager in zip(teams, managers, strict=True):
            team.manager = saved[manager.username]
            iro_lines = [saved[u.username] for u in iros if u.team_id == team.pk]
            User.objects.filter(pk__in=[u.pk for u in iro_lines]).update(line_manager=team.manager)
        Team.objects.bulk_update(teams, ["manager"])
        current = [saved[u.username] for u in iros]
        left = [saved[u.username] for u in leavers]
        spells = self.staff_history(current, left, [u._post for u in leavers])  # type: ignore[attr-defined]
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
