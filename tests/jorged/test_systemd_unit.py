"""The systemd units as files: what systemd says of them offline, and the rules they keep.

`make systemd-check` (tests/systemd/check.py) runs them on a real systemd 252; these are
the fast checks of the same promises.
"""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from jorged.config.loading import SECRETS

ROOT = Path(__file__).parents[2]
UNITS = ROOT / "systemd"
SERVICE, TEMPLATE = UNITS / "jorged.service", UNITS / "jorged@.service"

needs_systemd = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed"
)


def directives(path: Path, section: str = "Service") -> list[tuple[str, str]]:
    """(key, value) pairs of `section`, repeated keys kept, in order."""
    out, current = [], None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = line.strip("[]")
        elif current == section:
            key, _, value = line.partition("=")
            out.append((key, value))
    return out


def values(path: Path, key: str, section: str = "Service") -> list[str]:
    return [v for k, v in directives(path, section) if k == key]


@needs_systemd
@pytest.mark.parametrize("name", ["jorged.service", "jorged@east.service"])
def test_sandboxing_exposure_is_below_2(tmp_path, name):
    """systemd rates each unit's sandboxing exposure below 2.0 ("OK")."""
    source = SERVICE if name == "jorged.service" else TEMPLATE
    (tmp_path / name).write_text(source.read_text())
    done = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", name],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=tmp_path,
    )
    pattern = rf"Overall exposure level for {re.escape(name)}: (\d+\.\d+)"
    match = re.search(pattern, done.stdout)
    assert match, done.stdout + done.stderr
    assert float(match.group(1)) < 2.0


