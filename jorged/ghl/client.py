"""The GHL API v2 client (httpx on trio through anyio).

Here are the endpoints jorged calls (each an `Operation` with its path, `Version`
and whether it is idempotent), the bodies sent to them and how their answers are
read. How a request is sent, rate limited and retried is in `jorged.ghl.api_call`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, Self

import httpx

from jorged.config import GhlConfig
from jorged.exceptions import ConfigError
from jorged.ghl.api import (
    CustomFieldValue,
    GhlApi,
    OpportunityStatus,
    check_slot_range,
)
from jorged.ghl.api_call import Caller, Operation, read_result
from jorged.ghl.models import GhlCallRecord, GhlContact
from jorged.ghl.payload import Reader, contact_from, parse_datetime
from jorged.ghl.ratelimit import RateLimiter, RateLimitStatistics
from jorged.ghl.sandbox import SandboxGhl

#: `Version` header values, from each API's OpenAPI spec.
CONVERSATIONS_VERSION = "2021-04-15"
CALENDARS_VERSION = "2021-04-15"
CONTACTS_VERSION = "2021-07-28"
OPPORTUNITIES_VERSION = "2021-07-28"

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
        self.limiter = limiter or RateLimiter.from_config(cfg)
        self._caller = Caller(
            cfg, limiter=self.limiter, on_call=on_call, transport=transport
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._caller.aclose()

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
        data = await self._caller.call(SEND_SMS, {}, json=body)
        return read_result(SEND_SMS, data, lambda r: r.req_str("messageId"))

    async def add_tags(self, contact_id: str, tags: Sequence[str]) -> None:
        await self._caller.call(
            ADD_TAGS, {"contactId": contact_id}, json={"tags": list(tags)}
        )

    async def remove_tags(self, contact_id: str, tags: Sequence[str]) -> None:
        await self._caller.call(
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
        await self._caller.call(UPDATE_CONTACT, {"contactId": contact_id}, json=body)

    async def get_contact(self, contact_id: str) -> GhlContact:
        data = await self._caller.call(GET_CONTACT, {"contactId": contact_id})
        return read_result(
            GET_CONTACT, data, lambda r: contact_from(r.req_obj("contact"))
        )

    async def trigger_workflow(self, contact_id: str, workflow_id: str) -> None:
        await self._caller.call(
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
        data = await self._caller.call(
            FREE_SLOTS, {"calendarId": calendar_id}, params=params
        )

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

        return read_result(FREE_SLOTS, data, read)

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
        data = await self._caller.call(BOOK_APPOINTMENT, {}, json=body)
        return read_result(BOOK_APPOINTMENT, data, lambda r: r.req_str("id"))

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
        data = await self._caller.call(UPSERT_OPPORTUNITY, {}, json=body)
        return read_result(
            UPSERT_OPPORTUNITY, data, lambda r: r.req_obj("opportunity").req_str("id")
        )


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
