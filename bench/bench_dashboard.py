"""The dashboard under load: webhook latency and live-feed delay (issue 6).

Target: with 25 signed-in dashboard clients watching the live feed while 100
messages/s arrive through the webhook, the webhook p99 stays under 100 ms and the
feed delay p95 under 1 s.

The daemon (`python -m jorged`, sandbox mode, Redis up, `seller.batch_window_s = 0`,
quiet hours off, a dashboard password) runs in its own process, a fresh one for
each of two phases (so that one phase's backlog does not delay the other). Each
phase sends one inbound SMS per new contact at 100 messages/s (open loop, from a
sender in its own process so that the clients' work does not delay it):

1. quiet: no dashboard client is connected (the baseline, 10 s);
2. live: 25 clients are signed in and have the overview page (`/`, which holds the
   live activity feed) open (20 s).

Each client behaves like a browser tab, minus the rendering: it loads `/login`,
connects NiceGUI's socket.io (`/_nicegui_ws/socket.io`, implicit handshake with the
`client_id` from the page), types the user name and password and clicks "Sign in"
(socket.io `event` messages), waits for the navigation to `/`, loads `/` with the
session cookie and connects a new socket.io for that page. It answers the page's
`run_javascript` requests (the colour-scheme query) and counts itself ready when the
server pushes the feed's first render.

Measured:

- webhook latency: from each request's scheduled send time (so a request that waits
  for one of the 64 connections counts that wait) until its response;
- feed delay: from a message's scheduled send time until a client receives the
  socket.io `update` in which the feed has caught up with it: a line for that
  message's contact, or for one sent after it (the feed links each event's contact;
  every contact is new, so a contact names one message). The feed shows the newest
  60 events and redraws at most 4 times a second, so at 100 messages/s (about 7
  events each) most lines scroll past between two redraws; a row counts the
  messages whose own line a client saw. One sample per (message, client) pair.
  Pairs still unseen `TAIL_S` after the last scheduled send are missed; the "all
  pairs" row counts each as the time waited for it, a lower bound, and another row
  gives the delays of the pairs that did arrive.

Requests still unanswered `TAIL_S` after the last scheduled send are given up and
count with the time waited (a lower bound); this keeps the run under ~90 s when the
daemon falls behind.

Clocks: both processes take `time.monotonic()` (CLOCK_MONOTONIC, system-wide).
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import html
import json
import os
import re
import secrets
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import attrs
import socketio
import trio

from bench.bench_webhook import (
    CONNECTIONS,
    Connection,
    _free_port,
    daemon_env,
    inbound,
    plan,
    running,
)
from bench.framework import Context, Row, percentile
from jorged.passwords import hash_password

Json = dict[str, Any]

CLIENTS = 25
RATE = 100.0
QUIET_SECONDS = 10.0
LIVE_SECONDS = 20.0
#: Budget for signing in and opening the overview page (per client).
OPEN_TIMEOUT_S = 30.0
SIGN_IN_GAP_S = 0.3
USERNAME = "jorge"
#: What the login form shows for a wrong user name or password.
WRONG = "Wrong user name or password."
TEXTS = ("hi, thinking about selling",)
#: The status recorded for a request whose connection broke.
CONNECTION_LOST = 0
#: The status recorded for a request unanswered `TAIL_S` after the last send.
TIMED_OUT = -1
#: How long after the last scheduled send requests may still be answered and the
#: clients may still catch up; what is missing then counts as timed out or missed.
TAIL_S = 10.0
SOCKET_PATH = "/_nicegui_ws/socket.io"
_ELEMENTS = re.compile(r"parseElements\(String\.raw`(.*?)`\)", re.DOTALL)
_QUERY = re.compile(r"^\s*query: (\{.*\}),\s*$", re.MULTILINE)
_UNESCAPE = (("&#36;", "$"), ("&#96;", "`"), ("&gt;", ">"), ("&lt;", "<"))


# --- the sender (its own process) ------------------------------------------------------


@attrs.frozen
class Sent:
    """One webhook request: its scheduled send time (monotonic s), latency, status."""

    contact: str
    scheduled: float
    latency: float
    status: int


async def paced_timed(port: int, contacts: list[str], rate: float) -> list[Sent]:
    """POST contact i's first text at start + i/rate; each request's outcome.

    Requests still unanswered `TAIL_S` after the last scheduled send are given up
    (`TIMED_OUT`, their latency the time waited so far).
    """
    bodies = [inbound(c, TEXTS[0]) for c in contacts]
    send, recv = trio.open_memory_channel[int](len(bodies))
    done: list[Sent] = []
    start_trio = trio.current_time() + 0.2
    start_mono = time.monotonic() + 0.2
    scheduled = [start_mono + i / rate for i in range(len(bodies))]

    async def worker() -> None:
        conn = await Connection.open(port)
        try:
            async for i in recv:
                try:
                    status = await conn.post("/webhooks/ghl", bodies[i])
                except (ConnectionError, trio.BrokenResourceError):
                    status = CONNECTION_LOST
                    await conn.aclose()
                    conn = await Connection.open(port)
                latency = time.monotonic() - scheduled[i]
                done.append(Sent(contacts[i], scheduled[i], latency, status))
        finally:
            await conn.aclose()

    deadline = start_trio + (len(bodies) - 1) / rate + TAIL_S
    with trio.move_on_at(deadline):
        async with trio.open_nursery() as nursery:
            for _ in range(CONNECTIONS):
                nursery.start_soon(worker)
            async with send:
                for i in range(len(bodies)):
                    await trio.sleep_until(start_trio + i / rate)
                    send.send_nowait(i)
    answered = {s.contact for s in done}
    given_up = time.monotonic()
    return done + [
        Sent(c, at, given_up - at, TIMED_OUT)
        for c, at in zip(contacts, scheduled, strict=True)
        if c not in answered
    ]


def sender_main(port: int, prefix: str, count: int, rate: float) -> None:
    contacts = [c for c, _t in plan(prefix, TEXTS, count)]
    sent = trio.run(paced_timed, port, contacts, rate)
    json.dump([attrs.astuple(s) for s in sent], sys.stdout)


async def send_load(port: int, prefix: str, count: int) -> list[Sent]:
    """Run the sender process to completion; what it sent."""
    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "PYTHONPATH": f"{root}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    }
    args = [
        "-m",
        "bench.bench_dashboard",
        "send",
        str(port),
        prefix,
        str(count),
        str(RATE),
    ]
    proc = await asyncio.create_subprocess_exec(
        sys.executable, *args, env=env, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await proc.communicate()
    if proc.returncode != 0:
        msg = f"the sender exited with {proc.returncode}"
        raise RuntimeError(msg)
    return [Sent(*row) for row in json.loads(out)]


# --- one dashboard client -------------------------------------------------------------


@attrs.frozen
class Page:
    """What a NiceGUI page's HTML tells its socket.io client."""

    query: dict[str, str]
    elements: dict[str, Json]

    @classmethod
    def parse(cls, html: str) -> Page:
        elements, query = _ELEMENTS.search(html), _QUERY.search(html)
        if elements is None or query is None:
            msg = "not a NiceGUI page (no elements or socket.io query)"
            raise RuntimeError(msg)
        raw = elements.group(1)
        for escaped, char in (*_UNESCAPE, ("&amp;", "&")):
            raw = raw.replace(escaped, char)
        params = ast.literal_eval(query.group(1))
        return cls(
            query={
                k: str(v).lower() if isinstance(v, bool) else str(v)
                for k, v in params.items()
            },
            elements=json.loads(raw),
        )

    def find(self, what: str, test: Callable[[Json], bool]) -> str:
        """The id of the one element passing `test`."""
        found = [k for k, el in self.elements.items() if test(el)]
        if len(found) != 1:
            msg = f"{what}: {len(found)} matching elements on the page"
            raise RuntimeError(msg)
        return found[0]

    def listener(self, element_id: str, event: str) -> str:
        for listener in self.elements[element_id].get("events", []):
            if listener["type"] == event:
                return str(listener["listener_id"])
        msg = f"element {element_id} has no {event!r} listener"
        raise RuntimeError(msg)

    def socket_url(self, base: str) -> str:
        query = {
            **self.query,
            "document_id": secrets.token_hex(16),
            "tab_id": secrets.token_hex(16),
        }
        return f"{base}/?{urlencode(query)}"


