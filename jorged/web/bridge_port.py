"""The dashboard's port (`ui.daemon_port.DaemonPort`), backed by the daemon.

Every command and query goes to the daemon's dispatcher (`jorged.commands`) on
trio through `guest.run`, as the API's do. Published snapshots (the daemon's
status, the overview's figures, a row's figures) are read directly: trio is a guest
on the same thread and they are frozen. The dashboard's own saved filters live in
the store under `ui:presets:*`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

import attrs
import orjson

from jorged.actors.event_bus import Subscription
from jorged.actors.outbox.items import OutboxItem, action_summary
from jorged.bridge import TrioGuest
from jorged.commands import (
    ChangeConversation,
    Command,
    DropQuarantined,
    ForgetContact,
    ListConversations,
    ListNeeds,
    ListOutbox,
    ListQuarantine,
    RecentEvents,
    RetryQuarantined,
    SetLanguage,
    ShowConversation,
    ShowLead,
    Simulate,
    StartQualification,
    WriteExport,
)
from jorged.domain.conversation.state import ConversationState
from jorged.domain.dashboard.query import QueryResult
from jorged.domain.leads.analysis import LeadAnalysis
from jorged.events import Event
from jorged.exceptions import Invalid, NotFound, Starting
from jorged.exports.files import AUDIT_STREAM
from jorged.metrics.performance import HourPoint, PerformanceSnapshot
from jorged.needs_queue import Need
from jorged.quarantine import QuarantinedItem
from jorged.queries import DataService
from jorged.runtime import Runtime, Services
from jorged.status import DaemonStatus
from jorged.web.fanout import EventFanOut
from jorged.web.login_guard import LoginGuard, LoginOutcome
from jorged.web.views import (
    DashboardView,
    GhlHealth,
    HealthView,
    LlmHealth,
    OutboxEntry,
    SellerView,
    Sent,
)

Json = dict[str, Any]
A = TypeVar("A")
PRESETS_KEY = "ui:presets:{user}"
MAX_PRESETS = 50


@attrs.define(kw_only=True)
class BridgePort:
    """Implements `ui.daemon_port.DaemonPort` for the running daemon."""

    runtime: Runtime
    guest: TrioGuest
    _fanout: EventFanOut = attrs.field(init=False)
    _login: LoginGuard = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self._login = LoginGuard(settings=lambda: self.runtime.cfg.dashboard)
        self._fanout = EventFanOut(
            guest=self.guest,
            subscribe=self._subscribe,
            stopping=lambda: self.runtime.draining,
        )

    def _services(self) -> Services:
        """The running services; `Starting` (an `ActorError`) before."""
        return self.runtime.services()

    def _data(self) -> DataService:
        return self._services().data

    def _subscribe(self) -> Subscription:
        # The events actor exists only once the daemon has started.
        return self._data().events.subscribe()

    def status(self) -> DaemonStatus:
        return self.runtime.status()

    def panel_failed(self, panel: str, stage: str) -> None:
        self.runtime.panel_failures.record(panel, stage)

    # --- login ------------------------------------------------------------------

    def login_required(self) -> bool:
        return bool(self.runtime.cfg.dashboard.password_hash)

    async def check_login(
        self, username: str, password: str, client: str
    ) -> LoginOutcome:
        return await self._login.check(client, username, password)

    # --- overview ---------------------------------------------------------------

    async def dashboard(self) -> DashboardView:
        data = self._data()
        snapshot = data.dashboard_snapshot()
        # While the index is rebuilt after a start its numbers are not the data's.
        return DashboardView(snapshot=snapshot, loading=data.aggregator.loading)

    def contact_names(self, contact_ids: Iterable[str]) -> dict[str, str]:
        aggregator = self._data().aggregator
        names: dict[str, str] = {}
        for contact_id in contact_ids:
            row = aggregator.row(contact_id)
            if row is not None and row.first_name:
                names[contact_id] = row.first_name
        return names

    async def _run(self, command: Command[A]) -> A:
        """`command`'s answer from the dispatcher, on trio."""
        answer: A = await self.guest.run(self.runtime.commands.run, command)
        return answer

    async def _found(self, command: Command[A]) -> A | None:
        """`command`'s answer, or None when what it names does not exist."""
        try:
            return await self._run(command)
        except NotFound:
            return None

    async def timeseries(self, hours: int) -> list[HourPoint]:
        # The tracker's published figures: read here, without a hop to trio.
        return self._data().hour_points(hours)

    async def performance(self) -> PerformanceSnapshot:
        return self._data().tracker.performance()

    async def recent_events(self, *, after: str | None, limit: int) -> list[Event]:
        return await self._run(RecentEvents(since=after, limit=limit))

    def events(self) -> AsyncIterator[Event]:
        return self._fanout.follow()

    # --- conversations ----------------------------------------------------------

    async def conversations(self, params: Mapping[str, str]) -> QueryResult:
        return await self._run(ListConversations(params=dict(params)))

    async def conversation(self, contact_id: str) -> SellerView | None:
        state = await self._found(ShowConversation(contact_id=contact_id))
        return None if state is None else self._view(state)

    def _view(self, state: ConversationState) -> SellerView:
        # The figures every page shows come from the one read model.
        row = self._data().aggregator.row(state.contact_id)
        return SellerView(state=state, figures=row)

    async def lead(self, contact_id: str) -> LeadAnalysis | None:
        return await self._found(ShowLead(contact_id=contact_id))

    async def outbox(self, contact_id: str) -> list[OutboxEntry]:
        items = await self._run(ListOutbox(contact_id=contact_id))
        return [_entry(i) for i in items]

    async def needs_jorge(self) -> list[Need]:
        return await self._run(ListNeeds())

    async def command(
        self,
        contact_id: str,
        command: Literal["pause", "resume", "restart", "stop", "forget"],
    ) -> SellerView | None:
        if command == "forget":
            await self._run(ForgetContact(contact_id=contact_id))
            return None
        return self._view(
            await self._run(ChangeConversation(contact_id=contact_id, action=command))
        )

    async def set_language(self, contact_id: str, language: str) -> SellerView | None:
        language_given: Any = language  # checked by the command
        command = SetLanguage(contact_id=contact_id, language=language_given)
        return self._view(await self._run(command))

    async def start(self, contact_id: str, first_name: str = "") -> SellerView | None:
        command = StartQualification(contact_id=contact_id, first_name=first_name)
        return self._view(await self._run(command))

    async def simulate(self, contact_id: str, text: str) -> Sent:
        return await self._run(Simulate(contact_id=contact_id, text=text))

    async def export(
        self,
        fmt: Literal["csv", "xlsx", "json", "pdf"],
        params: Mapping[str, str],
        user: str,
    ) -> bytes:
        written = await self._run(
            WriteExport(format=fmt, params=dict(params), user=user)
        )
        try:
            return written.path.read_bytes()
        finally:
            written.path.unlink(missing_ok=True)

    # --- presets ----------------------------------------------------------------

    async def presets(self, user: str) -> dict[str, dict[str, str]]:
        store = self._services().store
        data = await self.guest.run(store.get, PRESETS_KEY.format(user=user))
        if data is None:
            return {}
        loaded: dict[str, dict[str, str]] = orjson.loads(data)
        return loaded

    async def save_preset(
        self, user: str, name: str, params: Mapping[str, str]
    ) -> None:
        name = name.strip()
        if not name or len(name) > 60:
            raise Invalid(field="name", problem="1 to 60 characters")
        presets = await self.presets(user)
        if name not in presets and len(presets) >= MAX_PRESETS:
            raise Invalid(field="name", problem=f"at most {MAX_PRESETS} presets")
        presets[name] = {k: str(v) for k, v in params.items() if v not in ("", None)}
        await self._save_presets(user, presets)

    async def delete_preset(self, user: str, name: str) -> None:
        presets = await self.presets(user)
        presets.pop(name, None)
        await self._save_presets(user, presets)

    async def _save_presets(
        self, user: str, presets: dict[str, dict[str, str]]
    ) -> None:
        store = self._services().store
        await self.guest.run(
            store.put, PRESETS_KEY.format(user=user), orjson.dumps(presets)
        )

    # --- health -----------------------------------------------------------------

    async def health(self) -> HealthView:
        status = self.runtime.status()
        try:
            services: Services | None = self._services()
        except Starting:
            services = None  # the page shows what the start has so far
        perf = services.tracker.performance() if services is not None else None
        cfg = self.runtime.cfg
        return HealthView(
            at=datetime.now(UTC),
            store=status.store,
            ghl=GhlHealth(
                mode="sandbox" if cfg.sandbox else "live",
                calls=perf.totals.ghl_calls if perf else 0,
                errors=perf.totals.ghl_errors if perf else 0,
                rate_limited=perf.totals.ghl_rate_limited if perf else 0,
                rate_limit_remaining=perf.ghl_rate_limit_remaining if perf else None,
            ),
            llm=LlmHealth(
                mode=cfg.llm.provider,
                calls=perf.totals.llm_calls if perf else 0,
                failures=perf.totals.llm_failures if perf else 0,
                cost_usd=perf.totals.llm_cost_usd if perf else 0.0,
            ),
            queues=self.runtime.queue_depths(),
            actors=status.actors,
            latency_p95_s=(
                {lat.metric: lat.p95 for lat in perf.latencies()} if perf else {}
            ),
            webhook_error_rate=perf.window.webhook_error_rate if perf else None,
            exports=tuple(await self.export_audit()),
            monitor=services.monitor.snapshot() if services is not None else None,
        )

    # --- quarantine -------------------------------------------------------------

    async def quarantine(self) -> list[QuarantinedItem]:
        return await self._run(ListQuarantine())

    async def quarantine_retry(self, item_id: str) -> QuarantinedItem:
        return await self._run(RetryQuarantined(id=item_id))

    async def quarantine_drop(self, item_id: str) -> QuarantinedItem:
        return await self._run(DropQuarantined(id=item_id))

    async def export_audit(self, limit: int = 100) -> list[Json]:
        try:
            store = self._services().store
        except Starting:
            return []
        entries = await self.guest.run(_tail, store, limit)
        return [orjson.loads(data) for _id, data in reversed(entries)]


def _entry(item: OutboxItem) -> OutboxEntry:
    return OutboxEntry(
        id=item.id,
        status=item.status.value,
        created_at=item.created_at,
        sent_at=item.sent_at,
        summary=action_summary(item.action),
        text=item.text,
        error=item.error,
    )


async def _tail(store: Any, limit: int) -> list[tuple[str, bytes]]:
    result: list[tuple[str, bytes]] = await store.stream_tail(AUDIT_STREAM, count=limit)
    return result
