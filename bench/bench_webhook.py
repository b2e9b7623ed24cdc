"""Inbound webhooks through the real daemon: messages/s and webhook→reply latency.

The daemon (`python -m jorged`, sandbox mode, Redis up) runs in its own process and
gets 1,000 seller conversations at once over loopback HTTP, one text each (a
first message, answered by the opener and the first question in one SMS):

- throughput: all texts sent as fast as 64 keep-alive connections allow; the
  messages/s count up to the last reply enqueued in the outbox, and, in one more
  row, up to the moment the daemon is idle again (every text's follow-on work
  done: its sandboxed send, lead analysis, events and dashboard figures);
- latency: the same load paced at 200 messages/s (open loop: each text's clock
  starts at its scheduled send time), from the webhook request to its reply being
  enqueued (the outbox item's `created_at`); and a lighter load the daemon keeps
  up with, for comparison. Each paced run starts once the daemon is idle again:
  the flood's follow-on work (sandboxed sends, lead analyses, dashboard figures)
  is not part of the paced load.

The batch window (2 s by default) is a deliberate wait before replying, so these rows
run with `seller.batch_window_s = 0`; one more row runs at the default window.

Baseline in the same run: a bare FastAPI route on uvicorn doing one Redis SET
(redis.asyncio), under the same 64-connection load.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import redis.asyncio as aioredis
import trio
import uvicorn
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from bench.framework import Context, Row, percentile, row_from_latencies

CONVERSATIONS = 1000
#: One text per conversation: the opener turn, answered by one SMS.
TEXTS = ("hi, thinking about selling",)
CONNECTIONS = 64
PACED_RATE = 200.0
#: A rate the daemon sustains on this machine (see the module docstring).
STEADY_RATE = 25.0
STEADY_COUNT = 150
START_TIMEOUT_S = 60.0
REPLY_TIMEOUT_S = 90.0
_CONTENT_LENGTH = re.compile(rb"content-length:\s*(\d+)", re.IGNORECASE)
#: port → pid of each daemon `daemon()` is running.
DAEMON_PIDS: dict[int, int] = {}
_REPLIES = re.compile(r"^jorged_replies_total (\S+)$", re.MULTILINE)


# --- a small keep-alive HTTP/1.1 client (the load must not be the bottleneck) ---------


class Connection:
    """One keep-alive connection sending JSON POSTs and reading whole responses."""

    def __init__(self, stream: trio.SocketStream) -> None:
        self.stream = stream
        self.buf = bytearray()

    @classmethod
    async def open(cls, port: int) -> Connection:
        return cls(await trio.open_tcp_stream("127.0.0.1", port))

    async def post(self, path: str, body: bytes) -> int:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        await self.stream.send_all(head + body)
        while (end := self.buf.find(b"\r\n\r\n")) < 0:
            await self._fill()
        head_end = end + 4
        match = _CONTENT_LENGTH.search(self.buf, 0, head_end)
        length = int(match.group(1)) if match else 0
        while len(self.buf) < head_end + length:
            await self._fill()
        status = int(self.buf[9:12])
        del self.buf[: head_end + length]
        return status

    async def _fill(self) -> None:
        data = await self.stream.receive_some(65536)
        if not data:
            msg = "the server closed the connection"
            raise ConnectionError(msg)
        self.buf += data

    async def aclose(self) -> None:
        await self.stream.aclose()


def inbound(contact: str, text: str) -> bytes:
    return json.dumps(
        {
            "type": "InboundMessage",
            "locationId": "bench",
            "contactId": contact,
            "messageId": uuid.uuid4().hex,
            "messageType": "SMS",
            "direction": "inbound",
            "body": text,
            "dateAdded": datetime.now(UTC).isoformat(),
        }
    ).encode()


def plan(
    prefix: str, texts: tuple[str, ...], conversations: int = CONVERSATIONS
) -> list[tuple[str, str]]:
    """(contact, text) in sending order: every contact's first text, then seconds."""
    contacts = [f"{prefix}-{k:04d}" for k in range(conversations)]
    return [(c, t) for t in texts for c in contacts]


