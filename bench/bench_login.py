"""Webhook latency while somebody guesses dashboard passwords (20 wrong logins/s).

Each guess comes from another address and user name (through a trusted proxy's
X-Forwarded-For), so the backoff never turns it away and every one costs a full
scrypt: the worst case for the webhooks that share the process. The target is a
webhook p99 within 1.5x of the quiet one; scrypt runs in a worker thread of its
own, off the event loop.
"""

from __future__ import annotations

import sys
import time

import httpx
import trio

from bench.bench_webhook import Connection, _free_port, daemon_env, inbound, running
from bench.framework import Context, Row, row_from_latencies
from jorged.passwords import hash_password

RATE = 50.0  # webhooks a second
SECONDS = 8.0
LOGINS_PER_S = 20.0


async def _webhooks(port: int, prefix: str) -> list[float]:
    """POST RATE webhooks a second for SECONDS; each one's answer time."""
    latencies: list[float] = []
    count = int(RATE * SECONDS)
    bodies = [inbound(f"{prefix}-{i % 40:03d}", f"message {i}") for i in range(count)]
    send, recv = trio.open_memory_channel[bytes](count)

    async def worker() -> None:
        conn = await Connection.open(port)
        try:
            async for body in recv:
                began = time.perf_counter()
                status = await conn.post("/webhooks/ghl", body)
                latencies.append(time.perf_counter() - began)
                if status != 200:
                    msg = f"webhook answered {status}"
                    raise RuntimeError(msg)
        finally:
            await conn.aclose()

    start = trio.current_time() + 0.1
    async with trio.open_nursery() as nursery:
        for _ in range(8):
            nursery.start_soon(worker)
        async with send:
            for i, body in enumerate(bodies):
                await trio.sleep_until(start + i / RATE)
                send.send_nowait(body)
    return latencies


async def _guess(port: int, stop: float) -> tuple[int, int]:
    """Wrong logins at LOGINS_PER_S until `stop`, each from its own address and
    name, as concurrent requests; (sent, checked with a 401)."""
    sent = checked = 0

    async def one(client: httpx.AsyncClient, i: int) -> None:
        nonlocal checked
        address = f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
        got = await client.post(
            "/login",
            data={"username": f"guess{i}", "password": f"wrong{i}"},
            headers={"X-Forwarded-For": address},
        )
        checked += got.status_code == 401

    async with (
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client,
        trio.open_nursery() as nursery,
    ):
        began = trio.current_time()
        while time.monotonic() < stop:
            nursery.start_soon(one, client, sent)
            sent += 1
            await trio.sleep_until(began + sent / LOGINS_PER_S)
    return sent, checked


async def _under_attack(port: int) -> tuple[list[float], int]:
    stop = time.monotonic() + SECONDS + 0.5
    counts = (0, 0)

    async def attack() -> None:
        nonlocal counts
        counts = await _guess(port, stop)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(attack)
        await trio.sleep(0.3)  # the guesses are flowing before the webhooks start
        latencies = await _webhooks(port, "attacked")
    return latencies, counts[1]


def run(ctx: Context) -> list[Row]:
    port = _free_port()
    workdir = ctx.workdir / "login"
    env = daemon_env(ctx, workdir, port, 0.0)
    env["JORGED_DASHBOARD__PASSWORD_HASH"] = hash_password("the real password")
    env["JORGED_WEB__TRUSTED_PROXIES"] = '["127.0.0.1"]'
    with ctx.redis.client() as c:
        c.flushall()
    with running(
        [sys.executable, "-m", "jorged"],
        env,
        workdir,
        f"http://127.0.0.1:{port}/readyz",
    ):
        quiet = trio.run(_webhooks, port, "quiet")
        attacked, checked = trio.run(_under_attack, port)
    quiet_row = row_from_latencies("webhook, quiet (50/s)", quiet, SECONDS)
    attacked_row = row_from_latencies(
        f"webhook with {LOGINS_PER_S:.0f} wrong logins/s ({checked} scrypt checks)",
        attacked,
        SECONDS,
    )
    assert quiet_row.p99_ms is not None
    assert attacked_row.p99_ms is not None
    ratio = attacked_row.p99_ms / quiet_row.p99_ms
    verdict = "ok" if ratio <= 1.5 else "over target"
    summary = Row(
        name=f"login brute force: webhook p99 {ratio:.2f}x quiet (target <= 1.5x, {verdict})",
        ops=len(attacked),
        seconds=SECONDS,
        p99_ms=attacked_row.p99_ms,
    )
    return [quiet_row, attacked_row, summary]
