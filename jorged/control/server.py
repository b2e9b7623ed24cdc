"""The control socket: a Unix socket serving newline-delimited JSON requests."""

from __future__ import annotations

import contextlib
import errno
import os
import socket as stdsocket
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, NoReturn

import structlog
import trio

from jorged.control.protocol import MAX_LINE, Request, Response, decode_request
from jorged.exceptions import BadRequest, ControlError, JorgedError

log = structlog.get_logger()

Handler = Callable[[Mapping[str, Any]], Awaitable[Any]]


async def serve_control(
    path: Path,
    handlers: Mapping[str, Handler],
    *,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> NoReturn:
    """Serve `handlers` (command → coroutine taking the args) on `path`, mode 0600."""
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
            await _serve_connection(stream, handlers)

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


async def _serve_connection(
    stream: trio.SocketStream, handlers: Mapping[str, Handler]
) -> None:
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
            await stream.send_all(
                _error(BadRequest(field="request", problem="too long"))
            )
            return
        while b"\n" in buffer:
            line, _, rest = bytes(buffer).partition(b"\n")
            buffer = bytearray(rest)
            if line.strip():
                await stream.send_all(await _answer(line, handlers))


async def _answer(line: bytes, handlers: Mapping[str, Handler]) -> bytes:
    try:
        request: Request = decode_request(line)
        result = await _handler(handlers, request.cmd)(request.args)
    except JorgedError as exc:
        return _error(exc)
    except Exception as exc:  # a failing command must not end the socket
        log.error("control_command_failed", exc_info=exc)
        return Response(ok=False, error=f"internal error: {exc}", code=1).encode()
    return Response(ok=True, result=result).encode()


def _handler(handlers: Mapping[str, Handler], cmd: str) -> Handler:
    handler = handlers.get(cmd)
    if handler is None:
        known = ", ".join(sorted(handlers))
        raise BadRequest(field="cmd", problem=f"unknown command (known: {known})")
    return handler


def _error(exc: JorgedError) -> bytes:
    code = 2 if isinstance(exc, BadRequest) else 1
    return Response(ok=False, error=str(exc), code=code).encode()