async def flood(port: int, bodies: list[bytes]) -> tuple[list[float], float, float]:
    """POST all bodies over CONNECTIONS connections as fast as they are answered.

    Returns the request latencies (s), the wall time of the first send and the
    loop's duration.
    """
    latencies: list[float] = []
    failures: list[int] = []
    queue = iter(bodies)

    async def worker() -> None:
        conn = await Connection.open(port)
        try:
            for body in queue:
                t0 = time.perf_counter()
                status = await conn.post("/webhooks/ghl", body)
                latencies.append(time.perf_counter() - t0)
                if status != 200:
                    failures.append(status)
        finally:
            await conn.aclose()

    started_wall = time.time()
    started = time.perf_counter()
    async with trio.open_nursery() as nursery:
        for _ in range(CONNECTIONS):
            nursery.start_soon(worker)
    if failures:
        msg = f"{len(failures)} webhooks failed, e.g. HTTP {failures[0]}"
        raise RuntimeError(msg)
    return latencies, started_wall, time.perf_counter() - started


async def paced(port: int, bodies: list[bytes], rate: float) -> list[float]:
    """POST body i at start + i/rate; the wall-clock scheduled send time of each."""
    send, recv = trio.open_memory_channel[tuple[int, bytes]](len(bodies))
    failures: list[int] = []

    async def worker() -> None:
        conn = await Connection.open(port)
        try:
            async for _i, body in recv:
                status = await conn.post("/webhooks/ghl", body)
                if status != 200:
                    failures.append(status)
        finally:
            await conn.aclose()

    start = trio.current_time() + 0.2
    start_wall = time.time() + 0.2
    scheduled = [start_wall + i / rate for i in range(len(bodies))]
    async with trio.open_nursery() as nursery:
        for _ in range(CONNECTIONS):
            nursery.start_soon(worker)
        async with send:
            for i, body in enumerate(bodies):
                await trio.sleep_until(start + i / rate)
                send.send_nowait((i, body))
    if failures:
        msg = f"{len(failures)} webhooks failed, e.g. HTTP {failures[0]}"
        raise RuntimeError(msg)
    return scheduled


# --- the servers -----------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_http(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            msg = f"{url}: server exited with {proc.returncode}:\n{log.read_text()}"
            raise RuntimeError(msg)
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    msg = f"{url}: not up within {START_TIMEOUT_S} s"
    raise RuntimeError(msg)


@contextmanager
def running(
    cmd: list[str], env: dict[str, str], workdir: Path, ready_url: str
) -> Iterator[subprocess.Popen[bytes]]:
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=workdir, env=env, stdout=out, stderr=out)
    try:
        _wait_http(ready_url, proc, log)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def daemon_env(ctx: Context, workdir: Path, port: int, window: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JORGED_")}
    env.update(
        {
            "JORGED_WEB__PORT": str(port),
            "JORGED_STORE__DIR": str(workdir / "state"),
            "JORGED_CONTROL__SOCKET": str(workdir / "control.sock"),
            "JORGED_REDIS__URL": ctx.redis.url,
            "JORGED_LOG__LEVEL": "warning",
            "JORGED_SELLER__BATCH_WINDOW_S": str(window),
            "JORGED_SELLER__QUIET_HOURS_START": "0",
            "JORGED_SELLER__QUIET_HOURS_END": "0",
            "NICEGUI_STORAGE_PATH": str(workdir / ".nicegui"),
        }
    )
    return env


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int, *, busy_below: float = 0.05, window_s: float = 0.5) -> float:
    """Wait until the process uses under `busy_below` of a core over `window_s`.

    What a flood leaves behind (sandboxed sends, lead analyses, dashboard figures)
    runs on after its replies are enqueued; a latency run starting in the middle of
    it would measure that backlog, not the paced load.
    Returns the wall time (epoch seconds) at which the idle window began.
    """
    deadline = time.monotonic() + REPLY_TIMEOUT_S
    while time.monotonic() < deadline:
        began = time.time()
        before = cpu_seconds(pid)
        time.sleep(window_s)
        if cpu_seconds(pid) - before < busy_below * window_s:
            return began
    msg = f"the daemon was still busy {REPLY_TIMEOUT_S} s after the load"
    raise RuntimeError(msg)


