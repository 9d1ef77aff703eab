"""The house's rules for files from outside hold for SSD extracts: limits, encodings, row-level
refusals naming file and row, unknown codes listed, required columns, and nothing half-written."""

import io
import zipfile

import pytest

from iro.models import CareEpisode, Child
from ssd.models import SourceRecord
from ssd.reader import ExtractRefused, read_folder, read_zip
from ssd.sync import run_sync

PERSON = (
    "pers_person_id,pers_forename,pers_surname,pers_sex,pers_ethnicity,pers_dob\r\n"
    "C1,Ann,Able,F,WBRI,2015-03-01 00:00:00.000\r\n"
    "C2,Ben,Baker,M,WBRI,01/06/2012\r\n"
)
EPISODES = (
    "clae_cla_episode_id,clae_person_id,clae_cla_placement_id,clae_cla_episode_start_date,"
    "clae_cla_episode_start_reason,clae_cla_primary_need_code,clae_cla_episode_ceased_date,"
    "clae_cla_episode_ceased_reason,clae_cla_id,clae_entered_care_date\r\n"
    "10,C1,20,2024-05-01 00:00:00.000,S,N1,,,P1,2024-05-01 00:00:00.000\r\n"
)
LEGAL = (
    "lega_legal_status_id,lega_person_id,lega_legal_status,lega_legal_status_start_date,"
    "lega_legal_status_end_date\r\n"
    "30,C1,C2,2024-05-01 00:00:00.000,\r\n"
    "31,C2,SGO,2023-01-01 00:00:00.000,\r\n"
)
PLACEMENT = (
    "clap_cla_placement_id,clap_cla_placement_start_date,clap_cla_placement_type,"
    "clap_cla_placement_provider,clap_cla_placement_postcode,clap_cla_placement_end_date\r\n"
    "20,2024-05-01 00:00:00.000,U4,PR1,,\r\n"
)


def extract(tmp_path, **files):
    folder = tmp_path / "extract"
    folder.mkdir(exist_ok=True)
    base = {
        "ssd_person": PERSON,
        "ssd_cla_episodes": EPISODES,
        "ssd_legal_status": LEGAL,
        "ssd_cla_placement": PLACEMENT,
    }
    base.update(files)
    for name, text in base.items():
        if text is None:
            continue
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (folder / f"{name}.csv").write_bytes(data)
    return folder


@pytest.mark.django_db
def test_a_good_extract_is_read_with_both_date_forms_and_non_care_status_listed(tmp_path):
    run = run_sync(extract(tmp_path))
    assert run.status == "done", run.rejected
    assert dict(Child.objects.values_list("la_child_id", "date_of_birth__year")) == {
        "C1": 2015,
        "C2": 2012,
    }
    assert CareEpisode.objects.get().legal_status == "C2"
    assert run.counts["ssd_person"] == {"add": 2}
    # SGO is no SSDA903 legal status: listed as unmapped, never looked after.
    assert [(u["column"], u["code"]) for u in run.unmapped] == [("lega_legal_status", "SGO")]
    assert not CareEpisode.objects.filter(child__la_child_id="C2").exists()


@pytest.mark.django_db
def test_an_unknown_code_refuses_the_row_by_file_and_line_and_nothing_is_written(tmp_path):
    bad = PERSON + "C3,Cat,Cole,Q,WBRI,2016-01-01 00:00:00.000\r\n"
    run = run_sync(extract(tmp_path, ssd_person=bad))
    assert run.status == "refused"
    assert run.rejected == [
        {
            "file": "ssd_person.csv",
            "line": 4,
            "id": "C3",
            "column": "pers_sex",
            "reason": "unknown code in pers_sex: 'Q'",
        }
    ]
    assert ("ssd_person", "Q", 1) in [(u["table"], u["code"], u["rows"]) for u in run.unmapped]
    assert not Child.objects.exists() and not SourceRecord.objects.exists()


