"""The one dispatcher: a command in, its typed answer out, errors by kind.

`Dispatcher.run(command)` runs the handler of the command's class in trio. The
handlers of the seller, data, quarantine and export commands are here
(`service_handlers`); the daemon adds its own (status, reload, ...). Failures are
`RequestError`s by kind, from which the adapters choose an HTTP status
(`jorged.web.responses.request_error`) or a CLI exit code
(`jorged.control.control_socket`): `Invalid`, `NotFound`, `Conflict`; and
`ActorError` (`Starting` before the services are up) when the daemon cannot
answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

import attrs
import trio

from jorged.actors.outbox.items import item_view
from jorged.commands import kinds as k
from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation.state import ConversationState
from jorged.domain.dashboard.facts import ConversationRow
from jorged.domain.dashboard.params import parse_query
from jorged.exceptions import Invalid, NotFound
from jorged.exports.files import export_to_file
from jorged.needs_queue import Need, Sources, needs

if TYPE_CHECKING:
    from jorged.actors.dashboard.aggregator import Aggregator
    from jorged.actors.event_bus import EventsActor
    from jorged.actors.monitor import Monitor
    from jorged.actors.tracker import Tracker
    from jorged.quarantine import Quarantine
    from jorged.queries import DataService
    from jorged.services import SellerService
    from jorged.store.store_protocol import Store

__all__ = ["Dispatcher", "Handler", "Parts", "service_handlers"]

A = TypeVar("A")
Handler = Callable[[Any], Awaitable[Any]]
#: Bytes of an export sent in one `FetchExport` answer.
EXPORT_CHUNK = 512 * 1024


class Parts(Protocol):
    """What the handlers use of the running services (`runtime.Services`)."""

    @property
    def store(self) -> Store: ...
    @property
    def seller(self) -> SellerService: ...
    @property
    def data(self) -> DataService: ...
    @property
    def quarantine(self) -> Quarantine: ...
    @property
    def monitor(self) -> Monitor: ...
    @property
    def tracker(self) -> Tracker: ...
    @property
    def events(self) -> EventsActor: ...
    @property
    def aggregator(self) -> Aggregator: ...


@attrs.frozen
class Dispatcher:
    """Runs each command with the handler registered for its class."""

    handlers: Mapping[type[k.Command[Any]], Handler]

    async def run(self, command: k.Command[A]) -> A:
        handler = self.handlers.get(type(command))
        if handler is None:
            raise Invalid(field="cmd", problem=f"{command.NAME} is not served here")
        return cast("A", await handler(command))


def _existing(contact_id: str, state: ConversationState | None) -> ConversationState:
    """The conversation, or `NotFound` naming the contact."""
    if state is None:
        raise NotFound(
            field="contact_id",
            problem="no conversation with this contact",
            message=f"no conversation with contact {contact_id!r}",
        )
    return state


def service_handlers(
    services: Callable[[], Parts], state_dir: Callable[[], Path]
) -> dict[type[k.Command[Any]], Handler]:
    """The handlers of every command answered by the running services.

    `services()` raises `Starting` until the daemon's actors are up.
    """
    exports: dict[str, Path] = {}

    async def start(c: k.StartQualification) -> ConversationState:
        activate = sio.Activate(
            contact_id=c.contact_id,
            first_name=c.first_name,
            phone=c.phone,
            timezone=c.timezone,
            source="manual",
        )
        state = await services().seller.command(c.contact_id, "start", activate)
        return _existing(c.contact_id, state)

    async def show(c: k.ShowConversation) -> ConversationState:
        state = await services().seller.conversation(c.contact_id)
        return _existing(c.contact_id, state)

    async def change(c: k.ChangeConversation) -> ConversationState:
        state = await services().seller.command(c.contact_id, c.action)
        return _existing(c.contact_id, state)

    async def forget(c: k.ForgetContact) -> str:
        await services().seller.command(c.contact_id, "forget")
        return c.contact_id

    async def language(c: k.SetLanguage) -> ConversationState:
        state = await services().seller.command(
            c.contact_id, "language", language=c.language
        )
        return _existing(c.contact_id, state)

    async def outbox(c: k.ListOutbox) -> Any:
        return await services().seller.outbox_items(c.contact_id)

    async def simulate(c: k.Simulate) -> k.Simulated:
        return await services().seller.simulate(c.contact_id, c.text)

    async def dashboard(_c: k.ShowDashboard) -> Any:
        return services().data.dashboard()

    async def conversations(c: k.ListConversations) -> Any:
        return services().data.query(c.params)

    async def performance(_c: k.ShowPerformance) -> Any:
        return services().tracker.performance()

    async def timeseries(c: k.ShowTimeseries) -> Any:
        return services().data.hour_points(c.hours)

    async def events(c: k.RecentEvents) -> Any:
        return await services().events.recent(c.since, c.limit)

    async def lead(c: k.ShowLead) -> Any:
        analysis = await services().data.leads.analysis(c.contact_id)
        if analysis is None:
            raise NotFound(
                field="contact_id", problem="no lead analysis for this contact"
            )
        return analysis

    async def analyze(c: k.AnalyzeText) -> Any:
        return await services().data.analyze(c.text)

    async def needs(_c: k.ListNeeds) -> Any:
        return await _needs(services())

    async def alerts(_c: k.ShowAlerts) -> Any:
        return services().monitor.snapshot()

    async def held(_c: k.ListQuarantine) -> Any:
        return list(services().quarantine.snapshot().items)

    async def held_one(c: k.ShowQuarantined) -> Any:
        return services().quarantine.get(c.id)

    async def retry(c: k.RetryQuarantined) -> Any:
        return await services().quarantine.retry(c.id)

    async def drop(c: k.DropQuarantined) -> Any:
        return await services().quarantine.drop(c.id)

    async def export_start(c: k.StartExport) -> Any:
        running = services()
        path, result = await export_to_file(
            running.data,
            running.store,
            state_dir=state_dir(),
            fmt_text=c.format,
            params=c.filters,
            user="jorgectl",
        )
        exports[path.name] = path
        return {
            "id": path.name,
            "rows": result.rows,
            "bytes": result.bytes,
            "filename": result.filename,
        }

    async def export_write(c: k.WriteExport) -> k.ExportFile:
        running = services()
        path, result = await export_to_file(
            running.data,
            running.store,
            state_dir=state_dir(),
            fmt_text=c.format,
            params=c.params,
            user=c.user,
        )
        return k.ExportFile(path=path, result=result)

    async def export_fetch(c: k.FetchExport) -> Any:
        path = exports.get(c.id)
        if path is None:
            raise Invalid(field="id", problem="no such export")
        async with await trio.open_file(path, "rb") as f:
            await f.seek(c.offset)
            data = await f.read(EXPORT_CHUNK)
        if not data:
            exports.pop(c.id)
            await trio.Path(path).unlink(missing_ok=True)
        return {"data": data.hex(), "done": not data}

    handlers: dict[type[k.Command[Any]], Handler] = {
        k.StartQualification: start,
        k.ShowConversation: show,
        k.ChangeConversation: change,
        k.ForgetContact: forget,
        k.SetLanguage: language,
        k.ListOutbox: outbox,
        k.Simulate: simulate,
        k.ShowDashboard: dashboard,
        k.ListConversations: conversations,
        k.ShowPerformance: performance,
        k.ShowTimeseries: timeseries,
        k.RecentEvents: events,
        k.ShowLead: lead,
        k.AnalyzeText: analyze,
        k.ListNeeds: needs,
        k.ShowAlerts: alerts,
        k.ListQuarantine: held,
        k.ShowQuarantined: held_one,
        k.RetryQuarantined: retry,
        k.DropQuarantined: drop,
        k.StartExport: export_start,
        k.WriteExport: export_write,
        k.FetchExport: export_fetch,
    }
    return handlers


#: Hot sellers whose hand-off alerts the Needs Jorge queue reads, at most.
MAX_HANDOFFS = 200


async def _needs(parts: Parts) -> list[Need]:
    """The Needs Jorge queue from the conversation index (paused and hot sellers,
    with their holds), their outbox alerts and the quarantine."""
    aggregator = parts.aggregator
    paused = aggregator.rows(parse_query({"paused": "true"}))
    hot = [
        r
        for r in aggregator.rows(
            parse_query({"temperature": "hot", "stage": "qualified"})
        )
        if not (r.booked or r.stopped or r.opted_out)
    ][:MAX_HANDOFFS]
    outbox: list[dict[str, Any]] = []
    for row in hot:
        items = await parts.seller.outbox_items(row.contact_id)
        outbox += [item_view(i) for i in items]
    quarantined = parts.quarantine.snapshot().items
    rows: dict[str, ConversationRow] = {r.contact_id: r for r in (*paused, *hot)}
    for item in quarantined:
        cid = item.ref.contact_id
        found = aggregator.row(cid) if cid and cid not in rows else None
        if found is not None:
            rows[found.contact_id] = found
    sources = Sources(rows=list(rows.values()), outbox=outbox, quarantine=quarantined)
    return needs(sources)
