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
    assert "DEPENDENCY AUDIT NOT RUN" in out and "but npm was not audited" in out


def test_a_clean_audit_passes(audit, monkeypatch, capsys):
    monkeypatch.setattr(audit, "audit_python", lambda: [])
    monkeypatch.setattr(audit, "audit_npm", lambda: [])
    assert audit.main() == 0
    assert "No known vulnerabilities." in capsys.readouterr().out


# PyPI's project pages, served locally: what /pypi/<name>/json answers (latest release and the
# advisories that affect it), for the fallback used when pip-audit's per-release service is out
# of reach.
PROJECTS = {
    "pycrypto": ("2.6.1", [{"id": "PYSEC-2017-94", "aliases": ["CVE-2013-7459"], "fixed_in": []}]),
    "ecdsa": (
        "0.19.2",
        [
            {"id": "PYSEC-2026-1325", "aliases": ["CVE-2024-23342"], "fixed_in": []},
            {"id": "PYSEC-0000-1", "aliases": [], "fixed_in": [], "withdrawn": "2026-01-01"},
        ],
    ),
    "django": ("6.1.3", []),
    "pyyaml": ("6.0.4", []),
}


@pytest.fixture
def pypi(audit, monkeypatch):
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    projects = dict(PROJECTS)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            name = self.path.strip("/").split("/")[0]
            if name not in projects:
                self.send_error(404)
                return
            version, advisories = projects[name]
            body = json.dumps({"info": {"version": version}, "vulnerabilities": advisories})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(audit, "PYPI_URL", f"http://127.0.0.1:{server.server_port}")
    yield projects
    server.shutdown()


def test_the_fallback_finds_advisories_of_the_latest_release_and_names_pins_behind_it(
    audit, pypi, capsys
):
    pins = [("django", "6.1.3"), ("ecdsa", "0.19.2"), ("pyyaml", "6.0.3")]
    found = audit.audit_python_against_latest_releases(pins)
    # ecdsa's open advisory is found; its withdrawn one is not; Django's latest has none.
    assert found == ["ecdsa 0.19.2: PYSEC-2026-1325 (CVE-2024-23342; fixed in no fix yet)"]
    out = capsys.readouterr().out
    assert "3 locked packages audited" in out and "2 are their project's latest release" in out
    assert "PARTLY AUDITED pyyaml 6.0.3 (latest 6.0.4)" in out
    assert "django" not in out.split("PARTLY AUDITED", 1)[1]


def test_the_fallback_reports_an_advisory_still_open_in_a_newer_release(audit, pypi):
    found = audit.audit_python_against_latest_releases([("ecdsa", "0.18.0")])
    assert found == [
        "ecdsa 0.18.0: PYSEC-2026-1325 (CVE-2024-23342; fixed in no fix yet, "
        "open in the latest release 0.19.2 too)"
    ]


def test_the_fallback_is_not_trusted_when_the_canary_comes_back_clean(audit, pypi):
    pypi["pycrypto"] = ("2.6.1", [])
    with pytest.raises(audit.Unreachable, match="no advisories for pycrypto==2.6.1"):
        audit.audit_python_against_latest_releases([("django", "6.1.3")])


def test_the_fallback_fails_loudly_when_a_package_cannot_be_looked_up(audit, pypi):
    with pytest.raises(audit.Unreachable, match="project page for not-on-this-index"):
        audit.audit_python_against_latest_releases([("not-on-this-index", "1.0")])


def test_python_falls_back_only_when_pip_audit_cannot_answer(audit, pypi, monkeypatch):
    monkeypatch.setattr(audit, "_locked_pins", lambda: [("ecdsa", "0.19.2")])

    def pip_audit_unreachable(pins):
        raise audit.Unreachable("pip-audit could not query the pypi service")

    monkeypatch.setattr(audit, "_audit_with_pip_audit", pip_audit_unreachable)
    assert audit.audit_python() == [
        "ecdsa 0.19.2: PYSEC-2026-1325 (CVE-2024-23342; fixed in no fix yet)"
    ]
    monkeypatch.setattr(audit, "PYPI_URL", "http://127.0.0.1:9")
    with pytest.raises(audit.Unreachable, match="pip-audit could not query.*and PyPI's project"):
        audit.audit_python()
