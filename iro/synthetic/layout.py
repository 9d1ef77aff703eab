"""Generated rows stored in the order a live service would have written them.

A live service adds reviews, conferences and care episodes as the work happens, so one year's
rows lie together on disk and a reporting year's queries read that part of the table. The
generators write them child by child instead, which scatters every year across the whole table:
at `national` scale a query over one year's reviews read 56,000 of the table's 69,000 pages.
`store_in_date_order` rewrites a table in the order of its date index (CLUSTER) once its rows
are in. The planner's statistics are refreshed by `generate_data`, after each generator.
"""

from django.db import connection

INDEX_ON_COLUMN_SQL = """
SELECT i.relname
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
WHERE x.indrelid = %s::regclass AND a.attname = %s AND x.indpred IS NULL
ORDER BY x.indnatts, i.relname
LIMIT 1
"""


def store_in_date_order(table: str, column: str) -> None:
    """CLUSTER `table` on an index that starts with `column` (the narrowest)."""
    with connection.cursor() as cursor:
        cursor.execute(INDEX_ON_COLUMN_SQL, [table, column])
        row = cursor.fetchone()
        if row is None:
            raise LookupError(f"{table} has no index starting with {column}")
        quote = connection.ops.quote_name
        # Inside a transaction (a test's), deferred foreign-key checks still pending on the table
        # would make CLUSTER refuse: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"CLUSTER {quote(table)} USING {quote(row[0])}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's foreign keys' mode
