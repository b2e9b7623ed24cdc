from __future__ import annotations

import stat
import subprocess
import sys

import orjson
import pytest
import trio

from jorged.control.server import serve_control
from jorged.exceptions import BadRequest, ControlError


async def echo(args):
    return {"echo": dict(args)}


async def refuse(args):
    raise BadRequest(field="contact_id", problem="required")


async def explode(args):
    raise ValueError("kaput")


HANDLERS = {"echo": echo, "refuse": refuse, "explode": explode}


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
            b'{"cmd":"echo","args":{"a":1}}\n',
            b'{"cmd":"echo"}\n',
        )
        assert answers == [{"ok": True, "result": {"echo": {"a": 1}}},
                           {"ok": True, "result": {"echo": {}}}]

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
            (b'{"cmd":"echo","args":[]}\n', "args: must be a JSON object", 2),
            (b'{"cmd":"nope"}\n', "cmd: unknown command (known: echo, explode, refuse)", 2),
            (b'{"cmd":"refuse"}\n', "contact_id: required", 2),
            (b'{"cmd":"explode"}\n', "internal error: kaput", 1),
        ],
    )
    async def test_bad_requests_get_an_error_and_the_server_lives(
        self, nursery, socket_path, line, error, code
    ):
        """Each bad request gets a named error; the next request still works."""
        await nursery.start(serve_control, socket_path, HANDLERS)
        bad, good = await exchange(socket_path, line, b'{"cmd":"echo"}\n')
        assert bad == {"ok": False, "error": error, "code": code}
        assert good["ok"] is True

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
        (answer,) = await exchange(socket_path, b'{"cmd":"echo"}\n')
        assert answer["ok"] is True

    async def test_removes_its_socket_on_exit(self, socket_path):
        """When the server stops, the socket file is gone."""
        async with trio.open_nursery() as n:
            await n.start(serve_control, socket_path, HANDLERS)
            n.cancel_scope.cancel()
        assert not socket_path.exists()