def _prop(name: str, value: str) -> Callable[[Json], bool]:
    return lambda el: el.get("props", {}).get(name) == value


_CONTACT_LINK = re.compile(r'href="/conversations/([^"]+)"')


def _contacts_shown(element: Json) -> list[str]:
    """The contacts an element links to: feed lines link each event's contact."""
    content = element.get("props", {}).get("innerHTML")
    if not isinstance(content, str):
        return []
    return [html.unescape(c) for c in _CONTACT_LINK.findall(content)]


def _says(update: dict[str, Any], text: str) -> bool:
    """True when an `update` message shows an element with this text."""
    return any(isinstance(e, dict) and e.get("text") == text for e in update.values())


@attrs.define
class DashboardClient:
    """A signed-in browser tab on the overview page, recording feed arrivals."""

    base: str
    password: str
    http: aiohttp.ClientSession
    #: Contact id -> when the feed first showed it, or a message sent after it
    #: (monotonic s): when the feed had caught up with that message.
    seen: dict[str, float] = attrs.field(factory=dict)
    #: The contacts whose own line the feed showed.
    shown: set[str] = attrs.field(factory=set)
    _order: dict[str, int] = attrs.field(factory=dict)
    _in_order: list[str] = attrs.field(factory=list)
    _next: int = 0
    updates: int = 0
    ready: asyncio.Event = attrs.field(factory=asyncio.Event)
    complete: asyncio.Event = attrs.field(factory=asyncio.Event)
    _remaining: set[str] = attrs.field(factory=set)
    _sio: socketio.AsyncClient | None = None
    _feed_id: str = ""
    _client_id: str = ""

    @classmethod
    def new(cls, base: str, password: str) -> DashboardClient:
        jar = aiohttp.CookieJar(unsafe=True)  # cookies from 127.0.0.1
        return cls(base, password, aiohttp.ClientSession(cookie_jar=jar))

    async def sign_in(self) -> None:
        """The login form, driven over socket.io as the browser does it."""
        page = await self._get("/login")
        user = page.find("user name input", _prop("autocomplete", "username"))
        password = page.find(
            "password input", _prop("autocomplete", "current-password")
        )
        submit = page.find("sign-in button", _prop("label", "Sign in"))
        outcome: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

        def navigated(msg: Json) -> None:  # `ui.navigate.to("/")` after a login
            if not outcome.done():
                outcome.set_result(msg.get("path") == "/")

        def refused(update: Json) -> None:
            if _says(update, WRONG) and not outcome.done():
                outcome.set_result(False)

        sio = self._socket()
        sio.on("open", navigated)
        sio.on("update", refused)
        await self._connect(sio, page)
        client_id = page.query["client_id"]
        for element, value in ((user, USERNAME), (password, self.password)):
            await sio.emit(
                "event",
                {
                    "id": int(element),
                    "client_id": client_id,
                    "listener_id": page.listener(element, "update:value"),
                    "args": [json.dumps(value)],
                },
            )
        await sio.emit(
            "event",
            {
                "id": int(submit),
                "client_id": client_id,
                "listener_id": page.listener(submit, "click"),
                "args": [],
            },
        )
        signed_in = await outcome
        await sio.disconnect()
        if not signed_in:
            msg = "the dashboard refused the login"
            raise RuntimeError(msg)

    async def open_overview(self) -> None:
        """Load `/`, connect its socket.io and wait for the feed's first render."""
        page = await self._get("/")
        feed = page.find("activity feed", _prop("aria-label", "Activity feed"))
        # The feed's lines are one HTML element inside the log column.
        self._feed_id = str(page.elements[feed]["children"][0])
        sio = self._socket()
        sio.on("update", self._on_update)
        sio.on("run_javascript", self._answer_js)
        self._client_id = page.query["client_id"]
        await self._connect(sio, page)
        self._sio = sio
        await self.ready.wait()

    def expect(self, contacts: list[str]) -> None:
        """Watch for these contacts (in sending order); `complete` once all arrived."""
        self._in_order = list(contacts)
        self._order = {c: i for i, c in enumerate(contacts)}
        self._next = 0
        self._remaining = set(contacts) - self.seen.keys()
        self.complete.clear()

    def settle(self, accepted: set[str]) -> None:
        """Stop waiting for contacts whose webhook failed (they make no feed line)."""
        self._remaining &= accepted
        if not self._remaining:
            self.complete.set()

    def _on_update(self, data: dict[str, Any]) -> None:
        now = time.monotonic()
        self.updates += 1
        if self._feed_id in data:
            self.ready.set()
        newest = -1
        for element in data.values():  # element dicts, None (deleted), and "_id"
            if not isinstance(element, dict):
                continue
            for contact in _contacts_shown(element):
                if contact in self._order:
                    self.shown.add(contact)
                    newest = max(newest, self._order[contact])
        # The feed lists the newest events: showing message k means it caught up
        # with every message sent before k too (older lines scroll past unseen
        # when more events arrive between two redraws than the feed holds).
        while self._next <= newest:
            contact = self._in_order[self._next]
            self._next += 1
            if contact in self._remaining:
                self.seen[contact] = now
                self._remaining.discard(contact)
        if not self._remaining:
            self.complete.set()

    async def _answer_js(self, msg: Json) -> None:
        """Answer awaited `run_javascript` calls (only the colour-scheme query)."""
        request_id = msg.get("request_id")
        if self._sio is None or request_id is None:
            return
        await self._sio.emit(
            "javascript_response",
            {
                "request_id": request_id,
                "client_id": self._client_id,
                "result": False,  # prefers-color-scheme: dark
            },
        )

    async def _get(self, path: str) -> Page:
        async with self.http.get(self.base + path) as response:
            response.raise_for_status()
            return Page.parse(await response.text())

    def _socket(self) -> socketio.AsyncClient:
        return socketio.AsyncClient(reconnection=False, http_session=self.http)

    async def _connect(self, sio: socketio.AsyncClient, page: Page) -> None:
        url = page.socket_url(self.base.replace("http://", "ws://"))
        await sio.connect(url, transports=["websocket"], socketio_path=SOCKET_PATH)

    async def aclose(self) -> None:
        if self._sio is not None:
            await self._sio.disconnect()
        await self.http.close()


