"""Dependency audit: known vulnerabilities in the locked Python and npm dependencies.

    .venv/bin/python scripts/audit.py          (make audit)

- Python: `uv export --frozen` turns uv.lock into pinned requirements, and pip-audit checks every
  pin against a vulnerability service (AUDIT_SERVICE: "pypi", the default, or "osv").
- npm: `npm audit --omit=dev --audit-level=high` over package-lock.json.

Before trusting a clean answer, each check asks about a canary, a release with published
advisories (Django 4.2.0; minimist 1.2.5). If the canary comes back clean or the service cannot
be reached, the audit did not happen: the script says so in capitals and exits 2, or 0 with the
same message when AUDIT_ALLOW_UNREACHABLE=1 (for machines without access to the services).
Any vulnerability found exits 1.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
SERVICE = os.environ.get("AUDIT_SERVICE", "pypi")
PY_CANARY = "django==4.2.0"
NPM_CANARY = {"minimist": "1.2.5"}


class Unreachable(Exception):
    pass


def _uv() -> list[str]:
    for candidate in (["uv"], [sys.executable, "-m", "uv"], ["python3", "-m", "uv"]):
        try:
            subprocess.run([*candidate, "--version"], capture_output=True, check=True)
            return candidate
        except (OSError, subprocess.CalledProcessError):
            continue
    raise SystemExit("uv is needed to export the locked requirements")


def _pip_audit(requirements: Path) -> dict:
    result = subprocess.run(
        [
            str(VENV_BIN / "pip-audit"),
            "--requirement",
            str(requirements),
            "--no-deps",
            "--disable-pip",
            "--vulnerability-service",
            SERVICE,
            "--format",
            "json",
            "--progress-spinner",
            "off",
            "--timeout",
            "20",
        ],
        capture_output=True,
        text=True,
    )
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise Unreachable(f"pip-audit could not query the {SERVICE} service: {last}") from None


def audit_python() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        canary = Path(tmp) / "canary.txt"
        canary.write_text(PY_CANARY + "\n")
        report = _pip_audit(canary)
        if not any(dep.get("vulns") for dep in report["dependencies"]):
            reasons = {
                dep.get("skip_reason", "no advisories returned") for dep in report["dependencies"]
            }
            raise Unreachable(
                f"the {SERVICE} vulnerability service gave no advisories for {PY_CANARY}, "
                f"which has published ones ({'; '.join(sorted(reasons))})"
            )
        locked = Path(tmp) / "requirements.txt"
        exported = subprocess.run(
            [*_uv(), "export", "--frozen", "--format", "requirements-txt", "--no-emit-project"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        locked.write_text(exported.stdout)
        report = _pip_audit(locked)
    found, skipped = [], []
    for dep in report["dependencies"]:
        if dep.get("skip_reason"):
            skipped.append(f"{dep['name']}: {dep['skip_reason']}")
        for vuln in dep.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            found.append(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixes})")
    if skipped:
        raise Unreachable(f"{len(skipped)} locked packages could not be audited: {skipped[0]} ...")
    print(f"python: {len(report['dependencies'])} locked packages audited against {SERVICE}")
    return found


def _npm_audit(cwd: Path) -> dict:
    result = subprocess.run(
        ["npm", "audit", "--omit=dev", "--json"], cwd=cwd, capture_output=True, text=True
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        report = {"error": {"summary": result.stderr.strip() or "no output"}}
    if "error" in report:
        error = report["error"]
        stderr = [line for line in result.stderr.splitlines() if "npm" in line]
        summary = error.get("summary") or error.get("detail") or " / ".join(stderr[:2])
        raise Unreachable(f"the npm audit service answered with an error: {summary.strip()}")
    return report


def audit_npm() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "package.json").write_text(
            json.dumps({"name": "canary", "version": "1.0.0", "dependencies": NPM_CANARY})
        )
        subprocess.run(
            ["npm", "install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--silent"],
            cwd=tmp,
            capture_output=True,
        )
        if not _npm_audit(Path(tmp)).get("vulnerabilities"):
            raise Unreachable(f"npm audit reported nothing for the canary {NPM_CANARY}")
    report = _npm_audit(ROOT)
    found = [
        f"{name}: {info['severity']} ({info.get('range', '')})"
        for name, info in report.get("vulnerabilities", {}).items()
        if info["severity"] in ("high", "critical")
    ]
    print(f"npm: {report['metadata']['dependencies']['prod']} production packages audited")
    return found


def main() -> int:
    found, unreachable = [], []
    for name, check in (("python", audit_python), ("npm", audit_npm)):
        try:
            found += check()
        except Unreachable as exc:
            unreachable.append(f"{name}: {exc}")
    for line in found:
        print(f"VULNERABLE {line}")
    for line in unreachable:
        print(f"DEPENDENCY AUDIT NOT RUN ({line})")
    if found:
        print(f"{len(found)} known vulnerabilities: upgrade the packages above.")
        return 1
    if unreachable:
        if os.environ.get("AUDIT_ALLOW_UNREACHABLE") == "1":
            print("AUDIT_ALLOW_UNREACHABLE=1: not failing, but nothing above was audited.")
            return 0
        return 2
    print("No known vulnerabilities.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
