"""A fake GoHighLevel API over real HTTP on 127.0.0.1, for the GHL client's tests.

Runs inside the test's trio run (`trio.serve_tcp` + h11). Every request is checked
against GHL's OpenAPI specs (`ghl_spec.py`): a request that breaks them gets 422 with
the reasons, one per line, so a client bug fails its test loudly. A missing or wrong
bearer token gets 401. Answers are shaped by the spec's response schemas (and checked
against them); the operations jorged uses keep state:

- contacts (seed with `add_contact`), their tags, custom fields and DND;
- sent messages; contacts added to workflows; opportunities (by contact and pipeline);
- calendars with free slots (`add_slots`) and the appointments booked on them.

Business errors (unknown contact, slot no longer free) get 400 like GHL's.
`fail_next` makes the next requests answer 429 or 5xx; `hang_next` makes them hang until
the client gives up. Every request is recorded in `requests`.

    async with open_fake_ghl() as fake:
        cfg = GhlConfig(token=fake.token, location_id=fake.location_id,
                        base_url=fake.url)
"""

from __future__ import annotations

import functools
import itertools
import json
from collections import deque
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import attrs
import h11
import trio

from tests.fakes.ghl_spec import (
    Route,
    SpecIndex,
    check,
    default_index,
    example,
    request_problems,
)

TOKEN = "fake-ghl-token"
LOCATION_ID = "fake-location"


