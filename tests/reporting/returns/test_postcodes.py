"""Postcode directory loading and the placement distance derived from it (PL_DISTANCE)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from iro.models import CareEpisode, Postcode
from iro.postcodes import detect_layout, episodes_backfill_distance, unknown_postcodes
from iro.rules import grid_distance_miles, normalise_postcode
from iro.services.episodes import care_change, care_start
from tests.iro.factories import CareEpisodeFactory, ChildFactory

# Made-up postcodes and grid references (the ONS Postcode Directory layout, trimmed).
ONS_CSV = """pcd,pcd2,pcds,dointr,doterm,oseast1m,osnrth1m,osgrdind,oa21,cty,laua,ctry
AB1 0AA,AB1  0AA,AB1 0AA,198001,,385386,801193,1,S00000001,S99999999,E09000027,E92000001
AB1 0AB,AB1  0AB,AB1 0AB,198001,,388386,805193,1,S00000001,S99999999,E09000027,E92000001
AB1 0AD,AB1  0AD,AB1 0AD,198001,200001,,,9,S00000001,S99999999,,E92000001
ZZ9 9ZZ,ZZ9  9ZZ,ZZ9 9ZZ,198001,,400000,900000,1,S00000001,S99999999,E06000001,E92000001
"""
# OS Code-Point Open: no header; postcode, quality, easting, northing, country, ..., district.
CODEPOINT_CSV = """"AB10AA",10,385386,801193,"S92000003","","S08000020","","S12000033","S13002843"
"AB10AB",10,388386,805193,"S92000003","","S08000020","","S12000033","S13002843"
"""


def test_distance_is_the_dfe_formula_to_one_decimal_place():
    # 3,000 m east and 4,000 m north: 5 km / 1.6093 = 3.107 miles.
    assert grid_distance_miles((385386, 801193), (388386, 805193)) == Decimal("3.1")
    assert grid_distance_miles((0, 0), (0, 0)) == Decimal("0.0")
    # 100 km due north: 62.138... miles.
    assert grid_distance_miles((0, 0), (0, 100000)) == Decimal("62.1")


def test_postcodes_are_normalised():
    assert normalise_postcode(" tw107ea ") == "TW10 7EA"
    assert normalise_postcode("TW10  7EA") == "TW10 7EA"
    assert normalise_postcode("M1 1AA") == "M1 1AA"


def test_layouts_are_detected():
    assert detect_layout(ONS_CSV.splitlines()[0].split(",")).name == "ONS Postcode Directory"
    codepoint = detect_layout(['"AB10AA"', "10", "385386", "801193", "S92", "", "", "", "x"])
    assert codepoint.name == "OS Code-Point Open" and not codepoint.has_header
    with pytest.raises(ValueError):
        detect_layout(["name", "address"])


@pytest.mark.django_db
def test_import_postcodes_command_loads_ons_file_and_skips_rows_without_grid(tmp_path):
    path = tmp_path / "onspd.csv"
    path.write_text(ONS_CSV)
    call_command("import_postcodes", str(path))
    assert Postcode.objects.count() == 3
    first = Postcode.objects.get(postcode="AB1 0AA")
    assert (first.easting, first.northing, first.la_code) == (385386, 801193, "E09000027")
    # Loading again updates rather than duplicates.
    call_command("import_postcodes", str(path))
    assert Postcode.objects.count() == 3


@pytest.mark.django_db
def test_import_postcodes_command_loads_codepoint_open(tmp_path):
    path = tmp_path / "ab.csv"
    path.write_text(CODEPOINT_CSV)
    call_command("import_postcodes", str(path))
    assert set(Postcode.objects.values_list("postcode", flat=True)) == {"AB1 0AA", "AB1 0AB"}
    assert Postcode.objects.get(postcode="AB1 0AB").la_code == "S12000033"


@pytest.mark.django_db
def test_import_postcodes_refuses_another_file(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,address\nA,B\n")
    with pytest.raises(CommandError, match="not an ONS Postcode Directory"):
        call_command("import_postcodes", str(path))


@pytest.mark.django_db
def test_services_derive_distance_and_leave_it_blank_for_unknown_postcodes(tmp_path):
    path = tmp_path / "onspd.csv"
    path.write_text(ONS_CSV)
    call_command("import_postcodes", str(path))
    child = ChildFactory(date_of_birth=date(2012, 1, 1))
    episode = care_start(
        child=child,
        start=date(2025, 5, 1),
        legal_status="C2",
        category_of_need="N1",
        placement_type="U6",
        placement_provider="PR1",
        home_postcode="ab1 0aa",
        placement_postcode="AB10AB",
        distance_miles=Decimal("99.0"),  # typed, but the postcodes decide
    )
    assert episode.distance_miles == Decimal("3.1")
    moved = care_change(
        child=child,
        on=date(2025, 8, 1),
        placement_type="U4",
        placement_postcode="XX1 1XX",
        carer_changed=True,
        reason_place_change="CARPL",
    )
    assert moved.distance_miles is None
    listed = unknown_postcodes(CareEpisode.objects.filter(child=child))
    assert listed == [{"postcode": "XX1 1XX", "episodes": 1}]


@pytest.mark.django_db
def test_backfill_recomputes_stored_episodes(tmp_path):
    episode = CareEpisodeFactory(home_postcode="AB1 0AA", placement_postcode="ZZ9 9ZZ")
    assert episode.distance_miles is None
    path = tmp_path / "onspd.csv"
    path.write_text(ONS_CSV)
    call_command("import_postcodes", str(path))  # backfills by default
    episode.refresh_from_db()
    # dE = 14,614, dN = 98,807: 99,882 m = 62.1 miles.
    assert episode.distance_miles == Decimal("62.1")
    assert episodes_backfill_distance() == 0
