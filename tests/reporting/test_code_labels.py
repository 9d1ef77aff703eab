"""Every code a person reads is its label from one code list (iro.codes): breakdown rows of the
annual report (page, XLSX, .docx, snapshot) and the report JSON. DR-04 and ALC-04 had read
"1 Male", "2 Female": their keys (a ladder stage, a number of changes) were looked up in every
code list at once."""

import html
import re

import pytest
from django.urls import reverse

from iro import codes
from iro.codes import code_label, code_values
from reporting.annual_data import build_entries, report_json
from reporting.figures import REGISTRY, Period, breakdown_labels, get_figure
from reporting.presentation import Presenter

pytestmark = pytest.mark.django_db
YEAR = Period.year(2024)


def test_code_label_reads_the_meaning_without_the_code():
    assert code_label(codes.LegalStatus, "C2") == "Full care order"
    assert code_label(codes.ParticipationCode, "PN1") == "Attended and spoke for themselves"
    assert code_label(codes.Sex, "M") == "Male"
    assert code_label(codes.Sex, "1") == "Male"  # the retired code: no "(code 1 ...)" note
    assert code_label(codes.Ethnicity, "WBRI") == "White: British"
    assert code_label(codes.ReasonCeased, "E41").startswith("Child arrangements order")
    assert code_label(codes.CategoryOfAbuse, "NEG") == "Neglect"
    assert code_label(codes.Sex, "") == "Not recorded"
    assert code_label(codes.Sex, "X") == "Unrecognised code"


def test_every_breakdown_key_that_is_a_code_has_a_label_from_one_code_list():
    """DR-04, ALC-04 and every other figure: a breakdown key that is a value of any DfE code
    list is labelled by the figure's own declared list (or dict), and the label is not the
    code. Computed on an empty database, where the code figures still list every code."""
    all_codes = code_values()
    unlabelled = []
    for fid, fig in REGISTRY.items():
        result = fig.compute(YEAR)
        keys = [str(k) for k in (result.breakdown or {})]
        labels = breakdown_labels(fig, keys)
        for key in keys:
            label = labels.get(key, key)
            if key in all_codes and (label == key or label.startswith(f"{key}:")):
                unlabelled.append((fid, key))
    assert unlabelled == []
    # The two figures of the issue, by their figure ids:
    assert breakdown_labels(get_figure("ALC-04"), ["0", "1", "2", "3 or more"]) == {
        "0": "No change of IRO",
        "1": "1 change",
        "2": "2 changes",
        "3 or more": "3 or more changes",
    }
    assert breakdown_labels(get_figure("DR-04"), ["1", "2"]) == {"1": "Stage 1", "2": "Stage 2"}
    assert breakdown_labels(get_figure("CLA-06"), ["M", "F", "U"]) == {
        "M": "Male",
        "F": "Female",
        "U": "Not known",
    }


def test_dr_04_and_alc_04_rows_read_as_stages_and_changes_not_sexes():
    entries = build_entries(["DR-04", "ALC-04", "PLC-01"], YEAR)
    presenter = Presenter({"period": {"title": "2024/25"}, "previous_period": {"title": "2023/24"}})
    entries["DR-04"]["result"]["breakdown"] = {"1": 2, "2": 1}  # as an IRP year would give
    entries["DR-04"]["labels"] = breakdown_labels(get_figure("DR-04"), ["1", "2"])
    dr04, _ = presenter.breakdown(entries["DR-04"])
    assert [r["label"] for r in dr04["rows"]] == ["Stage 1", "Stage 2"]
    alc04, _ = presenter.breakdown(entries["ALC-04"])
    assert [r["label"] for r in alc04["rows"]][:2] == ["No change of IRO", "1 change"]
    plc01, chart = presenter.breakdown(entries["PLC-01"])
    assert "Full care order" in [r["label"] for r in plc01["rows"]]
    assert "Full care order" in chart["labels"] and "C2" not in chart["labels"]
    # A snapshot stored without labels gets them from the figure's declaration.
    entries["PLC-01"].pop("labels")
    again, _ = presenter.breakdown(entries["PLC-01"])
    assert [r["label"] for r in again["rows"]] == [r["label"] for r in plc01["rows"]]


def test_the_json_keeps_codes_as_keys_and_gives_their_labels():
    data = report_json(YEAR)["figures"]
    assert "C2" in data["PLC-01"]["breakdown"]
    assert data["PLC-01"]["breakdown_labels"]["C2"] == "Full care order"
    assert data["REV-05"]["breakdown_labels"]["PN7"] == "Did not attend and views not conveyed"


def test_no_raw_code_is_printed_on_the_annual_report_page(performance_officer, login):
    body = login(performance_officer).get(reverse("reporting:annual", args=[2024])).content
    text = html.unescape(re.sub(r"<[^>]+>", " ", body.decode()))
    # Codes of two characters or more (single letters and digits are ordinary text).
    codes_shown = {
        token
        for token in re.findall(r"\b[A-Z0-9]{2,5}\b", text)
        if token in code_values() and not token.isdigit()
    }
    assert codes_shown == set()
    assert "Full care order" in text and "White: British" in text
