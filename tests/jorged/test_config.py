from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jorged import app_main as cli
from jorged import config as c
from jorged.exceptions import ConfigError

ROOT = Path(__file__).parents[2]


def problems(text: str | None = None, env: dict[str, str] | None = None,
             tmp: Path | None = None) -> list[str]:
    path = None
    if text is not None:
        assert tmp is not None
        path = tmp / "jorged.toml"
        path.write_text(text)
    with pytest.raises(ConfigError) as info:
        c.load(path, env=env or {})
    return list(info.value.messages)


class TestDefaults:
    def test_embedded_defaults_equal_the_code_defaults(self):
        """config/jorged.toml loads as is and says what the code says."""
        assert c.load(ROOT / "config" / "jorged.toml", env={}) == c.Config()

    def test_example_lists_every_key(self):
        """The example file loads, and names every key of every section."""
        text = (ROOT / "config" / "jorged.example.toml").read_text()
        assert c.load(ROOT / "config" / "jorged.example.toml", env={}) == c.Config()
        for section in attrs.fields(c.Config):
            assert f"[{section.name}]" in text
            for key in attrs.fields(section.type):
                assert re.search(
                    rf"^({key.name} = |\[{section.name}\.{key.name}\])", text, re.MULTILINE
                ), key.name

    def test_no_config_means_sandbox_on_defaults(self):
        """With nothing configured the daemon runs in sandbox mode on ./var."""
        cfg = c.load(env={})
        assert cfg.sandbox
        assert cfg.state_dir() == Path("var")
        assert cfg.control_socket() == Path("var/control.sock")

    def test_systemd_directories_are_used(self):
        """$STATE_DIRECTORY and $RUNTIME_DIRECTORY place the store and the socket."""
        cfg = c.load(env={})
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("STATE_DIRECTORY", "/var/lib/jorged")
            mp.setenv("RUNTIME_DIRECTORY", "/run/jorged")
            assert cfg.state_dir() == Path("/var/lib/jorged")
            assert cfg.control_socket() == Path("/run/jorged/control.sock")


class TestSources:
    def test_file_overrides_defaults(self, tmp_path):
        """A file changes only the keys it names."""
        path = tmp_path / "j.toml"
        path.write_text('[web]\nport = 9001\n[seller]\ntone = "friendly"\n')
        cfg = c.load(path, env={})
        assert (cfg.web.port, cfg.seller.tone, cfg.web.host) == (9001, "friendly", "127.0.0.1")

    def test_env_names_the_file(self, tmp_path):
        """$JORGED_CONFIG picks the file when no path is given."""
        path = tmp_path / "j.toml"
        path.write_text("[web]\nport = 9002\n")
        assert c.load(env={"JORGED_CONFIG": str(path)}).web.port == 9002

    def test_env_overrides_typed_values(self):
        """JORGED_<SECTION>__<KEY> values are read as TOML values, else as text."""
        cfg = c.load(env={
            "JORGED_WEB__PORT": "9003",
            "JORGED_REDIS__URL": "redis://10.0.0.5:6380/1",
            "JORGED_REDIS__ENABLED": "false",
            "JORGED_SELLER__FOLLOWUP_DAYS": "[1, 3]",
            "JORGED_API__TOKEN": "s3cret-0123456789",
            "JORGED_GHL__LOCATION_ID": "12345",
        })
        assert cfg.web.port == 9003
        assert cfg.redis.url == "redis://10.0.0.5:6380/1"
        assert cfg.redis.enabled is False
        assert cfg.seller.followup_days == (1, 3)
        assert cfg.api.token == "s3cret-0123456789"
        assert cfg.ghl.location_id == "12345"

    def test_credentials_directory_supplies_secrets(self, tmp_path):
        """A systemd credential file named section.key sets that secret."""
        (tmp_path / "ghl.token").write_text("tok-123\n")
        cfg = c.load(env={"CREDENTIALS_DIRECTORY": str(tmp_path),
                          "JORGED_GHL__LOCATION_ID": "loc-1"})
        assert cfg.ghl.token == "tok-123"
        assert not cfg.sandbox

    def test_environment_beats_credentials(self, tmp_path):
        """An explicit environment override wins over a credential file."""
        (tmp_path / "api.token").write_text("from-file-0123456789")
        cfg = c.load(env={"CREDENTIALS_DIRECTORY": str(tmp_path),
                          "JORGED_API__TOKEN": "from-env-0123456789"})
        assert cfg.api.token == "from-env-0123456789"


    def test_empty_credential_is_no_secret(self, tmp_path):
        """An empty credential file leaves the key as the config file has it."""
        creds = tmp_path / "creds"
        creds.mkdir()
        for name in ("ghl.token", "api.token", "dashboard.password_hash"):
            (creds / name).write_text("")
        path = tmp_path / "jorged.toml"
        path.write_text('[api]\ntoken = "from-config-0123456789"\n')
        cfg = c.load(path, env={"CREDENTIALS_DIRECTORY": str(creds)})
        assert cfg.api.token == "from-config-0123456789"
        assert cfg.ghl.token == ""
        assert cfg.sandbox
        assert cfg.dashboard.password_hash == ""