@needs_systemd
def test_units_verify_once_installed(tmp_path):
    """`systemd-analyze verify` finds nothing wrong in the service, its socket and an
    instance of the template with its port drop-in."""
    exe = shutil.which("jorged") or str(ROOT / ".venv/bin/jorged")
    ctl = shutil.which("jorgectl") or str(ROOT / ".venv/bin/jorgectl")
    for unit in [*UNITS.glob("jorged*.service"), *UNITS.glob("jorged*.socket")]:
        text = unit.read_text().replace("/opt/jorged/.venv/bin/jorged", exe)
        text = text.replace("/opt/jorged/.venv/bin/jorgectl", ctl)
        (tmp_path / unit.name.replace("@.", "@east.")).write_text(text)
    port = tmp_path / "jorged@east.socket.d"
    port.mkdir()
    (port / "port.conf").write_text("[Socket]\nListenStream=127.0.0.1:8081\n")
    done = subprocess.run(
        [
            "systemd-analyze",
            "verify",
            "--man=no",
            "jorged.service",
            "jorged@east.service",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=tmp_path,
        env={"SYSTEMD_UNIT_PATH": f"{tmp_path}:", "PATH": "/usr/bin:/bin"},
    )
    problems = [
        line for line in (done.stdout + done.stderr).splitlines() if "jorged" in line
    ]
    assert problems == []


@pytest.mark.parametrize("unit", [SERVICE, TEMPLATE], ids=lambda p: p.name)
class TestRules:
    def test_every_secret_is_an_optional_credential(self, unit):
        """Each secret jorged reads from $CREDENTIALS_DIRECTORY has a LoadCredential=
        line, and none names an absolute path: systemd 252 fails the start with
        243/CREDENTIALS when such a file is missing, while a relative name (looked up
        in /etc/credstore) may be absent."""
        loaded = dict(v.split(":", 1) for v in values(unit, "LoadCredential"))
        assert set(loaded) == {f"{s}.{k}" for s, k in SECRETS}
        assert not [path for path in loaded.values() if path.startswith("/")]
        assert not values(unit, "SetCredential")

    def test_health_readings_are_not_hidden(self, unit):
        """ProcSubset=pid hides /proc/stat and /proc/meminfo from the health checks."""
        assert values(unit, "ProcSubset") in ([], ["all"])

    def test_reload_needs_no_kill_binary(self, unit):
        """A minimal image has no /bin/kill: reload through jorgectl (exit 2 on a bad
        config fails the reload)."""
        (reload,) = values(unit, "ExecReload")
        assert reload.startswith("/opt/jorged/.venv/bin/jorgectl ")
        assert reload.endswith(" reload")
        assert "${RUNTIME_DIRECTORY}/control.sock" in reload

    def test_config_error_is_not_restarted(self, unit):
        assert values(unit, "RestartPreventExitStatus") == ["2"]
        assert values(unit, "Restart") == ["on-failure"]

    def test_offline_by_default(self, unit):
        assert values(unit, "IPAddressDeny") == ["any"]

    def test_socket_activated(self, unit):
        socket = "jorged.socket" if unit == SERVICE else "jorged@%i.socket"
        assert values(unit, "Requires", "Unit") == [socket]
        assert socket in values(unit, "After", "Unit")[0].split()
        assert values(unit, "Also", "Install") == [socket]

    def test_documentation_is_what_the_readme_installs(self, unit):
        (line,) = values(unit, "Documentation", "Unit")
        readme = (ROOT / "README.md").read_text()
        docs = line.split()
        assert docs == [
            "man:jorged(8)",
            "man:jorgectl(8)",
            "file:/usr/share/doc/jorged/README.md",
        ]
        assert "/opt/jorged/README.md /usr/share/doc/jorged/README.md" in readme
        install = "-t /usr/local/share/man/man8 /opt/jorged/docs/man/jorged.8"
        assert f"{install} /opt/jorged/docs/man/jorgectl.8" in readme
        for page in ("jorged.8", "jorgectl.8"):
            assert (ROOT / "docs" / "man" / page).read_text().startswith(".TH ")


def test_template_differs_only_per_instance():
    """jorged@.service is jorged.service with its own config, state, runtime dir,
    credentials, socket and Redis key prefix: the sandboxing is the same."""
    one, many = dict(directives(SERVICE)), dict(directives(TEMPLATE))
    differ = {k for k in one.keys() | many.keys() if one.get(k) != many.get(k)}
    assert differ == {
        "ExecStart",
        "Environment",
        "StateDirectory",
        "RuntimeDirectory",
        "LoadCredential",
    }
    assert many["Environment"] == "JORGED_REDIS__KEY_PREFIX=jorged:%i:"
    assert many["StateDirectory"] == "jorged-%i"
    assert many["RuntimeDirectory"] == "jorged-%i"
    assert many["ExecStart"].endswith("--config ${CONFIGURATION_DIRECTORY}/%i.toml")


def test_live_drop_in_opens_outbound():
    """The drop-in the README installs with the token lifts IPAddressDeny=any."""
    live = UNITS / "jorged.service.d" / "live.conf"
    parsed = configparser.ConfigParser()
    parsed.read_string(live.read_text())
    assert parsed["Service"]["IPAddressDeny"] == ""
    readme = (ROOT / "README.md").read_text()
    assert (
        "systemd/jorged.service.d/live.conf /etc/systemd/system/jorged.service.d/"
        in readme
    )


def test_socket_listens_where_the_daemon_would():
    """jorged.socket holds the default web.host:web.port."""
    from jorged import config

    cfg = config.load(env={})
    assert values(UNITS / "jorged.socket", "ListenStream", "Socket") == [
        f"{cfg.web.host}:{cfg.web.port}"
    ]


def test_readme_blocks_are_what_the_check_runs():
    """make systemd-check runs the README's three systemd blocks; each file they take
    from the clone exists in it, and the unit files they install are the ones here."""
    from tests.systemd.check import readme_blocks

    install, live, instance = readme_blocks()
    assert install.rstrip().endswith("sudo systemctl enable --now jorged")
    assert "/etc/credstore/jorged.ghl.token" in live
    assert "enable --now jorged@east" in instance
    taken = re.findall(r"/opt/jorged/([\w./@-]+)", install + live + instance)
    files = {t for t in taken if not t.startswith(".venv")}
    assert {
        "systemd/jorged.service",
        "systemd/jorged.socket",
        "systemd/jorged@.service",
        "systemd/jorged@.socket",
        "systemd/jorged.service.d/live.conf",
    } <= files
    assert [f for f in sorted(files) if not (ROOT / f).is_file()] == []