# --- the phases -----------------------------------------------------------------------


@attrs.frozen
class Phase:
    sent: list[Sent]
    seconds: float
    #: Feed delay (s) of each (message, client) pair that arrived.
    delays: list[float] = attrs.field(factory=list)
    #: Per missed pair, the time waited for it (s): a lower bound of its delay.
    missed: list[float] = attrs.field(factory=list)
    seen_per_client: list[int] = attrs.field(factory=list)
    #: CPU seconds the clients' process spent from the first send to the end.
    client_cpu_s: float = 0.0
    #: The median number of socket.io `update` messages a client received.
    updates_per_client: int = 0


async def quiet_phase(port: int) -> Phase:
    sent = await send_load(port, "quiet", int(RATE * QUIET_SECONDS))
    return Phase(sent=sent, seconds=_span(sent))


async def dashboard_mounted(base: str, timeout_s: float = 60.0) -> None:
    """Wait for the dashboard: it is mounted after the actors, pages 503 until then."""
    deadline = time.monotonic() + timeout_s
    async with aiohttp.ClientSession() as session:
        while True:
            async with session.get(f"{base}/login") as response:
                if response.status != 503:
                    return
            if time.monotonic() > deadline:
                msg = f"the dashboard was not mounted within {timeout_s} s"
                raise RuntimeError(msg)
            await asyncio.sleep(0.1)


