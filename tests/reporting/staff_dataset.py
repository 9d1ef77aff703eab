"""A small crafted IRO team and caseload for the figures of areas 6 and 7, with the numbers
worked by hand for 2024/25 in the tests that use it.

IROs (employment records):
- ann: permanent 1.0 FTE from 2018-01-01, 0.6 FTE from 2024-01-01 (the 0.6 FTE IRO); F WBRI.
- ben: agency 1.0 FTE from 2024-06-01 (joined in the year); M BAFR.
- cat: permanent 1.0 FTE 2015-01-01 to 2024-10-31, retired (left in the year; inactive).
- dan: no employment records; counts at his current 0.8 FTE.

Children (all looked after from the date given, still in care on 31 March 2025):
- c1, c2, c3 from 2024-01-01 with ann; c1 and c2 are siblings.
- c4, c5 from 2024-01-01 with dan; c4 is a sibling of c6, c5 of c9.
- c6 from 2024-06-02: notified 10:00 that day, ben allocated exactly 72 hours later; his CP
  chair (ben) stops on the day care starts.
- c7 from 2024-06-02: notified two days late (2024-06-04 10:00), ben allocated 73 hours later;
  his CP chair was dan, until 2024-05-20.
- c8 from 2023-01-01 with cat; when cat leaves, ann takes over on 2024-11-01.
- c9 from 2025-03-30, notified 12:00 that day, still waiting for an IRO on 31 March.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from iro.models import Allocation, AllocationRequest, StaffRecord
from iro.roles import Role
from tests.iro.factories import ChildFactory, SiblingGroupFactory, make_user
from tests.reporting.care_dataset import episode

LONDON = ZoneInfo("Europe/London")


def at(y, m, d, h=10, minute=0):
    return datetime(y, m, d, h, minute, tzinfo=LONDON)


def build() -> dict:
    ann = make_user(Role.IRO, username="ann", fte=Decimal("0.60"), sex="F", ethnicity="WBRI")
    ben = make_user(Role.IRO, username="ben", sex="M", ethnicity="BAFR")
    cat = make_user(Role.IRO, username="cat", is_active=False, sex="F", ethnicity="WBRI")
    dan = make_user(Role.IRO, username="dan", fte=Decimal("0.80"))
    StaffRecord.objects.create(user=ann, valid_from=date(2018, 1, 1), valid_to=date(2023, 12, 31),
                               fte=Decimal("1.00"), contract="permanent")  # fmt: skip
    StaffRecord.objects.create(user=ann, valid_from=date(2024, 1, 1), fte=Decimal("0.60"),
                               contract="permanent")  # fmt: skip
    StaffRecord.objects.create(user=ben, valid_from=date(2024, 6, 1), fte=Decimal("1.00"),
                               contract="agency")  # fmt: skip
    StaffRecord.objects.create(user=cat, valid_from=date(2015, 1, 1), valid_to=date(2024, 10, 31),
                               fte=Decimal("1.00"), contract="permanent",
                               left_reason="Retired")  # fmt: skip
    s1, s2, s3 = SiblingGroupFactory(), SiblingGroupFactory(), SiblingGroupFactory()
    groups = {"c1": s1, "c2": s1, "c4": s2, "c6": s2, "c5": s3, "c9": s3}
    c = {}
    for name in [f"c{n}" for n in range(1, 10)]:
        c[name] = ChildFactory(sibling_group=groups.get(name))
    starts = {"c6": date(2024, 6, 2), "c7": date(2024, 6, 2), "c8": date(2023, 1, 1),
              "c9": date(2025, 3, 30)}  # fmt: skip
    for name, child in c.items():
        episode(child, starts.get(name, date(2024, 1, 1)))

    def allocate(child, iro, start, end=None, role="cla", notified=None, fulfilled=None):
        allocation = Allocation.objects.create(
            child=child, iro=iro, role=role, start=start, end=end
        )
        if notified:
            AllocationRequest.objects.create(
                child=child, role=role, notified_at=notified, allocation=allocation,
                fulfilled_at=fulfilled,
            )  # fmt: skip
        return allocation

    for name in ["c1", "c2", "c3"]:
        allocate(c[name], ann, date(2024, 1, 2), notified=at(2024, 1, 1), fulfilled=at(2024, 1, 2))
    for name in ["c4", "c5"]:
        allocate(c[name], dan, date(2024, 1, 2), notified=at(2024, 1, 1), fulfilled=at(2024, 1, 2))
    allocate(c["c6"], ben, date(2024, 1, 1), date(2024, 6, 2), role="cp")
    allocate(c["c6"], ben, date(2024, 6, 5), notified=at(2024, 6, 2), fulfilled=at(2024, 6, 5))
    allocate(c["c7"], dan, date(2023, 11, 1), date(2024, 5, 20), role="cp")
    allocate(c["c7"], ben, date(2024, 6, 7), notified=at(2024, 6, 4),
             fulfilled=at(2024, 6, 7, 11))  # fmt: skip
    allocate(c["c8"], cat, date(2023, 1, 2), date(2024, 11, 1))
    allocate(c["c8"], ann, date(2024, 11, 1))
    AllocationRequest.objects.create(child=c["c9"], role="cla", notified_at=at(2025, 3, 30, 12))
    return {"ann": ann, "ben": ben, "cat": cat, "dan": dan, **c}
