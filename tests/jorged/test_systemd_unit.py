from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

UNIT = Path(__file__).parents[2] / "systemd" / "jorged.service"

pytestmark = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed"
)


def test_sandboxing_exposure_is_below_2():
    """systemd rates the unit's sandboxing exposure below 2.0 ("OK")."""
    done = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", str(UNIT)],
        capture_output=True, text=True, check=False, timeout=60,
    )
    match = re.search(r"Overall exposure level for jorged\.service: (\d+\.\d+)", done.stdout)
    assert match, done.stdout + done.stderr
    assert float(match.group(1)) < 2.0


def test_unit_verifies_once_installed(tmp_path):
    """`systemd-analyze verify` finds nothing wrong when ExecStart points at jorged."""
    exe = shutil.which("jorged") or str(Path(__file__).parents[2] / ".venv/bin/jorged")
    text = UNIT.read_text().replace("/opt/jorged/.venv/bin/jorged", exe)
    unit = tmp_path / "jorged.service"
    unit.write_text(text)
    done = subprocess.run(
        ["systemd-analyze", "verify", str(unit)],
        capture_output=True, text=True, check=False, timeout=60,
    )
    problems = [
        line for line in (done.stdout + done.stderr).splitlines()
        if "jorged.service" in line
    ]
    assert problems == []
