"""Synthetic child protection activity for `manage.py generate_data`.

Volumes and shapes from the seed reports (Middlesbrough IRO annual report 2023/24, section 11):
about 90% of ICPCs lead to a plan (the rest a CIN plan, a few no further action); most plans last
6 to 12 months, about one open plan in six has run 15 months or more and about one in twenty 2
years or more; ICPCs in timescale 80-90%; about a fifth of new plans are second or subsequent
plans. Plans end at a review conference (no longer at risk) or between reviews when the child
becomes looked after or moves away. Open plans at `today` match the scale's `cp_plans` roughly.

Most children on plans are created here (LA child id prefix "P", so they never clash with the
core's "C" ids); some existing children (in care) get plans too, making them dual. Every row is
bulk inserted; meetings are booked through the context's shared diary, so a chair's conferences
never overlap each other or the chair's CLA reviews.
"""

from iro.synthetic.layout import store_in_date_order
from protection.models import ProtectionPlan
from protection.synthetic.builder import CpGenerator


def generate(ctx) -> None:
    """Registered in registry.synthetic_data: CP activity at the scale's volumes."""
    generator = CpGenerator(ctx)
    generator.build()
    generator.save()
    store_in_date_order("protection_conference", "held_on")
    store_in_date_order("protection_coregroupmeeting", "held_on")
    open_now = ProtectionPlan.objects.filter(end__isnull=True).count()
    ctx.log(
        f"protection: {len(generator.rows.plans)} plans ({open_now} open), "
        f"{len(generator.rows.conferences)} conferences, {len(generator.new_children)} children added"
    )
