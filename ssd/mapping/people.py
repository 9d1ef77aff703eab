"""People: ssd_person -> iro.Child, with ssd_linked_identifiers (the UPN), ssd_disability,
ssd_immigration_status (UASC) and ssd_family (sibling groups) folded into the child.

pers_person_id is the child's LA child ID (the case system's person id, as the SSDA903 CHILD).
The case system owns every field below; the service keeps its own: area, restricted, and who
created the record.
"""

from __future__ import annotations

from iro.codes import Ethnicity, Sex
from ssd.mapping import Field

SEX_SYNONYMS = {"MALE": "M", "FEMALE": "F", "UNKNOWN": "U", "NOT KNOWN": "U", "I": "U"}

PERSON = [
    Field("pers_forename", "first_name", max_length=100),
    Field("pers_surname", "last_name", max_length=100),
    Field("pers_sex", "sex", "code", Sex, SEX_SYNONYMS),
    Field("pers_ethnicity", "ethnicity", "code", Ethnicity),
    Field("pers_dob", "date_of_birth", "date"),
    Field("pers_expected_dob", "expected_date_of_birth", "date"),
    Field("pers_is_mother", "mother", "bool"),
]

UPN_TYPES = {"UNIQUE PUPIL NUMBER", "UPN"}
UASC_STATUSES = {"UASC", "UNACCOMPANIED ASYLUM SEEKING CHILD", "UNACCOMPANIED ASYLUM-SEEKING CHILD"}
NO_DISABILITY = {"NONE", "NO", ""}


def upn_check_letter_ok(upn: str) -> bool:
    """The DfE's UPN check: 13 characters, the first a letter from the check-letter table
    computed from characters 2-13 (the letter is checked by iro.validators.validate_upn)."""
    from django.core.exceptions import ValidationError

    from iro.validators import validate_upn

    try:
        validate_upn(upn)
    except ValidationError:
        return False
    return True


def person_extras(extract, refuse, unmapped) -> dict[str, dict]:
    """The UPN, disability, UASC and family of each person id, from the optional tables
    (a table missing from the extract contributes nothing: the child keeps what it holds)."""
    extras: dict[str, dict] = {}
    if "ssd_linked_identifiers" in extract.tables:
        for row in extract.tables["ssd_linked_identifiers"]:
            v = row.values
            if v["link_identifier_type"].strip().upper() not in UPN_TYPES:
                continue
            if v.get("link_valid_to_date"):
                continue  # a former UPN
            upn = v["link_identifier_value"].strip().upper()
            if not upn_check_letter_ok(upn):
                refuse(
                    row,
                    f"'{upn}' is not a valid UPN (check letter or format)",
                    "link_identifier_value",
                )
                continue
            extras.setdefault(v["link_person_id"], {})["upn"] = upn
    if "ssd_disability" in extract.tables:
        for row in extract.tables["ssd_disability"]:
            v = row.values
            person = extras.setdefault(v["disa_person_id"], {})
            has = v["disa_disability_code"].strip().upper() not in NO_DISABILITY
            person["disability"] = person.get("disability", False) or has
    if "ssd_immigration_status" in extract.tables:
        for row in sorted(
            extract.tables["ssd_immigration_status"],
            key=lambda r: (
                r.values.get("immi_immigration_status_start_date") is None,
                r.values.get("immi_immigration_status_start_date"),
            ),
        ):
            v = row.values
            status = v["immi_immigration_status"].strip().upper()
            if status not in UASC_STATUSES:
                unmapped(row, "immi_immigration_status", v["immi_immigration_status"])
                continue
            person = extras.setdefault(v["immi_person_id"], {})
            person["uasc"] = True
            person["uasc_ceased"] = v.get("immi_immigration_status_end_date")
    if "ssd_family" in extract.tables:
        for row in extract.tables["ssd_family"]:
            v = row.values
            extras.setdefault(v["fami_person_id"], {})["family"] = v["fami_family_id"]
    return extras


def export_person(child) -> dict:
    from ssd.mapping import format_fields

    row = format_fields(PERSON, child)
    row["pers_person_id"] = child.la_child_id
    row["pers_common_child_id"] = child.la_child_id
    row["pers_upn_unknown"] = ""
    return row


def apply(ctx) -> None:
    """Persons to children, with their UPN, disability, UASC status and family."""
    from django.core.exceptions import ValidationError

    from iro.models import Child, SiblingGroup
    from ssd.mapping import row_hash

    table = "ssd_person"
    rows = ctx.extract.tables.get(table, [])
    extras = person_extras(
        ctx.extract,
        lambda row, reason, column: ctx.refuse("ssd_linked_identifiers", row, reason, column),
        lambda row, column, code: ctx.unmapped_code("ssd_immigration_status", row, column, code),
    )
    families: dict[str, int] = {}
    existing = {c.la_child_id: c.pk for c in Child.objects.only("la_child_id")}
    for row in rows:
        values = ctx.parse(table, row, PERSON)
        if values is None:
            continue
        if not values.get("date_of_birth") and not values.get("expected_date_of_birth"):
            ctx.refuse(
                table, row, "neither a date of birth nor an expected date of birth", "pers_dob"
            )
            continue
        for name in ("first_name", "last_name"):
            if name in values and not values[name]:
                values[name] = "Not recorded"
        extra = dict(extras.get(row.key, {}))
        family = extra.pop("family", None)
        if "ssd_linked_identifiers" in ctx.extract.tables:
            extra.setdefault("upn", "")
        if "ssd_disability" in ctx.extract.tables:
            extra.setdefault("disability", False)
        if "ssd_immigration_status" in ctx.extract.tables:
            extra.setdefault("uasc", False)
            extra.setdefault("uasc_ceased", None)
        values.update(extra)
        digest = row_hash({**values, "family": family})
        if ctx.unchanged(table, row.key, digest) is not None:
            continue
        pk = ctx.object_id(table, row.key) or existing.get(row.key)
        child = Child.objects.filter(pk=pk).first() if pk else None
        created = child is None
        if created:
            child = Child(la_child_id=row.key, first_name="Not recorded", last_name=row.key)
        for name, value in values.items():
            setattr(child, name, value)
        if family:
            if family not in families:
                group_pk = ctx.object_id("ssd_family", family)
                group = SiblingGroup.objects.filter(pk=group_pk).first() if group_pk else None
                if group is None:
                    group = SiblingGroup.objects.create(name=f"Family {family}"[:100])
                    ctx.record("ssd_family", family, group, "", created=True)
                families[family] = group.pk
            child.sibling_group_id = families[family]
        try:
            child.full_clean(exclude=["sibling_group", "area", "created_by"])
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                ctx.refuse(table, row, "; ".join(messages), column)
            continue
        child.save()
        ctx.record(table, row.key, child, digest, created=created)
    if "ssd_family" in ctx.extract.tables:
        for row in ctx.extract.tables["ssd_family"]:
            ctx.seen["ssd_family"].add(row.values["fami_family_id"])
