"""Staff and allocations: ssd_department -> iro.Team, ssd_professionals -> iro.User,
ssd_involvements -> iro.Allocation.

- A professional is matched on their SSD id (once linked) or on prof_staff_id as the username.
  A new one gets an account with no role and no password (roles are given by two
  administrators, as always). The case system owns the name, job title and team.
- FTE: prof_full_time_equivalency has no history; where it is given it updates the person's FTE;
  where it is empty (a Mosaic extract: FTE is held in HR) the service's own staff records stay the
  source, and the run says which figures cannot be taken from the extract.
- Which involvement role means an IRO (CLA reviewing officer) or a CP chair is set per authority
  (setting SSD_INVOLVEMENT_ROLES, or --role CODE=cla|cp): never guessed. Rows with any other role
  are counted under unmapped codes and left out. End dates are exclusive, as the service's.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from iro.models import AllocationRole
from ssd.mapping import Field

PROFESSIONAL = [
    Field("prof_professional_job_title", "job_title", max_length=120),
    Field("prof_full_time_equivalency", "fte", "decimal"),
]
INVOLVEMENT = [
    Field("invo_involvement_start_date", "start", "date"),
    Field("invo_involvement_end_date", "end", "date"),
    Field("invo_worker_change_reason", "end_reason", max_length=200),
]
EXPORT_ROLES = {AllocationRole.CLA: "IRO", AllocationRole.CP: "CPCHAIR"}


def split_name(name: str) -> tuple[str, str]:
    parts = name.strip().split()
    if not parts:
        return "", ""
    return " ".join(parts[:-1]), parts[-1]


def export_professional(user) -> dict:
    from ssd.mapping import format_fields

    row = format_fields(PROFESSIONAL, user)
    row.update(
        prof_professional_id=user.username,
        prof_staff_id=user.username,
        prof_professional_name=user.get_full_name(),
        prof_professional_department=str(user.team_id or ""),
        prof_agency_worker_flag="",
    )
    return row


def export_involvement(allocation, usernames: dict, la_ids: dict) -> dict:
    from ssd.mapping import format_fields

    row = format_fields(INVOLVEMENT, allocation)
    row.update(
        invo_involvements_id=str(allocation.pk),
        invo_professional_id=usernames[allocation.iro_id],
        invo_professional_role_id=EXPORT_ROLES[allocation.role],
        invo_professional_team="",
        invo_person_id=la_ids[allocation.child_id],
        invo_referral_id="",
    )
    return row


def apply(ctx) -> None:
    """Departments to teams, professionals to accounts (see the module's docstring)."""
    from django.core.exceptions import ValidationError

    from iro.models import Team, User
    from ssd.mapping import row_hash

    teams: dict[str, int] = {}
    for row in ctx.extract.tables.get("ssd_department", []):
        name = row.values["dept_team_name"].strip()[:100]
        digest = row_hash({"name": name})
        link = ctx.unchanged("ssd_department", row.key, digest)
        if link is not None:
            teams[row.key] = link.object_id
            continue
        team, created = Team.objects.get_or_create(name=name)
        teams[row.key] = team.pk
        ctx.record("ssd_department", row.key, team, digest, created=created)
    ctx.team_ids = teams
    rows = ctx.extract.tables.get("ssd_professionals", [])
    if rows and "prof_full_time_equivalency" in ctx.extract.columns.get("ssd_professionals", []):
        given = sum(1 for r in rows if r.values.get("prof_full_time_equivalency"))
        if given < len(rows):
            ctx.notes.append(
                f"FTE is empty for {len(rows) - given:,} of {len(rows):,} professionals: the "
                "service's own staff records stay the source of their FTE"
            )
    for row in rows:
        values = ctx.parse("ssd_professionals", row, PROFESSIONAL)
        if values is None:
            continue
        fte = values.pop("fte", None)
        if fte is not None and not (0 < fte <= 1):
            ctx.refuse(
                "ssd_professionals",
                row,
                "FTE must be more than 0 and at most 1",
                "prof_full_time_equivalency",
            )
            continue
        if fte is not None:
            values["fte"] = fte.quantize(Decimal("0.01"))
        first, last = split_name(row.values.get("prof_professional_name", ""))
        if "prof_professional_name" in row.values:
            values.update(first_name=first[:150], last_name=last[:150])
        dept = row.values.get("prof_professional_department", "")
        if dept and dept in teams:
            values["team_id"] = teams[dept]
        digest = row_hash(values)
        if ctx.unchanged("ssd_professionals", row.key, digest) is not None:
            continue
        pk = ctx.object_id("ssd_professionals", row.key)
        username = row.values["prof_staff_id"].strip()[:150]
        user = (
            User.objects.filter(pk=pk).first()
            if pk
            else User.objects.filter(username=username).first()
        )
        created = user is None
        if created:
            user = User(username=username)
            user.set_unusable_password()
        for name, value in values.items():
            setattr(user, name, value)
        try:
            user.full_clean(exclude=["password"], validate_unique=created)
        except ValidationError as exc:
            ctx.refuse("ssd_professionals", row, "; ".join(exc.messages))
            continue
        user.save()
        ctx.record("ssd_professionals", row.key, user, digest, created=created)


def apply_involvements(ctx) -> None:
    """Involvements whose role the authority named as IRO or CP chair, to allocations."""
    from django.db import IntegrityError

    from iro.models import Allocation, User
    from ssd.mapping import row_hash

    rows = ctx.extract.tables.get("ssd_involvements", [])
    if rows and not ctx.roles:
        ctx.notes.append(
            "No involvement role is set as IRO or CP chair (SSD_INVOLVEMENT_ROLES or --role): "
            "no allocation was read"
        )
    seen_roles: dict[str, int] = {}
    for row in rows:
        code = row.values["invo_professional_role_id"].strip()
        seen_roles[code] = seen_roles.get(code, 0) + 1
    if seen_roles:
        labels = dict(AllocationRole.choices)
        ctx.notes.append(
            "Involvement roles in the extract: "
            + "; ".join(
                f"{code or '(blank)'} ({n:,} rows): "
                + (
                    str(labels[ctx.roles[code.upper()]])
                    if code.upper() in ctx.roles
                    else "not an allocation"
                )
                for code, n in sorted(seen_roles.items())
            )
        )
    users = dict(User.objects.values_list("username", "pk"))
    for row in sorted(rows, key=lambda r: (r.values["invo_involvement_start_date"], r.line)):
        v = row.values
        role = ctx.roles.get(v["invo_professional_role_id"].strip().upper())
        if role is None:
            ctx.seen["ssd_involvements"].add(row.key)
            ctx.unmapped_code(
                "ssd_involvements", row, "invo_professional_role_id", v["invo_professional_role_id"]
            )
            ctx.counts["ssd_involvements"]["other role"] += 1
            continue
        values = ctx.parse("ssd_involvements", row, INVOLVEMENT)
        if values is None:
            continue
        child_id = ctx.object_id("ssd_person", v["invo_person_id"])
        iro_id = ctx.object_id("ssd_professionals", v["invo_professional_id"]) or users.get(
            v["invo_professional_id"]
        )
        if child_id is None:
            ctx.refuse(
                "ssd_involvements",
                row,
                f"person {v['invo_person_id']} is not in ssd_person",
                "invo_person_id",
            )
            continue
        if iro_id is None:
            ctx.refuse(
                "ssd_involvements",
                row,
                f"professional {v['invo_professional_id']} is not in ssd_professionals",
                "invo_professional_id",
            )
            continue
        if values["end"] is not None and values["end"] < values["start"]:
            ctx.refuse(
                "ssd_involvements",
                row,
                "the involvement ends before it starts",
                "invo_involvement_end_date",
            )
            continue
        values.update(child_id=child_id, iro_id=iro_id, role=role)
        digest = row_hash(values)
        if ctx.unchanged("ssd_involvements", row.key, digest) is not None:
            continue
        pk = ctx.object_id("ssd_involvements", row.key)
        allocation = Allocation.objects.filter(pk=pk).first() if pk else None
        created = allocation is None
        allocation = allocation or Allocation()
        for name, value in values.items():
            setattr(allocation, name, value)
        try:
            with transaction.atomic():
                allocation.save()
        except IntegrityError:
            ctx.refuse(
                "ssd_involvements",
                row,
                "a second open allocation for the child in this role",
                "invo_involvement_end_date",
            )
            continue
        ctx.record("ssd_involvements", row.key, allocation, digest, created=created)
