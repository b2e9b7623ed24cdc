"""The GHL API v2 client (httpx on trio through anyio).

Every request carries `Authorization: Bearer <token>`, the `Version` its API's OpenAPI
spec demands and `Accept: application/json`. Before each attempt the rate limiter is
asked for a slot; after it, GHL's rate-limit headers tighten the limiter. 429 and 5xx
answers are retried up to `max_retries` times, waiting what `Retry-After` or the
rate-limit headers say, else `retry_backoff_s` doubling per attempt. Other 4xx answers
are final. A lost connection is retried when the request cannot have been processed
(it never left) or the operation is idempotent; a timed-out SMS send or booking is not
retried, since GHL may have acted on it. Every attempt is reported to `on_call`; a call
that fails for good raises `GhlError`.
"""

from __future__ import annotations

import email.utils
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, Self, TypeVar
from urllib.parse import quote

import attrs
import httpx
import orjson
import trio

from jorged.config import GhlConfig
from jorged.exceptions import ConfigError, GhlError
from jorged.ghl.api import (
    CustomFieldValue,
    GhlApi,
    OpportunityStatus,
    check_slot_range,
)
from jorged.ghl.models import GhlCallRecord, GhlContact
from jorged.ghl.payload import PayloadError, Reader, contact_from, parse_datetime
from jorged.ghl.ratelimit import DailyCapReached, RateLimiter, RateLimitStatistics
from jorged.ghl.sandbox import SandboxGhl

_T = TypeVar("_T")

#: `Version` header values, from each API's OpenAPI spec.
CONVERSATIONS_VERSION = "2021-04-15"
CALENDARS_VERSION = "2021-04-15"
CONTACTS_VERSION = "2021-07-28"
OPPORTUNITIES_VERSION = "2021-07-28"


@attrs.frozen
class Operation:
    """One GHL endpoint as the client calls it."""

    name: str
    method: str
    path: str
    version: str
    idempotent: bool


SEND_SMS = Operation(
    "send_sms",
    "POST",
    "/conversations/messages",
    CONVERSATIONS_VERSION,
    idempotent=False,
)
ADD_TAGS = Operation(
    "add_tags", "POST", "/contacts/{contactId}/tags", CONTACTS_VERSION, idempotent=True
)
REMOVE_TAGS = Operation(
    "remove_tags",
    "DELETE",
    "/contacts/{contactId}/tags",
    CONTACTS_VERSION,
    idempotent=True,
)
UPDATE_CONTACT = Operation(
    "update_contact", "PUT", "/contacts/{contactId}", CONTACTS_VERSION, idempotent=True
)
GET_CONTACT = Operation(
    "get_contact", "GET", "/contacts/{contactId}", CONTACTS_VERSION, idempotent=True
)
TRIGGER_WORKFLOW = Operation(
    "trigger_workflow",
    "POST",
    "/contacts/{contactId}/workflow/{workflowId}",
    CONTACTS_VERSION,
    idempotent=False,
)
FREE_SLOTS = Operation(
    "free_slots",
    "GET",
    "/calendars/{calendarId}/free-slots",
    CALENDARS_VERSION,
    idempotent=True,
)
BOOK_APPOINTMENT = Operation(
    "book_appointment",
    "POST",
    "/calendars/events/appointments",
    CALENDARS_VERSION,
    idempotent=False,
)
UPSERT_OPPORTUNITY = Operation(
    "upsert_opportunity",
    "POST",
    "/opportunities/upsert",
    OPPORTUNITIES_VERSION,
    idempotent=True,
)

#: Connection failures after which the request surely never reached GHL.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


def retry_after_s(headers: httpx.Headers, now: datetime) -> float | None:
    """The wait `Retry-After` asks for (seconds or an HTTP date), if it is readable."""
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - now).total_seconds())


