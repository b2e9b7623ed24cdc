"""Whole seller conversations through `POST /webhooks/ghl` of a running daemon.

One sandbox daemon (subprocess, Redis up, unsigned loopback webhooks, quiet hours
off, a 0.3 s batch window) serves the conversations of this module, each with its own
contact. A second daemon talks to the fake GHL API over HTTP (signed webhooks, a
calendar) for the hot hand-off with booking.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Self, TypeVar

import httpx
import pytest
import trio

from jorged.app import Daemon
from jorged.config import Config, ControlConfig, GhlConfig, RedisConfig, StoreConfig
from jorged.web import web_server as server
from jorged.web.routes import ROUTES
from tests.daemon import DaemonProcess, daemon_env
from tests.fakes.ghl_keys import rsa_signer
from tests.fakes.ghl_server import FakeGhl, open_fake_ghl
from tests.redis_server import RedisServer, free_port

T = TypeVar("T")

API_TOKEN = "conversations-api-token"
OPT_OUT_CONFIRMATION = (
    "You're unsubscribed and won't get more texts. Reply START to resume."
)
SANDBOX_ENV = {
    "JORGED_SELLER__BATCH_WINDOW_S": "0.3",
    "JORGED_SELLER__QUIET_HOURS_START": "0",
    "JORGED_SELLER__QUIET_HOURS_END": "0",
    "JORGED_API__TOKEN": API_TOKEN,
}
_ids = itertools.count(1)


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = 20.0) -> T:
    """Poll `probe` until it returns something truthy; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def start_daemon(workdir: Path, extra: dict[str, str]) -> DaemonProcess:
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    daemon = DaemonProcess(workdir, daemon_env(workdir, port, extra), port)
    daemon.start(timeout=60)
    return daemon


def inbound_payload(
    contact: str,
    text: str,
    location_id: str = "loc-test",
    message_id: str | None = None,
) -> dict[str, Any]:
    """An InboundMessage webhook body as GHL sends it for an SMS."""
    return {
        "type": "InboundMessage",
        "locationId": location_id,
        "contactId": contact,
        "messageId": message_id or f"m-{next(_ids)}-{uuid.uuid4().hex[:8]}",
        "conversationId": f"conv-{contact}",
        "messageType": "SMS",
        "direction": "inbound",
        "contentType": "text/plain",
        "body": text,
        "dateAdded": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
    }


