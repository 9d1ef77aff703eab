"""The SSDA903 round trip at `small`: two years exported from the data, imported into an empty
database holding the same reference data (areas, postcodes, population, staff, settings), and the
later year recomputed. Every figure the return carries is identical; every other figure is named
here with the reason the return cannot carry it (issue 24 items 2, 10 and 11).
"""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import BooleanField, ExpressionWrapper, F

from iro.models import CareEpisode, Child, Postcode
from iro.synthetic import Generator
from reporting.figures import Period, compute_many
from reporting.figures.base import REGISTRY
from reporting.figures.reviews.common import ON_TIME, reviews_for_timeliness
from reporting.returns.importer import import_years, read_folder, read_year
from reporting.returns.ssda903 import CollectionYear, export_files
from reviews.models import Review, ReviewSequence, ReviewStatus
from reviews.rules import period_for_reviews
from reviews.services import reviews_recompute
from tests.iro.factories import CareEpisodeFactory, ChildFactory
from tests.reporting.returns.test_generated_returns import empty_case_records, write_year
from tests.reporting.returns.test_ssda903 import good_files

TODAY = date(2026, 6, 30)
FIRST, LATER = 2024, 2025
HISTORY = date(FIRST, 4, 1)  # the first day the imported files cover

# Figures whose inputs the SSDA903 carries: identical after the round trip.
CARRIED = [
    *("CLA-01", "CLA-02", "CLA-04", "CLA-05", "CLA-06", "CLA-07", "CLA-08", "CLA-09"),
    *("CLA-10", "CLA-11", "CLA-12", "CLA-13", "CLA-14"),
    *("LVC-01", "LVC-02", "LVC-03", "LVC-04", "LVC-05", "LVC-07"),
    *("PLC-01", "PLC-02", "PLC-04", "PLC-05", "PLC-08"),
    # Scorecard figures built from episodes within the two years.
    *("SC-02", "SC-03", "SC-05", "SC-06", "SC-07"),
    # In / out of area from each placement postcode's authority, as the DfE derives PL_LOCATION.
    "PLC-06",
    # Review sequence and due dates follow reviews.rules from the held dates; in the later year
    # every review's previous ones are in the first year's file. In the first year REV-03 and
    # REV-04 leave out the reviews the import could not place (see the test below).
    *("REV-01", "REV-02", "REV-03", "REV-04", "REV-05"),
    # Attendance from the PN code (PN1-PN4 attended, PN5-PN7 did not; PN0 left out).
    "REV-06",
]

# Figures whose value and breakdown the return carries but not every row of their table, and why.
VALUE_CARRIED = {
    # The adoption count and the children waiting are in the two years; the mean days from the
    # placement order and from entering care need dates before the first year where the period
    # began before it: such children are left out of the means and counted in the table.
    "LVC-06": "placement order and entering care may be before the first imported year",
}

# Figures the return cannot carry, and why.
NOT_CARRIED = {
    "CLA-03": "locality (area) of the child: not in the 903",
    "CLA-15": "time in care reaches back before the first imported year (start unknown)",
    "PLC-07": "preferred placement is a local field, not in the 903",
    "PLC-09": "long-term stability reaches back before the first imported year (start unknown)",
    "REV-07": "why the child did not attend: not in the 903 (only the PN code)",
    "REV-08": "venue and mode of the review: not in the 903",
    "REV-09": "IRO's contact before the review: not in the 903",
    "REV-12": "permanence plan at the review: not in the 903 (counted as not known)",
    "REV-13": "permanence plan at the second review: not in the 903 (counted as not known)",
    "REV-14": "permanence plan track and type: not in the 903 (counted as not known)",
    "REV-15": "child's views considered in the plan: not in the 903",
    "REV-16": "safeguarding issues raised at reviews: not in the 903",
    "REV-17": "social worker's report before the review: not in the 903",
    "REC-01": "review record milestones: not in the 903",
    "IRO-01": "the chair / allocated IRO: the 903 names no IRO",
    "IRO-02": "the chair / allocated IRO: the 903 names no IRO",
    "ALC-01": "allocations to IROs: not in the 903",
    "ALC-02": "allocations to IROs: not in the 903",
    "ALC-03": "allocations to IROs and CP chairs: not in the 903",
    "ALC-04": "allocations to IROs: not in the 903",
    "ALC-05": "allocations to IROs: not in the 903",
    "IRO-03": "staff records: not in the 903 (kept here as reference data)",
    "IRO-04": "staff records: not in the 903 (kept here as reference data)",
    "IRO-05": "staff records: not in the 903 (kept here as reference data)",
    "SC-01": "the peak number looked after reaches back before the first imported year",
    "SC-14": "a placement order (LS E1) may begin before the first imported year",
    "QA-01": "IRO concerns and quality assurance: not in the 903",
    "QA-02": "IRO concerns and quality assurance: not in the 903",
    "QA-03": "IRO concerns and quality assurance: not in the 903",
}
NOT_CARRIED.update(
    {f"CP-{n:02d}": "child protection: in the CIN census, not the 903" for n in range(1, 30)}
)
NOT_CARRIED.update({f"DR-{n:02d}": "IRP escalations: not in the 903" for n in range(1, 15)})
NOT_CARRIED.update(
    {f"FB-{n:02d}": "feedback from children and families: not in the 903" for n in range(1, 6)}
)


