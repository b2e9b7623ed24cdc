"""Hostile input at the edges of a running daemon: ids, names, numbers, event ids.

One sandbox daemon (subprocess, private Redis, disk store) for the module; every test
talks to it over HTTP or through `jorgectl`, as a caller would.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.daemon import DaemonProcess, daemon_env
from tests.redis_server import RedisServer, free_port

TOKEN = "edge-api-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HOSTILE_IDS = ["a\x00b", "\U0001f600", "x" * 10_000, "../../etc/passwd"]
XSS = "<img src=x onerror=alert(1)>7*7"


@pytest.fixture(scope="module", name="daemon")
def _daemon(
    tmp_path_factory: pytest.TempPathFactory, redis_server_session: RedisServer
) -> Iterator[DaemonProcess]:
    if not redis_server_session.running:
        redis_server_session.start()
    with redis_server_session.client() as c:
        c.flushall()
    workdir: Path = tmp_path_factory.mktemp("edge-daemon")
    env = {
        "JORGED_REDIS__URL": redis_server_session.url,
        "JORGED_API__TOKEN": TOKEN,
        "JORGED_SELLER__BATCH_WINDOW_S": "0.1",
        "JORGED_SELLER__QUIET_HOURS_START": "0",
        "JORGED_SELLER__QUIET_HOURS_END": "0",
    }
    port = free_port()
    daemon = DaemonProcess(workdir, daemon_env(workdir, port, env), port)
    daemon.start(timeout=60)
    yield daemon
    assert daemon.terminate() == 0


@pytest.fixture(scope="module", name="http")
def _http(daemon: DaemonProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=daemon.url, headers=AUTH, timeout=15) as client:
        yield client


def inbound(contact: str, text: str = "hello") -> dict[str, object]:
    return {
        "type": "InboundMessage",
        "locationId": "loc-edge",
        "contactId": contact,
        "messageId": f"m-{uuid.uuid4().hex}",
        "messageType": "SMS",
        "direction": "inbound",
        "body": text,
        "dateAdded": datetime.now(UTC).isoformat(),
    }


def wait_for_sms(http: httpx.Client, contact: str) -> list[str]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        items = http.get("/api/outbox", params={"contact_id": contact}).json()["items"]
        texts = [i["text"] for i in items if i["kind"] == "sms"]
        if texts:
            return texts
        time.sleep(0.05)
    pytest.fail(f"no text to {contact} within 20 s")


class TestContactIds:
    @pytest.mark.parametrize("bad", HOSTILE_IDS)
    def test_webhook_refuses_with_422_naming_contact_id(self, http, bad):
        """A webhook with a hostile contact id is refused with 422 naming contactId."""
        response = http.post("/webhooks/ghl", json=inbound(bad))
        assert response.status_code == 422
        assert response.json()["error"].startswith("contactId: ")

    @pytest.mark.parametrize("bad", HOSTILE_IDS)
    def test_contact_webhook_refuses_a_hostile_id(self, http, bad):
        """A ContactCreate with a hostile `id` is refused the same way."""
        body = {"type": "ContactCreate", "locationId": "loc-edge", "id": bad}
        response = http.post("/webhooks/ghl", json=body)
        assert response.status_code == 422
        assert response.json()["error"].startswith("id: ")

    @pytest.mark.parametrize("bad", HOSTILE_IDS)
    def test_api_refuses_with_422(self, http, bad):
        """Start, view, lead and outbox refuse the id with 422 naming contact_id."""
        started = http.post("/api/conversations", json={"contact_id": bad})
        assert (started.status_code, started.json()["field"]) == (422, "contact_id")
        outbox = http.get("/api/outbox", params={"contact_id": bad})
        assert (outbox.status_code, outbox.json()["field"]) == (422, "contact_id")
        if "/" not in bad:
            for path in ("/api/conversations/", "/api/leads/"):
                response = http.get(path + quote(bad, safe=""))
                assert response.status_code == 422, path
                assert response.json()["field"] == "contact_id"

    @pytest.mark.parametrize("bad", ["\U0001f600", "x" * 10_000, "../../etc/passwd"])
    def test_jorgectl_refuses_with_exit_2(self, daemon, bad):
        """`jorgectl conversation` and `seller pause` refuse the id and exit 2."""
        for args in (("conversation", bad), ("seller", "pause", bad)):
            done = daemon.ctl(*args)
            assert done.returncode == 2
            assert "not a contact id" in done.stderr

    def test_dashboard_says_no_such_seller(self, http):
        """The dashboard's page for an emoji id says so instead of failing."""
        response = http.get("/conversations/%F0%9F%98%80", follow_redirects=True)
        assert response.status_code == 200
        assert "No such seller" in response.text