class Client:
    """Talks to one daemon the way GHL and an operator do."""

    def __init__(
        self,
        daemon: DaemonProcess,
        *,
        api_token: str = "",
        location_id: str = "loc-test",
        sign: Callable[[bytes], str] | None = None,
    ) -> None:
        self.daemon = daemon
        self.http = httpx.Client(base_url=daemon.url, timeout=15)
        self.api_headers = {"Authorization": f"Bearer {api_token}"} if api_token else {}
        self.location_id = location_id
        self.sign = sign

    def close(self) -> None:
        self.http.close()

    # --- webhooks ---------------------------------------------------------------

    def post_raw(self, body: bytes, headers: dict[str, str] | None = None):
        headers = {"content-type": "application/json", **(headers or {})}
        if self.sign is not None and "x-wh-signature" not in headers:
            headers["x-wh-signature"] = self.sign(body)
        return self.http.post("/webhooks/ghl", content=body, headers=headers)

    def post(self, payload: dict[str, Any]) -> httpx.Response:
        return self.post_raw(json.dumps(payload).encode())

    def inbound(
        self, contact: str, text: str, message_id: str | None = None
    ) -> dict[str, Any]:
        return inbound_payload(contact, text, self.location_id, message_id)

    def text(self, contact: str, text: str, message_id: str | None = None) -> str:
        """Post an inbound SMS; its message id (the webhook was accepted)."""
        payload = self.inbound(contact, text, message_id)
        response = self.post(payload)
        assert response.status_code == 200, response.text
        assert response.json() == {"status": "accepted"}
        return payload["messageId"]

    def tags(self, contact: str, tags: list[str]) -> None:
        payload = {
            "type": "ContactTagUpdate",
            "locationId": self.location_id,
            "id": contact,
            "firstName": "Tess",
            "phone": "+19095550199",
            "tags": tags,
        }
        response = self.post(payload)
        assert response.status_code == 200, response.text
        assert response.json() == {"status": "accepted"}

    # --- API --------------------------------------------------------------------

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.request(method, path, headers=self.api_headers, **kwargs)

    def conversation(self, contact: str) -> dict[str, Any] | None:
        response = self.api("GET", f"/api/conversations/{contact}")
        if response.status_code == 404:
            return None
        assert response.status_code == 200, response.text
        return response.json()

    def outbox(self, contact: str) -> list[dict[str, Any]]:
        response = self.api("GET", "/api/outbox", params={"contact_id": contact})
        assert response.status_code == 200, response.text
        return sorted(response.json()["items"], key=lambda i: i["id"])

    def sms(self, contact: str) -> list[str]:
        return [i["text"] for i in self.outbox(contact) if i["kind"] == "sms"]

    # --- conversations ----------------------------------------------------------

    def handled(self, contact: str, message_id: str) -> dict[str, Any]:
        """The conversation once it records `message_id` (its turn is then done)."""

        def probe() -> dict[str, Any] | None:
            view = self.conversation(contact)
            if view and any(e["message_id"] == message_id for e in view["transcript"]):
                return view
            return None

        return wait_for(f"{contact} to handle {message_id}", probe)

    def say(self, contact: str, text: str) -> list[str]:
        """Text the bot and wait for the turn: the texts it answered with."""
        before = len(self.sms(contact))
        self.handled(contact, self.text(contact, text))
        return self.sms(contact)[before:]


def sandbox_client(
    tmp_path_factory: pytest.TempPathFactory, redis: RedisServer, name: str
) -> Iterator[Client]:
    """A sandboxed daemon on an emptied Redis, and a client of its API; stops it
    after (exit 0). The body of the module-scoped daemon fixtures."""
    if not redis.running:
        redis.start()
    with redis.client() as c:
        c.flushall()
    env = {**SANDBOX_ENV, "JORGED_REDIS__URL": redis.url}
    daemon = start_daemon(tmp_path_factory.mktemp(f"{name}-daemon"), env)
    client = Client(daemon, api_token=API_TOKEN)
    yield client
    client.close()
    assert daemon.terminate() == 0


@pytest.fixture(scope="module", name="sandbox")
def _sandbox(
    tmp_path_factory: pytest.TempPathFactory, redis_server_session: RedisServer
) -> Iterator[Client]:
    yield from sandbox_client(tmp_path_factory, redis_server_session, "sandbox")


def contact_id(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}"