def all_figures(year: int) -> dict:
    ids = sorted(REGISTRY)
    return {fid: e["result"].as_dict() for fid, e in compute_many(ids, Period.year(year)).items()}


def timeliness_reviews(year: int) -> dict:
    """The reviews REV-03 and REV-04 count in the year, by child, status and date (held, or due
    for a missed one): their sequence, due date and whether they were on time."""
    rows = reviews_for_timeliness(Period.year(year)).annotate(
        la=F("child__la_child_id"), in_time=ExpressionWrapper(ON_TIME, BooleanField())
    )
    return {(r.la, r.status, r.on): (r.sequence, r.due_date, r.in_time) for r in rows.order_by()}


def began_before(child_ids: set, start: date) -> set:
    """LA child IDs whose latest period of care on `start` had begun before it."""
    return {
        c.la_child_id
        for c in Child.objects.filter(la_child_id__in=child_ids).prefetch_related("episodes")
        if (p := period_for_reviews([e for e in c.episodes.all() if e.start < start]))
        and (p.end is None or p.end >= start)
    }


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_two_years_exported_and_imported_give_the_same_carried_figures(tmp_path):
    call_command("generate_data", scale="small", seed=11, today=TODAY, stdout=StringIO())
    before = all_figures(LATER)
    before_first = all_figures(FIRST)
    reviews_before = {year: timeliness_reviews(year) for year in (FIRST, LATER)}
    for fid in ("CLA-01", "REV-01", "REV-06", "PLC-06"):
        assert before[fid]["value"], fid  # the data exercises each figure named in the issue
    assert before["PLC-06"]["breakdown"]["in area"] > 0
    assert before["PLC-06"]["breakdown"]["out of area"] > 0
    exported = {year: write_year(year, tmp_path / str(year)) for year in (FIRST, LATER)}
    empty_case_records()
    assert not CareEpisode.objects.exists() and Postcode.objects.exists()

    result = import_years([read_folder(tmp_path / str(y)) for y in (FIRST, LATER)])
    assert result.ok, result.refusals[:10]
    after = all_figures(LATER)

    classified = set(CARRIED) | set(VALUE_CARRIED) | {f for f in NOT_CARRIED if f in REGISTRY}
    assert sorted(set(REGISTRY) - classified) == []  # a new figure must be listed above
    assert not set(CARRIED) & set(NOT_CARRIED)
    assert not set(VALUE_CARRIED) & (set(CARRIED) | set(NOT_CARRIED))
    changed = {f: (before[f], after[f]) for f in CARRIED if before[f] != after[f]}
    assert changed == {}
    kept = ("value", "breakdown")
    changed = {
        f: (before[f], after[f])
        for f in VALUE_CARRIED
        if [before[f][k] for k in kept] != [after[f][k] for k in kept]
    }
    assert changed == {}

    # REV-03 / REV-04 in the first imported year: a review whose period of care began before the
    # first file, with fewer than two of the period's reviews on file before it, cannot be placed
    # (docs/rules.md section 1). Every other review keeps its sequence, due date and timeliness;
    # the figures count the placed ones and say how many they could not place.
    reviews_after = {year: timeliness_reviews(year) for year in (FIRST, LATER)}
    unplaced = {
        year: {k for k, v in reviews_after[year].items() if v[0] == ReviewSequence.NOT_KNOWN}
        for year in (FIRST, LATER)
    }
    assert unplaced[LATER] == set()
    assert len(unplaced[FIRST]) > 10  # the data has children in care before the first year
    placed = {k: v for k, v in reviews_after[FIRST].items() if k not in unplaced[FIRST]}
    # An additional review (brought forward, docs/rules.md section 1) is not marked so in the
    # return: it is imported in its place in the cycle, with the same due date.
    was = {
        k: (v[0], *v[1:]) if v[0] != ReviewSequence.ADDITIONAL else (placed[k][0], *v[1:])
        for k in placed
        if (v := reviews_before[FIRST].get(k))
    }
    assert placed == was
    held_before = {k for k in reviews_before[FIRST] if k[1] == ReviewStatus.HELD}
    assert {k for k in reviews_after[FIRST] if k[1] == ReviewStatus.HELD} == held_before
    assert {k[0] for k in unplaced[FIRST]} <= began_before({k[0] for k in unplaced[FIRST]}, HISTORY)
    after_first = all_figures(FIRST)
    on_time = sum(v[2] for v in placed.values())
    rev03 = after_first["REV-03"]
    assert (rev03["numerator"], rev03["denominator"]) == (on_time, len(placed))
    assert rev03["breakdown"]["could not be placed"] == len(unplaced[FIRST])
    assert before_first["REV-03"]["breakdown"]["could not be placed"] == 0
    late_first = sum(
        1 for seq, _, in_time in placed.values() if not in_time and seq == ReviewSequence.FIRST
    )
    rev04 = after_first["REV-04"]
    assert (rev04["numerator"], rev04["denominator"]) == (
        late_first,
        sum(not v[2] for v in placed.values()),
    )
    assert rev04["breakdown"]["could not be placed"] == len(unplaced[FIRST])

    # REV-12 to REV-14: the return carries no permanence plan, so every imported review's plan
    # is "not known", never "no plan" (a value of 0%).
    for year, was, now in ((LATER, before, after), (FIRST, before_first, after_first)):
        assert was["REV-13"]["value"] > 50 and was["REV-13"]["breakdown"]["not known"] == 0
        assert "value" not in now["REV-13"]  # no second review whose plan is known
        # The second reviews the import could place (all of them in the later year).
        second = sum(
            1
            for k, v in reviews_before[year].items()
            if v[0] == ReviewSequence.SECOND
            and k[1] == ReviewStatus.HELD
            and k not in unplaced[year]
        )
        # Four second reviews of the first year belong to periods begun before the first file.
        assert second == was["REV-13"]["denominator"] - (year == FIRST and 4)
        assert now["REV-13"]["breakdown"]["not known"] == second, year
        assert now["REV-13"]["breakdown"]["could not be placed"] == len(
            [k for k in unplaced[year] if k[1] == ReviewStatus.HELD]
        )
        assert now["REV-13"]["breakdown"]["plan"] == now["REV-13"]["breakdown"]["no plan"] == 0
        assert now["REV-12"]["breakdown"] == {
            "plan": 0, "no plan": 0, "not known": was["REV-01"]["value"],
        }  # fmt: skip
        assert now["REV-14"]["breakdown"]["not known"] == was["REV-01"]["value"]
        assert "not known" in now["REV-13"]["note"]
    # Exporting again gives the same files.
    for year in (FIRST, LATER):
        assert export_files(CollectionYear(year)) == exported[year]


