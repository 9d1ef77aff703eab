"""A small crafted set of care histories for the figures of areas 1-3, with the numbers worked
by hand for 2024/25 (1 April 2024 to 31 March 2025) in the tests that use it.

Children (age on 31 March 2025):
- A  F WBRI North, 9: in care since 2021-01-10 (C2, U6, 5 miles, in area); moved 2024-06-01
     (RNE P) to U4, 25 miles, out of area, her preferred placement. Crosses 31 March.
- B  M MWBC North, under 1: starts 2024-11-05 (C1, N1, U6), distance not known.
- C  M BAFR UASC, 16: starts 2024-05-01 on his 16th birthday (V2, N8, K3) and leaves
     2025-01-15 (E5): starts and leaves in the year.
- D  F APKN, 13: a short break only (V3, 2024-04-10 to 2024-04-12): never counted.
- E  M WBRI South, 15: in care since 2019-09-01 (C2, N2, U4, 3 miles, in area), same carer.
- F  F WBRI, 8: started 2024-03-01 (C1, N4, U6); legal status only 2024-05-01 (RNE L, C2);
     new carer 2024-08-01 (RNE P, U3, 12 miles, out of area); same carer new placement
     2024-12-01 (RNE T, U1).
- G  F WBRI, adopted 2024-09-30 (E11) aged 3: care from 2022-01-01 (C1), C2 2022-09-01,
     placement order (E1) 2023-05-01, placed for adoption with her foster carers (A5, RNE T)
     2023-11-01.
- H  M WBRI, leaves on 31 March 2025 itself with a special guardianship order (E45) aged 11.
- I  F WBRI, left on 31 March 2024 (E4A): last year's leaver.
- J  F WBRI, leaves on 1 April 2024 (E13) aged 11 (her 12th birthday is the next day).
- K  M AOTH UASC (status ceases 2025-04-10, after 31 March), 17: V2, N8, K3 since 2023-02-01.
- L  M WBRI, 16: remanded (J1, N6, R5, 40 miles, out of area) from 2025-03-20.
"""

from datetime import date
from decimal import Decimal

from iro.models import CareEpisode
from reporting.models import Population
from tests.iro.factories import AreaFactory, ChildFactory, SiblingGroupFactory


def episode(child, start, end=None, reason="", **fields):
    defaults = {
        "reason_new_episode": "S",
        "legal_status": "C2",
        "category_of_need": "N1",
        "placement_type": "U6",
        "placement_provider": "PR1",
    }
    defaults.update(fields)
    return CareEpisode.objects.create(
        child=child, start=start, end=end, reason_ceased=reason, **defaults
    )


def build() -> dict:
    north = AreaFactory(name="North")
    south = AreaFactory(name="South")
    family = SiblingGroupFactory()
    Population.objects.create(year=2025, children_0_17=10_000)
    Population.objects.create(year=2025, area=north, children_0_17=4_000)
    Population.objects.create(year=2025, area=south, children_0_17=2_500)
    c = {}
    c["A"] = ChildFactory(
        date_of_birth=date(2015, 6, 15), sex="F", area=north, sibling_group=family
    )
    episode(c["A"], date(2021, 1, 10), date(2024, 6, 1), "X1", distance_miles=Decimal("5.0"),
            placement_location="IN")  # fmt: skip
    episode(c["A"], date(2024, 6, 1), reason_new_episode="P", placement_type="U4",
            distance_miles=Decimal("25.0"), placement_location="OUT",
            preferred_placement=True)  # fmt: skip
    c["B"] = ChildFactory(date_of_birth=date(2024, 10, 1), sex="M", ethnicity="MWBC", area=north)
    episode(c["B"], date(2024, 11, 5), legal_status="C1")
    c["C"] = ChildFactory(date_of_birth=date(2008, 5, 1), sex="M", ethnicity="BAFR", uasc=True)
    episode(c["C"], date(2024, 5, 1), date(2025, 1, 15), "E5", legal_status="V2",
            category_of_need="N8", placement_type="K3", placement_provider="PR4")  # fmt: skip
    c["D"] = ChildFactory(date_of_birth=date(2012, 3, 31), sex="F", ethnicity="APKN")
    episode(c["D"], date(2024, 4, 10), date(2024, 4, 12), "E8", legal_status="V3")
    c["E"] = ChildFactory(date_of_birth=date(2010, 1, 1), sex="M", area=south, sibling_group=family)
    episode(c["E"], date(2019, 9, 1), category_of_need="N2", placement_type="U4",
            distance_miles=Decimal("3.0"), placement_location="IN")  # fmt: skip
    c["F"] = ChildFactory(date_of_birth=date(2017, 2, 1), sex="F")
    episode(c["F"], date(2024, 3, 1), date(2024, 5, 1), "X1", legal_status="C1",
            category_of_need="N4")  # fmt: skip
    episode(c["F"], date(2024, 5, 1), date(2024, 8, 1), "X1", reason_new_episode="L",
            category_of_need="N4")  # fmt: skip
    episode(c["F"], date(2024, 8, 1), date(2024, 12, 1), "X1", reason_new_episode="P",
            category_of_need="N4", placement_type="U3", distance_miles=Decimal("12.0"),
            placement_location="OUT")  # fmt: skip
    episode(c["F"], date(2024, 12, 1), reason_new_episode="T", category_of_need="N4",
            placement_type="U1", distance_miles=Decimal("12.0"),
            placement_location="OUT")  # fmt: skip
    c["G"] = ChildFactory(date_of_birth=date(2021, 5, 1), sex="F")
    episode(c["G"], date(2022, 1, 1), date(2022, 9, 1), "X1", legal_status="C1")
    episode(c["G"], date(2022, 9, 1), date(2023, 5, 1), "X1", reason_new_episode="L")
    episode(c["G"], date(2023, 5, 1), date(2023, 11, 1), "X1", reason_new_episode="L",
            legal_status="E1")  # fmt: skip
    episode(c["G"], date(2023, 11, 1), date(2024, 9, 30), "E11", reason_new_episode="T",
            legal_status="E1", placement_type="A5")  # fmt: skip
    c["H"] = ChildFactory(date_of_birth=date(2014, 3, 31), sex="M")
    episode(c["H"], date(2023, 6, 1), date(2025, 3, 31), "E45", placement_type="U3")
    c["I"] = ChildFactory(date_of_birth=date(2012, 1, 1), sex="F")
    episode(c["I"], date(2023, 4, 1), date(2024, 3, 31), "E4A", legal_status="V2")
    c["J"] = ChildFactory(date_of_birth=date(2012, 4, 2), sex="F")
    episode(c["J"], date(2023, 10, 1), date(2024, 4, 1), "E13", legal_status="V2",
            category_of_need="N5")  # fmt: skip
    c["K"] = ChildFactory(date_of_birth=date(2007, 6, 1), sex="M", ethnicity="AOTH", uasc=True,
                          uasc_ceased=date(2025, 4, 10))  # fmt: skip
    episode(c["K"], date(2023, 2, 1), legal_status="V2", category_of_need="N8",
            placement_type="K3", placement_provider="PR4")  # fmt: skip
    c["L"] = ChildFactory(date_of_birth=date(2008, 9, 1), sex="M")
    episode(c["L"], date(2025, 3, 20), legal_status="J1", category_of_need="N6",
            placement_type="R5", placement_provider="PR3", distance_miles=Decimal("40.0"),
            placement_location="OUT")  # fmt: skip
    return c
