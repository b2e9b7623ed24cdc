from __future__ import annotations

import stat
import subprocess
import sys

import orjson
import pytest
import trio

from jorged.commands import (
    ChangeConversation,
    CheckConfig,
    Reload,
    ShowConversation,
    ShowHealth,
)
from jorged.commands.dispatch import Dispatcher
from jorged.control.control_socket import serve_control
from jorged.exceptions import Conflict, ControlError, Invalid, NotFound


async def echo(command):
    return {"echo": command.path}


async def refuse(command):
    raise Invalid(field="contact_id", problem="required")


async def missing(command):
    raise NotFound(field="contact_id", problem="no conversation with this contact")


async def conflict(command):
    raise Conflict(field="contact_id", problem="already in qualification")


async def explode(command):
    raise ValueError("kaput")


HANDLERS = Dispatcher(
    {
        CheckConfig: echo,
        ShowHealth: refuse,
        ShowConversation: missing,
        ChangeConversation: conflict,
        Reload: explode,
    }
)
ECHO = b'{"cmd":"config_check"}\n'


async def exchange(path, *lines: bytes) -> list[dict]:
    stream = await trio.open_unix_socket(str(path))
    async with stream:
        await stream.send_all(b"".join(lines))
        data = b""
        while data.count(b"\n") < len(lines):
            chunk = await stream.receive_some(65536)
            if not chunk:
                break
            data += chunk
    return [orjson.loads(x) for x in data.splitlines()]


@pytest.fixture(name="socket_path")
def _socket_path(tmp_path):
    return tmp_path / "run" / "control.sock"


class TestServeControl:
    async def test_answers_each_line_in_order(self, nursery, socket_path):
        """Several requests on one connection get their answers in order."""
        await nursery.start(serve_control, socket_path, HANDLERS)
        answers = await exchange(
            socket_path,
            b'{"cmd":"config_check","args":{"path":"a.toml"}}\n',
            ECHO,
        )
        assert answers == [{"ok": True, "result": {"echo": "a.toml"}},
                           {"ok": True, "result": {"echo": None}}]

    async def test_socket_is_private(self, nursery, socket_path):
        """The socket file is created with mode 0600."""
        await nursery.start(serve_control, socket_path, HANDLERS)
        assert stat.S_IMODE(socket_path.stat().st_mode) == 0o600

    @pytest.mark.parametrize(
        ("line", "error", "code"),
        [
            (b"not json\n", "request: not valid JSON", 2),
            (b"[1]\n", "request: must be a JSON object", 2),
            (b'{"args":{}}\n', "cmd: required, a command name", 2),
            (b'{"cmd":"config_check","args":[]}\n', "args: must be a JSON object", 2),
            (b'{"cmd":"config_check","args":{"path":7}}\n', "path: must be a string", 2),
            (b'{"cmd":"health"}\n', "contact_id: required", 2),
            (b'{"cmd":"conversation"}\n', "contact_id: required, a non-empty string", 2),
            (
                b'{"cmd":"conversation","args":{"contact_id":"c1"}}\n',
                "contact_id: no conversation with this contact",
                1,
            ),
            (
                b'{"cmd":"seller.change","args":{"contact_id":"c1","action":"pause"}}\n',
                "contact_id: already in qualification",
                1,
            ),
            (
                b'{"cmd":"seller.change","args":{"contact_id":"c1","action":"fly"}}\n',
                "action: one of pause, resume, restart, stop",
                2,
            ),
            (b'{"cmd":"reload"}\n', "internal error: kaput", 1),
            (b'{"cmd":"status"}\n', "cmd: status is not served here", 2),
        ],
    )
    async def test_bad_requests_get_an_error_and_the_server_lives(
        self, nursery, socket_path, line, error, code
    ):
        """Each bad request gets a named error; the next request still works."""
        await nursery.start(serve_control, socket_path, HANDLERS)
        bad, good = await exchange(socket_path, line, ECHO)
        assert bad == {"ok": False, "error": error, "code": code}
        assert good["ok"] is True

    async def test_an_unknown_command_is_named_with_those_known(
        self, nursery, socket_path
    ):
        """A command nobody defined is a usage error listing the known ones."""
        await nursery.start(serve_control, socket_path, HANDLERS)
        (bad,) = await exchange(socket_path, b'{"cmd":"nope"}\n')
        assert bad["code"] == 2
        assert bad["error"].startswith("cmd: unknown command (known: alerts, ")
        assert "seller.start" in bad["error"]

    async def test_refuses_a_second_daemon(self, nursery, socket_path):
        """A live socket at the path stops a second server from starting."""
        await nursery.start(serve_control, socket_path, HANDLERS)
        with pytest.raises(ControlError, match=r"^another jorged is already listening on "):
            await nursery.start(serve_control, socket_path, HANDLERS)

    async def test_replaces_a_stale_socket_file(self, nursery, socket_path):
        """A socket file left by a dead process is removed and reused."""
        socket_path.parent.mkdir(parents=True)
        code = ("import socket,sys; s=socket.socket(socket.AF_UNIX);"
                f"s.bind({str(socket_path)!r}); sys.exit(0)")
        subprocess.run([sys.executable, "-c", code], check=True)
        assert socket_path.exists()
        await nursery.start(serve_control, socket_path, HANDLERS)
        (answer,) = await exchange(socket_path, ECHO)
        assert answer["ok"] is True

    async def test_removes_its_socket_on_exit(self, socket_path):
        """When the server stops, the socket file is gone."""
        async with trio.open_nursery() as n:
            await n.start(serve_control, socket_path, HANDLERS)
            n.cancel_scope.cancel()
        assert not socket_path.exists()