class TestConversations:
    """Whole conversations through the daemon. The engine's conversations (warm,
    cold, curious, everything in one message, ...) are scripted in
    tests/conversations/ and run by tests/jorged/control/test_scripted.py."""

    def test_hot(self, sandbox: Client):
        """Four clear answers after an API start make a hot seller handed to Jorge."""
        c = contact_id("hot")
        started = sandbox.api(
            "POST", "/api/conversations", json={"contact_id": c, "first_name": "Maria"}
        )
        assert started.status_code == 201, started.text
        assert sandbox.sms(c) == [
            (
                "Hey Maria, it's Jorge. What's got you considering wanting to sell, "
                "where would you move to?"
            )
        ]
        assert "30 to 45 days" in sandbox.say(c, "Job transfer to Austin")[0]
        assert "move in ready" in sandbox.say(c, "no that works")[0]
        (price_q,) = sandbox.say(c, "needs some paint")
        assert price_q.endswith("What price would incentivize you to sell?")
        sandbox.say(c, "around 425k")
        # No calendar in sandbox mode: the hand-off closes with a call today.
        close = wait_for("the hot close", lambda: sandbox.sms(c)[4:])
        assert close[0].startswith("Thanks Maria, that's everything I need.")
        view = sandbox.conversation(c)
        assert (view["stage"], view["temperature"]) == ("qualified", "hot")
        items = sandbox.outbox(c)
        kinds = {i["kind"] for i in items}
        assert {"add_tags", "remove_tags", "notify_agent", "calendar_slots"} <= kinds
        # Each item says what it does, not just its kind.
        added = [i for i in items if i["kind"] == "add_tags"]
        assert any("Hot-Seller" in i["content"]["tags"] for i in added)
        assert any(i["summary"].startswith("Add tags: ") for i in added)
        fields = [i for i in items if i["kind"] == "update_fields"]
        written = {k: v for i in fields for k, v in i["content"]["fields"].items()}
        assert written.get("seller_temperature") == "hot"
        assert any("seller_temperature = hot" in i["summary"] for i in fields)
        shown = sandbox.daemon.ctl("outbox", c).stdout
        assert "Add tags: " in shown
        assert "Hot-Seller" in shown

    def test_opt_out_midway_is_final(self, sandbox: Client):
        """After STOP one confirmation goes out, then nothing ever again."""
        c = contact_id("optout")
        sandbox.say(c, "hi")
        sandbox.say(c, "relocating to Denver")
        assert sandbox.say(c, "STOP") == [OPT_OUT_CONFIRMATION]
        sent = len(sandbox.outbox(c))
        assert sandbox.say(c, "actually what was the question?") == []
        assert sandbox.say(c, "no that works") == []
        view = sandbox.conversation(c)
        assert view["flags"]["opted_out"] is True
        items = sandbox.outbox(c)
        assert len(items) == sent
        assert [i["kind"] for i in items if i["kind"] in {"sms", "set_dnd"}][-2:] == [
            "sms",
            "set_dnd",
        ]

    def test_help(self, sandbox: Client):
        """HELP gets the business name and how to opt out, and answers no slot."""
        c = contact_id("help")
        sandbox.say(c, "hello")
        (reply,) = sandbox.say(c, "HELP")
        assert "Jorge Sells Homes" in reply
        assert "STOP" in reply
        view = sandbox.conversation(c)
        assert view["questions_answered"] == 0
        assert view["stage"] == "q_motivation"

    def test_pause_and_resume_by_api(self, sandbox: Client):
        """A paused conversation records texts and answers none until resumed."""
        c = contact_id("pause")
        sandbox.say(c, "hello")
        paused = sandbox.api("POST", f"/api/conversations/{c}/pause")
        assert paused.status_code == 200
        assert paused.json()["flags"]["paused"] is True
        assert sandbox.say(c, "divorce") == []
        assert sandbox.conversation(c)["slots"]["motivation"] is None
        resumed = sandbox.api("POST", f"/api/conversations/{c}/resume")
        assert resumed.json()["flags"]["paused"] is False
        (reply,) = sandbox.say(c, "we are divorcing")
        assert "30 to 45 days" in reply

    def test_stop_tag(self, sandbox: Client):
        """A stop tag on the contact silences the bot for it."""
        c = contact_id("stoptag")
        sandbox.tags(c, ["Needs Qualifying"])
        wait_for("the opener", lambda: sandbox.sms(c))
        sandbox.tags(c, ["Needs Qualifying", "AI-Off"])
        wait_for(
            "the stop",
            lambda: (sandbox.conversation(c) or {}).get("flags", {}).get("stopped"),
        )
        assert sandbox.say(c, "divorce, need to move fast") == []
        assert len(sandbox.sms(c)) == 1

    def test_duplicate_message_id(self, sandbox: Client):
        """The same messageId posted twice is reported duplicate and handled once."""
        c = contact_id("dup")
        payload = sandbox.inbound(c, "hello")
        assert sandbox.post(payload).json() == {"status": "accepted"}
        assert sandbox.post(payload).json() == {"status": "duplicate"}
        view = sandbox.handled(c, payload["messageId"])
        # A later message's turn comes after any second handling of the first.
        view = sandbox.handled(c, sandbox.text(c, "divorce"))
        inbound = [e for e in view["transcript"] if e["direction"] == "in"]
        assert [e["text"] for e in inbound] == ["hello", "divorce"]
        assert len(sandbox.sms(c)) == 2

    def test_identical_texts_with_different_ids(self, sandbox: Client):
        """Two "not sure" texts with different ids are both handled."""
        c = contact_id("twins")
        sandbox.say(c, "relocation for work")
        first = sandbox.say(c, "not sure")
        second = sandbox.say(c, "not sure")
        assert first
        assert second
        assert first != second  # asked again in other words, then moved on
        view = sandbox.conversation(c)
        inbound = [e["text"] for e in view["transcript"] if e["direction"] == "in"]
        assert inbound == ["relocation for work", "not sure", "not sure"]

    def test_burst_within_the_window_is_one_turn(self, sandbox: Client):
        """Three texts posted at once are one turn with one reply."""
        c = contact_id("burst")
        sandbox.say(c, "hello")
        payloads = [
            sandbox.inbound(c, t)
            for t in ("we're divorcing", "moving to Ontario", "need to sell")
        ]
        with ThreadPoolExecutor(3) as pool:
            statuses = list(pool.map(lambda p: sandbox.post(p).status_code, payloads))
        assert statuses == [200, 200, 200]
        for p in payloads:
            sandbox.handled(c, p["messageId"])
        assert len(sandbox.sms(c)) == 2
        view = sandbox.conversation(c)
        assert view["slots"]["motivation"] == "divorce"


