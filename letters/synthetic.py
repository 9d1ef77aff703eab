"""Synthetic data: the "my IRO" letter of every CLA allocation the generator wrote.

The generator writes allocations in bulk, not through allocation_allocate, so the letters that
the allocation_made hook would have made are added here in one statement, each naming the
child's CLA IRO before it (the allocation that started before it). Allocations that already
have a letter keep it.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from iro.models import Allocation, AllocationRole
from letters.models import MyIroLetter


def generate(ctx) -> None:
    letters = MyIroLetter._meta.db_table
    allocations = Allocation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {letters} (child_id, allocation_id, iro_id, previous_iro_id, from_date,
                                   created_at)
            SELECT child_id, id, iro_id,
                   LAG(iro_id) OVER (PARTITION BY child_id ORDER BY start, id), start, %s
            FROM {allocations}
            WHERE role = %s
            ON CONFLICT (allocation_id) DO NOTHING
            """,
            [timezone.now(), AllocationRole.CLA.value],
        )
        made = cursor.rowcount
    ctx.log(f'letters: {made:,} "my IRO" letters')
