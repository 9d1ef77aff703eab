"""DfE code lists (SSDA903 2025/26 and CIN census), as TextChoices.

Sources: docs/rules.md section 3.2 (903 validator rules 101-167, 178, 1009) and section 2 (CIN
categories of abuse). Codes that are no longer valid for new records stay in the choices, so
history keeps its meaning, and are listed in the RETIRED_* sets that forms use to hide them.
"""

import re

from django.db import models


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known"
    # Before 2024/25 the 903 used 1 and 2.
    LEGACY_MALE = "1", "Male (code 1, before 2024/25)"
    LEGACY_FEMALE = "2", "Female (code 2, before 2024/25)"


RETIRED_SEX = {Sex.LEGACY_MALE, Sex.LEGACY_FEMALE}


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White: British"
    WIRI = "WIRI", "White: Irish"
    WOTH = "WOTH", "White: any other White background"
    WIRT = "WIRT", "White: Traveller of Irish heritage"
    WROM = "WROM", "White: Gypsy/Roma"
    MWBC = "MWBC", "Mixed: White and Black Caribbean"
    MWBA = "MWBA", "Mixed: White and Black African"
    MWAS = "MWAS", "Mixed: White and Asian"
    MOTH = "MOTH", "Mixed: any other mixed background"
    AIND = "AIND", "Asian or Asian British: Indian"
    APKN = "APKN", "Asian or Asian British: Pakistani"
    ABAN = "ABAN", "Asian or Asian British: Bangladeshi"
    AOTH = "AOTH", "Asian or Asian British: any other Asian background"
    BCRB = "BCRB", "Black or Black British: Caribbean"
    BAFR = "BAFR", "Black or Black British: African"
    BOTH = "BOTH", "Black or Black British: any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


ETHNIC_GROUPS = {
    "White": ["WBRI", "WIRI", "WOTH", "WIRT", "WROM"],
    "Mixed": ["MWBC", "MWBA", "MWAS", "MOTH"],
    "Asian or Asian British": ["AIND", "APKN", "ABAN", "AOTH"],
    "Black or Black British": ["BCRB", "BAFR", "BOTH"],
    "Other ethnic group": ["CHNE", "OOTH"],
    "Refused or not obtained": ["REFU", "NOBT"],
}


class ReasonNewEpisode(models.TextChoices):
    S = "S", "S: started to be looked after"
    L = "L", "L: change of legal status only"
    P = "P", "P: change of placement and carer"
    T = "T", "T: change of placement, same carer"
    B = "B", "B: change of legal status, placement and carer"
    U = "U", "U: change of legal status and placement, same carer"


# RNE values that record a placement change (903 rule 225).
PLACEMENT_CHANGE_RNE = {"P", "T", "B", "U"}


class LegalStatus(models.TextChoices):
    C1 = "C1", "C1: interim care order"
    C2 = "C2", "C2: full care order"
    D1 = "D1", "D1: freeing order granted"
    E1 = "E1", "E1: placement order granted"
    V2 = "V2", "V2: single period of accommodation under section 20"
    V3 = "V3", "V3: accommodated under an agreed series of short-term breaks (episodes)"
    V4 = "V4", "V4: accommodated under an agreed series of short-term breaks (agreements)"
    L1 = "L1", "L1: police protection, in local authority accommodation"
    L2 = "L2", "L2: emergency protection order"
    L3 = "L3", "L3: child assessment order, in local authority accommodation"
    J1 = "J1", "J1: remanded to local authority or youth detention accommodation"
    J2 = "J2", "J2: placed in local authority accommodation under PACE"
    J3 = "J3", "J3: youth rehabilitation order with residence or fostering requirement"


# Short breaks: not counted as looked after in CLA figures, and no reviews in the 903 (rule 399).
SHORT_BREAK_LEGAL_STATUSES = {"V3", "V4"}
# Placements with a connected carer, a relative or friend (foster placement types U1-U3).
CONNECTED_CARER_PLACEMENTS = ("U1", "U2", "U3")
# Legal statuses that a child under 10 cannot have (903 rule 358).
YOUTH_JUSTICE_LEGAL_STATUSES = {"J1", "J2", "J3"}


class CategoryOfNeed(models.TextChoices):
    N1 = "N1", "N1: abuse or neglect"
    N2 = "N2", "N2: child's disability"
    N3 = "N3", "N3: parental illness or disability"
    N4 = "N4", "N4: family in acute stress"
    N5 = "N5", "N5: family dysfunction"
    N6 = "N6", "N6: socially unacceptable behaviour"
    N7 = "N7", "N7: low income"
    N8 = "N8", "N8: absent parenting"