class TestWebhookErrors:
    def test_bad_json(self, sandbox: Client):
        """A body that is not JSON gets 400."""
        response = sandbox.post_raw(b"{not json")
        assert response.status_code == 400
        assert "not valid JSON" in response.json()["error"]

    def test_missing_field_is_named(self, sandbox: Client):
        """A message without contactId gets 422 naming the field."""
        payload = sandbox.inbound("c-missing", "hello")
        del payload["contactId"]
        response = sandbox.post(payload)
        assert response.status_code == 422
        assert "contactId" in response.json()["error"]

    def test_body_too_large(self, sandbox: Client):
        """A body over 64 KiB gets 413 and records nothing."""
        c = contact_id("big")
        payload = sandbox.inbound(c, "x" * (65 * 1024))
        response = sandbox.post(payload)
        assert response.status_code == 413
        assert sandbox.conversation(c) is None


class TestShutdown:
    def test_webhooks_refused_while_draining(self, tmp_path: Path):
        """Once shutdown begins, webhooks get 429 with Retry-After (GHL retries)."""
        cfg = Config(
            redis=RedisConfig(enabled=False),
            store=StoreConfig(dir=str(tmp_path / "state")),
            control=ControlConfig(socket=str(tmp_path / "control.sock")),
        )
        daemon = Daemon(cfg=cfg, env={})
        web = server.build(daemon, routes=ROUTES, with_ui=False)
        payload = inbound_payload("c-drain", "hello")

        async def main() -> list[httpx.Response]:
            # The app's own lifespan starts the trio guest, as uvicorn would.
            async with web.api.router.lifespan_context(web.api):
                transport = httpx.ASGITransport(
                    app=web.api, client=("127.0.0.1", 40000)
                )
                async with httpx.AsyncClient(
                    transport=transport, base_url="http://jorged"
                ) as http:
                    before = await http.post("/webhooks/ghl", json=payload)
                    daemon.drain()  # what the first SIGTERM does
                    during = await http.post(
                        "/webhooks/ghl", json={**payload, "messageId": "m-drain-2"}
                    )
                    return [before, during]

        before, during = asyncio.run(main())
        assert before.json() == {"status": "accepted"}
        assert during.status_code == 429
        assert during.headers["retry-after"] == "5"


