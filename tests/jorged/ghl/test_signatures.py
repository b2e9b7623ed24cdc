from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from jorged.config import GhlConfig
from jorged.exceptions import ConfigError, WebhookRejected
from jorged.ghl import load_webhook_keys, parse_webhook, sign_hmac
from jorged.ghl.signatures import published_ed25519_key_pem
from tests.fakes.ghl_keys import ed25519_signer, rsa_signer

NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
BODY = (
    b'{"type":"InboundMessage","locationId":"L","contactId":"C","messageId":"M",'
    b'"body":"text","messageType":"SMS","direction":"inbound",'
    b'"dateAdded":"2026-07-01T11:59:00Z"}'
)
SECRET = "s3cret-for-tests"
#: GHL's notice of the 2026 signatures, beside the repository (`../shared`).
SIGNATURES_DOC = (
    Path(__file__).resolve().parents[3].parent
    / "shared/ghl/webhooks/WebhookSignatures-2026.md"
)


def notice_pem() -> str:
    """The PEM block GHL's notice quotes, parsed out of the notice itself."""
    text = SIGNATURES_DOC.read_text()
    quoted = re.search(
        r"-----BEGIN PUBLIC KEY-----.*?-----END PUBLIC KEY-----", text, re.DOTALL
    )
    assert quoted is not None, f"no PEM block in {SIGNATURES_DOC}"
    return quoted.group(0) + "\n"


RSA = rsa_signer()
ED = ed25519_signer()


def live(**settings) -> GhlConfig:
    """A config with a GHL token (not sandbox), trusting the test keys."""
    defaults = {
        "token": "tok",
        "webhook_public_key": RSA.public_pem,
        "webhook_ed25519_public_key": ED.public_pem,
    }
    return GhlConfig(**(defaults | settings))


def auth_of(headers, *, cfg, body=BODY, loopback=False, path_token=None) -> str:
    event = parse_webhook(
        body,
        headers,
        now=NOW,
        cfg=cfg,
        remote_is_loopback=loopback,
        path_token=path_token,
    )
    return event.auth


def rejection(headers, *, cfg, body=BODY, loopback=False, path_token=None) -> str:
    with pytest.raises(WebhookRejected) as info:
        auth_of(headers, cfg=cfg, body=body, loopback=loopback, path_token=path_token)
    assert info.value.status == 401
    return info.value.reason


class TestRsa:
    def test_valid(self):
        """A body signed with the configured RSA key is accepted."""
        assert auth_of({"x-wh-signature": RSA.sign(BODY)}, cfg=live()) == "rsa"

    def test_header_name_is_case_insensitive(self):
        """Header names match whatever their case."""
        assert auth_of({"X-WH-Signature": RSA.sign(BODY)}, cfg=live()) == "rsa"

    def test_tampered_body(self):
        """One changed byte breaks the signature."""
        headers = {"x-wh-signature": RSA.sign(BODY)}
        reason = rejection(headers, cfg=live(), body=BODY.replace(b"text", b"tent"))
        assert reason == "x-wh-signature: signature does not match the body"

    def test_wrong_key(self):
        """A signature by another key is refused."""
        other = rsa_signer("other")
        reason = rejection({"x-wh-signature": other.sign(BODY)}, cfg=live())
        assert reason == "x-wh-signature: signature does not match the body"

    def test_not_base64(self):
        """A signature that is not base64 is refused as such."""
        reason = rejection({"x-wh-signature": "%%%"}, cfg=live())
        assert reason == "x-wh-signature: not valid base64"

    def test_published_key_is_the_default(self):
        """With no key configured, GHL's published 4096-bit key is used."""
        keys = load_webhook_keys(GhlConfig())
        assert keys.rsa.key_size == 4096
        reason = rejection({"x-wh-signature": RSA.sign(BODY)}, cfg=GhlConfig(token="t"))
        assert reason == "x-wh-signature: signature does not match the body"

    def test_bad_configured_key(self):
        """A configured key that is not a PEM key is a config error naming the setting."""
        with pytest.raises(ConfigError, match=r"ghl\.webhook_public_key"):
            load_webhook_keys(GhlConfig(webhook_public_key="not a key"))


