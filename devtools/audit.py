"""`make audit`: known vulnerabilities of every pinned package (requirements.txt and
requirements-dev.txt), from PyPI's advisory data (the PyPA advisory database, which PyPI serves
with each release's JSON), through pip-audit. Needs network access to PyPI.

Where PyPI answers only the project's JSON and not each release's (`/pypi/NAME/VERSION/json`
answers 404, as through this workplace's mirror), pip-audit cannot look a release up and skips
it. For those this script reads the project's JSON instead: its `vulnerabilities` are those of
the latest release, so a pin that is the latest release is audited that way, and any other pin
is reported as not audited (upgrade it, or run `make audit` where PyPI is reached directly).

Exit status: 0 when every pin was audited and none has a known vulnerability; 1 when one has;
2 when some pin could not be audited (listed), unless AUDIT_ALLOW_UNAUDITED=1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ["requirements.txt", "requirements-dev.txt"]


def pins() -> dict[str, str]:
    """name -> version of every `name==version` line (extras dropped), as pip-audit names them."""
    found = {}
    for name in REQUIREMENTS:
        for line in (ROOT / name).read_text().splitlines():
            requirement, _, version = line.split("#")[0].strip().partition("==")
            if version:
                found[requirement.split("[")[0].strip().lower().replace("_", "-")] = version.strip()
    return found


def pip_audit() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        command = [sys.executable, "-m", "pip_audit", "--vulnerability-service", "pypi", "--no-deps"]
        command += ["--disable-pip", "--progress-spinner", "off", "--format", "json", "--output", str(report)]
        for name in REQUIREMENTS:
            command += ["--requirement", str(ROOT / name)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if not report.exists():
            sys.exit(f"pip-audit failed:\n{result.stderr}")
        return json.loads(report.read_text())["dependencies"]


def latest_release_vulnerabilities(name: str, version: str) -> list[dict] | None:
    """The project's JSON: its vulnerabilities if `version` is the latest release, else None."""
    try:
        with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=30) as response:
            project = json.load(response)
    except (urllib.error.URLError, TimeoutError, ValueError):
        return None
    return project.get("vulnerabilities", []) if project["info"]["version"] == version else None


def main() -> int:
    found, unaudited, audited = [], [], 0
    pinned = pins()
    for dependency in pip_audit():
        name = dependency["name"]
        version = dependency.get("version") or pinned.get(name.lower())
        vulns = dependency.get("vulns")
        if "skip_reason" in dependency:
            vulns = latest_release_vulnerabilities(name, version) if version else None
            if vulns is None:
                unaudited.append(f"{name} {version or '(not pinned)'}: {dependency['skip_reason']}")
                continue
            vulns = [{"id": v.get("id"), "fix_versions": v.get("fixed_in", [])} for v in vulns]
        audited += 1
        for v in vulns:
            found.append(f"{name} {version}: {v['id']} (fixed in {', '.join(v['fix_versions']) or '?'})")
    print(
        f"{audited} pinned packages audited, {len(found)} known vulnerabilities, {len(unaudited)} not audited"
    )
    for line in found:
        print("VULNERABLE", line)
    for line in unaudited:
        print("NOT AUDITED", line)
    if found:
        return 1
    if unaudited and os.environ.get("AUDIT_ALLOW_UNAUDITED") != "1":
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
