"""Bad input is refused on every route, with a message naming the field or row, and nothing is
written: the API (400 with the field's key), the pages (400, the message on the form, what the
user typed still in it), the reference-data commands (every bad row listed, nothing loaded) and
the admin's reference-data forms.

One table per route; each row is a field, a bad value and the words the message must hold.
"""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from escalations.models import Concern
from iro.models import Child, Postcode
from iro.validators import TEXT_MAX_LENGTH, upn_check_letter, validate_upn
from reporting.models import Benchmark, Population, Target
from tests.qa.test_lost_updates import open_form, post_data

pytestmark = pytest.mark.django_db

# Every test here runs on one day, so the horizons ("within 5 years") are fixed dates.
TODAY = date(2026, 12, 7)
MILLION = "x" * 1_000_000


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(date(2026, 12, 7), tick=False):
        yield


# --- Identifiers: the DfE's unique pupil number -----------------------------------------------


def test_the_upn_check_letter_follows_the_dfe_algorithm():
    # Characters 2-13 of E12345678901X weighted 2..13, X (a temporary UPN) valued 20:
    # 1*2 + 2*3 + 3*4 + 4*5 + 5*6 + 6*7 + 7*8 + 8*9 + 9*10 + 0*11 + 1*12 + 20*13 = 602;
    # 602 mod 23 = 4, the fifth letter of A-Z without I, O and S: E.
    assert upn_check_letter("?12345678901X") == "E"
    validate_upn("E12345678901X")
    # A permanent UPN: 13th character a digit. 0*2+0*3+...+0*12+9*13 = 117; 117 mod 23 = 2: C.
    assert upn_check_letter("?000000000009") == "C"
    validate_upn("C000000000009")
    for bad, code in [
        ("A12345678901X", "upn_check_letter"),
        ("E1234567890", "upn_length"),
        ("I12345678901X", "upn_format"),  # I is never a check letter
        ("E1234567890SX", "upn_format"),
        ("e12345678901x", "upn_format"),
    ]:
        with pytest.raises(ValidationError) as error:
            validate_upn(bad)
        assert error.value.code == code, bad


# --- API ----------------------------------------------------------------------------------------

CHILD = {
    "la_child_id": "C900001",
    "first_name": "Ada",
    "last_name": "Brook",
    "date_of_birth": "2015-05-01",
    "sex": "F",
}

API_CHILD_CASES = [
    ("date_of_birth", {"date_of_birth": "2099-01-01"}, "The date of birth must be today"),
    ("date_of_birth", {"date_of_birth": "1800-01-01"}, "The date of birth must be on or after"),
    (
        "uasc_ceased",
        {"uasc": True, "uasc_ceased": "2099-01-01"},
        "The date UASC status ceased must be within 5 years",
    ),
    (
        "uasc_ceased",
        {"uasc": True, "uasc_ceased": "2014-01-01"},
        "The date UASC status ceased must be on or after the child's date of birth",
    ),
    ("upn", {"upn": "A12345678901X"}, "check letter is wrong"),
    ("upn", {"upn": "12345"}, "must be 13 characters"),
    ("la_child_id", {"la_child_id": "../../etc"}, "only letters, digits and hyphens"),
    ("la_child_id", {"la_child_id": "C1234567890"}, "must be 10 characters or fewer"),
    ("first_name", {"first_name": MILLION}, "no more than 100 characters"),
    (
        "expected_date_of_birth",
        {"date_of_birth": None, "expected_date_of_birth": "2099-01-01"},
        "The expected date of birth must be within 10 months",
    ),
]


@pytest.mark.parametrize(("field", "change", "words"), API_CHILD_CASES)
def test_the_children_api_refuses(field, change, words, team_manager, login):
    response = login(team_manager).post(
        "/api/children/", {**CHILD, **change}, content_type="application/json"
    )
    assert response.status_code == 400, response.content[:300]
    errors = response.json()
    assert field in errors, errors
    assert words in " ".join(errors[field]), errors[field]
    assert not Child.objects.filter(first_name__in=["Ada", MILLION]).exists()


