"""Production settings pool database connections per worker and cache compiled templates."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
from django.template import engines
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
first = id(connection.connection)
connection.close()  # with a pool: the connection goes back to the pool, not closed
pool = connection.pool
print(json.dumps({
    "pool": settings.DATABASES["default"]["OPTIONS"].get("pool"),
    "progress_pool": settings.DATABASES["progress"]["OPTIONS"].get("pool"),
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "pool_open": bool(pool) and not pool.closed,
    "pool_size": pool.get_stats()["pool_size"] if pool else 0,
    "loaders": [type(l).__module__ + "." + type(l).__name__
                for l in engines["django"].engine.template_loaders],
}))
"""


def _probe(**env) -> dict:
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "a-long-random-production-secret-key-for-the-probe-0987654321",
            "ALLOWED_HOSTS": "iro.example.gov.uk",
            **env,
        },
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_pools_connections_and_caches_templates():
    found = _probe()
    assert found["pool"] == {"min_size": 1, "max_size": 4, "timeout": 10}
    assert found["progress_pool"] == found["pool"]
    assert found["conn_max_age"] == 0
    # The request's connection went back to an open pool that keeps it for the next request.
    assert found["pool_open"] is True
    assert found["pool_size"] >= 1
    assert found["loaders"] == ["django.template.loaders.cached.Loader"]


def test_pool_size_comes_from_the_environment_and_the_pool_can_be_turned_off():
    assert _probe(DB_POOL_MAX_SIZE="5")["pool"]["max_size"] == 5
    off = _probe(DB_POOL="off")
    assert off["pool"] is None and off["conn_max_age"] == 60 and off["pool_open"] is False
