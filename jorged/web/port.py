"""The dashboard's port (`ui.port.DaemonPort`), backed by the daemon and the bridge.

In-memory snapshots (status, aggregates, metrics) are read directly: trio is a guest
on the same thread. Anything that awaits trio code goes through `guest.run`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Literal

import attrs
import orjson

from jorged.actors.events import Subscription
from jorged.actors.outbox_items import OutboxItem, action_summary
from jorged.bridge import TrioGuest
from jorged.domain.aggregate_query import QueryResult
from jorged.domain.contact_ids import check_contact_id
from jorged.domain.leads import LeadAnalysis
from jorged.domain.seller_models import ConversationState
from jorged.events import Event
from jorged.exceptions import BadRequest, Starting
from jorged.metrics.performance import HourPoint, PerformanceSnapshot
from jorged.needs_jorge import Need
from jorged.quarantine import Quarantine, QuarantinedItem
from jorged.queries import DataService
from jorged.runtime import Runtime, Services
from jorged.services import SellerService
from jorged.status import DaemonStatus
from jorged.web import needs
from jorged.web.fanout import EventFanOut
from jorged.web.login import LoginGuard, LoginOutcome
from jorged.web.views import DashboardView, OutboxEntry, SellerView, Sent

Json = dict[str, Any]
PRESETS_KEY = "ui:presets:{user}"
AUDIT_STREAM = "audit:exports"
MAX_PRESETS = 50


@attrs.define(kw_only=True)
class BridgePort:
    """Implements `ui.port.DaemonPort` for the running daemon."""

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

    def _seller(self) -> SellerService:
        return self._services().seller

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

    async def timeseries(self, hours: int) -> list[HourPoint]:
        return self._data().hour_points(hours)

    async def performance(self) -> PerformanceSnapshot:
        return self._data().tracker.performance()

    async def recent_events(self, *, after: str | None, limit: int) -> list[Event]:
        data = self._data()
        result: list[Event] = await self.guest.run(data.events.recent, after, limit)
        return result

    def events(self) -> AsyncIterator[Event]:
        return self._fanout.follow()

    # --- conversations ----------------------------------------------------------

    async def conversations(self, params: Mapping[str, str]) -> QueryResult:
        return self._data().query(dict(params))

    async def conversation(self, contact_id: str) -> SellerView | None:
        seller = self._seller()
        state: ConversationState | None = await self.guest.run(
            seller.conversation, check_contact_id(contact_id)
        )
        return None if state is None else self._view(state)

    def _view(self, state: ConversationState) -> SellerView:
        # The figures every page shows come from the one read model.
        row = self._data().aggregator.row(state.contact_id)
        return SellerView(state=state, figures=row)

    async def _after(self, answer: object, contact_id: str) -> SellerView | None:
        """The conversation after a command (None when the contact is unknown)."""
        return None if answer is None else await self.conversation(contact_id)

    async def lead(self, contact_id: str) -> LeadAnalysis | None:
        leads = self._data().leads
        result: LeadAnalysis | None = await self.guest.run(
            leads.analysis, check_contact_id(contact_id)
        )
        return result

    async def outbox(self, contact_id: str) -> list[OutboxEntry]:
        outbox = self._seller().outbox
        items: list[OutboxItem] = await self.guest.run(
            outbox.items, check_contact_id(contact_id)
        )
        return [_entry(i) for i in sorted(items, key=lambda i: i.created_at)]

    async def needs_jorge(self) -> list[Need]:
        return await needs.gather(self._services(), self.guest)

    async def command(
        self,
        contact_id: str,
        command: Literal["pause", "resume", "restart", "stop", "forget"],
    ) -> SellerView | None:
        seller = self._seller()
        answer = await self.guest.run(
            seller.command, check_contact_id(contact_id), command
        )
        return await self._after(answer, contact_id)

    async def set_language(self, contact_id: str, language: str) -> SellerView | None:
        seller = self._seller()
        answer = await self.guest.run(
            seller.set_language, check_contact_id(contact_id), language
        )
        return await self._after(answer, contact_id)

    async def start(self, contact_id: str, first_name: str = "") -> SellerView | None:
        seller = self._seller()
        args = {"contact_id": contact_id, "first_name": first_name}
        answer = await self.guest.run(seller.start, args)
        return await self._after(answer, contact_id)

    async def simulate(self, contact_id: str, text: str) -> Sent:
        seller = self._seller()
        result: Json = await self.guest.run(seller.simulate, contact_id, text)
        return Sent(status=str(result["status"]), message_id=result["message_id"])

    async def export(
        self,
        fmt: Literal["csv", "xlsx", "json", "pdf"],
        params: Mapping[str, str],
        user: str,
    ) -> bytes:
        from jorged.web.exports_api import export_bytes

        return await export_bytes(self.runtime, self.guest, fmt, dict(params), user)

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
            raise BadRequest(field="name", problem="1 to 60 characters")
        presets = await self.presets(user)
        if name not in presets and len(presets) >= MAX_PRESETS:
            raise BadRequest(field="name", problem=f"at most {MAX_PRESETS} presets")
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

    async def health(self) -> Json:
        status = self.runtime.status()
        try:
            services: Services | None = self._services()
        except Starting:
            services = None  # the page shows what the start has so far
        perf = services.tracker.performance() if services is not None else None
        cfg = self.runtime.cfg
        body: Json = {
            "at": datetime.now(UTC).isoformat(),
            "store": attrs.asdict(status.store) if status.store else None,
            "ghl": {
                "mode": "sandbox" if cfg.sandbox else "live",
                "calls": perf.totals.ghl_calls if perf else 0,
                "errors": perf.totals.ghl_errors if perf else 0,
                "rate_limited": perf.totals.ghl_rate_limited if perf else 0,
                "rate_limit_remaining": perf.ghl_rate_limit_remaining if perf else None,
            },
            "llm": {
                "mode": cfg.llm.provider,
                "calls": perf.totals.llm_calls if perf else 0,
                "failures": perf.totals.llm_failures if perf else 0,
                "cost_usd": perf.totals.llm_cost_usd if perf else 0.0,
            },
            "queues": self.runtime.queue_depths(),
            "actors": [attrs.asdict(a) for a in status.actors],
            "latency_p95_s": (
                {lat.metric: lat.p95 for lat in perf.latencies()} if perf else {}
            ),
            "webhook_error_rate": perf.window.webhook_error_rate if perf else None,
            "exports": await self.export_audit(),
        }
        body.update(services.monitor.snapshot() if services is not None else {})
        return body

    # --- quarantine -------------------------------------------------------------

    def _quarantine(self) -> Quarantine:
        return self._services().quarantine

    async def quarantine(self) -> list[QuarantinedItem]:
        return list(self._quarantine().snapshot().items)

    async def quarantine_retry(self, item_id: str) -> QuarantinedItem:
        item: QuarantinedItem = await self.guest.run(self._quarantine().retry, item_id)
        return item

    async def quarantine_drop(self, item_id: str) -> QuarantinedItem:
        item: QuarantinedItem = await self.guest.run(self._quarantine().drop, item_id)
        return item

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