class TestEd25519:
    def test_valid(self):
        """A body signed with the configured Ed25519 key is accepted."""
        assert auth_of({"x-ghl-signature": ED.sign(BODY)}, cfg=live()) == "ed25519"

    def test_tampered_body(self):
        """A changed body breaks the Ed25519 signature."""
        headers = {"x-ghl-signature": ED.sign(BODY)}
        reason = rejection(headers, cfg=live(), body=BODY.replace(b'"M"', b'"N"'))
        assert reason == "x-ghl-signature: signature does not match the body"

    def test_wrong_key(self):
        """An Ed25519 signature by another key is refused."""
        reason = rejection(
            {"x-ghl-signature": ed25519_signer("x").sign(BODY)}, cfg=live()
        )
        assert reason == "x-ghl-signature: signature does not match the body"

    def test_checked_before_rsa(self):
        """With both headers, the Ed25519 one decides, even against a valid RSA one."""
        good = {"x-ghl-signature": ED.sign(BODY), "x-wh-signature": "%%%"}
        assert auth_of(good, cfg=live()) == "ed25519"
        bad = {
            "x-ghl-signature": ed25519_signer("x").sign(BODY),
            "x-wh-signature": RSA.sign(BODY),
        }
        reason = rejection(bad, cfg=live())
        assert reason == "x-ghl-signature: signature does not match the body"

    def test_rsa_when_no_ed25519_header(self):
        """A request signed the deprecated way only is still checked with RSA."""
        assert auth_of({"x-wh-signature": RSA.sign(BODY)}, cfg=live()) == "rsa"

    def test_published_key_is_the_default(self):
        """With no key configured, GHL's published Ed25519 key checks the header."""
        cfg = GhlConfig(token="t", webhook_public_key=RSA.public_pem)
        reason = rejection({"x-ghl-signature": ED.sign(BODY)}, cfg=cfg)
        assert reason == "x-ghl-signature: signature does not match the body"
        published = load_pem_public_key(notice_pem().encode())
        assert isinstance(published, Ed25519PublicKey)
        raw = load_webhook_keys(cfg).ed25519.public_bytes_raw()
        assert raw == published.public_bytes_raw()

    def test_shipped_default_is_ghls_published_key(self):
        """The shipped default is, byte for byte, the key GHL's notice publishes."""
        assert published_ed25519_key_pem() == notice_pem()

    def test_bad_configured_key(self):
        """An RSA key in the Ed25519 setting is a config error naming the setting."""
        with pytest.raises(
            ConfigError, match=r"ghl\.webhook_ed25519_public_key: not an Ed25519"
        ):
            load_webhook_keys(GhlConfig(webhook_ed25519_public_key=RSA.public_pem))


class TestSharedSecret:
    def test_hmac_header(self):
        """An unsigned workflow webhook with the right HMAC header is accepted."""
        headers = {"x-jorged-signature": sign_hmac(SECRET, BODY)}
        assert auth_of(headers, cfg=live(webhook_secret=SECRET)) == "hmac"

    def test_hmac_of_another_body(self):
        """An HMAC of a different body is refused."""
        headers = {"x-jorged-signature": sign_hmac(SECRET, b"{}")}
        reason = rejection(headers, cfg=live(webhook_secret=SECRET))
        assert reason == "x-jorged-signature: does not match"

    def test_hmac_without_configured_secret(self):
        """An HMAC header cannot be checked, so is refused, with no secret configured."""
        reason = rejection({"x-jorged-signature": "ab"}, cfg=live())
        assert "no shared secret configured" in reason

    def test_path_token(self):
        """The secret as a URL path token authenticates a workflow webhook."""
        cfg = live(webhook_secret=SECRET)
        assert auth_of({}, cfg=cfg, path_token=SECRET) == "path_token"
        assert (
            rejection({}, cfg=cfg, path_token="guess") == "path token: does not match"
        )


class TestUnsigned:
    def test_refused_with_token_even_from_loopback(self):
        """With a GHL token configured an unsigned webhook is refused everywhere."""
        reason = rejection({}, cfg=live(), loopback=True)
        assert reason.startswith("signature missing")

    def test_sandbox_accepts_loopback(self):
        """In sandbox mode an unsigned webhook from loopback is accepted."""
        assert auth_of({}, cfg=GhlConfig(), loopback=True) == "loopback"

    def test_sandbox_refuses_remote(self):
        """In sandbox mode an unsigned webhook from elsewhere is refused."""
        reason = rejection({}, cfg=GhlConfig(), loopback=False)
        assert "loopback only" in reason

    def test_sandbox_still_checks_signatures(self):
        """A signed webhook is verified in sandbox mode too, even from loopback."""
        cfg = GhlConfig(webhook_public_key=RSA.public_pem)
        headers = {"x-wh-signature": rsa_signer("other").sign(BODY)}
        rejection(headers, cfg=cfg, loopback=True)
