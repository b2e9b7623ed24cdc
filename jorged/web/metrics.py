"""`GET /metrics`: the tracker in Prometheus text format (open, like `/healthz`).

A custom collector on a private `CollectorRegistry` reads the tracker at scrape
time. Counters since start are Prometheus counters with their labels. Each latency
metric is one summary, `jorged_latency_seconds{metric=...}`: the quantiles cover
the rolling window (NaN while it is empty), `_count` and `_sum` run since start,
as Prometheus summaries do. Window rates and the tracker's own state are gauges.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    Metric,
    SummaryMetricFamily,
)
from prometheus_client.samples import Sample
from starlette.responses import Response

from jorged.actors.tracker import Tracker
from jorged.exceptions import Starting
from jorged.metrics.panels import PanelFailures, PanelFailuresCollector
from jorged.metrics.performance import QUANTILES
from jorged.runtime import Runtime
from jorged.store.durable import DurableStore

__all__ = [
    "TrackerCollector",
    "make_registry",
    "register",
    "render",
    "setup",
]


#: Tracker counter name -> (Prometheus name, help text, label names).
COUNTERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "webhooks",
        "jorged_webhooks",
        "Webhooks answered, by event type and HTTP status.",
        ("event_type", "status"),
    ),
    (
        "webhook_errors",
        "jorged_webhook_errors",
        "Webhooks answered 4xx or 5xx, duplicates excepted.",
        (),
    ),
    ("webhook_duplicates", "jorged_webhook_duplicates", "Duplicate deliveries.", ()),
    ("messages_in", "jorged_messages_in", "Inbound SMS received.", ()),
    (
        "messages_out",
        "jorged_messages_out",
        "Outbound SMS, sent or recorded in sandbox mode.",
        ("mode",),
    ),
    ("replies", "jorged_replies", "Bot replies enqueued after an inbound turn.", ()),
    (
        "qualified",
        "jorged_conversations_qualified",
        "Conversations qualified, by temperature.",
        ("temperature",),
    ),
    (
        "ghl_calls",
        "jorged_ghl_calls",
        "GHL API call attempts, by operation and HTTP status ('none': no answer).",
        ("operation", "status"),
    ),
    (
        "ghl_errors",
        "jorged_ghl_errors",
        "GHL call attempts that failed (429 excepted), by operation.",
        ("operation",),
    ),
    ("ghl_rate_limited", "jorged_ghl_rate_limited", "GHL answers of 429.", ()),
    ("llm_calls", "jorged_llm_calls", "LLM calls, by model.", ("model",)),
    ("llm_failures", "jorged_llm_failures", "LLM calls without a usable answer.", ()),
    ("llm_tokens", "jorged_llm_tokens", "LLM tokens, by direction.", ("direction",)),
    ("llm_cost_usd", "jorged_llm_cost_usd", "LLM spend in US dollars.", ()),
    (
        "leads_resolved",
        "jorged_leads_resolved",
        "Lead analyses, by source (pattern, cache, llm).",
        ("source",),
    ),
    (
        "pattern_resolved",
        "jorged_leads_pattern_resolved",
        "Lead analyses the patterns answered without an LLM call.",
        (),
    ),
    ("cache_hits", "jorged_llm_cache_hits", "LLM answers taken from the cache.", ()),
    (
        "cache_misses",
        "jorged_llm_cache_misses",
        "Cache lookups that led to an LLM call.",
        (),
    ),
    (
        "saved_usd",
        "jorged_llm_saved_usd",
        "US dollars saved by not calling the LLM.",
        (),
    ),
    (
        "store_operations",
        "jorged_store_operations",
        "Store operations, by backend and operation.",
        ("backend", "op"),
    ),
    (
        "store_fallbacks",
        "jorged_store_fallbacks",
        "Store operations that fell back to the disk store.",
        (),
    ),
)


class TrackerCollector:
    """Reads the tracker on every scrape; registered on a private registry.

    `source` gives the tracker, or None while it is not running (nothing is
    collected then).
    """

    def __init__(self, source: Callable[[], Tracker | None]) -> None:
        self.source = source

    def collect(self) -> Iterator[Metric]:
        tracker = self.source()
        if tracker is None:
            return
        yield from self._counters(tracker)
        yield from self._latencies(tracker)
        yield from self._gauges(tracker)

    def _counters(self, tracker: Tracker) -> Iterator[Metric]:
        for key, name, doc, labels in COUNTERS:
            family = CounterMetricFamily(name, doc, labels=labels)
            totals = tracker.totals_by_labels(key)
            if not labels:
                family.add_metric([], totals.get((), 0.0))
            else:
                for values, total in sorted(totals.items()):
                    if len(values) == len(labels):
                        family.add_metric(list(values), total)
            yield family

    def _latencies(self, tracker: Tracker) -> Iterator[Metric]:
        snap = tracker.performance()
        name = "jorged_latency_seconds"
        family = SummaryMetricFamily(
            name,
            "Latency in seconds: quantiles over the rolling window, "
            "count and sum since start.",
            labels=("metric",),
        )
        window = GaugeMetricFamily(
            "jorged_latency_window_samples",
            "Latency samples in the rolling window.",
            labels=("metric",),
        )
        for stats in snap.latencies():
            values = (stats.p50, stats.p95, stats.p99)
            for q, value in zip(QUANTILES, values, strict=True):
                family.samples.append(
                    Sample(
                        name,
                        {"metric": stats.metric, "quantile": f"{q:g}"},
                        math.nan if value is None else value,
                    )
                )
            family.add_metric([stats.metric], stats.total_count, stats.total_sum_s)
            window.add_metric([stats.metric], stats.count)
        yield family
        yield window

    def _gauges(self, tracker: Tracker) -> Iterator[Metric]:
        snap = tracker.performance()
        stats = tracker.statistics()
        w = snap.window
        for name, doc, value in (
            (
                "jorged_webhook_error_ratio",
                "Share of webhooks answered 4xx/5xx (duplicates excepted), window.",
                w.webhook_error_rate,
            ),
            (
                "jorged_llm_cache_hit_ratio",
                "Share of LLM cache lookups answered from the cache, window.",
                w.cache_hit_rate,
            ),
            (
                "jorged_leads_pattern_ratio",
                "Share of lead analyses answered by patterns alone, window.",
                w.pattern_rate,
            ),
            (
                "jorged_tracker_window_hours",
                "Hours covered by the rolling window.",
                snap.window_hours,
            ),
            (
                "jorged_tracker_started_at_seconds",
                "When the totals began (epoch seconds).",
                snap.started_at,
            ),
            (
                "jorged_tracker_queue_depth",
                "Metric records waiting in the tracker's inbox.",
                stats.queued,
            ),
        ):
            yield GaugeMetricFamily(name, doc, value=value)
        if snap.ghl_rate_limit_remaining is not None:
            yield GaugeMetricFamily(
                "jorged_ghl_rate_limit_remaining",
                "The remaining burst allowance GHL last reported.",
                value=snap.ghl_rate_limit_remaining,
            )
        for name, doc, count in (
            (
                "jorged_tracker_dropped_records",
                "Metric records dropped because the inbox was full (this process).",
                stats.drops,
            ),
            (
                "jorged_tracker_snapshots",
                "Metric snapshots saved (this process).",
                stats.snapshots,
            ),
            (
                "jorged_tracker_snapshot_failures",
                "Metric snapshots that could not be saved (this process).",
                stats.snapshot_failures,
            ),
        ):
            yield CounterMetricFamily(name, doc, value=count)


class StoreCollector:
    """The store's own counters: Redis resyncs and the disk's refusals."""

    def __init__(self, source: Callable[[], DurableStore | None]) -> None:
        self.source = source

    def collect(self) -> Iterator[Metric]:
        store = self.source()
        if store is None:
            return
        stats = store.statistics()
        health = store.disk_health
        for name, doc, count in (
            (
                "jorged_redis_resyncs",
                "Redis copies found restarted or flushed, rebuilt from disk.",
                stats.redis_resyncs,
            ),
            (
                "jorged_redis_resync_keys",
                "Records written to Redis to make its copy complete (resyncs).",
                stats.reconciled_to_redis,
            ),
            (
                "jorged_disk_write_failures",
                "Writes the disk refused (full, failing; this process).",
                health.failures,
            ),
        ):
            yield CounterMetricFamily(name, doc, value=count)
        yield GaugeMetricFamily(
            "jorged_disk_writable",
            "1 while the state directory takes writes, 0 while it refuses them.",
            value=1 if health.writable else 0,
        )


def render(registry: CollectorRegistry) -> bytes:
    """The registry's metrics in Prometheus text format."""
    return generate_latest(registry)