def test_the_children_api_accepts_the_valid_values(team_manager, login):
    """The table's refusals are not a closed door: valid values of the same fields are taken."""
    body = {**CHILD, "upn": "E12345678901X", "la_child_id": "LA-0042", "uasc": True}
    body["uasc_ceased"] = "2024-01-01"
    response = login(team_manager).post("/api/children/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    child = Child.objects.get(la_child_id="LA-0042")
    assert (child.upn, child.uasc_ceased) == ("E12345678901X", date(2024, 1, 1))


def _concern_body(child, **change):
    return {
        "child": child.pk,
        "raised_on": "2026-11-02",
        "category": "drift_and_delay",
        "description": "Permanence delayed",
        "raised_with": "Team manager",
        **change,
    }


@pytest.mark.parametrize(
    ("field", "change", "words"),
    [
        ("raised_on", {"raised_on": "1900-01-01"}, "The date raised must be on or after"),
        ("description", {"description": MILLION}, f"no more than {TEXT_MAX_LENGTH} characters"),
        ("raised_with", {"raised_with": MILLION}, "no more than 200 characters"),
    ],
)
def test_the_concerns_api_refuses(field, change, words, child, iro_allocated, login):
    response = login(iro_allocated).post(
        "/api/concerns/", _concern_body(child, **change), content_type="application/json"
    )
    assert response.status_code == 400, response.content[:300]
    errors = response.json()
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert not Concern.objects.exists()


# --- Pages: the message on the form, and what was typed still in it ------------------------------


def _child_form_post(client, **typed):
    url = reverse("children:create")
    fields = {
        "la_child_id": "C900002",
        "first_name": "Bea",
        "last_name": "Lane",
        "date_of_birth": date(2016, 2, 3),
        "sex": "F",
    }
    data = post_data(open_form(client, url), **{**fields, **typed})
    return client.post(url, data)


PAGE_CHILD_CASES = [
    ({"date_of_birth": date(2099, 1, 1)}, "The date of birth must be today or in the past", "2099"),
    ({"date_of_birth": date(1800, 1, 1)}, "The date of birth must be on or after", "1800"),
    (
        {"uasc": True, "uasc_ceased": date(2099, 1, 1)},
        "The date UASC status ceased must be within 5 years",
        "2099",
    ),
    ({"upn": "A12345678901X"}, "check letter is wrong", "A12345678901X"),
    ({"la_child_id": "../../etc"}, "only letters, digits and hyphens", "../../etc"),
]


@pytest.mark.parametrize(("typed", "words", "kept"), PAGE_CHILD_CASES)
def test_the_child_form_refuses_and_keeps_what_was_typed(typed, words, kept, team_manager, login):
    response = _child_form_post(login(team_manager), **typed)
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body
    assert words in body
    assert f'value="{kept}"' in body  # the typed value is back in its box
    assert 'value="Bea"' in body
    assert not Child.objects.filter(first_name="Bea").exists()


def _concern_form_post(client, child, **typed):
    url = reverse("escalations:concern_new")
    form = open_form(client, f"{url}?child={child.pk}")
    fields = {
        "child": child.pk,
        "category": "drift_and_delay",
        "description": "Permanence delayed",
        "raised_with": "Team manager",
    }
    data = post_data(form, **{**fields, **typed})
    return client.post(url, data)


@pytest.mark.parametrize(
    ("typed", "words", "kept"),
    [
        ({"raised_on": date(1900, 1, 1)}, "The date raised must be on or after", "1900"),
        (
            {"description": "y" * (TEXT_MAX_LENGTH + 1)},
            f"must be 10000 characters or fewer (it has {TEXT_MAX_LENGTH + 1})",
            "y" * (TEXT_MAX_LENGTH + 1),
        ),
    ],
)
def test_the_concern_form_refuses_and_keeps_what_was_typed(
    typed, words, kept, child, iro_allocated, login
):
    response = _concern_form_post(login(iro_allocated), child, **typed)
    body = response.content.decode()
    assert response.status_code == 400
    assert words in body
    assert kept in body
    assert "Team manager" in body
    assert not Concern.objects.exists()


# --- Management commands: reference data ---------------------------------------------------------

HEADER = "figure_id,scope,year,value,source\n"
GOOD = "CLA-03,england,2023,70,DfE table A1\n"


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("ZZZ-99,england,2023,70,DfE", "figure_id 'ZZZ-99' is not a figure the service computes"),
        ("REV-03,england,2023,250,DfE", "value for REV-03 is a percentage"),
        ("CLA-03,england,2023,-5,DfE", "value -5 is negative"),
        ("CLA-03,england,1,70,DfE", "year 1 is outside the reporting span 2004 to 2026"),
        ("CLA-03,england,9999,70,DfE", "year 9999 is outside the reporting span"),
        ("CLA-03,england,2023,70," + "s" * 301, "source is longer than 300 characters"),
    ],
)
def test_load_benchmarks_refuses_the_row_and_loads_nothing(row, words, tmp_path):
    path = tmp_path / "bench.csv"
    path.write_text(HEADER + GOOD + row + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("load_benchmarks", str(path))
    message = str(error.value)
    assert "nothing loaded" in message
    assert f"line 3: {words}" in message or ("line 3: " in message and words in message)
    assert Benchmark.objects.count() == 0  # the good line 2 is not loaded either


def test_load_benchmarks_names_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "bench.csv"
    path.write_bytes((HEADER + GOOD + "CLA-03,region,2023,88,Région Île\n").encode("latin-1"))
    with pytest.raises(CommandError) as error:
        call_command("load_benchmarks", str(path))
    assert "is not UTF-8 text, nothing loaded" in str(error.value)
    assert "CSV UTF-8" in str(error.value)
    assert Benchmark.objects.count() == 0


def test_load_benchmarks_takes_a_percentage_within_0_to_100(tmp_path):
    path = tmp_path / "bench.csv"
    path.write_text(HEADER + GOOD + "REV-03,england,2023,100,DfE\n", encoding="utf-8")
    out = StringIO()
    call_command("load_benchmarks", str(path), stdout=out)
    assert "2 added" in out.getvalue()


def test_import_postcodes_refuses_an_impossible_grid_reference_and_loads_nothing(tmp_path):
    path = tmp_path / "codepoint.csv"
    path.write_text('"B1 1AA",10,406000,286000\n"B2 2BB",10,9406000,286000\n', encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_postcodes", str(path), "--no-backfill")
    message = str(error.value)
    assert "line 2 (B22BB)" in message.replace(" ", "") or "line 2 (B2 2BB)" in message
    assert "outside the British National Grid" in message
    assert not Postcode.objects.exists()


def test_import_postcodes_names_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "codepoint.csv"
    path.write_bytes('"B1 1AA",10,406000,286000,"Birmingham – Édgbaston"\n'.encode("cp1252"))
    with pytest.raises(CommandError) as error:
        call_command("import_postcodes", str(path), "--no-backfill")
    assert "is not UTF-8 text, nothing loaded" in str(error.value)
    assert not Postcode.objects.exists()


# --- Admin: reference-data forms ------------------------------------------------------------------


@pytest.mark.parametrize("year", ["1", "9999", "0", "2000000000"])
def test_the_population_admin_refuses_a_year_outside_the_reporting_span(year, admin_client):
    response = admin_client.post(
        reverse("admin:reporting_population_add"),
        {"year": year, "children_0_17": "61000", "source": "ONS mid-2024"},
    )
    body = response.content.decode()
    assert response.status_code == 200  # the admin shows its form again
    assert "The year must be between 2004 and 2026" in body
    assert f'value="{year}"' in body
    assert not Population.objects.exists()


def test_the_population_admin_accepts_a_year_in_the_span(admin_client):
    response = admin_client.post(
        reverse("admin:reporting_population_add"),
        {"year": "2024", "children_0_17": "61000", "source": "ONS mid-2024"},
    )
    assert response.status_code == 302
    assert Population.objects.get().year == 2024


@pytest.mark.parametrize(
    ("model", "data", "field", "words"),
    [
        (
            "benchmark",
            {"figure_id": "ZZZ-99", "scope": "england", "year": "2023", "value": "5"},
            "figure_id",
            "ZZZ-99 is not a figure the service computes",
        ),
        (
            "benchmark",
            {"figure_id": "REV-03", "scope": "england", "year": "2023", "value": "250"},
            "value",
            "The value for REV-03 is a percentage",
        ),
        (
            "target",
            {"figure_id": "REV-03", "value": "-1", "amber_margin": "5"},
            "value",
            "The target for REV-03 is a percentage",
        ),
    ],
)
def test_the_reference_admin_forms_refuse(model, data, field, words, admin_client):
    response = admin_client.post(
        reverse(f"admin:reporting_{model}_add"), {"source": "DfE", "note": "", **data}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert words in body
    assert Benchmark.objects.count() == 0
    assert Target.objects.count() == 0


def _admin_change(admin_client, url, **typed):
    """Post an admin change form as rendered, with `typed` over it."""
    form = admin_client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        data[name] = value.pk if hasattr(value, "pk") else value
    data.update(typed)
    return admin_client.post(url, data)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("timeliness_target_percent", "250", "The timeliness target must be 100 or less"),
        ("allocation_target_hours", "0", "The allocation target must be 1 or more"),
        ("caseload_guidance_max", "9999", "The upper end of the caseload guidance must be 200"),
        ("population_0_17", "2000000000", "The population aged 0-17 must be 2,000,000 or less"),
    ],
)
def test_the_service_settings_admin_refuses(field, value, words, admin_client):
    from iro.models import ServiceSettings

    settings_row = ServiceSettings.load()
    before = {f.name: getattr(settings_row, f.name) for f in ServiceSettings._meta.fields}
    url = reverse("admin:iro_servicesettings_change", args=[settings_row.pk])
    response = _admin_change(admin_client, url, **{field: value})
    body = response.content.decode()
    assert response.status_code == 200
    assert words in body
    assert f'value="{value}"' in body
    settings_row.refresh_from_db()
    assert {f.name: getattr(settings_row, f.name) for f in ServiceSettings._meta.fields} == before


@pytest.mark.parametrize(("value", "words"), [("0", "1 or more"), ("9999", "60 or less")])
def test_the_stage_ladder_admin_refuses_response_days_out_of_range(value, words, admin_client):
    from escalations.models import StageDefinition

    stage = StageDefinition.objects.order_by("order").first()
    assert stage is not None  # the ladder is seeded by migration
    days = stage.response_working_days
    url = reverse("admin:escalations_stagedefinition_change", args=[stage.pk])
    response = _admin_change(admin_client, url, response_working_days=value)
    assert response.status_code == 200
    assert f"The working days to respond must be {words}" in response.content.decode()
    stage.refresh_from_db()
    assert stage.response_working_days == days
