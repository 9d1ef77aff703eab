"""The SSDA903 import refuses bad files with a clear message and writes nothing (issue 26):
limits checked before and while reading, rows with nonsense refused by file, row and column,
encodings detected, and an identical re-import changes nothing."""

import codecs
import csv
import io
import zipfile
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from iro.models import CareEpisode, Child
from reporting.models import ImportRun, ImportStatus
from reporting.returns.importer import UploadRefused, read_upload
from reporting.returns.services import import_run_start
from reporting.returns.tasks import run_import
from reviews.models import Review
from tests.reporting.returns.test_pages import zipped
from tests.reporting.returns.test_ssda903 import HEADER, good_files

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 30)


def written() -> tuple:
    return (
        Child.objects.count(),
        Child.history.count(),
        CareEpisode.objects.count(),
        CareEpisode.history.count(),
        Review.objects.count(),
    )


def bomb(megabytes: int) -> bytes:
    """A zip of a Header file padded with repeated rows, written a megabyte at a time."""
    out = io.BytesIO()
    row = b"A1,F,01/02/2012,WBRI,UN5,0,\r\n"
    chunk = row * (1024 * 1024 // len(row))
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("2024/header.csv", "w", force_zip64=True) as member,
    ):
        member.write(HEADER.encode())
        for _ in range(megabytes):
            member.write(chunk)
    return out.getvalue()


def many_members(n: int) -> bytes:
    return zipped({str(2000 + i): {"header.csv": HEADER} for i in range(n)})


def with_rows(**extra: str) -> bytes:
    files = good_files()
    for name, rows in extra.items():
        files[f"{name}.csv"] += rows
    return zipped({"2024": files})


def truncated() -> bytes:
    data = zipped({"2024": good_files()})
    return data[: len(data) // 2]


def utf16_without_bom() -> bytes:
    files = good_files()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"2024/{name}", text.encode("utf-16-le"))
    return out.getvalue()


# (case, file name, bytes, settings to apply, words the refusal must contain, at upload?)
CASES = [
    (
        "zip bomb",
        "bomb.zip",
        lambda: bomb(3),
        {"RETURN_IMPORT_MAX_BYTES": 1024 * 1024},
        "would expand to 3 MB; at most 1 MB are read",
        True,
    ),
    (
        "too many members",
        "many.zip",
        lambda: many_members(6),
        {"RETURN_IMPORT_MAX_MEMBERS": 5},
        "the zip holds 6 files; at most 5 are read",
        True,
    ),
    (
        "too many rows",
        "rows.zip",
        lambda: with_rows(),
        {"RETURN_IMPORT_MAX_ROWS": 5},
        "more than 5 rows",
        False,
    ),
    (
        "date of birth in the future",
        "future.zip",
        lambda: with_rows(header="B1,F,01/01/2099,WBRI,UN5,0,\r\n"),
        {},
        "DOB: the date of birth 1 January 2099 is in the future",
        False,
    ),
    (
        "date of birth before 1900",
        "old.zip",
        lambda: with_rows(header="B2,F,01/01/1800,WBRI,UN5,0,\r\n"),
        {},
        "DOB: the date of birth 1 January 1800 is before 1 January 1900",
        False,
    ),
    (
        "duplicate child",
        "twice.zip",
        lambda: with_rows(header="A1,F,01/02/2012,WBRI,UN5,0,\r\n"),
        {},
        "child A1 is in the Header file twice: rows 2 and 4",
        False,
    ),
    (
        "one row repeated",
        "repeated.zip",
        lambda: with_rows(header="A1,F,01/02/2012,WBRI,UN5,0,\r\n" * 1200),
        {},
        "reading stopped after 1,000 refused rows",
        False,
    ),
    (
        "wrong encoding",
        "utf16.zip",
        utf16_without_bom,
        {},
        "save it as CSV UTF-8",
        False,
    ),
    (
        "unknown codes",
        "codes.zip",
        lambda: with_rows(header="B3,Q,01/01/2012,XXXX,UN5,0,\r\n"),
        {},
        "unknown code in SEX: 'Q'",
        False,
    ),
    (
        "truncated zip",
        "cut.zip",
        truncated,
        {},
        "the zip file is damaged or incomplete",
        True,
    ),
    (
        "not a zip",
        "picture.zip",
        lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        {},
        "the file is not a zip file",
        True,
    ),
    (
        "neither zip nor CSV",
        "notes.pdf",
        lambda: b"%PDF-1.4 not a return",
        {},
        "neither a zip of SSDA903 CSV files nor a CSV file",
        True,
    ),
]


@pytest.mark.parametrize(
    ("case", "name", "make", "limits", "message", "at_upload"), CASES, ids=[c[0] for c in CASES]
)
@time_machine.travel(TODAY, tick=False)
def test_bad_import_file_is_refused_with_a_clear_message_and_nothing_written(
    case, name, make, limits, message, at_upload, settings, performance_officer
):
    for key, value in limits.items():
        setattr(settings, key, value)
    data = make()
    before = written()
    if at_upload:  # refused on the form, before anything is stored or queued
        with pytest.raises(ValidationError) as refused:
            import_run_start(user=performance_officer, file_name=name, data=data)
        assert message.lower() in str(refused.value.message_dict["file"]).lower()
        assert not ImportRun.objects.exists()
    # The worker refuses it as well (a file queued before a limit was lowered, or sent straight).
    run = ImportRun.objects.create(created_by=performance_officer, file_name=name, upload=data)
    assert run_import(run.pk) == ImportStatus.REFUSED
    run.refresh_from_db()
    reasons = [r["reason"] for r in run.refusals]
    assert any(message in reason for reason in reasons), reasons
    assert run.counts == {}
    assert written() == before