class TestWebhookRoutes:
    def test_the_secret_in_the_path_authenticates_a_workflow_webhook(
        self, tmp_path: Path
    ):
        """From outside, an unsigned webhook needs the configured secret in its path."""
        cfg = Config(
            redis=RedisConfig(enabled=False),
            store=StoreConfig(dir=str(tmp_path / "state")),
            control=ControlConfig(socket=str(tmp_path / "control.sock")),
            ghl=GhlConfig(webhook_secret="s3cret-path-token"),
        )
        plain, wrong, right, fetched = in_process(
            cfg,
            ("POST", "/webhooks/ghl", inbound_payload("c-path", "hi")),
            ("POST", "/webhooks/ghl/not-it", inbound_payload("c-path", "hi")),
            (
                "POST",
                "/webhooks/ghl/s3cret-path-token",
                inbound_payload("c-path", "hi"),
            ),
            ("GET", "/webhooks/ghl", None),
            client=("203.0.113.7", 40000),
        )
        assert (plain.status_code, wrong.status_code) == (401, 401)
        assert right.json() == {"status": "accepted"}
        assert fetched.status_code == 405
        assert fetched.headers["allow"] == "POST"


def in_process(
    cfg: Config,
    *requests: tuple[str, str, dict[str, Any] | None],
    client: tuple[str, int] = ("127.0.0.1", 40000),
) -> list[httpx.Response]:
    """Answers of the daemon's own app (no dashboard), run in this process."""
    web = server.build(Daemon(cfg=cfg, env={}), routes=ROUTES, with_ui=False)

    async def main() -> list[httpx.Response]:
        async with web.api.router.lifespan_context(web.api):
            transport = httpx.ASGITransport(app=web.api, client=client)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://jorged"
            ) as http:
                return [
                    await http.request(method, path, json=body)
                    for method, path, body in requests
                ]

    return asyncio.run(main())


class TestApi:
    def test_token_required(self, sandbox: Client):
        """With api.token set, a request without the bearer token gets 401."""
        response = sandbox.http.get("/api/outbox")
        assert response.status_code == 401
        wrong = sandbox.http.get(
            "/api/outbox", headers={"Authorization": "Bearer wrong"}
        )
        assert wrong.status_code == 401

    def test_start_active_conflicts(self, sandbox: Client):
        """Starting a conversation that is already qualifying gets 409."""
        c = contact_id("conflict")
        first = sandbox.api("POST", "/api/conversations", json={"contact_id": c})
        assert first.status_code == 201
        again = sandbox.api("POST", "/api/conversations", json={"contact_id": c})
        assert again.status_code == 409

    def test_unknown_conversation(self, sandbox: Client):
        """An unknown contact is 404 for reads and commands."""
        assert sandbox.api("GET", "/api/conversations/nobody-here").status_code == 404
        response = sandbox.api("POST", "/api/conversations/nobody-here/pause")
        assert response.status_code == 404


# --- the hand-off against the fake GHL API ------------------------------------------

CALENDAR_ID = "cal-jorge"


