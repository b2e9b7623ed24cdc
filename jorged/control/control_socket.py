"""The control socket: a Unix socket serving newline-delimited JSON requests.

Each request names a command (`jorged.commands`); it is made with `wire.decode`,
run by the daemon's dispatcher and answered as `wire.answer_json`. An `Invalid`
request is a usage error (code 2); any other failure is code 1.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket as stdsocket
from pathlib import Path
from typing import NoReturn

import structlog
import trio

from jorged.commands.dispatch import Dispatcher
from jorged.commands.wire import answer_json, decode
from jorged.control.protocol import MAX_LINE, Envelope, Response, decode_request
from jorged.exceptions import ControlError, Invalid, JorgedError

log = structlog.get_logger()


async def serve_control(
    path: Path,
    commands: Dispatcher,
    *,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> NoReturn:
    """Serve `commands` on `path` (mode 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _claim(path)
    sock = trio.socket.socket(trio.socket.AF_UNIX, trio.socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        await sock.bind(str(path))
    finally:
        os.umask(old)
    sock.listen(16)
    listener = trio.SocketListener(sock)

    async def handle(stream: trio.SocketStream) -> None:
        async with stream:
            await _serve_connection(stream, commands)

    try:
        with structlog.contextvars.bound_contextvars(actor="control"):
            async with trio.open_nursery() as nursery:
                await nursery.start(trio.serve_listeners, handle, [listener])
                log.info("control_listening", path=str(path))
                task_status.started()
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # noqa: PTH108 - a plain syscall, fine in a finally
    msg = "serve_listeners returned"  # pragma: no cover - it never returns
    raise AssertionError(msg)  # pragma: no cover


def _claim(path: Path) -> None:
    """Refuse to start when another daemon answers on `path`; remove a stale file."""
    if not path.exists():
        return
    probe = stdsocket.socket(stdsocket.AF_UNIX, stdsocket.SOCK_STREAM)
    try:
        probe.connect(str(path))
    except OSError as exc:
        if exc.errno not in (errno.ECONNREFUSED, errno.ENOENT, errno.ENOTSOCK):
            raise
        path.unlink(missing_ok=True)
    else:
        msg = f"another jorged is already listening on {path}"
        raise ControlError(msg)
    finally:
        probe.close()


async def _serve_connection(stream: trio.SocketStream, commands: Dispatcher) -> None:
    buffer = bytearray()
    while True:
        try:
            chunk = await stream.receive_some(65536)
        except trio.BrokenResourceError:
            return
        if not chunk:
            return
        buffer += chunk
        if len(buffer) > MAX_LINE and b"\n" not in buffer:
            await stream.send_all(_error(Invalid(field="request", problem="too long")))
            return
        while b"\n" in buffer:
            line, _, rest = bytes(buffer).partition(b"\n")
            buffer = bytearray(rest)
            if line.strip():
                await stream.send_all(await _answer(line, commands))


async def _answer(line: bytes, commands: Dispatcher) -> bytes:
    try:
        request: Envelope = decode_request(line)
        command = decode(request.cmd, request.args)
        result = answer_json(command, await commands.run(command))
    except JorgedError as exc:
        return _error(exc)
    except Exception as exc:  # a failing command must not end the socket
        log.error("control_command_failed", exc_info=exc)
        return Response(ok=False, error=f"internal error: {exc}", code=1).encode()
    return Response(ok=True, result=result).encode()


def _error(exc: JorgedError) -> bytes:
    code = 2 if isinstance(exc, Invalid) else 1
    return Response(ok=False, error=str(exc), code=code).encode()