def retry_delay(
    headers: httpx.Headers, attempt: int, cfg: GhlConfig, now: datetime
) -> float:
    """How long to wait before retrying a 429 or 5xx answer to attempt `attempt`.

    `Retry-After` wins; else, when GHL says the burst window is used up
    (`X-RateLimit-Remaining: 0`), its `X-RateLimit-Interval-Milliseconds`; else
    `retry_backoff_s` doubled per attempt.
    """
    after = retry_after_s(headers, now)
    if after is not None:
        return after
    interval_ms = _int_header(headers, "x-ratelimit-interval-milliseconds")
    if _int_header(headers, "x-ratelimit-remaining") == 0 and interval_ms is not None:
        return interval_ms / 1000
    return float(cfg.retry_backoff_s * 2 ** (attempt - 1))


def _error_detail(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        message = data.get("message")
        if isinstance(message, list):
            message = "; ".join(str(m) for m in message)
        if message:
            return str(message)
    return response.text[:200] or response.reason_phrase


class GhlClient:
    """The real GHL client; use `async with` or call `aclose()` when done."""

    def __init__(
        self,
        cfg: GhlConfig,
        *,
        on_call: Callable[[GhlCallRecord], None] | None = None,
        limiter: RateLimiter | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        problems = [
            f"ghl.{name}: required to call GHL (empty means sandbox mode)"
            for name in ("token", "location_id")
            if not getattr(cfg, name)
        ]
        if problems:
            raise ConfigError(messages=problems)
        self.cfg = cfg
        self.on_call = on_call
        self.limiter = limiter or RateLimiter.from_config(cfg)
        self._http = httpx.AsyncClient(
            base_url=cfg.base_url,
            headers={
                "Authorization": f"Bearer {cfg.token}",
                "Accept": "application/json",
            },
            timeout=httpx.Timeout(cfg.timeout_s),
            transport=transport,
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    def statistics(self) -> RateLimitStatistics:
        """The rate limiter's account for this client's location."""
        return self.limiter.statistics(self.cfg.location_id)

    # --- operations ------------------------------------------------------------------

    async def send_sms(self, contact_id: str, message: str) -> str:
        # The spec types `subType` as an object but documents it with a message type
        # string (its generator's rendering of a union); it and `status` are required.
        body = {
            "type": "SMS",
            "subType": "SMS",
            "contactId": contact_id,
            "message": message,
            "status": "pending",
        }
        data = await self._call(SEND_SMS, {}, json=body)
        return self._read(SEND_SMS, data, lambda r: r.req_str("messageId"))

    async def add_tags(self, contact_id: str, tags: Sequence[str]) -> None:
        await self._call(ADD_TAGS, {"contactId": contact_id}, json={"tags": list(tags)})

    async def remove_tags(self, contact_id: str, tags: Sequence[str]) -> None:
        await self._call(
            REMOVE_TAGS, {"contactId": contact_id}, json={"tags": list(tags)}
        )

    async def update_contact(
        self,
        contact_id: str,
        *,
        custom_fields: Mapping[str, CustomFieldValue] | None = None,
        dnd: bool | None = None,
        dnd_sms: bool | None = None,
    ) -> None:
        body: dict[str, Any] = {}
        if custom_fields:
            body["customFields"] = [
                {"id": field_id, "field_value": value}
                for field_id, value in custom_fields.items()
            ]
        if dnd is not None:
            body["dnd"] = dnd
        if dnd_sms is not None:
            body["dndSettings"] = {
                "SMS": {"status": "active" if dnd_sms else "inactive"}
            }
        if not body:
            msg = "update_contact: nothing to update (no custom_fields, dnd, dnd_sms)"
            raise ValueError(msg)
        await self._call(UPDATE_CONTACT, {"contactId": contact_id}, json=body)

    async def get_contact(self, contact_id: str) -> GhlContact:
        data = await self._call(GET_CONTACT, {"contactId": contact_id})
        return self._read(
            GET_CONTACT, data, lambda r: contact_from(r.req_obj("contact"))
        )

    async def trigger_workflow(self, contact_id: str, workflow_id: str) -> None:
        await self._call(
            TRIGGER_WORKFLOW,
            {"contactId": contact_id, "workflowId": workflow_id},
            json={},
        )

    async def free_slots(
        self, calendar_id: str, start: datetime, end: datetime, timezone: str
    ) -> list[datetime]:
        check_slot_range(start, end)
        params: dict[str, str | int] = {
            "startDate": int(start.timestamp() * 1000),
            "endDate": int(end.timestamp() * 1000),
            "timezone": timezone,
        }
        data = await self._call(FREE_SLOTS, {"calendarId": calendar_id}, params=params)

        def read(r: Reader) -> list[datetime]:
            found: set[datetime] = set()
            for day, value in r.data.items():
                if not isinstance(value, dict):
                    continue  # GHL adds non-day keys such as a trace id
                for i, text in enumerate(Reader(value, f"{day}.").str_list("slots")):
                    slot = parse_datetime(text)
                    if slot is None:
                        r.fail(f"{day}.slots[{i}]", f"not a date-time: {text!r}")
                    if start <= slot < end:
                        found.add(slot)
            return sorted(found)

        return self._read(FREE_SLOTS, data, read)

    async def book_appointment(
        self,
        calendar_id: str,
        contact_id: str,
        start: datetime,
        *,
        end: datetime | None = None,
        title: str = "",
    ) -> str:
        if start.tzinfo is None or (end is not None and end.tzinfo is None):
            msg = "book_appointment: start and end must be timezone-aware"
            raise ValueError(msg)
        body: dict[str, Any] = {
            "calendarId": calendar_id,
            "locationId": self.cfg.location_id,
            "contactId": contact_id,
            "startTime": start.isoformat(),
        }
        if end is not None:
            body["endTime"] = end.isoformat()
        if title:
            body["title"] = title
        data = await self._call(BOOK_APPOINTMENT, {}, json=body)
        return self._read(BOOK_APPOINTMENT, data, lambda r: r.req_str("id"))

    async def upsert_opportunity(
        self,
        contact_id: str,
        *,
        name: str,
        monetary_value: float | None = None,
        status: OpportunityStatus = "open",
        pipeline_id: str = "",
        pipeline_stage_id: str = "",
    ) -> str:
        pipeline_id = pipeline_id or self.cfg.pipeline_id
        pipeline_stage_id = pipeline_stage_id or self.cfg.pipeline_stage_id
        if not pipeline_id:
            msg = (
                "upsert_opportunity: no pipeline id given and ghl.pipeline_id is empty"
            )
            raise ValueError(msg)
        # The upsert schema lists no contactId (the create schema does); GHL matches
        # the opportunity by contact and pipeline, so it is sent. The follower fields
        # are required: an empty "add" leaves the followers as they are.
        body: dict[str, Any] = {
            "pipelineId": pipeline_id,
            "locationId": self.cfg.location_id,
            "contactId": contact_id,
            "name": name,
            "status": status,
            "followers": [],
            "isRemoveAllFollowers": False,
            "followersActionType": "add",
        }
        if pipeline_stage_id:
            body["pipelineStageId"] = pipeline_stage_id
        if monetary_value is not None:
            body["monetaryValue"] = monetary_value
        data = await self._call(UPSERT_OPPORTUNITY, {}, json=body)
        return self._read(
            UPSERT_OPPORTUNITY, data, lambda r: r.req_obj("opportunity").req_str("id")
        )

    # --- transport -------------------------------------------------------------------

    def _read(self, op: Operation, data: Any, read: Callable[[Reader], _T]) -> _T:
        if not isinstance(data, dict):
            raise GhlError(
                operation=op.name, status=200, detail="response is not a JSON object"
            )
        try:
            return read(Reader(data))
        except PayloadError as exc:
            raise GhlError(
                operation=op.name, status=200, detail=f"unexpected response: {exc}"
            ) from None

    def _record(self, record: GhlCallRecord) -> None:
        if self.on_call is not None:
            self.on_call(record)

    async def _call(
        self,
        op: Operation,
        path_params: Mapping[str, str],
        *,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
    ) -> Any:
        url = op.path.format_map({k: quote(v, safe="") for k, v in path_params.items()})
        location = self.cfg.location_id
        attempt = 0
        while True:
            attempt += 1
            try:
                await self.limiter.acquire(location)
            except DailyCapReached as exc:
                self._record(
                    GhlCallRecord(
                        operation=op.name,
                        method=op.method,
                        path=op.path,
                        status=None,
                        latency_s=0.0,
                        rate_limit_remaining=None,
                        attempt=attempt,
                        error=str(exc),
                    )
                )
                raise GhlError(
                    operation=op.name, status=None, detail=str(exc)
                ) from None
            started = trio.current_time()
            try:
                response = await self._http.request(
                    op.method,
                    url,
                    json=json,
                    params=params,
                    headers={"Version": op.version},
                )
            except httpx.TransportError as exc:
                latency = trio.current_time() - started
                retryable = op.idempotent or isinstance(exc, _NOT_SENT)
                error = (
                    f"timed out after {self.cfg.timeout_s:g} s"
                    if isinstance(exc, httpx.TimeoutException)
                    else f"{type(exc).__name__}: {exc}"
                )
                backoff = 0.0
                if retryable and attempt <= self.cfg.max_retries:
                    backoff = float(self.cfg.retry_backoff_s * 2 ** (attempt - 1))
                self._record(
                    GhlCallRecord(
                        operation=op.name,
                        method=op.method,
                        path=op.path,
                        status=None,
                        latency_s=latency,
                        rate_limit_remaining=None,
                        attempt=attempt,
                        error=error,
                        backoff_s=backoff,
                    )
                )
                if backoff:
                    await trio.sleep(backoff)
                    continue
                if not retryable:
                    error += "; not retried, GHL may have processed the request"
                raise GhlError(operation=op.name, status=None, detail=error) from None
            latency = trio.current_time() - started
            outcome = self._outcome(op, response, attempt)
            self._record(attrs.evolve(outcome.record, latency_s=latency))
            if outcome.error is None:
                return outcome.data
            if outcome.record.backoff_s:
                await trio.sleep(outcome.record.backoff_s)
                continue
            raise outcome.error

    def _outcome(
        self, op: Operation, response: httpx.Response, attempt: int
    ) -> _Outcome:
        headers = response.headers
        remaining = _int_header(headers, "x-ratelimit-remaining")
        daily_remaining = _int_header(headers, "x-ratelimit-daily-remaining")
        interval_ms = _int_header(headers, "x-ratelimit-interval-milliseconds")
        self.limiter.observe(
            self.cfg.location_id,
            remaining=remaining,
            interval_s=interval_ms / 1000 if interval_ms is not None else None,
            daily_remaining=daily_remaining,
        )
        status = response.status_code
        record = GhlCallRecord(
            operation=op.name,
            method=op.method,
            path=op.path,
            status=status,
            latency_s=0.0,
            rate_limit_remaining=remaining,
            attempt=attempt,
            daily_remaining=daily_remaining,
        )
        if response.is_success:
            try:
                data = orjson.loads(response.content) if response.content else {}
            except orjson.JSONDecodeError:
                error = GhlError(
                    operation=op.name, status=status, detail="response is not JSON"
                )
                return _Outcome(attrs.evolve(record, error=str(error)), None, error)
            return _Outcome(record, data, None)
        detail = _error_detail(response)
        retryable = status == 429 or status >= 500
        if status == 429 and daily_remaining == 0:
            retryable = False
            detail = f"daily limit reached: {detail}"
        backoff = 0.0
        if retryable and attempt <= self.cfg.max_retries:
            backoff = retry_delay(headers, attempt, self.cfg, datetime.now(UTC))
        elif retryable:
            detail = f"{detail} (gave up after {attempt} attempts)"
        error = GhlError(operation=op.name, status=status, detail=detail)
        return _Outcome(
            attrs.evolve(record, error=str(error), backoff_s=backoff), None, error
        )


@attrs.frozen
class _Outcome:
    record: GhlCallRecord
    data: Any
    error: GhlError | None


@asynccontextmanager
async def open_ghl(
    cfg: GhlConfig, *, on_call: Callable[[GhlCallRecord], None] | None = None
) -> AsyncIterator[GhlApi]:
    """The GHL API for this config: the real client, or the sandbox without a token."""
    api: GhlApi = (
        GhlClient(cfg, on_call=on_call)
        if cfg.token
        else SandboxGhl(location_id=cfg.location_id or "sandbox")
    )
    try:
        yield api
    finally:
        await api.aclose()
