"""Throwaway key pairs that sign webhooks the way GHL does, for tests."""

from __future__ import annotations

import base64
import functools

import attrs
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa


@attrs.frozen
class RsaSigner:
    """Signs like GHL's `x-wh-signature`: RSA-SHA256, PKCS#1 v1.5, base64."""

    key: rsa.RSAPrivateKey

    @property
    def public_pem(self) -> str:
        return (
            self.key.public_key()
            .public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo,
            )
            .decode()
        )

    def sign(self, body: bytes) -> str:
        signature = self.key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode()


@attrs.frozen
class Ed25519Signer:
    """Signs like GHL's `x-ghl-signature`: Ed25519, base64."""

    key: ed25519.Ed25519PrivateKey

    @property
    def public_pem(self) -> str:
        return (
            self.key.public_key()
            .public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo,
            )
            .decode()
        )

    def sign(self, body: bytes) -> str:
        return base64.b64encode(self.key.sign(body)).decode()


@functools.cache
def rsa_signer(name: str = "ghl") -> RsaSigner:
    """A 2048-bit RSA key pair, made once per name per test session."""
    del name
    return RsaSigner(rsa.generate_private_key(public_exponent=65537, key_size=2048))


@functools.cache
def ed25519_signer(name: str = "ghl") -> Ed25519Signer:
    """An Ed25519 key pair, made once per name per test session."""
    del name
    return Ed25519Signer(ed25519.Ed25519PrivateKey.generate())
