"""Request/reply over trio memory channels, the way every actor answers.

A request carries a one-slot reply channel. The actor answers with `reply()`, which
never waits on the caller (a caller that gave up costs nothing). The answer is either
the result or a `JorgedError`, which `ask()` raises on the caller's side.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TypeVar

import trio

from jorged.exceptions import ActorError, JorgedError

M = TypeVar("M")
R = TypeVar("R")

Reply = trio.MemorySendChannel["R | JorgedError"]


async def ask(
    inbox: trio.MemorySendChannel[M],
    make: Callable[[trio.MemorySendChannel[R | JorgedError]], M],
    *,
    actor: str,
) -> R:
    """Send `make(reply_channel)` to `inbox` and wait for the answer.

    Callers bound the wait with `trio.fail_after` where they need to.
    """
    send, recv = trio.open_memory_channel[R | JorgedError](1)
    async with recv, send:
        try:
            await inbox.send(make(send.clone()))
            answer = await recv.receive()
        except (trio.BrokenResourceError, trio.ClosedResourceError, trio.EndOfChannel):
            raise ActorError(actor=actor, reason="not running") from None
    if isinstance(answer, JorgedError):
        raise answer
    return answer


def reply(channel: trio.MemorySendChannel[R], answer: R) -> None:
    """Answer a request without waiting; a caller that left is ignored."""
    with contextlib.suppress(
        trio.BrokenResourceError, trio.ClosedResourceError, trio.WouldBlock
    ):
        channel.send_nowait(answer)
    with contextlib.suppress(trio.ClosedResourceError):
        channel.close()


async def receive_batch(receive: trio.MemoryReceiveChannel[M], limit: int) -> list[M]:
    """The next item, and those already waiting behind it (at most `limit` in all).

    For actors that do one store commit (or one hop) for all the work waiting.
    Raises `trio.EndOfChannel` when the channel is closed and empty.
    """
    items = [await receive.receive()]
    while len(items) < limit:
        try:
            items.append(receive.receive_nowait())
        except trio.WouldBlock:
            break
    return items
