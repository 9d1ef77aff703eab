"""The SSD tables the service reads and writes: their columns (the Standard Safeguarding
Dataset's field names, release 1.4.5), the key column, and which columns a row cannot do without.

A table missing from an extract, or a column missing from a table, is reported (never guessed):
see ssd.coverage for which figures that leaves without their inputs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    columns: tuple[str, ...]
    required: frozenset[str]
    # Who holds the facts of this table: "case system" (the sync keeps them current) or
    # "service" (the sync never overwrites what the service records).
    owner: str = "case system"

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"


def _t(name: str, key: str, columns: str, required: str, owner: str = "case system") -> Table:
    cols = tuple(columns.split())
    req = frozenset(required.split()) | {key}
    assert req <= set(cols), name
    return Table(name, key, cols, req, owner)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        _t(
            "ssd_person",
            "pers_person_id",
            "pers_person_id pers_forename pers_surname pers_sex pers_gender pers_ethnicity "
            "pers_dob pers_common_child_id pers_legacy_id pers_upn_unknown pers_send_flag "
            "pers_expected_dob pers_death_date pers_is_mother pers_nationality",
            "pers_sex",
        ),
        _t(
            "ssd_linked_identifiers",
            "link_table_id",
            "link_table_id link_person_id link_identifier_type link_identifier_value "
            "link_valid_from_date link_valid_to_date",
            "link_person_id link_identifier_type link_identifier_value",
        ),
        _t(
            "ssd_disability",
            "disa_table_id",
            "disa_table_id disa_person_id disa_disability_code",
            "disa_person_id disa_disability_code",
        ),
        _t(
            "ssd_immigration_status",
            "immi_immigration_status_id",
            "immi_immigration_status_id immi_person_id immi_immigration_status "
            "immi_immigration_status_start_date immi_immigration_status_end_date",
            "immi_person_id immi_immigration_status",
        ),
        _t(
            "ssd_family",
            "fami_table_id",
            "fami_table_id fami_family_id fami_person_id",
            "fami_family_id fami_person_id",
        ),
        _t(
            "ssd_legal_status",
            "lega_legal_status_id",
            "lega_legal_status_id lega_person_id lega_legal_status lega_legal_status_start_date "
            "lega_legal_status_end_date",
            "lega_person_id lega_legal_status lega_legal_status_start_date",
        ),
        _t(
            "ssd_cla_placement",
            "clap_cla_placement_id",
            "clap_cla_placement_id clap_cla_id clap_person_id clap_cla_placement_start_date "
            "clap_cla_placement_type clap_cla_placement_urn clap_cla_placement_distance "
            "clap_cla_placement_provider clap_cla_placement_postcode clap_cla_placement_end_date "
            "clap_cla_placement_change_reason",
            "clap_cla_placement_start_date clap_cla_placement_type",
        ),
        _t(
            "ssd_cla_episodes",
            "clae_cla_episode_id",
            "clae_cla_episode_id clae_person_id clae_cla_placement_id "
            "clae_cla_episode_start_date clae_cla_episode_start_reason clae_cla_primary_need_code "
            "clae_cla_episode_ceased_date clae_cla_episode_ceased_reason clae_cla_id "
            "clae_referral_id clae_entered_care_date clae_cla_last_iro_contact_date",
            "clae_person_id clae_cla_episode_start_date clae_cla_episode_start_reason "
            "clae_cla_primary_need_code clae_cla_placement_id",
        ),
        _t(
            "ssd_cla_reviews",
            "clar_cla_review_id",
            "clar_cla_review_id clar_cla_id clar_cla_review_due_date clar_cla_review_date "
            "clar_cla_review_cancelled clar_cla_review_participation",
            "clar_cla_id",
        ),
        _t(
            "ssd_department",
            "dept_team_id",
            "dept_team_id dept_team_name dept_team_parent_id dept_team_parent_name",
            "dept_team_name",
        ),
        _t(
            "ssd_professionals",
            "prof_professional_id",
            "prof_professional_id prof_staff_id prof_professional_name "
            "prof_social_worker_registration_no prof_professional_job_title "
            "prof_professional_caseload prof_professional_department "
            "prof_full_time_equivalency prof_agency_worker_flag",
            "prof_staff_id",
        ),
        _t(
            "ssd_involvements",
            "invo_involvements_id",
            "invo_involvements_id invo_professional_id invo_professional_role_id "
            "invo_professional_team invo_involvement_start_date invo_involvement_end_date "
            "invo_worker_change_reason invo_person_id invo_referral_id",
            "invo_professional_id invo_professional_role_id invo_involvement_start_date "
            "invo_person_id",
        ),
    )
}

# The order a run applies tables in: people before what hangs on them, staff before allocations.
APPLY_ORDER = (
    "ssd_department",
    "ssd_professionals",
    "ssd_person",
    "ssd_linked_identifiers",
    "ssd_disability",
    "ssd_immigration_status",
    "ssd_family",
    "ssd_legal_status",
    "ssd_cla_placement",
    "ssd_cla_episodes",
    "ssd_involvements",
    "ssd_cla_reviews",
)

# Tables a working service cannot start without; the others are optional in an extract.
ESSENTIAL = frozenset({"ssd_person"})

# Read from the extract and reported, not mapped into the service (yet): named so a run says
# it saw them rather than calling them unknown.
KNOWN_UNMAPPED = frozenset(
    {
        "ssd_cla_visits",
        "ssd_permanence",
        "ssd_care_leavers",
        "ssd_s47_enquiry",
        "ssd_initial_cp_conference",
        "ssd_cp_plans",
        "ssd_cp_reviews",
        "ssd_address",
        "ssd_version_log",
    }
)


def table_for_file(name: str) -> str | None:
    """The SSD table a file holds, from its name (`ssd_person.csv`, `person.csv`,
    `SSD_PERSON.CSV`, inside a folder of a zip or not)."""
    stem = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0].strip().lower()
    if not stem.startswith("ssd_"):
        stem = f"ssd_{stem}"
    if stem in TABLES or stem in KNOWN_UNMAPPED:
        return stem
    return None
