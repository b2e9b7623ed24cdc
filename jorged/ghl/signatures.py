"""Who sent a webhook: GHL's signatures, or a shared secret for workflow webhooks.

- `x-ghl-signature`: Ed25519 over the raw body, base64; since 1 July 2026 the only
  signature GHL sends, so it is checked first. Checked with
  `ghl.webhook_ed25519_public_key`, or when that is empty with GHL's published key
  (shipped as `jorged/defaults/ghl_webhook_ed25519.pem`).
- `x-wh-signature`: RSA-SHA256 (PKCS#1 v1.5) over the raw body, base64, deprecated by
  GHL; checked when no `x-ghl-signature` came. Checked with `ghl.webhook_public_key`,
  or when that is empty with GHL's published key (shipped as
  `jorged/defaults/ghl_webhook_rsa.pem`, from GHL's "Webhook Authentication Guide").
- `x-jorged-signature`: hex HMAC-SHA256 of the raw body under `ghl.webhook_secret`,
  for GHL workflow webhooks (which GHL does not sign), or the secret itself as a token
  in the URL path.

Policy: the first of the signature headers present, in the order above, is checked and
decides: a bad one is refused (a valid RSA signature does not rescue a bad Ed25519
one). With a GHL token configured every webhook must authenticate one of the ways
above. In sandbox mode (no token) an unauthenticated webhook is accepted from the
loopback interface only.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
from collections.abc import Mapping
from importlib import resources
from typing import Literal, NoReturn

import attrs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from jorged.config import GhlConfig
from jorged.exceptions import ConfigError, WebhookRejected

RSA_HEADER = "x-wh-signature"
ED25519_HEADER = "x-ghl-signature"
HMAC_HEADER = "x-jorged-signature"

#: How a webhook proved where it came from.
AuthMethod = Literal["rsa", "ed25519", "hmac", "path_token", "loopback"]


@attrs.frozen(kw_only=True)
class WebhookKeys:
    """The keys and secret webhooks are checked with."""

    rsa: RSAPublicKey
    ed25519: Ed25519PublicKey
    secret: str


@functools.cache
def published_rsa_key_pem() -> str:
    """GHL's published RSA public key for `x-wh-signature`, as shipped with jorged."""
    return (
        resources.files("jorged").joinpath("defaults/ghl_webhook_rsa.pem").read_text()
    )


@functools.cache
def published_ed25519_key_pem() -> str:
    """GHL's published Ed25519 public key for `x-ghl-signature`, as shipped."""
    return (
        resources.files("jorged")
        .joinpath("defaults/ghl_webhook_ed25519.pem")
        .read_text()
    )


@functools.lru_cache(maxsize=8)
def _rsa_key(pem: str, setting: str) -> RSAPublicKey:
    key = _load_pem(pem, setting)
    if not isinstance(key, RSAPublicKey):
        raise ConfigError(messages=[f"{setting}: not an RSA public key"])
    return key


@functools.lru_cache(maxsize=8)
def _ed25519_key(pem: str, setting: str) -> Ed25519PublicKey:
    key = _load_pem(pem, setting)
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigError(messages=[f"{setting}: not an Ed25519 public key"])
    return key


def _load_pem(pem: str, setting: str) -> object:
    try:
        return load_pem_public_key(pem.strip().encode())
    except ValueError:
        raise ConfigError(
            messages=[f"{setting}: not a PEM public key (-----BEGIN PUBLIC KEY-----)"]
        ) from None


def load_webhook_keys(cfg: GhlConfig) -> WebhookKeys:
    """Load the configured keys; raise ConfigError naming a setting that is not a key.

    Parsed keys are cached, so calling this for every request costs a dict lookup.
    """
    rsa_pem = cfg.webhook_public_key or published_rsa_key_pem()
    ed_pem = cfg.webhook_ed25519_public_key or published_ed25519_key_pem()
    return WebhookKeys(
        rsa=_rsa_key(rsa_pem, "ghl.webhook_public_key"),
        ed25519=_ed25519_key(ed_pem, "ghl.webhook_ed25519_public_key"),
        secret=cfg.webhook_secret,
    )


def sign_hmac(secret: str, body: bytes) -> str:
    """The `x-jorged-signature` value for `body`: hex HMAC-SHA256 under `secret`."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _reject(reason: str) -> NoReturn:
    raise WebhookRejected(status=401, reason=reason)


def _decode_b64(value: str, header: str) -> bytes:
    try:
        return base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        _reject(f"{header}: not valid base64")


def _check_rsa(body: bytes, value: str, key: RSAPublicKey) -> None:
    signature = _decode_b64(value, RSA_HEADER)
    try:
        key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        _reject(f"{RSA_HEADER}: signature does not match the body")


def _check_ed25519(body: bytes, value: str, key: Ed25519PublicKey) -> None:
    signature = _decode_b64(value, ED25519_HEADER)
    try:
        key.verify(signature, body)
    except InvalidSignature:
        _reject(f"{ED25519_HEADER}: signature does not match the body")


def _check_secret(given: str, expected: str, secret: str, what: str) -> None:
    if not secret:
        msg = f"{what}: no shared secret configured (ghl.webhook_secret)"
        _reject(msg)
    if not hmac.compare_digest(given.encode(), expected.encode()):
        _reject(f"{what}: does not match")


def authenticate(
    body: bytes,
    headers: Mapping[str, str],
    *,
    cfg: GhlConfig,
    remote_is_loopback: bool,
    path_token: str | None = None,
) -> AuthMethod:
    """Decide how (and whether) a webhook is authentic, or raise WebhookRejected (401).

    `headers` must have lower-case names.
    """
    keys = load_webhook_keys(cfg)
    ed_sig = headers.get(ED25519_HEADER)
    rsa_sig = headers.get(RSA_HEADER)
    if ed_sig is not None:
        _check_ed25519(body, ed_sig, keys.ed25519)
        return "ed25519"
    if rsa_sig is not None:
        _check_rsa(body, rsa_sig, keys.rsa)
        return "rsa"
    hmac_sig = headers.get(HMAC_HEADER)
    if hmac_sig is not None:
        expected = sign_hmac(keys.secret, body)
        _check_secret(hmac_sig.strip().lower(), expected, keys.secret, HMAC_HEADER)
        return "hmac"
    if path_token is not None:
        _check_secret(path_token, keys.secret, keys.secret, "path token")
        return "path_token"
    if not cfg.token and remote_is_loopback:
        return "loopback"
    reason = f"signature missing: send {ED25519_HEADER}, {RSA_HEADER} or {HMAC_HEADER}"
    if not cfg.token:
        reason += " (sandbox mode accepts unsigned webhooks from loopback only)"
    _reject(reason)
