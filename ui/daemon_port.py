"""The dashboard's one way into the daemon: queries that return snapshots, commands.

Pages import this Protocol, the snapshot types and `jorged.exceptions`; never actors,
stores or config loading. Answers are frozen values: the daemon's own snapshot and
row classes, or the few views of `jorged.web.views`, so a page reads attributes and
never holds live daemon objects. Only the Health page still reads JSON (`health`).
Methods raise `jorged.exceptions.Invalid` (naming the field) for bad input and
`jorged.exceptions.ActorError` when the daemon cannot answer now.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any, Literal, Protocol

from jorged.domain.conversation.state import ConversationState, Slots, TranscriptEntry
from jorged.domain.dashboard.facts import ConversationRow
from jorged.domain.dashboard.query import QueryResult
from jorged.domain.dashboard.snapshot import DashboardSnapshot, Kpi
from jorged.domain.leads.analysis import LeadAnalysis
from jorged.events import Event
from jorged.metrics.performance import HourPoint, PerformanceSnapshot
from jorged.needs_queue import Need
from jorged.quarantine import QuarantinedItem
from jorged.status import DaemonStatus
from jorged.web.login_guard import LoginOutcome
from jorged.web.views import DashboardView, HealthView, OutboxEntry, SellerView, Sent

__all__ = [
    "Command",
    "ConversationRow",
    "ConversationState",
    "DaemonPort",
    "DashboardSnapshot",
    "DashboardView",
    "Event",
    "ExportFormat",
    "HealthView",
    "HourPoint",
    "Json",
    "Kpi",
    "LeadAnalysis",
    "Need",
    "OutboxEntry",
    "PerformanceSnapshot",
    "QuarantinedItem",
    "QueryResult",
    "SellerView",
    "Sent",
    "Slots",
    "TranscriptEntry",
]

#: The Health page's answer, the one left as JSON (`DaemonPort.health`).
Json = dict[str, Any]
Command = Literal["pause", "resume", "restart", "stop", "forget"]
ExportFormat = Literal["csv", "xlsx", "json", "pdf"]


class DaemonPort(Protocol):
    def status(self) -> DaemonStatus:
        """The daemon's current status (actors, store, uptime)."""
        ...

    def panel_failed(self, panel: str, stage: str) -> None:
        """Count a dashboard panel whose update failed (`stage`: load or draw)."""
        ...

    # --- login ----------------------------------------------------------------------

    def login_required(self) -> bool:
        """False only when no dashboard password is configured and access is local."""
        ...

    async def check_login(
        self, username: str, password: str, client: str
    ) -> LoginOutcome:
        """Whether the credentials match the dashboard login; refused without a
        check (`retry_after_s` > 0) while `client` or `username` must wait."""
        ...

    # --- overview -------------------------------------------------------------------

    async def dashboard(self) -> DashboardView:
        """The numbers of `GET /api/dashboard`: hero KPIs with deltas, summary,
        distributions, commission pipeline, cost savings; and `loading`."""
        ...

    async def timeseries(self, hours: int) -> list[HourPoint]:
        """`GET /api/metrics/timeseries`: one point per hour, oldest first."""
        ...

    async def performance(self) -> PerformanceSnapshot:
        """`GET /api/metrics/performance`: latency percentiles, rates, totals."""
        ...

    async def recent_events(self, *, after: str | None, limit: int) -> list[Event]:
        """Stored events after the stream id `after` (None: the latest `limit`)."""
        ...

    def contact_names(self, contact_ids: Iterable[str]) -> dict[str, str]:
        """The first names of the contacts known by name (others are left out)."""
        ...

    def events(self) -> AsyncIterator[Event]:
        """Live events as they happen (the activity feed), until the daemon stops."""
        ...

    # --- conversations --------------------------------------------------------------

    async def conversations(self, params: Mapping[str, str]) -> QueryResult:
        """The page of rows `GET /api/conversations` answers for `params`."""
        ...

    async def conversation(self, contact_id: str) -> SellerView | None:
        """The conversation and its row in the read model, or None when unknown."""
        ...

    async def lead(self, contact_id: str) -> LeadAnalysis | None:
        """The lead analysis (`GET /api/leads/{id}`), or None."""
        ...

    async def outbox(self, contact_id: str) -> list[OutboxEntry]:
        """The contact's outbound actions and their status, oldest first."""
        ...

    async def needs_jorge(self) -> list[Need]:
        """The conversations waiting for a person, the longest wait first
        (`GET /api/needs-jorge`)."""
        ...

    async def command(self, contact_id: str, command: Command) -> SellerView | None:
        """Pause, resume, restart, stop or forget; the conversation after it."""
        ...

    async def set_language(self, contact_id: str, language: str) -> SellerView | None:
        """Jorge sets the language the bot writes in ("en" or "es"); the
        conversation after it."""
        ...

    async def start(self, contact_id: str, first_name: str = "") -> SellerView | None:
        """Start qualification by hand."""
        ...

    async def simulate(self, contact_id: str, text: str) -> Sent:
        """An inbound SMS through the webhook path (sandbox contact)."""
        ...

    async def export(
        self, fmt: ExportFormat, params: Mapping[str, str], user: str
    ) -> bytes:
        """The rows behind `params` as a file; each export goes to the audit log."""
        ...

    # --- presets (per user, persisted) ----------------------------------------------

    async def presets(self, user: str) -> dict[str, dict[str, str]]: ...

    async def save_preset(
        self, user: str, name: str, params: Mapping[str, str]
    ) -> None: ...

    async def delete_preset(self, user: str, name: str) -> None: ...

    # --- health ---------------------------------------------------------------------

    async def health(self) -> HealthView:
        """Checks (store, Redis, GHL, LLM, CPU, memory, disk, queues, restarts, error
        rate, p95 latencies), active alerts, the last 100 checks and alerts, and the
        export audit log."""
        ...

    # --- quarantine -----------------------------------------------------------------

    async def quarantine(self) -> list[QuarantinedItem]:
        """`GET /api/quarantine`: the inputs set aside, oldest first."""
        ...

    async def quarantine_retry(self, item_id: str) -> QuarantinedItem:
        """Hand a held input back to its actor; the item as it was."""
        ...

    async def quarantine_drop(self, item_id: str) -> QuarantinedItem:
        """Forget a held input for good; the item as it was."""
        ...
