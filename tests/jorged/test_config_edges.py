"""Config at its edges: infinite numbers, bounds, encodings, lists, tokens, one pass,
where the file is found, and a state directory the daemon cannot use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jorged import config as c
from jorged.exceptions import ConfigError

NOWHERE = Path("/nonexistent/jorged.toml")


def problems(env: dict[str, str], path: Path | None = None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        c.load(path, env=env, system=NOWHERE)
    return list(info.value.messages)


class TestNumbers:
    @pytest.mark.parametrize("value", ["inf", "-inf", "nan", "+inf"])
    def test_infinite_or_nan_refused_from_env(self, value):
        """`inf` and `nan` are no duration: refused, naming the variable."""
        assert problems({"JORGED_SELLER__BATCH_WINDOW_S": value}) == [
            ("environment: JORGED_SELLER__BATCH_WINDOW_S: expected a finite number, "
            f"got {float(value)!r}")
        ]

    def test_infinite_refused_from_file(self, tmp_path):
        """The same in a file, naming the key."""
        path = tmp_path / "j.toml"
        path.write_text("[monitor]\ninterval_s = inf\n")
        assert problems({}, path) == [
            f"{path}: monitor.interval_s: expected a finite number, got inf"
        ]

    @pytest.mark.parametrize(
        ("name", "value", "problem"),
        [
            ("SELLER__BATCH_WINDOW_S", "61", "must be at most 60, got 61.0"),
            ("GHL__TIMEOUT_S", "1e9", "must be at most 300, got 1000000000.0"),
            ("SUPERVISE__MAX_SECONDS", "1e7", "must be at most 86,400, got 10000000.0"),
            ("SELLER__STALL_HOURS", "9000", "must be at most 8,760, got 9000.0"),
            ("STORE__CLOSED_TTL_DAYS", "4000", "must be at most 3,650, got 4000"),
            ("SELLER__LANES", "100000", "must be at most 4,096, got 100000"),
            ("GHL__DAILY_CAP", str(10**12), f"must be at most 1,000,000,000, got {10**12}"),
            ("WEB__MAX_BODY_BYTES", str(2**40), f"must be at most 16,777,216, got {2**40}"),
            (
                "SELLER__FOLLOWUP_DAYS",
                "[1, 100000]",
                "must be increasing days from 1 to 3650, got [1, 100000]",
            ),
        ],
    )
    def test_every_duration_and_count_has_a_ceiling(self, name, value, problem):
        """Durations and counts far past any use are refused with their ceiling."""
        assert problems({f"JORGED_{name}": value}) == [
            f"environment: JORGED_{name}: {problem}"
        ]


class TestValues:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [("SELLER__FOLLOWUP_DAYS", "a list"), ("SELLER__STOP_TAGS", "a list"),
         ("GHL__CUSTOM_FIELD_IDS", "a table")],
    )
    def test_text_for_a_list_is_one_problem(self, name, expected):
        """`notalist` where a list belongs is reported once, not per character."""
        assert problems({f"JORGED_{name}": "notalist"}) == [
            f"environment: JORGED_{name}: expected {expected}, got 'notalist'"
        ]

    def test_short_api_token_refused(self):
        """An API token under 16 characters is refused without echoing it."""
        assert problems({"JORGED_API__TOKEN": "abcde"}) == [
            "environment: JORGED_API__TOKEN: must be at least 16 characters, got 5"
        ]

    def test_sixteen_character_token_accepted(self):
        """A 16-character token is enough."""
        env = {"JORGED_API__TOKEN": "x" * 16}
        assert c.load(env=env, system=NOWHERE).api.token == "x" * 16

    def test_every_problem_in_one_pass(self, tmp_path):
        """Types, ranges, relations, unknown keys and env variables come together."""
        path = tmp_path / "j.toml"
        path.write_text(
            "[web]\nport = 'x'\n[seller]\nquiet_hours_end = 30\n"
            "[leads]\nprice_min = 900000\n[ghl]\ntoken = 't'\n[nope]\nx = 1\n"
        )
        env = {"JORGED_API__TOKEN": "short", "JORGED_NOPE__X": "1"}
        assert sorted(problems(env, path)) == sorted([
            "environment: JORGED_NOPE__X: not a setting (use JORGED_<SECTION>__<KEY>)",
            "environment: JORGED_API__TOKEN: must be at least 16 characters, got 5",
            f"{path}: web.port: expected an integer, got 'x'",
            f"{path}: seller.quiet_hours_end: must be an hour from 0 to 24, got 30",
            (f"{path}: leads.price_min: must be below leads.price_max (800000), "
            "got 900000"),
            f"{path}: ghl.location_id: required when ghl.token is set",
            f"{path}: nope: unknown key",
        ])

    def test_relation_over_a_wrong_setting_is_not_reported(self, tmp_path):
        """A rule between settings is left out when one of them is already wrong."""
        path = tmp_path / "j.toml"
        path.write_text("[monitor]\ncpu_warning = 'high'\ncpu_critical = 50.0\n")
        assert problems({}, path) == [
            f"{path}: monitor.cpu_warning: expected a number, got 'high'"
        ]


class TestFiles:
    def test_non_utf8_file_is_one_line(self, tmp_path):
        """A config file that is not UTF-8 is one line naming it and the byte."""
        path = tmp_path / "j.toml"
        path.write_bytes(b"[web]\nhost = '\xff\xfe'\n")
        assert problems({}, path) == [
            f"{path}: not UTF-8 text (byte 0xff at offset 14)"
        ]

    def test_non_utf8_credential_is_one_line(self, tmp_path):
        """A credential file that is not UTF-8 is named the same way."""
        (tmp_path / "api.token").write_bytes(b"\xff" * 20)
        assert problems({"CREDENTIALS_DIRECTORY": str(tmp_path)}) == [
            (f"credential {tmp_path / 'api.token'}: not UTF-8 text "
            "(byte 0xff at offset 0)")
        ]

    def test_discovery_order(self, tmp_path):
        """`--config`, then `$JORGED_CONFIG`, then the system file, then defaults."""
        given, from_env, system = (tmp_path / f"{n}.toml" for n in "abc")
        for port, path in ((9001, given), (9002, from_env), (9003, system)):
            path.write_text(f"[web]\nport = {port}\n")
        env = {"JORGED_CONFIG": str(from_env)}
        assert c.load(given, env=env, system=system).web.port == 9001
        assert c.load(env=env, system=system).web.port == 9002
        assert c.load(env={}, system=system).web.port == 9003
        assert c.load(env={}, system=tmp_path / "none.toml").web.port == 8080


def run_jorged(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jorged", *args],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env},
    )


class TestStartRefusals:
    def test_non_utf8_config_exits_2_in_one_line(self, tmp_path):
        """`jorged --config` on a non-UTF-8 file: one line on stderr, exit 2."""
        path = tmp_path / "j.toml"
        path.write_bytes(b"\xff\n")
        done = run_jorged(tmp_path, "--config", str(path))
        assert done.returncode == 2
        assert done.stderr.strip() == f"{path}: not UTF-8 text (byte 0xff at offset 0)"

    @pytest.mark.parametrize("kind", ["file", "beyond"])
    def test_unusable_state_dir_exits_2_in_one_line(self, tmp_path, kind):
        """A store dir that is a file, or cannot be made, is one line and exit 2."""
        if kind == "file":
            store = tmp_path / "state"
            store.write_text("not a directory")
            problem = "is not a directory"
        else:
            store = Path("/proc/jorged-test/state")
            problem = "cannot be created: No such file or directory"
        done = run_jorged(
            tmp_path, JORGED_STORE__DIR=str(store), JORGED_REDIS__ENABLED="false"
        )
        assert done.returncode == 2
        assert done.stderr.strip() == f"store.dir: {store}: {problem}"