async def open_clients(base: str, password: str) -> list[DashboardClient]:
    await dashboard_mounted(base)
    clients = [DashboardClient.new(base, password) for _ in range(CLIENTS)]

    async def one(client: DashboardClient, delay: float) -> None:
        # Sign-ins are paced under the daemon's shared limit on password checks
        # (4 a second): a burst of 25 at once would be refused as a guesser.
        await asyncio.sleep(delay)
        await client.sign_in()
        await client.open_overview()

    starts = (one(c, i * SIGN_IN_GAP_S) for i, c in enumerate(clients))
    await asyncio.wait_for(
        asyncio.gather(*starts), OPEN_TIMEOUT_S + CLIENTS * SIGN_IN_GAP_S
    )
    return clients


async def live_phase(port: int, password: str) -> Phase:
    count = int(RATE * LIVE_SECONDS)
    contacts = [c for c, _t in plan("live", TEXTS, count)]
    clients = await open_clients(f"http://127.0.0.1:{port}", password)
    try:
        for client in clients:
            client.expect(contacts)
        cpu_start = time.process_time()
        sent = await send_load(port, "live", count)
        accepted = {s.contact for s in sent if s.status == 200}
        for client in clients:
            client.settle(accepted)
        waiting = asyncio.gather(*(c.complete.wait() for c in clients))
        last = max(s.scheduled for s in sent)
        with contextlib.suppress(TimeoutError):  # what is missing now counts as missed
            await asyncio.wait_for(waiting, max(0.0, last + TAIL_S - time.monotonic()))
        cpu = time.process_time() - cpu_start
        return _feed_phase(sent, clients, accepted, cpu)
    finally:
        await asyncio.gather(*(c.aclose() for c in clients), return_exceptions=True)


def _span(sent: list[Sent]) -> float:
    """Seconds from the first scheduled send to the last answer (or giving up)."""
    return max(s.scheduled + s.latency for s in sent) - min(s.scheduled for s in sent)


