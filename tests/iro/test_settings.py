"""Settings fail loudly on bad values; production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_url

ROOT = Path(__file__).resolve().parents[2]


def test_bad_boolean_is_refused_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG")


def test_bad_number_is_refused(monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "ten")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("SESSION_IDLE_MINUTES", 30)
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "1")
    with pytest.raises(ImproperlyConfigured, match="at least 5"):
        env_int("SESSION_IDLE_MINUTES", 30, minimum=5)


def test_database_url_must_be_postgres(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://user:secret@db/iro")
    with pytest.raises(ImproperlyConfigured, match="postgres://") as excinfo:
        env_url("DATABASE_URL", schemes=("postgres", "postgresql"))
    assert "secret" not in str(excinfo.value)


def _clean_environ() -> dict:
    # The browser tests' conftest allows Django's ORM inside Playwright's event loop; a deployed
    # process never has that, and check --deploy rightly refuses it.
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _manage(*args, **env):
    full_env = {**_clean_environ(), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="a-long-random-production-secret-key-for-the-deploy-check-0987654321",
        ALLOWED_HOSTS="iro.example.gov.uk",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


_PRODUCTION_REQUIRED = ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS")


def _production_setup(**env) -> subprocess.CompletedProcess:
    """django.setup() on the production settings in an environment without the required values."""
    stripped = {k: v for k, v in _clean_environ().items() if k not in _PRODUCTION_REQUIRED}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**stripped, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _production_setup(
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgresql://db/iro"), ALLOWED_HOSTS="x"
    )
    assert result.returncode != 0
    assert "not set: SECRET_KEY (" in result.stderr
    assert "DATABASE_URL (" not in result.stderr and "ALLOWED_HOSTS (" not in result.stderr


def test_production_names_every_missing_setting_in_one_message_and_starts_no_database(tmp_path):
    result = _production_setup(IRO_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    message = [
        line
        for line in result.stderr.splitlines()
        if line.startswith("django.core.exceptions.ImproperlyConfigured")
    ]
    assert len(message) == 1, result.stderr
    for name in _PRODUCTION_REQUIRED:
        assert f"{name} (" in message[0]
    # Nothing of the embedded PostgreSQL was created in the data directory.
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("present", _PRODUCTION_REQUIRED)
def test_production_names_only_the_missing_ones(present, tmp_path):
    values = {"DATABASE_URL": "postgresql://db/iro", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "x"}
    result = _production_setup(IRO_DATA_DIR=str(tmp_path), **{present: values[present]})
    assert result.returncode != 0
    for name in _PRODUCTION_REQUIRED:
        assert (f"{name} (" in result.stderr) is (name != present), result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_bad_environment_value_stops_start_up():
    result = _manage("check", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr
