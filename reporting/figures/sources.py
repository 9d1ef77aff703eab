"""The other apps' tables as the figures' hand-written SQL reads them: through their models.

A few base sets are one hand-written statement each (``reporting.figures.snapshot``, the month-end
counts of ``reporting.figures.staffing``): window functions, FILTER and UNION ALL of many small
GROUP BYs that the ORM would spread over many queries. They do not name another app's table or
column. Each reads ``rows_of(Model, alias, fields)``: the model's rows as the ORM writes the query
(``SELECT "table"."column", ... FROM "table"``), in parentheses, with the fields' names as the
column names the statement uses. A field renamed or removed in the model fails when the statement
is built (a FieldError, in every test that computes a figure), and a column renamed in the
database (``db_column``) is followed, rather than failing when a report runs in production.
PostgreSQL pulls such a subquery up into the statement, so the plan is that of the table itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models


def rows_of(model: type[models.Model], alias: str, fields: Sequence[str]) -> str:
    """``(SELECT ... FROM table) AS alias (field, ...)``: every row of `model` (its base manager,
    as a table reads: no manager's filter), the columns of `fields` (field names, or a foreign
    key's ``_id``) named as the fields."""
    query = model._base_manager.order_by().values_list(*fields).query
    sql, params = query.sql_with_params()
    if params or "%" in sql:  # the statements around it take named parameters
        raise ValueError(f"rows_of({model.__name__}) must be a plain column list: {sql}")
    names = ", ".join(connection.ops.quote_name(name) for name in fields)
    return f"({sql}) AS {alias} ({names})"