@pytest.mark.django_db
def test_import_sets_attendance_from_the_pn_code():
    """REV-06: PN1-PN4 attended, PN5-PN7 did not; PN0 (under 4) says nothing."""
    files = good_files()
    files["header.csv"] += "A3,M,01/01/2023,WBRI,UN1,,\r\n"
    files["episodes.csv"] += "A3,01/05/2024,S,V2,N1,U4,PR4,,,,TW1 1AA,TW3 3CC,SC123456\r\n"
    files["reviews.csv"] += "A3,01/01/2023,29/05/2024,PN0\r\n"
    result = import_years([read_year("2024", files)])
    assert result.ok, result.refusals
    held = {
        (r.child.la_child_id, r.participation): r.child_attended
        for r in Review.objects.filter(status=ReviewStatus.HELD).select_related("child")
    }
    assert held == {("A1", "PN1"): True, ("A1", "PN6"): False, ("A3", "PN0"): None}


@pytest.mark.django_db
def test_import_places_each_episode_in_or_out_of_area_from_its_postcode(settings):
    """PLC-06: PL_LOCATION follows from the placement postcode's authority."""
    settings.LOCAL_AUTHORITY_CODE = "E09000027"
    Postcode.objects.create(postcode="TW2 2BB", easting=1, northing=1, la_code="E09000027")
    Postcode.objects.create(postcode="TW3 3CC", easting=2, northing=2, la_code="E09000018")
    Postcode.objects.create(postcode="TW4 4DD", easting=3, northing=3, la_code="")
    result = import_years([read_year("2024", good_files())])
    assert result.ok, result.refusals
    located = dict(CareEpisode.objects.values_list("placement_postcode", "placement_location"))
    assert located == {"TW2 2BB": "IN", "TW3 3CC": "OUT", "TW4 4DD": ""}


