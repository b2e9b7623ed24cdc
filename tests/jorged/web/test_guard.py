"""Cross-site requests, foreign Host names, framing and cookies, against a real daemon."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from jorged.passwords import hash_password
from tests.daemon import _make_daemon  # noqa: F401 - the fixture

NO_REDIS = {"JORGED_REDIS__URL": "redis://127.0.0.1:1/0"}
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD)


def _started(make_daemon, **extra: str):
    """A ready daemon whose dashboard is mounted (it is mounted after the actors)."""
    d = make_daemon({**NO_REDIS, **extra})
    d.start()
    deadline = time.monotonic() + 30
    while httpx.get(f"{d.url}/login").status_code == 503:
        assert time.monotonic() < deadline, "the dashboard was not mounted in 30 s"
        time.sleep(0.1)
    return d


def _conversation_ids(d) -> set[str]:
    listed = httpx.get(f"{d.url}/api/conversations").json()
    return {row["contact_id"] for row in listed["items"]}


class TestCrossSite:
    def test_a_page_of_another_origin_cannot_change_anything(self, make_daemon):
        """No token (the default): cross-origin POSTs are refused, the same origin works."""
        d = _started(make_daemon)
        foreign = [
            {"Origin": "http://localhost:9999"},
            {"Origin": "null"},
            {"Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"},
            {"Sec-Fetch-Site": "same-site", "Origin": f"http://localhost:{d.port}"},
        ]
        for headers in foreign:
            started = httpx.post(
                f"{d.url}/api/conversations",
                headers=headers,
                json={"contact_id": "forged-1", "first_name": "Eve"},
            )
            assert started.status_code == 403, (headers, started.text)
            assert started.json() == {"error": "cross-site request refused"}
        assert "forged-1" not in _conversation_ids(d)
        same = httpx.post(
            f"{d.url}/api/conversations",
            headers={"Origin": d.url, "Sec-Fetch-Site": "same-origin"},
            json={"contact_id": "mine-1", "first_name": "Jorge"},
        )
        assert same.status_code in (200, 201), same.text
        tool = httpx.post(f"{d.url}/api/conversations/mine-1/pause")  # curl-like
        assert tool.status_code == 200, tool.text
        stop = httpx.post(
            f"{d.url}/api/conversations/mine-1/stop",
            headers={"Origin": "http://localhost:1234"},
        )
        assert stop.status_code == 403
        view = httpx.get(f"{d.url}/api/conversations/mine-1").json()
        assert view["flags"]["stopped"] is False
        assert d.terminate() == 0

    def test_a_token_still_works_from_anywhere(self, make_daemon):
        token = "t" * 24
        d = _started(make_daemon, JORGED_API__TOKEN=token)
        denied = httpx.post(
            f"{d.url}/api/conversations",
            headers={"Origin": "http://evil.example"},
            json={"contact_id": "t-1"},
        )
        assert denied.status_code == 403
        allowed = httpx.post(
            f"{d.url}/api/conversations",
            headers={
                "Origin": "http://evil.example",
                "Authorization": f"Bearer {token}",
            },
            json={"contact_id": "t-1"},
        )
        assert allowed.status_code in (200, 201), allowed.text
        assert d.terminate() == 0

    def test_a_cross_site_websocket_handshake_is_refused(self, make_daemon):
        d = _started(make_daemon)

        def handshake(origin: str) -> str:
            with socket.create_connection(("127.0.0.1", d.port), timeout=10) as sock:
                sock.sendall(
                    (
                        f"GET /_nicegui_ws/socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                        f"Host: 127.0.0.1:{d.port}\r\nUpgrade: websocket\r\n"
                        "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        f"Origin: {origin}\r\n\r\n"
                    ).encode()
                )
                return sock.recv(4096).decode(errors="replace").split("\r\n")[0]

        assert " 403 " in handshake("http://evil.example")
        assert " 101 " in handshake(f"http://127.0.0.1:{d.port}")
        assert d.terminate() == 0


class TestHostNames:
    def test_a_foreign_host_gets_421_but_webhooks_and_healthz_answer(self, make_daemon):
        d = _started(make_daemon, JORGED_WEB__ALLOWED_HOSTS='["jorged.example.com"]')
        for path in ("/api/dashboard", "/", "/api/conversations"):
            got = httpx.get(f"{d.url}{path}", headers={"Host": "attacker.example"})
            assert got.status_code == 421, path
        assert (
            httpx.get(
                f"{d.url}/healthz", headers={"Host": "attacker.example"}
            ).status_code
            == 200
        )
        webhook = httpx.post(
            f"{d.url}/webhooks/ghl", content=b"{", headers={"Host": "attacker.example"}
        )
        assert webhook.status_code == 400  # the webhook's own rules: bad JSON
        for host in (
            "jorged.example.com",
            "localhost",
            f"127.0.0.1:{d.port}",
            f"[::1]:{d.port}",
            f"JORGED.example.com:{d.port}",
        ):
            got = httpx.get(f"{d.url}/api/dashboard", headers={"Host": host})
            assert got.status_code == 200, host
        assert d.terminate() == 0


class TestHeadersAndCookies:
    def test_no_framing_and_secure_cookies_behind_https(
        self, make_daemon, password_hash
    ):
        d = _started(
            make_daemon,
            JORGED_WEB__TRUSTED_PROXIES='["127.0.0.1"]',
            JORGED_DASHBOARD__PASSWORD_HASH=password_hash,
        )
        for path in ("/login", "/api/dashboard"):
            got = httpx.get(f"{d.url}{path}")
            assert got.headers["x-frame-options"] == "DENY"
            assert "frame-ancestors 'none'" in got.headers["content-security-policy"]
        plain = httpx.get(f"{d.url}/login")
        assert "set-cookie" in plain.headers
        assert "secure" not in plain.headers["set-cookie"].lower()
        proxied = httpx.get(f"{d.url}/login", headers={"X-Forwarded-Proto": "https"})
        assert proxied.headers["set-cookie"].rstrip().endswith("; Secure")
        assert d.terminate() == 0

    def test_a_forwarded_proto_from_an_untrusted_client_is_ignored(self, make_daemon):
        d = _started(make_daemon)
        got = httpx.get(f"{d.url}/login", headers={"X-Forwarded-Proto": "https"})
        assert "secure" not in got.headers.get("set-cookie", "").lower()
        assert d.terminate() == 0


class TestLoginOverHttp:
    def test_form_login_backs_off_after_wrong_passwords(
        self, make_daemon, password_hash
    ):
        d = _started(make_daemon, JORGED_DASHBOARD__PASSWORD_HASH=password_hash)
        with httpx.Client(base_url=d.url) as browser:
            browser.get("/login")
            codes = [
                browser.post(
                    "/login", data={"username": "jorge", "password": f"x{i}"}
                ).status_code
                for i in range(6)
            ]
            assert codes == [401] * 5 + [429]
            waited = browser.post(
                "/login", data={"username": "jorge", "password": PASSWORD}
            )
            assert waited.status_code == 429  # even the right one waits its turn
            assert int(waited.headers["retry-after"]) >= 1
        with httpx.Client(base_url=d.url) as other:
            # Another client signing in as the same user waits as well.
            other.get("/login")
            assert (
                other.post(
                    "/login", data={"username": "jorge", "password": PASSWORD}
                ).status_code
                == 429
            )
            assert (
                other.post(
                    "/login", data={"username": "maria", "password": "nope"}
                ).status_code
                == 429
            )  # same client address: loopback
        assert d.terminate() == 0

    def test_form_login_signs_in_and_cross_site_login_is_refused(
        self, make_daemon, password_hash
    ):
        d = _started(make_daemon, JORGED_DASHBOARD__PASSWORD_HASH=password_hash)
        with httpx.Client(base_url=d.url) as browser:
            assert browser.get("/", follow_redirects=False).status_code in (303, 307)
            forged = browser.post(
                "/login",
                headers={"Origin": "http://evil.example"},
                data={"username": "jorge", "password": PASSWORD},
            )
            assert forged.status_code == 403
            ok = browser.post(
                "/login",
                data={
                    "username": "jorge",
                    "password": PASSWORD,
                    "next": "/conversations",
                },
            )
            assert ok.status_code == 303
            assert ok.headers["location"] == "/conversations"
            assert browser.get("/", follow_redirects=False).status_code == 200
        assert d.terminate() == 0