@contextmanager
def daemon(ctx: Context, name: str, window: float) -> Iterator[int]:
    port = _free_port()
    workdir = ctx.workdir / name
    with ctx.redis.client() as c:
        c.flushall()
    with running(
        [sys.executable, "-m", "jorged"],
        daemon_env(ctx, workdir, port, window),
        workdir,
        f"http://127.0.0.1:{port}/readyz",
    ) as proc:
        DAEMON_PIDS[port] = proc.pid
        try:
            yield port
        finally:
            del DAEMON_PIDS[port]


def replies_enqueued(http: httpx.Client) -> int:
    """The daemon's count of bot replies enqueued after an inbound turn (/metrics)."""
    match = _REPLIES.search(http.get("/metrics").text)
    return int(float(match.group(1))) if match else 0


def reply_times(port: int, expected: int) -> dict[str, list[float]]:
    """Epoch seconds at which each contact's SMS replies were enqueued, in order.

    Waits on the replies counter (cheap), then reads the outbox once: reading the
    whole outbox while the daemon is still working would load what is measured.
    """
    deadline = time.monotonic() + REPLY_TIMEOUT_S
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
        while (done := replies_enqueued(http)) < expected:
            if time.monotonic() > deadline:
                msg = f"only {done} of {expected} replies after {REPLY_TIMEOUT_S} s"
                raise RuntimeError(msg)
            time.sleep(0.2)
        items = http.get("/api/outbox").json()["items"]
    sms = [i for i in items if i["kind"] == "sms"]
    if len(sms) < expected:
        msg = f"the replies counter says {expected}, the outbox holds {len(sms)} texts"
        raise RuntimeError(msg)
    by_contact: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for item in sms:
        at = datetime.fromisoformat(item["created_at"]).timestamp()
        by_contact[item["contact_id"]].append((item["id"], at))
    return {c: [at for _id, at in sorted(v)] for c, v in by_contact.items()}


def reply_latencies(
    sent: list[tuple[str, float]], replies: dict[str, list[float]]
) -> list[float]:
    """Match the k-th text of a contact with its k-th reply: the seconds between."""
    seen: dict[str, int] = defaultdict(int)
    out = []
    for contact, at in sent:
        k = seen[contact]
        seen[contact] += 1
        out.append(replies[contact][k] - at)
    return out


# --- the runs --------------------------------------------------------------------------


