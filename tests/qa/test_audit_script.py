"""scripts/audit.py decides pass or fail from what the checks found; it never passes silently."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit.py"


@pytest.fixture
def audit():
    spec = importlib.util.spec_from_file_location("audit_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _unreachable(audit, message):
    def check():
        raise audit.Unreachable(message)

    return check


def test_a_known_vulnerability_fails_the_audit(audit, monkeypatch, capsys):
    monkeypatch.setattr(audit, "audit_python", lambda: ["django 4.2.0: PYSEC-2023-100"])
    monkeypatch.setattr(audit, "audit_npm", lambda: [])
    monkeypatch.setenv("AUDIT_ALLOW_UNREACHABLE", "1")
    assert audit.main() == 1
    assert "VULNERABLE django 4.2.0: PYSEC-2023-100" in capsys.readouterr().out


def test_an_unreachable_service_is_reported_and_fails_unless_allowed(audit, monkeypatch, capsys):
    monkeypatch.setattr(audit, "audit_python", lambda: [])
    monkeypatch.setattr(audit, "audit_npm", _unreachable(audit, "npm audit answered 405"))
    monkeypatch.delenv("AUDIT_ALLOW_UNREACHABLE", raising=False)
    assert audit.main() == 2
    assert "DEPENDENCY AUDIT NOT RUN (npm: npm audit answered 405)" in capsys.readouterr().out
    monkeypatch.setenv("AUDIT_ALLOW_UNREACHABLE", "1")
    assert audit.main() == 0
    out = capsys.readouterr().out
    assert "DEPENDENCY AUDIT NOT RUN" in out and "nothing above was audited" in out


def test_a_clean_audit_passes(audit, monkeypatch, capsys):
    monkeypatch.setattr(audit, "audit_python", lambda: [])
    monkeypatch.setattr(audit, "audit_npm", lambda: [])
    assert audit.main() == 0
    assert "No known vulnerabilities." in capsys.readouterr().out