@pytest.mark.django_db
def test_a_bad_date_and_a_missing_required_value_are_refused_by_row(tmp_path):
    bad = PERSON + "C3,Cat,Cole,F,WBRI,31/02/2016\r\nC4,Dan,Dale,,WBRI,2016-01-01\r\n"
    run = run_sync(extract(tmp_path, ssd_person=bad))
    assert run.status == "refused"
    assert [(r["line"], r["column"]) for r in run.rejected] == [(4, "pers_dob"), (5, "pers_sex")]
    assert "is not a date" in run.rejected[0]["reason"]
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_a_missing_required_column_refuses_the_file(tmp_path):
    no_sex = "pers_person_id,pers_forename,pers_dob\r\nC1,Ann,2015-03-01\r\n"
    run = run_sync(extract(tmp_path, ssd_person=no_sex))
    assert run.status == "refused"
    # The file is refused at its header; the episode of the person never read is refused too,
    # naming its own file and row.
    assert [(r["file"], r["line"]) for r in run.rejected] == [
        ("ssd_cla_episodes.csv", 2),
        ("ssd_person.csv", 1),
    ]
    assert "missing required column pers_sex" in run.rejected[1]["reason"]
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_an_episode_without_its_placement_names_the_file_and_row(tmp_path):
    run = run_sync(extract(tmp_path, ssd_cla_placement=PLACEMENT.splitlines()[0] + "\r\n"))
    assert run.status == "refused"
    assert run.rejected == [
        {
            "file": "ssd_cla_episodes.csv",
            "line": 2,
            "id": "10",
            "column": "clae_cla_placement_id",
            "reason": "placement 20 is not in ssd_cla_placement",
        }
    ]
    assert not Child.objects.exists()  # the good people are not half-written


@pytest.mark.django_db
def test_encodings_bom_windows_1252_utf16_with_a_mark_and_without(tmp_path):
    named = PERSON.replace("Ann", "Zoë")
    for data in (
        b"\xef\xbb\xbf" + named.encode("utf-8"),
        named.encode("cp1252"),
        named.encode("utf-16"),  # with a byte-order mark
    ):
        read = read_folder(extract(tmp_path, ssd_person=data))
        assert read.refusals == []
        assert read.tables["ssd_person"][0].values["pers_forename"] == "Zoë"
    with pytest.raises(ExtractRefused, match="UTF-16 without a byte-order mark"):
        read_folder(extract(tmp_path, ssd_person=named.encode("utf-16-le")))


@pytest.mark.django_db
def test_oversized_extracts_are_refused_before_reading(tmp_path, settings):
    settings.SSD_IMPORT_MAX_BYTES = 200
    run = run_sync(extract(tmp_path))
    assert run.status == "refused"
    assert "SSD_IMPORT_MAX_BYTES" in run.message or "larger than" in run.message
    settings.SSD_IMPORT_MAX_BYTES = 10_000
    settings.SSD_IMPORT_MAX_ROWS = 2
    assert "SSD_IMPORT_MAX_ROWS" in run_sync(extract(tmp_path)).message
    settings.SSD_IMPORT_MAX_ROWS = 1000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ssd_person.csv", PERSON + "x" * 20_000)
    with pytest.raises(ExtractRefused, match="would expand"):
        read_zip(buffer.getvalue())
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_a_zip_extract_is_read_like_a_folder(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("extract/ssd_person.csv", PERSON)
        archive.writestr("extract/notes.csv", "a,b\r\n")
    (tmp_path / "extract.zip").write_bytes(buffer.getvalue())
    run = run_sync(tmp_path / "extract.zip")
    assert run.status == "done" and Child.objects.count() == 2
    assert run.coverage["unknown_files"] == ["extract/notes.csv"]
    assert "ssd_cla_episodes" in run.coverage["missing_tables"]


@pytest.mark.django_db
def test_a_upn_with_a_wrong_check_letter_is_a_row_error(tmp_path):
    ids = (
        "link_table_id,link_person_id,link_identifier_type,link_identifier_value,"
        "link_valid_to_date\r\n1,C1,Unique Pupil Number,Z123456789012,\r\n"
    )
    run = run_sync(extract(tmp_path, ssd_linked_identifiers=ids))
    assert run.status == "refused"
    assert run.rejected[0]["file"] == "ssd_linked_identifiers.csv"
    assert run.rejected[0]["line"] == 2
    assert "not a valid UPN" in run.rejected[0]["reason"]
