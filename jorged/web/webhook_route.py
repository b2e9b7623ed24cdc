"""`POST /webhooks/ghl`: GHL's webhooks, acknowledged only once they are on disk.

200 `{"status": "accepted"}` after the event is journaled, `{"status": "duplicate"}` for
a delivery seen before, `{"status": "ignored"}` for an event type jorged does not act
on. 400 bad JSON, 422 a missing or wrong field (named), 413 a body over the limit,
401 a bad signature, 429 (with Retry-After, the only status GHL retries) when the
event cannot be recorded now or the daemon is shutting down.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import structlog
import trio
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from jorged.bridge import TrioGuest
from jorged.exceptions import ActorError, Starting, WebhookRejected
from jorged.ghl.webhook_events import Ignored, parse_webhook
from jorged.metrics.records import WebhookHandled
from jorged.runtime import Runtime, Services
from jorged.web.auth import is_loopback
from jorged.web.limits import RateLimiter
from jorged.web.responses import error_response, json_response

log = structlog.get_logger()

RETRY_AFTER = {"Retry-After": "5"}
ALLOW_POST = {"Allow": "POST"}
WEBHOOK_PATH = "/webhooks/ghl"


def register(api: FastAPI, runtime: Runtime, guest: TrioGuest) -> None:
    limiter = RateLimiter(rate=runtime.cfg.web.webhook_rate_per_contact_per_minute)

    async def handle(request: Request, path_token: str | None) -> Response:
        started = time.perf_counter()
        seen: dict[str, str] = {}
        try:
            services: Services | None = runtime.services()
        except Starting:
            services = None  # answered 429 below; nothing to measure with yet
        response = await _handle(
            request, path_token, runtime, services, guest, limiter=limiter, seen=seen
        )
        latency = time.perf_counter() - started
        if services is not None:
            services.tracker.record(
                WebhookHandled(
                    event_type=seen.get("type", "unparsed"),
                    status=response.status_code,
                    latency_s=latency,
                    duplicate=seen.get("verdict") == "duplicate",
                )
            )
        log.debug(
            "webhook_handled",
            status=response.status_code,
            latency_ms=round(latency * 1000, 3),
        )
        return response

    api.add_middleware(WebhookRoutes, handle=handle)


class WebhookRoutes:
    """`POST /webhooks/ghl` and `/webhooks/ghl/<token>`, answered ahead of the router.

    The busiest route of the daemon: FastAPI's router, exception and dependency
    layers cost about as much per request as the handler itself. Errors raised here
    still reach the server-error layer outside (a plain 500).
    """

    def __init__(
        self,
        app: ASGIApp,
        handle: Callable[[Request, str | None], Awaitable[Response]],
    ) -> None:
        self.app = app
        self.handle = handle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = webhook_token(scope["path"]) if scope["type"] == "http" else None
        if token is None:
            await self.app(scope, receive, send)
            return
        if scope["method"] != "POST":
            response = error_response(405, "webhooks are POSTed", headers=ALLOW_POST)
        else:
            response = await self.handle(Request(scope, receive), token or None)
        await response(scope, receive, send)


def webhook_token(path: str) -> str | None:
    """The token of a webhook path ("" for the plain one); None for other paths."""
    if path in {WEBHOOK_PATH, WEBHOOK_PATH + "/"}:
        return ""
    prefix = WEBHOOK_PATH + "/"
    if path.startswith(prefix) and "/" not in path[len(prefix) :]:
        return path[len(prefix) :]
    return None


async def _handle(
    request: Request,
    path_token: str | None,
    runtime: Runtime,
    services: Services | None,
    guest: TrioGuest,
    *,
    limiter: RateLimiter,
    seen: dict[str, str],
) -> Response:
    if runtime.draining:
        return error_response(429, "shutting down, retry later", headers=RETRY_AFTER)
    if services is None:
        return error_response(
            429, f"starting ({runtime.phase}), retry later", headers=RETRY_AFTER
        )
    limit = runtime.cfg.web.max_body_bytes
    body = await _read_body(request, limit)
    if body is None:
        return error_response(413, f"body larger than {limit} bytes")
    try:
        event = parse_webhook(
            body,
            request.headers,
            now=datetime.now(UTC),
            cfg=runtime.cfg.ghl,
            remote_is_loopback=is_loopback(request),
            path_token=path_token,
            max_body_bytes=limit,
        )
    except WebhookRejected as exc:
        return error_response(exc.status, exc.reason)
    seen["type"] = type(event).__name__
    if isinstance(event, Ignored):
        return json_response({"status": "ignored", "reason": event.reason})
    contact = getattr(event, "contact_id", None) or getattr(
        getattr(event, "contact", None), "id", ""
    )
    wait = limiter.allow(contact or "-")
    if wait:
        return error_response(
            429,
            "too many webhooks for this contact",
            headers={"Retry-After": str(math.ceil(wait))},
        )
    try:
        verdict = await guest.run(services.seller.accept, event)
    except WebhookRejected as exc:
        return error_response(exc.status, exc.reason, headers=RETRY_AFTER)
    except (ActorError, trio.TooSlowError):
        return error_response(429, "cannot record the event now", headers=RETRY_AFTER)
    seen["verdict"] = verdict
    return json_response({"status": verdict})


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks = bytearray()
    async for chunk in request.stream():
        chunks += chunk
        if len(chunks) > limit:
            return None
    return bytes(chunks)
