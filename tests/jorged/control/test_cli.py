"""`jorged` and `jorgectl` follow the README's conventions: versions, exit codes, pipes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from importlib.metadata import version

import httpx
import pytest

from jorged.control import cli
from tests.daemon import _make_daemon  # noqa: F401 - the fixture

NO_REDIS = {"JORGED_REDIS__URL": "redis://127.0.0.1:1/0"}


def _run(
    *args: str, stdin: str | None = None, env=None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )


@pytest.mark.parametrize(
    ("module", "prog"), [("jorged", "jorged"), ("jorged.control.cli", "jorgectl")]
)
def test_version_from_the_package_metadata(module, prog):
    done = _run(module, "--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"{prog} {version('jorged')}"


def test_hash_password_reads_a_piped_password():
    done = _run("jorged.control.cli", "hash-password", stdin="correct horse\n")
    assert done.returncode == 0, done.stderr
    from jorged.passwords import verify_password

    assert verify_password("correct horse", done.stdout.strip())


def test_hash_password_with_empty_stdin_is_a_usage_error():
    done = _run("jorged.control.cli", "hash-password", stdin="")
    assert done.returncode == 2
    assert done.stderr.strip() == "jorgectl: no password on standard input"
    assert "Traceback" not in done.stderr


def test_config_alone_names_its_subcommand():
    done = _run("jorged.control.cli", "config")
    assert done.returncode == 2
    assert "jorgectl config" in done.stderr
    assert "check" in done.stderr
    assert "config_command" not in done.stderr


def test_every_option_has_help_and_filters_have_choices(capsys):
    parser = cli._parser()
    subparsers = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name, sub in subparsers.items():
        for action in sub._actions:
            if action.dest == "help":
                continue
            assert action.help, f"jorgectl {name} {action.dest} has no help text"
    convs = subparsers["conversations"]
    by_dest = {a.dest: a for a in convs._actions}
    assert by_dest["order"].choices == ["asc", "desc"]
    assert by_dest["paused"].choices == ["true", "false"]
    assert "hot, warm, cold" in by_dest["temperature"].help
    assert "en, es" in by_dest["language"].help


class TestAgainstTheDaemon:
    def test_exit_codes_plurals_and_a_closed_pipe(self, make_daemon):
        d = make_daemon(NO_REDIS)
        d.start()
        missing = d.ctl("conversation", "nobody-here")
        assert missing.returncode == 1, missing.stderr
        assert (
            missing.stderr.strip()
            == "jorgectl: no conversation with contact 'nobody-here'"
        )

        usage = d.ctl("conversations", "--order", "sideways")
        assert usage.returncode == 2
        assert "invalid choice: 'sideways'" in usage.stderr

        assert d.ctl("conversations").stdout.startswith("0 conversations, page 1 of 1")
        sent = d.ctl("simulate", "plural-1", "thinking about selling")
        assert sent.returncode == 0, sent.stderr
        deadline = time.monotonic() + 10
        listed = d.ctl("conversations")
        while not listed.stdout.startswith("1 ") and time.monotonic() < deadline:
            time.sleep(0.1)  # the list follows the conversation by events
            listed = d.ctl("conversations")
        assert listed.stdout.startswith("1 conversation, page 1 of 1"), listed.stdout
        english = d.ctl("conversations", "--language", "en")
        assert english.stdout.startswith("1 conversation,"), english.stderr
        spanish = d.ctl("conversations", "--language", "es")
        assert spanish.stdout.startswith("0 conversations,"), spanish.stderr
        assert d.ctl("conversations", "--language", "fr").returncode == 2

        # A first message that asks for a call is acknowledged (SPEC 1.10), and
        # one that asks if this is a bot gets the answer without "it's Jorge".
        called = d.ctl("simulate", "call-1", "maybe, depends. call me tomorrow after 5")
        assert called.returncode == 0, called.stderr
        assert (
            "I'll let Jorge know you'd like a call tomorrow after 5." in called.stdout
        )
        asked = d.ctl("simulate", "bot-1", "is this a bot?")
        assert asked.returncode == 0, asked.stderr
        assert "I'm Jorge's automated assistant." in asked.stdout
        assert "it's jorge" not in asked.stdout.lower()

        # `jorgectl events | head -1`: the reader is gone before we write.
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            closed = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "jorged.control.cli",
                    "--socket",
                    str(d.socket),
                    "events",
                ],
                stdout=write_end,
                stderr=subprocess.PIPE,
                text=True,
                env=d.env,
                timeout=60,
                check=False,
            )
        finally:
            os.close(write_end)
        assert closed.returncode == 0
        assert "Traceback" not in closed.stderr
        assert "BrokenPipeError" not in closed.stderr
        assert httpx.get(f"{d.url}/healthz").status_code == 200
        assert d.terminate() == 0
