"""Read-side answers for the JSON API, the dashboard and `jorgectl`, as JSON values.

The dashboard is the aggregator's published snapshot; the conversation list and the
tracker answer from memory (plain calls on the loop's one thread); history and lead
analyses come from the store (trio coroutines). Every figure comes from recorded
data: an empty system answers zeros and None ("no data").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import attrs

from jorged.actors.dashboard.aggregator import Aggregator
from jorged.actors.event_bus import EventsActor
from jorged.actors.leads import Leads
from jorged.actors.tracker import Tracker
from jorged.domain.dashboard import facts as aggregate_facts
from jorged.domain.dashboard import params as aggregate_params
from jorged.domain.dashboard import query as aggregate_query
from jorged.domain.dashboard import snapshot as aggregate
from jorged.domain.leads.analysis import LeadInput
from jorged.events import Event
from jorged.exceptions import Invalid
from jorged.metrics.performance import HourPoint
from jorged.store import codec

Json = dict[str, Any]


def event_json(event: Event) -> Json:
    return {
        "id": event.id,
        "kind": event.kind.value,
        "at": event.at.isoformat(),
        "contact_id": event.contact_id,
        "data": dict(event.data),
    }


def row_json(row: aggregate_facts.ConversationRow) -> Json:
    data: Json = codec.to_jsonable(row)
    return data


def savings_of(tracker: Tracker) -> aggregate.CostSavings:
    totals = tracker.performance().totals
    return aggregate.CostSavings(
        saved_usd=totals.saved_usd,
        pattern_resolved=totals.pattern_resolved,
        cache_hits=totals.cache_hits,
        llm_calls=totals.llm_calls,
        llm_cost_usd=totals.llm_cost_usd,
    )


@attrs.define(kw_only=True)
class DataService:
    """Answers over the running actors; raises ActorError before they are up."""

    aggregator: Aggregator
    tracker: Tracker
    events: EventsActor
    leads: Leads
    window_hours: int = 24

    def now(self) -> datetime:
        return datetime.now(UTC)

    def dashboard(self) -> Json:
        published = self.aggregator.snapshot
        snapshot = attrs.evolve(published.dashboard, savings=savings_of(self.tracker))
        body: Json = codec.to_jsonable(snapshot)
        body["generated_at"] = self.now().isoformat()
        # While the index is rebuilt after a start its numbers are not the data's.
        body["loading"] = published.loading
        return body

    def dashboard_snapshot(self) -> aggregate.DashboardSnapshot:
        published = self.aggregator.snapshot.dashboard
        return attrs.evolve(published, savings=savings_of(self.tracker))

    def query(self, params: aggregate_params.RawParams) -> aggregate_query.QueryResult:
        """The page of rows behind the filter, sort and page in `params`."""
        return self.aggregator.query(aggregate_params.parse_query(params))

    def rows(
        self, params: aggregate_params.RawParams
    ) -> Iterator[aggregate_facts.ConversationRow]:
        """Every row behind the filter (page and page size ignored), lazily."""
        cleaned = {k: v for k, v in params.items() if k not in ("page", "page_size")}
        return self.aggregator.rows(aggregate_params.parse_query(cleaned))

    def hour_points(self, hours: int) -> list[HourPoint]:
        """The last `hours` hours of the performance chart, oldest first."""
        if not 1 <= hours <= self.window_hours:
            raise Invalid(
                field="hours", problem=f"must be between 1 and {self.window_hours}"
            )
        return self.tracker.timeseries(hours)

    async def analyze(self, text: str) -> Json:
        """Score a text as a lead would be scored, without storing anything (the
        `AnalyzeText` command has checked it)."""
        lead = LeadInput(contact_id="analyze", messages=(text,))
        outcome = await self.leads.analyzer.analyze(lead, self.now())
        return {
            "analysis": codec.to_jsonable(outcome.analysis),
            "source": outcome.source,
            "saved_usd": outcome.saved_usd,
        }