def baseline_server(port: int, redis_url: str) -> None:
    """A bare FastAPI route doing one Redis SET, served like the daemon's routes."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    client = aioredis.Redis.from_url(redis_url)
    counter = itertools.count()

    @app.get("/healthz")
    async def healthz() -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    @app.post("/webhooks/ghl")
    async def hook(request: Request) -> Response:
        await client.set(f"bench:webhook:{next(counter)}", await request.body())
        return Response(b'{"status":"accepted"}', media_type="application/json")

    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        loop="asyncio",
        log_config=None,
        access_log=False,
    )


def baseline(ctx: Context) -> Row:
    port = _free_port()
    bodies = [inbound(c, t) for c, t in plan("base", TEXTS)]
    cmd = [sys.executable, "-m", "bench.bench_webhook", "baseline", str(port)]
    env = {**os.environ, "BENCH_REDIS_URL": ctx.redis.url}
    root = Path(__file__).resolve().parent.parent
    env["PYTHONPATH"] = str(root) + os.pathsep + env.get("PYTHONPATH", "")
    with running(
        cmd, env, ctx.workdir / "baseline", f"http://127.0.0.1:{port}/healthz"
    ):
        latencies, _wall, seconds = trio.run(flood, port, bodies)
    return row_from_latencies(
        f"baseline: FastAPI + 1 Redis SET, {CONNECTIONS} conns", latencies, seconds
    )


def with_no_window(ctx: Context, base: str) -> list[Row]:
    rows = []
    with daemon(ctx, "daemon-window-0", 0.0) as port:
        bodies = [inbound(c, t) for c, t in plan("flood", TEXTS)]
        latencies, started_wall, seconds = trio.run(flood, port, bodies)
        rows.append(
            row_from_latencies(
                f"webhook answered (HTTP), batch_window_s=0, {CONNECTIONS} conns",
                latencies,
                seconds,
                baseline=base,
            )
        )
        replies = reply_times(port, len(bodies))
        last = max(at for ats in replies.values() for at in ats)
        rows.append(
            Row(
                name=f"inbound to reply enqueued, batch_window_s=0, {CONVERSATIONS} convs",
                ops=len(bodies),
                seconds=last - started_wall,
                unit="msgs/s",
                baseline=base,
            )
        )
        expected = len(bodies)
        idle = wait_idle(DAEMON_PIDS[port])
        rows.append(
            Row(
                name=f"inbound to all its work done (daemon idle), {CONVERSATIONS} convs",
                ops=len(bodies),
                seconds=idle - started_wall,
                unit="msgs/s",
                baseline=base,
            )
        )
        for prefix, rate, count in (
            ("paced", PACED_RATE, CONVERSATIONS),
            ("steady", STEADY_RATE, STEADY_COUNT),
        ):
            paced_plan = plan(prefix, TEXTS, count)
            bodies = [inbound(c, t) for c, t in paced_plan]
            scheduled = trio.run(paced, port, bodies, rate)
            expected += len(bodies)
            replies = reply_times(port, expected)
            wait_idle(DAEMON_PIDS[port])
            sent = [(c, at) for (c, _t), at in zip(paced_plan, scheduled, strict=True)]
            rows.append(
                _latency_row(
                    f"webhook→reply enqueued @{rate:.0f}/s, batch_window_s=0, "
                    f"{count} convs",
                    reply_latencies(sent, replies),
                    rate,
                )
            )
    return rows


def with_default_window(ctx: Context) -> Row:
    with daemon(ctx, "daemon-window-2", 2.0) as port:
        paced_plan = plan("window", TEXTS, STEADY_COUNT)
        bodies = [inbound(c, t) for c, t in paced_plan]
        scheduled = trio.run(paced, port, bodies, STEADY_RATE)
        replies = reply_times(port, len(bodies))
        sent = [(c, at) for (c, _t), at in zip(paced_plan, scheduled, strict=True)]
        lat = reply_latencies(sent, replies)
    return _latency_row(
        f"webhook→reply enqueued @{STEADY_RATE:.0f}/s, batch_window_s=2 (default), "
        f"{STEADY_COUNT} convs",
        lat,
        STEADY_RATE,
    )


def _latency_row(name: str, latencies: list[float], rate: float) -> Row:
    if min(latencies) < -0.01:
        msg = f"{name}: a reply before its message ({min(latencies):.3f} s)"
        raise RuntimeError(msg)
    return Row(
        name=name,
        ops=len(latencies),
        seconds=len(latencies) / rate,
        p50_ms=percentile(latencies, 50) * 1000,
        p95_ms=percentile(latencies, 95) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        unit="msgs/s",
    )


def run(ctx: Context) -> list[Row]:
    base = baseline(ctx)
    rows = [base, *with_no_window(ctx, base.name), with_default_window(ctx)]
    if not all(math.isfinite(r.throughput) for r in rows):
        msg = "a row measured no time"
        raise RuntimeError(msg)
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["baseline"]:
        baseline_server(int(sys.argv[2]), os.environ["BENCH_REDIS_URL"])
    else:
        sys.exit("usage: python -m bench.bench_webhook baseline PORT")