def make_registry(tracker: Tracker) -> CollectorRegistry:
    """A private registry reading `tracker` on each scrape."""
    return _registry(lambda: tracker)


def _registry(source: Callable[[], Tracker | None]) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(TrackerCollector(source))
    return registry


def _serve(
    api: FastAPI,
    get: Callable[[], Tracker | None],
    store: Callable[[], DurableStore | None] | None = None,
    panels: PanelFailures | None = None,
) -> None:
    registry = _registry(get)
    if store is not None:
        registry.register(StoreCollector(store))
    if panels is not None:
        registry.register(PanelFailuresCollector(panels))

    @api.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        if get() is None:
            return Response(
                "tracker not running\n", status_code=503, media_type="text/plain"
            )
        return Response(render(registry), media_type=CONTENT_TYPE_LATEST)


def register(api: FastAPI, tracker: Tracker) -> None:
    """Serve `GET /metrics` from `tracker` (no login, like `/healthz`)."""
    _serve(api, lambda: tracker)


def setup(api: FastAPI, runtime: Runtime, _guest: Any) -> None:
    """The `RouteSetup` form: `/metrics` reads the running tracker at each scrape.

    The daemon creates its tracker once trio runs, after routes are registered;
    until its services are up the route answers 503. Dashboard panel failures are
    served beside the tracker's figures.
    """

    def tracker() -> Tracker | None:
        try:
            return runtime.services().tracker
        except Starting:
            return None

    def store() -> DurableStore | None:
        try:
            return runtime.services().store
        except Starting:
            return None

    _serve(api, tracker, store, runtime.panel_failures)
