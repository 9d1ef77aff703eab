"""The core generator: staff, areas, children, episode histories, allocations.

Its parts are by subject: ``staff`` (the staff and their spells in post), ``children`` (the
families and their care histories) and ``allocation`` (each child's IROs, and the children
waiting for one); this module runs them in order.
"""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction

from iro.models import Area, Postcode
from iro.synthetic.allocation import AllocationGenerator
from iro.synthetic.children import ChildrenGenerator
from iro.synthetic.layout import store_in_date_order
from iro.synthetic.mixes import AREA_NAMES, SCALES
from iro.synthetic.postcodes import DEMO_LA_CODE, FAR, IN_AREA, LA_CODES, NEARBY
from iro.synthetic.staff import StaffGenerator


class Generator(StaffGenerator, ChildrenGenerator, AllocationGenerator):
    def __init__(self, *, scale: str, seed: int, today: date, log):
        self.scale = scale
        self.params = SCALES[scale]
        self.rng = random.Random(seed)
        self.today = today
        self.log = log

    def postcodes(self) -> None:
        """The grid references of the postcodes the histories use (a stand-in for the directory)."""
        Postcode.objects.bulk_create(
            [
                Postcode(postcode=code, easting=e, northing=n, la_code=DEMO_LA_CODE)
                for code, e, n in IN_AREA
            ]
            + [
                Postcode(postcode=code, easting=e, northing=n, la_code=LA_CODES.get(code, ""))
                for code, e, n in NEARBY + FAR
            ],
            ignore_conflicts=True,
        )

    @transaction.atomic
    def run(self) -> dict:
        self.log(f"Core data at scale {self.scale} (as at {self.today})")
        staff = self.staff()
        self.postcodes()
        areas = [Area.objects.get_or_create(name=n)[0] for n in AREA_NAMES[: self.params["areas"]]]
        total = 0
        for batch in self.simulate(areas):
            self.validate(batch)
            rows = self.save(batch, areas)
            self.allocations(staff, batch, rows)
            total += len(rows)
            self.log(f"  {total:,} children so far")
        self.hold_back_waiting()
        store_in_date_order("iro_careepisode", "start")
        return {"staff": staff, "children": total}
