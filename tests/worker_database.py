"""The test database as a DATABASE_URL, for a Celery worker the test starts in a subprocess.

The server is reached as the test process reaches it: over TCP (HOST and PORT), or over the
embedded server's Unix socket, whose directory dj-database-url keeps in OPTIONS["host"] (the
URL form pgserver itself gives: ``postgresql://user:@/name?host=/socket/dir``).
"""

from urllib.parse import quote

from django.db import connection


def worker_database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    socket_dir = (db.get("OPTIONS") or {}).get("host") or ""
    host = db.get("HOST") or ""
    if host.startswith("/"):
        socket_dir, host = host, ""
    url = f"postgresql://{auth}@{quote(host, safe='')}"
    if db.get("PORT"):
        url += f":{db['PORT']}"
    url += f"/{db['NAME']}"
    if socket_dir:
        url += f"?host={quote(socket_dir, safe='/')}"
    return url
