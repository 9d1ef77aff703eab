"""The SSD round trip at `small`: the generated service exported as an SSD extract, the case
records emptied, the extract imported; every figure the extract can carry is identical. A second
import of the same extract changes nothing and writes no history."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from iro.models import Allocation, CareEpisode, Child
from reporting.figures import Period, compute_many
from reporting.figures.base import REGISTRY
from reviews.models import Review
from ssd.exporter import export_extract
from ssd.models import SourceRecord, SyncRun
from ssd.sync import run_sync
from tests.reporting.returns.test_generated_returns import empty_case_records

TODAY = date(2026, 6, 30)
YEAR = 2025
ROLES = {"IRO": "cla", "CPCHAIR": "cp"}

# Figures whose inputs the extract carries: identical after the round trip.
CARRIED = [
    *("CLA-01", "CLA-02", "CLA-04", "CLA-05", "CLA-06", "CLA-07", "CLA-08", "CLA-09"),
    *("CLA-10", "CLA-11", "CLA-12", "CLA-13", "CLA-14", "CLA-15"),
    *("LVC-01", "LVC-02", "LVC-03", "LVC-04", "LVC-05", "LVC-06", "LVC-07"),
    *("PLC-01", "PLC-02", "PLC-04", "PLC-05", "PLC-06", "PLC-08", "PLC-09"),
    *("SC-01", "SC-02", "SC-03", "SC-05", "SC-06", "SC-07", "SC-14"),
    *("REV-01", "REV-02", "REV-03", "REV-04", "REV-05", "REV-06"),
    *("IRO-01", "IRO-02", "IRO-03", "IRO-04", "IRO-05"),
]


def all_figures(year: int) -> dict:
    ids = sorted(REGISTRY)
    return {fid: e["result"].as_dict() for fid, e in compute_many(ids, Period.year(year)).items()}


def history_rows() -> int:
    return sum(m.history.model.objects.count() for m in (Child, CareEpisode, Allocation, Review))


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_small_exported_as_ssd_and_imported_gives_the_same_figures(tmp_path):
    call_command("generate_data", scale="small", seed=11, today=TODAY, stdout=StringIO())
    before = all_figures(YEAR)
    counts = export_extract(tmp_path / "ssd")
    assert counts["ssd_person"] == Child.objects.count()
    empty_case_records()
    assert not Child.objects.exists()

    dry = run_sync(tmp_path / "ssd", dry_run=True, roles=ROLES)
    assert dry.status == "done", dry.rejected[:10]
    assert not Child.objects.exists()  # a dry run writes nothing
    assert dry.counts["ssd_person"]["add"] == counts["ssd_person"]

    run = run_sync(tmp_path / "ssd", roles=ROLES)
    assert run.status == "done", run.rejected[:10]
    assert run.counts == dry.counts
    after = all_figures(YEAR)
    changed = {f: (before[f], after[f]) for f in CARRIED if before[f] != after[f]}
    assert sorted(changed) == [], changed

    # Nothing new: nothing changes, no history is written.
    links, history = SourceRecord.objects.count(), history_rows()
    again = run_sync(tmp_path / "ssd", roles=ROLES)
    assert again.status == "done"
    assert all(
        set(c) <= {"unchanged", "other role", "left to the service", "not care"}
        for c in again.counts.values()
    ), again.counts
    assert SourceRecord.objects.count() == links and history_rows() == history
    assert SyncRun.objects.count() == 3