class PlacementType(models.TextChoices):
    A3 = "A3", "A3: placed for adoption with consent, with current foster carers"
    A4 = "A4", "A4: placed for adoption with consent, not with current foster carers"
    A5 = "A5", "A5: placed for adoption under a placement order, with current foster carers"
    A6 = "A6", "A6: placed for adoption under a placement order, not with current foster carers"
    K1 = "K1", "K1: secure children's home"
    K2 = "K2", "K2: children's home"
    K3 = "K3", "K3: registered supported accommodation"
    P1 = "P1", "P1: placed with own parent or person with parental responsibility"
    P3 = "P3", "P3: residential employment"
    R1 = "R1", "R1: residential care home"
    R2 = "R2", "R2: NHS or health trust establishment"
    R3 = "R3", "R3: family centre or mother and baby unit"
    R5 = "R5", "R5: young offender institution"
    S1 = "S1", "S1: residential school"
    T0 = "T0", "T0: temporary move"
    T1 = "T1", "T1: temporary, in hospital"
    T2 = "T2", "T2: temporary, child's holiday"
    T3 = "T3", "T3: temporary, usual carer's holiday"
    T4 = "T4", "T4: temporary, seven days or less, other reason"
    U1 = "U1", "U1: foster with relative or friend, long-term"
    U2 = "U2", "U2: foster with relative or friend who is an approved adopter"
    U3 = "U3", "U3: foster with relative or friend, other"
    U4 = "U4", "U4: foster with other carer, long-term"
    U5 = "U5", "U5: foster with other carer who is an approved adopter"
    U6 = "U6", "U6: foster with other carer, other"
    Z11 = "Z11", "Z11: other placement"
    Z12 = "Z12", "Z12: other placement"
    Z13 = "Z13", "Z13: other placement"
    Z14 = "Z14", "Z14: other placement"
    # Retired after 2024/25; kept for history.
    H5 = "H5", "H5: semi-independent living (retired)"
    P2 = "P2", "P2: independent living (retired)"
    Z1 = "Z1", "Z1: other placement (retired)"


RETIRED_PLACEMENT_TYPES = {"H5", "P2", "Z1"}
TEMPORARY_PLACEMENT_TYPES = {"T0", "T1", "T2", "T3", "T4"}
ADOPTION_PLACEMENT_TYPES = {"A3", "A4", "A5", "A6"}
FOSTER_PLACEMENT_TYPES = {"U1", "U2", "U3", "U4", "U5", "U6"}
# Placement types that take no provider (903 rule 213).
NO_PROVIDER_PLACEMENT_TYPES = TEMPORARY_PLACEMENT_TYPES | {"Z11", "Z12", "Z13", "Z14"}

PLACEMENT_TYPE_GROUPS = {
    "Placed for adoption": sorted(ADOPTION_PLACEMENT_TYPES),
    "Foster placements": sorted(FOSTER_PLACEMENT_TYPES),
    "Children's homes and supported accommodation": ["K1", "K2", "K3", "H5"],
    "Placed with parents": ["P1"],
    "Residential and health settings": ["R1", "R2", "R3", "R5", "S1", "P3"],
    "Temporary": sorted(TEMPORARY_PLACEMENT_TYPES),
    "Other placements": ["Z11", "Z12", "Z13", "Z14", "Z1", "P2"],
}


class PlacementProvider(models.TextChoices):
    PR0 = "PR0", "PR0: parent or person with parental responsibility"
    PR1 = "PR1", "PR1: own local authority"
    PR2 = "PR2", "PR2: other local authority"
    PR3 = "PR3", "PR3: other public provision"
    PR4 = "PR4", "PR4: private provision"
    PR5 = "PR5", "PR5: voluntary or third sector provision"