class FakeGhlThread:
    """The fake GHL API served by its own trio loop in a thread (sync tests)."""

    def __init__(self) -> None:
        self.fake: FakeGhl | None = None
        self._token: trio.lowlevel.TrioToken | None = None
        self._stop: trio.Event | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=trio.run, args=(self._main,))

    async def _main(self) -> None:
        async with open_fake_ghl() as fake:
            self.fake = fake
            self._token = trio.lowlevel.current_trio_token()
            self._stop = trio.Event()
            self._ready.set()
            await self._stop.wait()

    def __enter__(self) -> Self:
        self._thread.start()
        assert self._ready.wait(10), "the fake GHL server did not start"
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._stop is not None
        trio.from_thread.run_sync(self._stop.set, trio_token=self._token)
        self._thread.join(10)

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn(*args, **kwargs)` on the fake's loop (its state is not thread-safe)."""
        return trio.from_thread.run_sync(
            functools.partial(fn, *args, **kwargs), trio_token=self._token
        )


@pytest.fixture(scope="module", name="live")
def _live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Client, Any]]:
    signer = rsa_signer()
    with FakeGhlThread() as ghl:
        assert ghl.fake is not None
        env = {
            **SANDBOX_ENV,
            "JORGED_REDIS__ENABLED": "false",
            "JORGED_GHL__TOKEN": ghl.fake.token,
            "JORGED_GHL__LOCATION_ID": ghl.fake.location_id,
            "JORGED_GHL__BASE_URL": ghl.fake.url,
            "JORGED_GHL__CALENDAR_ID": CALENDAR_ID,
            "JORGED_GHL__WEBHOOK_PUBLIC_KEY": signer.public_pem,
            "JORGED_GHL__RETRY_BACKOFF_S": "0.01",
            "JORGED_GHL__RETRY_JITTER_S": "0",
        }
        daemon = start_daemon(tmp_path_factory.mktemp("live-daemon"), env)
        client = Client(
            daemon,
            api_token=API_TOKEN,
            location_id=ghl.fake.location_id,
            sign=signer.sign,
        )
        yield client, ghl
        client.close()
        assert daemon.terminate() == 0
        assert ghl.fake.internal_errors == []


class TestHotHandOff:
    def test_offer_choice_and_booking(self, live: tuple[Client, FakeGhlThread]):
        """A hot seller gets two slots in prose, picks the second, and is booked."""
        client, ghl = live
        fake = ghl.fake
        c = contact_id("booked")
        ghl.call(fake.add_contact, c, firstName="Rosa", phone="+19095550123")
        base = datetime.now(UTC) + timedelta(days=2)
        slots = [
            base.replace(hour=17, minute=0, second=0, microsecond=0),
            base.replace(hour=21, minute=30, second=0, microsecond=0),
        ]
        ghl.call(fake.add_slots, CALENDAR_ID, slots)

        def texts() -> list[str]:
            return [m["message"] for m in list(fake.messages) if m["contactId"] == c]

        client.handled(
            c,
            client.text(
                c,
                "job transfer to Austin, need to sell in 3 weeks, house is move in "
                "ready and I want 410k",
            ),
        )
        offer = wait_for("the slot offer", lambda: [t for t in texts() if " or " in t])
        assert "that's everything I need. I have " in offer[0]
        client.handled(c, client.text(c, "the second one"))
        booked = wait_for("the appointment", lambda: list(fake.appointments))
        assert [a["contactId"] for a in booked] == [c]
        assert datetime.fromisoformat(booked[0]["startTime"]) == slots[1]
        confirmation = wait_for(
            "the confirmation", lambda: [t for t in texts() if "all set" in t]
        )
        assert confirmation[0].startswith("You're all set for")
        view = wait_for(
            "the booked flag",
            lambda: (v := client.conversation(c)) and v["flags"]["booked"] and v,
        )
        assert view["temperature"] == "hot"
        tags = ghl.call(lambda: list(fake.contacts[c]["tags"]))
        assert {"Hot-Seller", "Seller-Qualified"} <= set(tags)

    def test_bad_signature(self, live: tuple[Client, FakeGhlThread]):
        """With a GHL token configured, a badly signed webhook gets 401."""
        client, _ghl = live
        body = json.dumps(client.inbound(contact_id("forged"), "hi")).encode()
        response = client.post_raw(body, {"x-wh-signature": "bm90IGEgc2lnbmF0dXJl"})
        assert response.status_code == 401
        unsigned = client.http.post(
            "/webhooks/ghl", content=body, headers={"content-type": "application/json"}
        )
        assert unsigned.status_code == 401