class TestErrors:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("[web]\nport = 'abc'\n", "web.port: expected an integer, got 'abc'"),
            ("[web]\nport = 70000\n", "web.port: must be a port number from 1 to 65535, got 70000"),
            ("[web]\nprot = 1\n", "web.prot: unknown key"),
            ("[wbe]\nport = 1\n", "wbe: unknown key"),
            ("[redis]\nenabled = 'yes'\n", "redis.enabled: expected true or false, got 'yes'"),
            ("[redis]\nurl = 'localhost'\n", "redis.url: must be a URL, got 'localhost'"),
            ("[log]\nlevel = 'loud'\n", "log.level: must be one of 'debug', 'info', 'warning', 'error', got 'loud'"),
            ("[seller]\ndefault_timezone = 'Mars/Base'\n", "seller.default_timezone: unknown time zone 'Mars/Base'"),
            ("[seller]\nquiet_hours_end = 25\n", "seller.quiet_hours_end: must be an hour from 0 to 24, got 25"),
            ("[seller]\nfollowup_days = [5, 2]\n", "seller.followup_days: must be increasing days from 1 to 3650, got [5, 2]"),
            ("[seller]\nbatch_window_s = -1\n", "seller.batch_window_s: must be 0 or more, got -1.0"),
            ("[seller.answers]\nbot = ' '\n", "seller.answers.bot: must be one text of 1 to 160 characters, got ' '"),
            ("[seller.answers_friendly]\nwho_is = 'x'\n", "seller.answers_friendly.who_is: unknown key"),
            ("[leads]\ncommission_rate = 6\n", "leads.commission_rate: must be between 0 and 1, got 6.0"),
            ("[leads]\nprice_min = 900000\n", "leads.price_min: must be below leads.price_max (800000), got 900000"),
            ("[monitor]\ncpu_warning = 90.0\n", "monitor.cpu_warning: must be below monitor.cpu_critical (85.0), got 90.0"),
            ("[llm]\nprovider = 'anthropic'\n", "llm.api_key: required when llm.provider is 'anthropic'"),
            ("[ghl]\ntoken = 't'\n", "ghl.location_id: required when ghl.token is set"),
            ("[ghl.custom_field_ids]\nseller_temperature = 5\n", "ghl.custom_field_ids.seller_temperature: expected a string, got 5"),
            ("[web\nport = 1\n", "not valid TOML"),
        ],
    )
    def test_each_problem_has_its_line(self, tmp_path, text, expected):
        """Each documented mistake gives one line naming the key and the problem."""
        lines = problems(text, tmp=tmp_path)
        assert len(lines) == 1
        assert lines[0].startswith(f"{tmp_path / 'jorged.toml'}: ")
        assert expected in lines[0]

    def test_every_problem_is_listed(self, tmp_path):
        """Several mistakes give several lines, not just the first."""
        lines = problems("[web]\nport = 'x'\nhost = 5\nbogus = 1\n", tmp=tmp_path)
        assert len(lines) == 3

    def test_env_problem_names_the_variable(self):
        """A bad override names the environment variable, not a file."""
        assert problems(env={"JORGED_WEB__PORT": "abc"}) == [
            "environment: JORGED_WEB__PORT: expected an integer, got 'abc'"
        ]

    def test_unknown_env_section(self):
        """A JORGED_ variable that is not a setting is refused."""
        assert problems(env={"JORGED_NOPE__X": "1"}) == [
            "environment: JORGED_NOPE__X: not a setting (use JORGED_<SECTION>__<KEY>)"
        ]

    def test_missing_file(self, tmp_path):
        """A config path that does not exist is one clear line."""
        with pytest.raises(ConfigError, match=r"cannot read: No such file or directory$"):
            c.load(tmp_path / "nope.toml", env={})


class TestCheckConfigCommand:
    def test_good_file_exits_0(self, tmp_path, capsys):
        """`jorged --check-config FILE` says ok and exits 0."""
        path = tmp_path / "j.toml"
        path.write_text("[web]\nport = 9000\n")
        assert cli.main(["--check-config", str(path)]) == 0
        assert "config ok" in capsys.readouterr().out

    def test_bad_file_exits_2_with_one_line_per_problem(self, tmp_path, capsys):
        """Errors go to stderr, one a line, and the exit code is 2."""
        path = tmp_path / "j.toml"
        path.write_text("[web]\nport = 'x'\nbogus = 1\n")
        assert cli.main(["--check-config", str(path)]) == 2
        err = sorted(capsys.readouterr().err.strip().splitlines())
        assert err == [f"{path}: web.bogus: unknown key",
                       f"{path}: web.port: expected an integer, got 'x'"]


@given(port=st.integers(1, 65535), days=st.lists(st.integers(1, 400), min_size=1,
                                                   unique=True).map(sorted))
def test_valid_values_round_trip_through_env(port, days):
    """Any valid port and cadence set from the environment comes back as given."""
    cfg = c.load(env={"JORGED_WEB__PORT": str(port),
                      "JORGED_SELLER__FOLLOWUP_DAYS": str(days)})
    assert cfg.web.port == port
    assert list(cfg.seller.followup_days) == days