@time_machine.travel(TODAY, tick=False)
def test_refused_rows_name_file_row_and_column_and_both_duplicate_rows():
    files = good_files()
    files["header.csv"] += "A1,F,01/02/2012,WBRI,UN5,0,\r\n" + "B1,F,31/12/2099,WBRI,UN5,0,\r\n"
    with pytest.raises(UploadRefused):
        read_upload(b"", "empty.txt")
    years = read_upload(zipped({"2024": files}), "r.zip")
    refused = {(r.file, r.line, r.field): r.reason for y in years for r in y.refusals}
    assert refused == {
        ("2024/header.csv", 4, "CHILD"): "child A1 is in the Header file twice: rows 2 and 4",
        ("2024/header.csv", 5, "DOB"): "DOB: the date of birth 31 December 2099 is in the future",
    }


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("cp1252", b"")],
)
def test_byte_order_marks_and_windows_1252_are_read(encoding, bom):
    files = good_files()
    # An extra column the import ignores, holding a character outside ASCII.
    files["header.csv"] = files["header.csv"].replace("MC_DOB\r\n", "MC_DOB,NOTE\r\n", 1)
    files["header.csv"] = files["header.csv"].replace("0,\r\n", "0,,café\r\n", 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"2024/{name}", bom + text.encode(encoding))
    years = read_upload(out.getvalue(), "enc.zip")
    assert years[0].refusals == []
    assert sorted(r.values["CHILD"] for r in years[0].tables["Header"]) == ["A1", "A2"]


@time_machine.travel(TODAY, tick=False)
def test_one_csv_file_is_imported_on_its_own(performance_officer):
    data = good_files()["header.csv"].encode("utf-8")
    run = import_run_start(user=performance_officer, file_name="header.csv", data=data)
    assert run_import(run.pk) == ImportStatus.DONE
    assert sorted(Child.objects.values_list("la_child_id", flat=True)) == ["A1", "A2"]


@time_machine.travel(TODAY, tick=False)
def test_an_identical_reimport_changes_nothing_and_says_so(performance_officer, login):
    data = zipped({"2024": good_files()})
    first = ImportRun.objects.create(created_by=performance_officer, file_name="a.zip", upload=data)
    assert run_import(first.pk) == ImportStatus.DONE
    versions = dict(Child.objects.values_list("la_child_id", "version"))
    before = written()
    updated = {m: list(m.objects.values_list("pk", "updated_at")) for m in (CareEpisode, Review)}
    again = ImportRun.objects.create(created_by=performance_officer, file_name="a.zip", upload=data)
    assert run_import(again.pk) == ImportStatus.DONE
    again.refresh_from_db()
    assert again.counts == {"unchanged": {"children": 2, "episodes": 3, "reviews": 2}}
    assert written() == before  # no new rows, no history rows
    assert dict(Child.objects.values_list("la_child_id", "version")) == versions
    for model, rows in updated.items():
        assert list(model.objects.values_list("pk", "updated_at")) == rows
    html = (
        login(performance_officer)
        .get(reverse("reporting:returns-import-run", args=[again.pk]))
        .content.decode()
    )
    assert "No changes: the service already held every row." in html
    summary = html[html.index('data-testid="import-summary"') :]
    assert '>Added</dt><dd class="govuk-summary-list__value">0<' in summary
    assert '>Unchanged</dt><dd class="govuk-summary-list__value">7<' in summary


@time_machine.travel(TODAY, tick=False)
def test_page_shows_limits_and_refused_rows_download_as_csv(performance_officer, login, settings):
    settings.RETURN_IMPORT_MAX_MEMBERS = 12
    client = login(performance_officer)
    page = client.get(reverse("reporting:returns-import")).content.decode()
    assert "At most 12 files in the zip" in page and "At most 150,000 rows in all" in page
    files = good_files()
    files["header.csv"] += "=B1,F,01/01/2099,WBRI,UN5,0,\r\n"
    run = ImportRun.objects.create(
        created_by=performance_officer, file_name="b.zip", upload=zipped({"2024": files})
    )
    assert run_import(run.pk) == ImportStatus.REFUSED
    html = client.get(reverse("reporting:returns-import-run", args=[run.pk])).content.decode()
    assert "Nothing was imported: 1 row refused" in html
    assert reverse("reporting:returns-import-refusals", args=[run.pk]) in html
    response = client.get(reverse("reporting:returns-import-refusals", args=[run.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["file", "line", "child", "column", "reason"],
        [
            "2024/header.csv",
            "4",
            "'=B1",
            "DOB",
            "DOB: the date of birth 1 January 2099 is in the future",
        ],
    ]


def test_import_command_refuses_a_file_it_cannot_read(tmp_path):
    from django.core.management import CommandError, call_command

    (tmp_path / "header.csv").write_bytes(good_files()["header.csv"].encode("utf-16-le"))
    with pytest.raises(CommandError, match="save it as CSV UTF-8.*Nothing was changed"):
        call_command("import_903", str(tmp_path))
    assert not Child.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_rows_refused_while_importing_name_their_column():
    from reporting.returns.importer import import_years

    files = good_files()
    files["reviews.csv"] += "A1,01/02/2012,01/03/2024,PN1\r\n"
    result = import_years(read_upload(zipped({"2024": files}), "r.zip"))
    assert [(r.file, r.line, r.field, r.reason) for r in result.refusals] == [
        ("2024/reviews.csv", 4, "REVIEW", "review before the child's care began")
    ]
    assert written() == (0, 0, 0, 0, 0)