@attrs.frozen
class RecordedRequest:
    """One request the fake received, and what it answered."""

    method: str
    path: str
    operation_id: str
    headers: Mapping[str, str]
    query: Mapping[str, list[str]]
    body: Any
    status: int
    at: float

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@attrs.frozen
class Failure:
    """An injected answer."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: Any = None


class _BusinessError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@attrs.define
class FakeGhl:
    """The fake's state and request handling; start it with `open_fake_ghl`."""

    token: str = TOKEN
    location_id: str = LOCATION_ID
    spec: SpecIndex = attrs.field(factory=default_index)
    port: int = 0
    requests: list[RecordedRequest] = attrs.field(factory=list)
    contacts: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    messages: list[dict[str, Any]] = attrs.field(factory=list)
    workflow_enrollments: list[tuple[str, str]] = attrs.field(factory=list)
    slots: dict[str, list[datetime]] = attrs.field(factory=dict)
    appointments: list[dict[str, Any]] = attrs.field(factory=list)
    opportunities: dict[tuple[str, str], dict[str, Any]] = attrs.field(factory=dict)
    rate_burst: int = 100
    rate_window_s: float = 10.0
    daily_cap: int = 200_000
    internal_errors: list[str] = attrs.field(factory=list)
    _failures: deque[Failure] = attrs.field(factory=deque)
    _hangs: int = 0
    _ids: itertools.count[int] = attrs.field(factory=lambda: itertools.count(1))
    _arrivals: deque[float] = attrs.field(factory=deque)
    _release: trio.Event = attrs.field(factory=trio.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- test controls ---------------------------------------------------------------

    def add_contact(self, contact_id: str, **fields: Any) -> None:
        """Seed a contact; `fields` use GHL's JSON names (`firstName`, `tags`, ...)."""
        self.contacts[contact_id] = {
            "id": contact_id,
            "locationId": self.location_id,
            "tags": [],
            "dnd": False,
            "customFields": [],
            **fields,
        }

    def add_slots(self, calendar_id: str, starts: list[datetime]) -> None:
        """Offer free appointment start times on a calendar."""
        self.slots.setdefault(calendar_id, []).extend(starts)

    def fail_next(
        self, count: int, status: int, headers: Mapping[str, str] | None = None
    ) -> None:
        """Answer the next `count` requests with `status` (and these headers)."""
        body = {"statusCode": status, "message": f"injected {status}"}
        for _ in range(count):
            self._failures.append(Failure(status, tuple((headers or {}).items()), body))

    def hang_next(self, count: int) -> None:
        """Let the next `count` requests hang until the fake stops."""
        self._hangs += count

    def calls(self, operation_id: str) -> list[RecordedRequest]:
        """The recorded requests of one spec operation (`add-tags`, ...)."""
        return [r for r in self.requests if r.operation_id == operation_id]

    # --- HTTP ------------------------------------------------------------------------

    async def handle_connection(self, stream: trio.SocketStream) -> None:
        conn = h11.Connection(h11.SERVER)
        async with stream:
            while True:
                try:
                    request, body = await self._read_request(conn, stream)
                except (h11.RemoteProtocolError, trio.BrokenResourceError):
                    return
                if request is None:
                    return
                status, headers, payload = await self._respond(request, body)
                response = h11.Response(
                    status_code=status,
                    headers=[
                        ("content-type", "application/json"),
                        ("content-length", str(len(payload))),
                        *headers,
                    ],
                )
                try:
                    await stream.send_all(conn.send(response))
                    await stream.send_all(conn.send(h11.Data(data=payload)))
                    await stream.send_all(conn.send(h11.EndOfMessage()))
                except trio.BrokenResourceError:
                    return
                if conn.our_state is h11.MUST_CLOSE:
                    return
                conn.start_next_cycle()

    async def _read_request(
        self, conn: h11.Connection, stream: trio.SocketStream
    ) -> tuple[h11.Request | None, bytes]:
        request: h11.Request | None = None
        body = bytearray()
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                conn.receive_data(await stream.receive_some(65536))
            elif isinstance(event, h11.Request):
                request = event
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                return request, bytes(body)
            else:  # ConnectionClosed or PAUSED
                return None, b""

    async def _respond(
        self, request: h11.Request, body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        method = request.method.decode()
        target = urlsplit(request.target.decode())
        headers = {k.decode().lower(): v.decode() for k, v in request.headers}
        query = parse_qs(target.query)
        route, path_params, miss = self.spec.match(method, target.path)
        status, extra, answer, parsed = self._answer(
            route,
            path_params=path_params,
            miss=miss,
            headers=headers,
            query=query,
            body=body,
        )
        self.requests.append(
            RecordedRequest(
                method=method,
                path=target.path,
                operation_id=route.operation_id if route else "",
                headers=headers,
                query=query,
                body=parsed,
                status=status,
                at=trio.current_time(),
            )
        )
        if self._hangs and route is not None:
            self._hangs -= 1
            await self._release.wait()
        return status, extra, json.dumps(answer).encode()

    def _rate_headers(self) -> list[tuple[str, str]]:
        now = trio.current_time()
        self._arrivals.append(now)
        while self._arrivals and self._arrivals[0] <= now - self.rate_window_s:
            self._arrivals.popleft()
        return [
            ("x-ratelimit-max", str(self.rate_burst)),
            (
                "x-ratelimit-remaining",
                str(max(0, self.rate_burst - len(self._arrivals))),
            ),
            ("x-ratelimit-interval-milliseconds", str(int(self.rate_window_s * 1000))),
            ("x-ratelimit-limit-daily", str(self.daily_cap)),
            (
                "x-ratelimit-daily-remaining",
                str(max(0, self.daily_cap - len(self.requests) - 1)),
            ),
        ]

    def _answer(
        self,
        route: Route | None,
        *,
        path_params: dict[str, str],
        miss: str,
        headers: Mapping[str, str],
        query: Mapping[str, list[str]],
        body: bytes,
    ) -> tuple[int, list[tuple[str, str]], Any, Any]:
        if headers.get("authorization") != f"Bearer {self.token}":
            return 401, [], {"statusCode": 401, "message": "Invalid JWT"}, None
        if route is None:
            return 422, [], {"statusCode": 422, "message": [miss]}, None
        problems, parsed = request_problems(route, headers, query, body)
        if problems:
            return 422, [], {"statusCode": 422, "message": problems}, parsed
        rate = self._rate_headers()
        if self._failures:
            failure = self._failures.popleft()
            names = {name.lower() for name, _ in failure.headers}
            rate = [(k, v) for k, v in rate if k not in names]
            return failure.status, [*rate, *failure.headers], failure.body, parsed
        code, schema = route.success()
        try:
            answer = self._handle(route, path_params, query, parsed)
        except _BusinessError as exc:
            return (
                exc.status,
                rate,
                {"statusCode": exc.status, "message": exc.message},
                parsed,
            )
        if answer is None:
            answer = example(route.doc, schema)
        if schema is not None:
            for problem in check(route.doc, schema, answer, "response"):
                self.internal_errors.append(f"{route.operation_id}: {problem}")
        return code, rate, answer, parsed

    # --- operations ------------------------------------------------------------------

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}"

    def _contact(self, contact_id: str) -> dict[str, Any]:
        contact = self.contacts.get(contact_id)
        if contact is None:
            raise _BusinessError(400, f"Contact not found: {contact_id}")
        return contact

    def _handle(
        self,
        route: Route,
        params: dict[str, str],
        query: Mapping[str, list[str]],
        body: Any,
    ) -> Any:
        handler = _HANDLERS.get(route.operation_id)
        return handler(self, params, query, body) if handler else None

    def _send_message(self, _p: dict[str, str], _q: Any, body: Any) -> Any:
        self._contact(body["contactId"])
        message_id = self._new_id("msg")
        self.messages.append({**body, "messageId": message_id})
        return {
            "conversationId": f"conv-{body['contactId']}",
            "messageId": message_id,
            "msg": "Message queued successfully.",
            "status": "pending",
        }

    def _add_tags(self, p: dict[str, str], _q: Any, body: Any) -> Any:
        contact = self._contact(p["contactId"])
        contact["tags"] = [
            *contact["tags"],
            *(t for t in body["tags"] if t not in contact["tags"]),
        ]
        return {"tags": contact["tags"]}

    def _remove_tags(self, p: dict[str, str], _q: Any, body: Any) -> Any:
        contact = self._contact(p["contactId"])
        contact["tags"] = [t for t in contact["tags"] if t not in body["tags"]]
        return {"tags": contact["tags"]}

    def _get_contact(self, p: dict[str, str], _q: Any, _body: Any) -> Any:
        return {"contact": self._contact(p["contactId"])}

    def _update_contact(self, p: dict[str, str], _q: Any, body: Any) -> Any:
        contact = self._contact(p["contactId"])
        for item in body.get("customFields", []):
            fields = [f for f in contact["customFields"] if f["id"] != item["id"]]
            value = item.get("field_value")
            contact["customFields"] = [
                *fields,
                {
                    "id": item["id"],
                    "value": value if isinstance(value, str) else json.dumps(value),
                },
            ]
        if "dnd" in body:
            contact["dnd"] = body["dnd"]
        if "dndSettings" in body:
            contact["dndSettings"] = {
                **contact.get("dndSettings", {}),
                **body["dndSettings"],
            }
        return {"succeded": True, "contact": contact}

    def _add_to_workflow(self, p: dict[str, str], _q: Any, _body: Any) -> Any:
        self._contact(p["contactId"])
        self.workflow_enrollments.append((p["contactId"], p["workflowId"]))
        return {"succeded": True}

    def _free_slots(
        self, p: dict[str, str], q: Mapping[str, list[str]], _body: Any
    ) -> Any:
        start = datetime.fromtimestamp(float(q["startDate"][0]) / 1000, UTC)
        end = datetime.fromtimestamp(float(q["endDate"][0]) / 1000, UTC)
        if (end - start).days > 31:
            raise _BusinessError(400, "Date range cannot be more than 31 days")
        tz = ZoneInfo(q.get("timezone", ["UTC"])[0])
        booked = {
            datetime.fromisoformat(a["startTime"])
            for a in self.appointments
            if a["calendarId"] == p["calendarId"]
        }
        days: dict[str, dict[str, list[str]]] = {}
        for slot in sorted(self.slots.get(p["calendarId"], [])):
            local = slot.astimezone(tz)
            if start <= slot <= end and slot not in booked:
                days.setdefault(local.date().isoformat(), {"slots": []})[
                    "slots"
                ].append(local.isoformat())
        return days

    def _book(self, _p: dict[str, str], _q: Any, body: Any) -> Any:
        self._contact(body["contactId"])
        start = datetime.fromisoformat(body["startTime"])
        free = self.slots.get(body["calendarId"], [])
        taken = any(
            datetime.fromisoformat(a["startTime"]) == start
            for a in self.appointments
            if a["calendarId"] == body["calendarId"]
        )
        if not body.get("ignoreFreeSlotValidation") and (start not in free or taken):
            raise _BusinessError(
                400, "The slot you have selected is no longer available."
            )
        appointment = {
            "id": self._new_id("appt"),
            "calendarId": body["calendarId"],
            "locationId": body["locationId"],
            "contactId": body["contactId"],
            "startTime": body["startTime"],
            "title": body.get("title", ""),
            "appointmentStatus": body.get("appointmentStatus", "confirmed"),
        }
        if "endTime" in body:
            appointment["endTime"] = body["endTime"]
        self.appointments.append(appointment)
        return appointment

    def _upsert_opportunity(self, _p: dict[str, str], _q: Any, body: Any) -> Any:
        key = (body.get("contactId", ""), body["pipelineId"])
        existing = self.opportunities.get(key)
        opportunity = {**(existing or {"id": self._new_id("opp")}), **body}
        self.opportunities[key] = opportunity
        return {"opportunity": opportunity, "new": existing is None}


_HANDLERS = {
    "send-a-new-message": FakeGhl._send_message,
    "add-tags": FakeGhl._add_tags,
    "remove-tags": FakeGhl._remove_tags,
    "get-contact": FakeGhl._get_contact,
    "update-contact": FakeGhl._update_contact,
    "add-contact-to-workflow": FakeGhl._add_to_workflow,
    "get-slots": FakeGhl._free_slots,
    "create-appointment": FakeGhl._book,
    "Upsert-opportunity": FakeGhl._upsert_opportunity,
}


@asynccontextmanager
async def open_fake_ghl(**settings: Any) -> AsyncIterator[FakeGhl]:
    """Serve a FakeGhl on a free loopback port for the duration of the block."""
    fake = FakeGhl(**settings)
    async with trio.open_nursery() as nursery:
        listeners = await nursery.start(
            functools.partial(
                trio.serve_tcp, fake.handle_connection, 0, host="127.0.0.1"
            )
        )
        fake.port = listeners[0].socket.getsockname()[1]
        try:
            yield fake
        finally:
            fake._release.set()
            nursery.cancel_scope.cancel()