@pytest.mark.django_db
def test_a_child_still_uasc_has_their_18th_birthday_as_date_uasc_ceased():
    """DfE rule 205B: a child in two years' UASC files needs last year's DUC on the 18th
    birthday; the import reads that date back as not yet ceased."""
    child = ChildFactory(la_child_id="U1", date_of_birth=date(2009, 2, 20), uasc=True, sex="M")
    CareEpisodeFactory(child=child, start=date(2024, 5, 1), legal_status="V2")
    uasc = export_files(CollectionYear(2024))["uasc.csv"]
    assert uasc.splitlines()[1] == "U1,M,20/02/2009,20/02/2027"
    files = export_files(CollectionYear(2024))
    CareEpisode.objects.all().delete()
    Child.objects.all().delete()
    result = import_years([read_year("2024", files)])
    assert result.ok, result.refusals
    assert Child.objects.get(la_child_id="U1").uasc_ceased is None


def test_the_generator_never_brings_an_adopted_child_back_into_care_under_the_same_id(db):
    """DfE rule 199: an adopted child (REC E11/E12) has no later episode under the same ID.
    At `la` the generator did this to 10 children."""
    generator = Generator(scale="la", seed=1, today=TODAY, log=lambda message: None)
    children = [c for batch in generator.simulate(areas=list(range(8))) for c in batch]
    assert len(children) > 2000
    adopted_then_back = [
        c.number
        for c in children
        for i, e in enumerate(c.episodes[:-1])
        if e.reason_ceased in ("E11", "E12")
    ]
    assert sum(e.reason_ceased in ("E11", "E12") for c in children for e in c.episodes) > 10
    assert adopted_then_back == []


@pytest.mark.django_db
def test_uasc_ceased_from_a_later_year_survives_an_earlier_year_and_a_reimport():
    """An earlier year's UASC file writes the 18th birthday still to come; imported with (and
    before) the later year that records it, and again, it neither clears nor rewrites it."""
    child = ChildFactory(
        la_child_id="U2",
        date_of_birth=date(2006, 9, 10),
        uasc=True,
        uasc_ceased=date(2024, 9, 10),
        sex="M",
    )
    # A move in each year, so that each year's files date from that year (the import orders
    # and ends the years by their latest date).
    CareEpisodeFactory(
        child=child,
        start=date(2023, 5, 1),
        legal_status="V2",
        end=date(2024, 6, 1),
        reason_ceased="X1",
        reason_place_change="CARPL",
    )
    CareEpisodeFactory(
        child=child,
        start=date(2024, 6, 1),
        reason_new_episode="P",
        legal_status="V2",
        placement_type="U4",
    )
    files = {year: export_files(CollectionYear(year)) for year in (2023, 2024)}
    assert files[2023]["uasc.csv"].splitlines()[1] == "U2,M,10/09/2006,10/09/2024"
    CareEpisode.objects.all().delete()
    Child.objects.all().delete()
    years = [read_year(str(y), files[y]) for y in (2023, 2024)]
    assert import_years(years).ok
    imported = Child.objects.get(la_child_id="U2")
    assert imported.uasc_ceased == date(2024, 9, 10)
    history = Child.history.count()
    again = import_years([read_year(str(y), files[y]) for y in (2023, 2024)])
    assert again.ok and again.counts == {}
    assert Child.history.count() == history
    assert Child.objects.get(la_child_id="U2").version == imported.version


