"""jorgectl finds the daemon's socket with no option and no config: `$RUNTIME_DIRECTORY`,
then /run/jorged (an admin shell next to jorged.service), then ./var."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from jorged.control.cli import find_socket


def _listening(path: Path) -> socket.socket:
    path.parent.mkdir(parents=True, exist_ok=True)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.listen()
    return sock


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_runtime_directory_first(here):
    runtime, system = here / "rt", here / "run" / "control.sock"
    with _listening(runtime / "control.sock"), _listening(system):
        found = find_socket({"RUNTIME_DIRECTORY": str(runtime)}, system)
    assert found == runtime / "control.sock"


def test_system_socket_from_a_root_shell(here):
    """No environment at all: the unit's /run/jorged socket is found."""
    system = here / "run" / "control.sock"
    with _listening(system), _listening(here / "var" / "control.sock"):
        assert find_socket({}, system) == system


def test_local_var_when_no_system_daemon(here):
    with _listening(here / "var" / "control.sock"):
        found = find_socket({}, here / "run" / "control.sock")
    assert found == Path("var/control.sock")


def test_nothing_running_names_local_var(here):
    assert find_socket({}, here / "run" / "control.sock") == Path("var/control.sock")