class TestSellerText:
    def test_markup_name_leaves_the_opener_without_a_name(self, http):
        """A first name of markup never reaches the text: the opener goes without it."""
        contact = f"xss-{uuid.uuid4().hex[:8]}"
        started = http.post(
            "/api/conversations", json={"contact_id": contact, "first_name": XSS}
        )
        assert started.status_code == 201, started.text
        (opener,) = wait_for_sms(http, contact)
        assert opener.startswith("Hey, it's Jorge. ")
        assert "img" not in opener

    def test_contact_webhook_name_is_reduced(self, http):
        """A name from GHL is reduced to its letters before the opener uses it."""
        contact = f"name-{uuid.uuid4().hex[:8]}"
        create = {
            "type": "ContactTagUpdate",
            "locationId": "loc-edge",
            "id": contact,
            "firstName": "Zo\u00eb-Ann \U0001f3e1",
            "tags": ["Needs Qualifying"],
        }
        assert http.post("/webhooks/ghl", json=create).status_code == 200
        (opener,) = wait_for_sms(http, contact)
        assert opener.startswith("Hey Zoe Ann, it's Jorge.")


class TestNumbers:
    @pytest.mark.parametrize(
        "since", ["0", "0-0", "1-0", f"{2**63}-0", f"{2**64 - 1}", f"{2**64}-0"]
    )
    def test_event_ids_old_or_huge_answer_200(self, http, since):
        """`since` older than the retention or past 2^63 answers 200, never 500."""
        response = http.get("/api/events", params={"since": since})
        assert response.status_code == 200, response.text
        assert isinstance(response.json()["items"], list)

    @pytest.mark.parametrize("since", ["1" * 10_000, "yesterday", "-1", "+5"])
    def test_nonsense_event_ids_answer_422(self, http, since):
        """A since that is no stream id is a 422 naming since."""
        response = http.get("/api/events", params={"since": since})
        assert (response.status_code, response.json()["field"]) == (422, "since")

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"page": "1085118782331542306816000"}, "page"),
            ({"page_size": "10" * 20}, "page_size"),
            ({"price_min": "9" * 40}, "price_min"),
            ({"since": "0001-01-01T00:00:00+14:00"}, "since"),
            ({"until": "9999-12-31T23:59:59-14:00"}, "until"),
            ({"q": "x" * 5000}, "q"),
        ],
    )
    def test_conversation_filters_out_of_range_answer_422(self, http, params, field):
        """Pages, prices, dates and search text out of range are 422 naming them
        (an export, which has no pages, for the others)."""
        paths = ["/api/conversations"]
        if not field.startswith("page"):
            paths.append("/api/export/conversations.csv")
        for path in paths:
            response = http.get(path, params=params)
            assert response.status_code == 422, (path, response.text)
            assert response.json()["field"] == field

    @pytest.mark.parametrize(
        ("params", "field"),
        [({"hours": str(2**70)}, "hours"), ({"hours": "-1"}, "hours")],
    )
    def test_timeseries_hours_bounded(self, http, params, field):
        """`hours` out of range is a 422 naming it."""
        response = http.get("/api/metrics/timeseries", params=params)
        assert (response.status_code, response.json()["field"]) == (422, field)

    @pytest.mark.parametrize("limit", ["0", "1001", str(2**64), "ten"])
    def test_event_limit_bounded(self, http, limit):
        """`limit` out of range or not a number is a 422 naming it."""
        response = http.get("/api/events", params={"limit": limit})
        assert (response.status_code, response.json()["field"]) == (422, "limit")


class TestEventStream:
    @pytest.mark.parametrize(
        "last_id", ["0-0", f"{2**63}-0", f"{2**64 + 5}-0", "not-an-id"]
    )
    def test_resume_with_odd_last_event_id_keeps_the_stream(self, http, last_id):
        """An old, huge or malformed Last-Event-ID still gets the live events."""
        contact = f"sse-{uuid.uuid4().hex[:8]}"
        headers = {**AUTH, "Last-Event-ID": last_id}
        with http.stream("GET", "/api/events/stream", headers=headers) as stream:
            assert stream.status_code == 200
            lines = stream.iter_lines()
            for line in lines:
                if line == ": connected":
                    break
            assert http.post("/webhooks/ghl", json=inbound(contact)).status_code == 200
            for line in lines:
                if line.startswith("data: ") and contact in line:
                    assert json.loads(line[6:])["contact_id"] == contact
                    return
        pytest.fail("the stream ended without the live event")
