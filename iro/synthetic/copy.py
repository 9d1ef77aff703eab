"""Bulk loading for the synthetic data: PostgreSQL COPY instead of INSERT statements.

``bulk_copy(Model, objs)`` saves unsaved model instances as ``Model.objects.bulk_create(objs)``
would (primary keys taken from the table's sequence in order and set on the instances,
``auto_now``/``auto_now_add`` fields stamped), but streams the rows with COPY: no INSERT
statement is compiled or parsed, which at national scale was most of the generation time.
Values go to psycopg as they are held on the instance (dates, strings, choices, lists for array
fields); JSON fields are wrapped for psycopg. Model ``save()`` and signals are not called, as
with bulk_create.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone
from psycopg.types.json import Jsonb


def bulk_copy(model: type[models.Model], objs: Sequence[models.Model]) -> Sequence[models.Model]:
    if not objs:
        return objs
    opts = model._meta
    pk = opts.pk
    fields = [f for f in opts.concrete_fields if f is not pk]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    now = timezone.now()
    for obj in objs:
        for field in stamped:
            setattr(obj, field.attname, now)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, pk.column, len(objs)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        for obj, pk_value in zip(objs, ids, strict=True):
            setattr(obj, pk.attname, pk_value)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in [pk, *fields])  # type: ignore[arg-type]
        attnames = [pk.attname, *(f.attname for f in fields)]
        json = {i for i, f in enumerate([pk, *fields]) if isinstance(f, models.JSONField)}
        with cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN"
        ) as copy:
            for obj in objs:
                row = [getattr(obj, name) for name in attnames]
                for i in json:
                    if row[i] is not None:
                        row[i] = Jsonb(row[i])
                copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