@pytest.mark.django_db
def test_import_places_reviews_only_where_the_return_allows():
    """REV-03 / REV-04 (docs/rules.md section 1): a period begun inside the files gets first and
    second reviews; one begun before the first file has its first two reviews on file 'not
    known' (reviews before the file are not on record) and the third a subsequent review due 6
    months after the second. The next review stays 'not known' when the service recomputes it,
    and every imported review is marked as from the return (REV-12 to REV-14: plan not known)."""
    files = good_files()
    files["header.csv"] += "B1,M,01/01/2010,WBRI,UN1,,\r\n" + "C1,F,01/01/2011,WBRI,UN1,,\r\n"
    files["episodes.csv"] += (
        "B1,01/01/2023,S,C2,N1,U4,PR4,,,,TW1 1AA,TW3 3CC,SC123456\r\n"
        "C1,01/02/2022,S,C2,N1,U4,PR4,,,,TW1 1AA,TW3 3CC,SC123456\r\n"
    )
    files["reviews.csv"] += (
        "B1,01/01/2010,10/05/2024,PN1\r\n"
        "B1,01/01/2010,20/10/2024,PN1\r\n"
        "B1,01/01/2010,15/03/2025,PN2\r\n"
        "C1,01/01/2011,01/06/2024,PN1\r\n"
    )
    result = import_years([read_year("2024", files)])
    assert result.ok, result.refusals
    held = {
        (r.child.la_child_id, r.held_on): (
            r.sequence,
            r.due_date if r.sequence != "not_known" else None,
        )
        for r in Review.objects.filter(status=ReviewStatus.HELD).select_related("child")
    }
    assert held == {
        ("A1", date(2024, 6, 5)): ("first", date(2024, 6, 10)),
        ("A1", date(2024, 9, 1)): ("second", date(2024, 9, 5)),
        ("B1", date(2024, 5, 10)): ("not_known", None),
        ("B1", date(2024, 10, 20)): ("not_known", None),
        ("B1", date(2025, 3, 15)): ("subsequent", date(2025, 4, 20)),
        ("C1", date(2024, 6, 1)): ("not_known", None),
    }
    assert set(Review.objects.values_list("source", flat=True)) == {"ssda903", "service"}
    assert not Review.objects.filter(status=ReviewStatus.HELD, source="service").exists()
    next_review = {r.child.la_child_id: r.sequence for r in Review.objects.filter(
        status=ReviewStatus.DUE).select_related("child")}  # fmt: skip
    assert next_review == {"A1": "subsequent", "A2": "first", "B1": "subsequent", "C1": "not_known"}
    reviews_recompute(child=Child.objects.get(la_child_id="C1"))
    assert Review.objects.get(child__la_child_id="C1", status=ReviewStatus.DUE).sequence == (
        "not_known"
    )


def review_records() -> dict:
    """Every review on record, by child, status and date: its sequence, period start and due
    date."""
    return {
        (r.child.la_child_id, r.status, r.held_on or r.due_date): (
            r.sequence,
            r.period_start,
            r.due_date,
        )
        for r in Review.objects.select_related("child")
    }


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_an_earlier_year_imported_later_places_the_reviews_stored_as_not_known(tmp_path):
    """REV-01 to REV-06 (issue 24 item 10): the later year imported first, alone, cannot place
    the reviews of periods of care begun before it ("not known"); the earlier year imported
    afterwards, in a separate run, brings their period start and earlier reviews and places them
    by reviews.rules, in the same transaction. Every figure of both years, and every review's
    sequence and due date, are then as when both years are imported together."""
    call_command("generate_data", scale="small", seed=11, today=TODAY, stdout=StringIO())
    for year in (FIRST, LATER):
        write_year(year, tmp_path / str(year))
    empty_case_records()
    together = import_years([read_folder(tmp_path / str(y)) for y in (FIRST, LATER)])
    assert together.ok, together.refusals[:10]
    reviews_together = review_records()
    figures_together = {year: all_figures(year) for year in (FIRST, LATER)}

    empty_case_records()
    later = import_years([read_folder(tmp_path / str(LATER))])
    assert later.ok, later.refusals[:10]
    unknown_after_later = Review.objects.filter(
        status=ReviewStatus.HELD, held_on__gte=date(LATER, 4, 1), sequence=ReviewSequence.NOT_KNOWN
    ).count()
    assert unknown_after_later > 5  # the later year alone cannot place these
    earlier = import_years([read_folder(tmp_path / str(FIRST))])
    assert earlier.ok, earlier.refusals[:10]
    records = review_records()
    changed_reviews = {k: (reviews_together.get(k), v) for k, v in records.items()
                       if reviews_together.get(k) != v}  # fmt: skip
    assert changed_reviews == {}
    assert records == reviews_together
    for year in (FIRST, LATER):
        figures = all_figures(year)
        changed = {f: (figures_together[year][f], figures[f]) for f in figures
                   if figures[f] != figures_together[year][f]}  # fmt: skip
        assert changed == {}, year
    assert earlier.counts["reviews placed"] == unknown_after_later