class ReasonCeased(models.TextChoices):
    E11 = "E11", "E11: adopted, application unopposed"
    E12 = "E12", "E12: adopted, consent dispensed with"
    E2 = "E2", "E2: died"
    E3 = "E3", "E3: care taken over by another local authority"
    E4A = "E4A", "E4A: returned home as part of the care plan"
    E4B = "E4B", "E4B: returned home, not part of the care plan"
    E13 = (
        "E13",
        "E13: left care to live with a parent or other person without parental responsibility",
    )
    E41 = "E41", "E41: child arrangements order (who the child lives with)"
    E45 = "E45", "E45: special guardianship order to former foster carer, relative or friend"
    E46 = "E46", "E46: special guardianship order to former foster carer, not relative or friend"
    E47 = "E47", "E47: special guardianship order to carer, relative or friend"
    E48 = "E48", "E48: special guardianship order to carer, not relative or friend"
    E5 = "E5", "E5: moved into independent living with formal support"
    E6 = "E6", "E6: moved into independent living without formal support"
    E7 = "E7", "E7: transferred to residential care funded by adult social care"
    E8 = "E8", "E8: period of care ceased for any other reason"
    E9 = "E9", "E9: sentenced to custody"
    E14 = "E14", "E14: accommodation on remand ended"
    E15 = "E15", "E15: age assessment found the child to be 18 or over"
    E16 = "E16", "E16: moved abroad"
    E17 = "E17", "E17: aged 18 or over and stayed with current carers (Staying Put)"
    X1 = "X1", "X1: episode ceased, child still looked after"


class ReasonPlaceChange(models.TextChoices):
    CARPL = "CARPL", "Change to the care plan"
    CLOSE = "CLOSE", "Provider resigned or closed"
    ALLEG = "ALLEG", "Allegation (section 47)"
    STAND = "STAND", "Standards of care concern"
    APPRR = "APPRR", "Carer approval removed"
    CREQB = "CREQB", "Carer requested ending: child's behaviour"
    CREQO = "CREQO", "Carer requested ending: other reason"
    CHILD = "CHILD", "Child requested ending"
    LAREQ = "LAREQ", "Local authority requested ending"
    PLACE = "PLACE", "Change of placement status only"
    CUSTOD = "CUSTOD", "Custody"
    OTHER = "OTHER", "Other"


class ParticipationCode(models.TextChoices):
    PN0 = "PN0", "PN0: child under 4 at the time of the review"
    PN1 = "PN1", "PN1: attended and spoke for themselves"
    PN2 = "PN2", "PN2: attended, an advocate spoke for them"
    PN3 = "PN3", "PN3: attended, conveyed views non-verbally"
    PN4 = "PN4", "PN4: attended but did not contribute"
    PN5 = "PN5", "PN5: did not attend, briefed an advocate"
    PN6 = "PN6", "PN6: did not attend, views conveyed another way"
    PN7 = "PN7", "PN7: did not attend and views not conveyed"


class CategoryOfAbuse(models.TextChoices):
    NEG = "NEG", "Neglect"
    PHY = "PHY", "Physical abuse"
    SAB = "SAB", "Sexual abuse"
    EMO = "EMO", "Emotional abuse"
    MUL = "MUL", "Multiple"


def current_choices(choices: type[models.TextChoices], retired: set[str]) -> list[tuple[str, str]]:
    """Choices that may be picked for a new record: every code except the retired ones."""
    return [(value, label) for value, label in choices.choices if value not in retired]


_CODE_PREFIX = re.compile(r"^[A-Z0-9]+:\s*")
_CODE_NOTE = re.compile(r"\s*\(code [^)]*\)$")


def code_label(choices: type[models.TextChoices], code: str) -> str:
    """What a person reads for a DfE code: its meaning from `choices`, one of the code lists
    above, without the code itself ("C2" reads "Full care order", "PN1" "Attended and spoke for
    themselves", the retired sex code "1" "Male"). Raw codes are for machine exports (the
    SSDA903 and CIN files, CSV of records); pages, spreadsheets, documents and report JSON show
    this. A value not in the list reads "Not recorded" for a blank and "Unrecognised code"
    otherwise, never the bare value."""
    if code in (None, ""):
        return "Not recorded"
    try:
        label = str(choices(str(code)).label)
    except ValueError:
        return "Unrecognised code"
    label = _CODE_NOTE.sub("", _CODE_PREFIX.sub("", label))
    return label[:1].upper() + label[1:]


def code_values() -> set[str]:
    """Every code of every DfE code list here (for checks that no raw code reaches a reader)."""
    lists = [Sex, Ethnicity, ReasonNewEpisode, LegalStatus, CategoryOfNeed, PlacementType,
             PlacementProvider, ReasonCeased, ReasonPlaceChange, ParticipationCode,
             CategoryOfAbuse]  # fmt: skip
    return {str(value) for choices in lists for value in choices.values}
