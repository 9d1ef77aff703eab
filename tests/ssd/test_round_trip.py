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

# Figures the extract cannot carry, and why: what the service alone records (the case system
# owns none of it, so emptying the case records loses it and no extract brings it back).
NOT_CARRIED = {
    "ALC-01": "when the service was told a child needs an IRO (the 72-hour target): not in the SSD",
    "ALC-05": "when the service was told a child needs an IRO: not in the SSD",
    "CLA-03": "locality (area) of the child: the service's own areas",
    "PLC-07": "the child's preferred placement: a local field",
    "REC-01": "review record milestones: recorded in the service",
    "REV-07": "why the child did not attend: recorded in the service",
    "REV-08": "venue and mode of the review: recorded in the service",
    "REV-09": "IRO's contact before the review: recorded in the service",
    "REV-12": "permanence plan at the review: recorded in the service",
    "REV-13": "permanence plan at the second review: recorded in the service",
    "REV-14": "permanence plan track and type: recorded in the service",
    "REV-15": "child's views considered in the plan: recorded in the service",
    "REV-16": "safeguarding issues raised at reviews: recorded in the service",
    "REV-17": "social worker's report before the review: recorded in the service",
    "QA-01": "IRO concerns: the service's own",
    "QA-02": "IRO concerns: the service's own",
    "QA-03": "IRO concerns: the service's own",
}
NOT_CARRIED.update(
    {f"CP-{n:02d}": "child protection: the SSD's CP tables are not read yet" for n in range(1, 30)}
)
NOT_CARRIED.update({f"DR-{n:02d}": "IRP escalations: the service's own" for n in range(1, 15)})
NOT_CARRIED.update(
    {
        f"FB-{n:02d}": "feedback from children and families: the service's own, not in the SSD"
        for n in range(1, 6)
    }
)


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
    carried = sorted(set(REGISTRY) - set(NOT_CARRIED))
    assert len(carried) >= 45  # looked-after, placement, review, staffing, allocation figures
    for fid in ("CLA-01", "REV-01", "REV-06", "PLC-06", "IRO-01", "ALC-02"):
        assert before[fid]["value"], fid  # the data exercises it
    changed = {f: (before[f], after[f]) for f in carried if before[f] != after[f]}
    assert changed == {}

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