def _feed_phase(
    sent: list[Sent],
    clients: list[DashboardClient],
    accepted: set[str],
    cpu: float,
) -> Phase:
    scheduled = {s.contact: s.scheduled for s in sent if s.contact in accepted}
    ended = time.monotonic()
    delays = [
        at - scheduled[contact]
        for client in clients
        for contact, at in client.seen.items()
        if contact in scheduled
    ]
    missed = [
        ended - at
        for client in clients
        for contact, at in scheduled.items()
        if contact not in client.seen
    ]
    seen = [len(c.shown & scheduled.keys()) for c in clients]
    if min(seen) == 0:
        msg = (
            f"a dashboard client saw none of {len(scheduled)} messages in its feed "
            f"(seen per client: {seen}; updates received: {[c.updates for c in clients]})"
        )
        raise RuntimeError(msg)
    updates = sorted(c.updates for c in clients)[len(clients) // 2]
    return Phase(sent, _span(sent), delays, missed, seen, cpu, updates)


# --- rows -----------------------------------------------------------------------------


def webhook_row(name: str, phase: Phase, *, baseline: str | None = None) -> Row:
    """Percentiles over every request; throughput counts the accepted ones (200)."""
    failed = Counter(_status_name(s.status) for s in phase.sent if s.status != 200)
    suffix = "".join(f", {n} {what}" for what, n in sorted(failed.items()))
    latencies = [s.latency for s in phase.sent]
    return Row(
        name=f"{name}{suffix}",
        ops=sum(1 for s in phase.sent if s.status == 200),
        seconds=phase.seconds,
        p50_ms=percentile(latencies, 50) * 1000,
        p95_ms=percentile(latencies, 95) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        baseline=baseline,
        unit="msgs/s",
    )


def _status_name(status: int) -> str:
    if status == TIMED_OUT:
        return f"unanswered {TAIL_S:.0f} s after the last send"
    if status == CONNECTION_LOST:
        return "connection lost"
    return f"HTTP {status}"


def feed_rows(phase: Phase) -> list[Row]:
    seen, pairs = len(phase.delays), len(phase.delays) + len(phase.missed)
    per_client = phase.seen_per_client
    every = _delay_row(
        f"feed delay, all {pairs} (msg, client) pairs, {CLIENTS} clients "
        f"({len(phase.missed)} missed, counted as waited)",
        phase.delays + phase.missed,
        phase,
    )
    arrived = _delay_row(
        f"feed delay, only the {seen} pairs that arrived", phase.delays, phase
    )
    count = Row(
        name=(
            f"messages with their own feed line, per client: min {min(per_client)} max "
            f"{max(per_client)} of {pairs // CLIENTS} msgs; median "
            f"{phase.updates_per_client} updates/client; "
            f"clients' CPU {phase.client_cpu_s:.1f} s"
        ),
        ops=seen,
        seconds=phase.seconds,
        unit="pairs/s",
    )
    return [every, arrived, count]


def _delay_row(name: str, delays: list[float], phase: Phase) -> Row:
    """Percentiles of `delays`; throughput counts the feed lines that arrived."""
    return Row(
        name=name,
        ops=len(phase.delays),
        seconds=phase.seconds,
        p50_ms=percentile(delays, 50) * 1000,
        p95_ms=percentile(delays, 95) * 1000,
        p99_ms=percentile(delays, 99) * 1000,
        unit="pairs/s",
    )


@contextmanager
def dashboard_daemon(ctx: Context, name: str, password: str) -> Iterator[int]:
    """The daemon with a dashboard login and no batch window; yields its port."""
    port = _free_port()
    workdir = ctx.workdir / name
    env = daemon_env(ctx, workdir, port, 0.0)
    env["JORGED_DASHBOARD__USERNAME"] = USERNAME
    env["JORGED_DASHBOARD__PASSWORD_HASH"] = hash_password(password)
    with ctx.redis.client() as c:
        c.flushall()
    cmd = [sys.executable, "-m", "jorged"]
    with running(cmd, env, workdir, f"http://127.0.0.1:{port}/readyz"):
        yield port


def run(ctx: Context) -> list[Row]:
    password = secrets.token_urlsafe(12)
    # One daemon per phase: the quiet phase's backlog must not delay the live one.
    with dashboard_daemon(ctx, "daemon-quiet", password) as port:
        quiet = asyncio.run(quiet_phase(port))
    with dashboard_daemon(ctx, "daemon-live", password) as port:
        live = asyncio.run(live_phase(port, password))
    base = webhook_row(f"webhook @{RATE:.0f}/s, no dashboard client", quiet)
    return [
        base,
        webhook_row(
            f"webhook @{RATE:.0f}/s, {CLIENTS} dashboard clients on the feed",
            live,
            baseline=base.name,
        ),
        *feed_rows(live),
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["send"] and len(sys.argv) == 6:
        sender_main(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
    else:
        sys.exit("usage: python -m bench.bench_dashboard send PORT PREFIX COUNT RATE")
