"""GHL's webhook signatures, end to end: signed requests to a real daemon over HTTP."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.daemon import DaemonProcess, daemon_env
from tests.fakes.ghl_keys import ed25519_signer, rsa_signer
from tests.redis_server import free_port

RSA = rsa_signer()
ED = ed25519_signer()


@pytest.fixture(scope="module", name="daemon")
def _daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaemonProcess]:
    """A daemon with a GHL token, so every webhook must be signed, trusting test keys."""
    workdir = tmp_path_factory.mktemp("signed-daemon")
    env = {
        "JORGED_REDIS__ENABLED": "false",
        "JORGED_GHL__TOKEN": "live-token",
        "JORGED_GHL__LOCATION_ID": "loc-test",
        "JORGED_GHL__BASE_URL": "http://127.0.0.1:1",
        "JORGED_GHL__WEBHOOK_PUBLIC_KEY": RSA.public_pem,
        "JORGED_GHL__WEBHOOK_ED25519_PUBLIC_KEY": ED.public_pem,
    }
    port = free_port()
    daemon = DaemonProcess(workdir, daemon_env(workdir, port, env), port)
    daemon.start(timeout=60)
    yield daemon
    assert daemon.terminate() == 0


def tag_update(*, age: timedelta = timedelta(0), webhook_id: bool = True) -> bytes:
    """A ContactTagUpdate body as GHL sends it, stamped `age` ago."""
    stamp = datetime.now(UTC) - age
    payload = {
        "type": "ContactTagUpdate",
        "locationId": "loc-test",
        "id": f"c-{uuid.uuid4().hex[:8]}",
        "tags": ["Buyer"],
        "timestamp": stamp.isoformat().replace("+00:00", "Z"),
    }
    if webhook_id:
        payload["webhookId"] = uuid.uuid4().hex
    return json.dumps(payload).encode()


def post(daemon: DaemonProcess, body: bytes, **headers: str) -> httpx.Response:
    headers = {k.replace("_", "-"): v for k, v in headers.items()}
    return httpx.post(f"{daemon.url}/webhooks/ghl", content=body, headers=headers)


class TestSignedWebhooks:
    def test_ed25519_accepted(self, daemon: DaemonProcess):
        """A body signed with the configured Ed25519 key is journaled (200)."""
        body = tag_update()
        response = post(daemon, body, x_ghl_signature=ED.sign(body))
        assert (response.status_code, response.json()["status"]) == (200, "accepted")

    def test_rsa_accepted_without_ed25519(self, daemon: DaemonProcess):
        """A body signed only the deprecated RSA way is still accepted."""
        body = tag_update()
        response = post(daemon, body, x_wh_signature=RSA.sign(body))
        assert (response.status_code, response.json()["status"]) == (200, "accepted")

    def test_ed25519_checked_first(self, daemon: DaemonProcess):
        """A bad Ed25519 signature is 401 even beside a valid RSA one."""
        body = tag_update()
        response = post(
            daemon,
            body,
            x_ghl_signature=ed25519_signer("stranger").sign(body),
            x_wh_signature=RSA.sign(body),
        )
        assert response.status_code == 401
        assert response.json()["error"] == (
            "x-ghl-signature: signature does not match the body"
        )

    def test_unsigned_refused(self, daemon: DaemonProcess):
        """With a token set, an unsigned webhook is 401 naming the headers to send."""
        response = post(daemon, tag_update())
        assert response.status_code == 401
        assert response.json()["error"].startswith(
            "signature missing: send x-ghl-signature, x-wh-signature"
        )

    def test_redelivery_after_429_accepted_once(self, daemon: DaemonProcess):
        """GHL's retry of a 429, 40 minutes later with its webhookId, is taken once."""
        body = tag_update(age=timedelta(minutes=40))
        first = post(daemon, body, x_ghl_signature=ED.sign(body))
        again = post(daemon, body, x_ghl_signature=ED.sign(body))
        assert [first.json()["status"], again.json()["status"]] == [
            "accepted",
            "duplicate",
        ]

    def test_stale_without_webhook_id_refused(self, daemon: DaemonProcess):
        """Without a webhookId to dedupe on, a 40-minute-old payload is 401."""
        body = tag_update(age=timedelta(minutes=40), webhook_id=False)
        response = post(daemon, body, x_ghl_signature=ED.sign(body))
        assert response.status_code == 401
        assert response.json()["error"].startswith("timestamp: 2400 s old")
