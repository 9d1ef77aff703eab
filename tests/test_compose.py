"""docker-compose.yml's shape, checked without Docker: the services a production host runs, safe
to `--scale`, behind one proxy that names the web service, with PgBouncer in front of PostgreSQL."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SCALED = ("web", "worker")


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _env(service: dict) -> dict:
    return service.get("environment", {})


def test_the_services_a_host_runs():
    services = _compose()["services"]
    assert set(services) == {
        "proxy",
        "migrate",
        "web",
        "worker",
        "beat",
        "pgbouncer",
        "postgres",
        "redis",
    }
    # gunicorn reads its settings (workers, threads, backlog, bind) from config/gunicorn.conf.py.
    assert (
        "gunicorn --config config/gunicorn.conf.py config.wsgi:application"
        in (services["web"]["command"])
    )
    assert services["worker"]["command"].startswith("celery -A config.celery_app worker")
    assert services["beat"]["command"].startswith("celery -A config.celery_app beat")


def test_scaled_services_have_no_fixed_name_or_host_port():
    services = _compose()["services"]
    for name, service in services.items():
        assert "container_name" not in service, name
    for name in SCALED:
        assert "ports" not in services[name], f"{name} publishes a host port: --scale would clash"
    # Only the proxy publishes ports on the host.
    assert [name for name, s in services.items() if s.get("ports")] == ["proxy"]
    # Beat runs once: two would send every scheduled task twice.
    assert services["beat"]["deploy"]["replicas"] == 1


def test_migrations_run_once_before_the_scaled_services():
    services = _compose()["services"]
    assert "migrate" in services["migrate"]["command"]
    for name in ("web", "worker", "beat"):
        assert "migrate" not in services[name]["command"], name
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_the_service_reaches_postgres_through_pgbouncer_in_transaction_mode():
    services = _compose()["services"]
    for name in ("migrate", "web", "worker", "beat"):
        env = _env(services[name])
        assert re.search(r"@pgbouncer:5432/iro$", env["DATABASE_URL"]), name
        assert env["DB_BEHIND_PGBOUNCER"] == "true", name
    bouncer = _env(services["pgbouncer"])
    assert bouncer["POOL_MODE"] == "transaction"
    assert bouncer["DB_HOST"] == "postgres"
    # jit=off cannot pass through the transaction pool as a startup option: the server sets it.
    assert "jit=off" in services["postgres"]["command"]


def test_the_proxy_config_names_the_web_service_on_gunicorns_port():
    services = _compose()["services"]
    mounts = [v.split(":") for v in services["proxy"]["volumes"]]
    caddyfile = next(src for src, dst, *_ in mounts if dst == "/etc/caddy/Caddyfile")
    text = (ROOT / caddyfile).read_text()
    conf = (ROOT / "config" / "gunicorn.conf.py").read_text()
    port = re.search(r'"GUNICORN_BIND", "0\.0\.0\.0:(\d+)"', conf).group(1)
    assert "GUNICORN_BIND" not in str(services["web"].get("environment", ""))
    assert re.search(rf"^\s*dynamic a web {port}\b", text, re.M), text
    assert services["web"]["expose"] == [port]


_PROBE = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({a: d.get('DISABLE_SERVER_SIDE_CURSORS', False) "
    "for a, d in settings.DATABASES.items()}))"
)


def _cursors(**env) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_behind_pgbouncer_django_uses_no_server_side_cursors():
    assert set(_cursors(DB_BEHIND_PGBOUNCER="true").values()) == {True}
    assert set(_cursors(DB_BEHIND_PGBOUNCER="false").values()) == {False}
