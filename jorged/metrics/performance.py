"""How records feed the window, and the read-only views built from it.

`apply()` turns one `MetricRecord` into latency samples and counter increments.
`performance()` and `timeseries()` read a window into frozen snapshots for the API,
the dashboard, the control socket and `/metrics`.

Counter names (labels in brackets), as kept by the window:

- webhooks [event type, status], webhook_errors, webhook_duplicates
- messages_in, messages_out [sent|sandboxed], replies, qualified [temperature]
- ghl_calls [operation, status or "none"], ghl_errors [operation], ghl_rate_limited
- llm_calls [model], llm_failures, llm_tokens [input|output], llm_cost_usd
- leads_resolved [source], pattern_resolved, cache_hits, cache_misses, saved_usd
- store_operations [backend, op], store_fallbacks

Latency metrics: webhook, reply, ghl, llm, store.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from jorged.metrics.records import (
    ConversationQualified,
    GhlCall,
    LeadResolved,
    LlmCall,
    MessageReceived,
    MetricRecord,
    ReplyProduced,
    SmsSent,
    StoreOperation,
    WebhookHandled,
)
from jorged.metrics.window import LATENCY_COUNT, LATENCY_SUM, Window

__all__ = [
    "LATENCY_METRICS",
    "QUANTILES",
    "Counts",
    "HourPoint",
    "LatencyStats",
    "PerformanceSnapshot",
    "apply",
    "performance",
    "timeseries",
]

QUANTILES = (0.5, 0.95, 0.99)
LATENCY_METRICS = ("webhook", "reply", "ghl", "llm", "store")


def apply(window: Window, rec: MetricRecord, *, at: float) -> None:
    """Record `rec`, seen at epoch `at`, in `window`."""
    match rec:
        case WebhookHandled():
            window.observe("webhook", rec.latency_s, at=at)
            window.add("webhooks", rec.event_type, str(rec.status), at=at)
            if rec.error:
                window.add("webhook_errors", at=at)
            if rec.duplicate:
                window.add("webhook_duplicates", at=at)
        case MessageReceived():
            window.add("messages_in", at=at)
        case ReplyProduced():
            window.observe("reply", rec.latency_s, at=at)
            window.add("replies", at=at)
        case SmsSent():
            window.add("messages_out", "sandboxed" if rec.sandboxed else "sent", at=at)
        case ConversationQualified():
            window.add("qualified", rec.temperature.value, at=at)
        case GhlCall():
            _apply_ghl(window, rec, at)
        case LlmCall():
            _apply_llm(window, rec, at)
        case LeadResolved():
            window.add("leads_resolved", rec.source, at=at)
            if rec.pattern_resolved:
                window.add("pattern_resolved", at=at)
            if rec.source == "cache":
                window.add("cache_hits", at=at)
            if rec.llm_called:
                window.add("cache_misses", at=at)
            if rec.saved_usd:
                window.add("saved_usd", at=at, amount=rec.saved_usd)
        case StoreOperation():
            window.observe("store", rec.latency_s, at=at)
            window.add("store_operations", rec.backend, rec.op, at=at)
            if rec.fallback:
                window.add("store_fallbacks", at=at)


def _apply_ghl(window: Window, rec: GhlCall, at: float) -> None:
    window.observe("ghl", rec.latency_s, at=at)
    status = "none" if rec.status is None else str(rec.status)
    window.add("ghl_calls", rec.operation, status, at=at)
    if rec.failed:
        window.add("ghl_errors", rec.operation, at=at)
    if rec.rate_limited:
        window.add("ghl_rate_limited", at=at)


def _apply_llm(window: Window, rec: LlmCall, at: float) -> None:
    window.observe("llm", rec.latency_s, at=at)
    window.add("llm_calls", rec.model, at=at)
    if rec.failed:
        window.add("llm_failures", at=at)
    if rec.input_tokens:
        window.add("llm_tokens", "input", at=at, amount=rec.input_tokens)
    if rec.output_tokens:
        window.add("llm_tokens", "output", at=at, amount=rec.output_tokens)
    if rec.cost_usd:
        window.add("llm_cost_usd", at=at, amount=rec.cost_usd)


# --- views ---------------------------------------------------------------------


def _rate(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


@attrs.frozen(kw_only=True)
class Counts:
    """Counts and sums over one span (the window, or everything since start).

    Rates are fractions from 0 to 1 (0 when nothing was counted):
    `webhook_error_rate` is the share of webhooks answered 4xx/5xx other than
    duplicates; `pattern_rate` the share of resolved leads the patterns answered
    alone; `cache_hit_rate` the share of cache lookups answered from the cache.
    """

    webhooks: int
    webhook_errors: int
    webhook_duplicates: int
    webhook_error_rate: float
    messages_in: int
    messages_out: int
    sms_sandboxed: int
    replies: int
    qualified: int
    qualified_hot: int
    qualified_warm: int
    qualified_cold: int
    ghl_calls: int
    ghl_errors: int
    ghl_rate_limited: int
    llm_calls: int
    llm_failures: int
    llm_input_tokens: int
    llm_output_tokens: int
    llm_cost_usd: float
    leads_resolved: int
    pattern_resolved: int
    cache_hits: int
    cache_misses: int
    pattern_rate: float
    cache_hit_rate: float
    saved_usd: float
    store_operations: int
    store_fallbacks: int

    @classmethod
    def read(cls, get: Callable[..., float]) -> Counts:
        """Build from `get(name, *labels)`, a window or totals lookup."""

        def n(name: str, *labels: str) -> int:
            return round(get(name, *labels))

        webhooks, errors = n("webhooks"), n("webhook_errors")
        leads, pattern = n("leads_resolved"), n("pattern_resolved")
        hits, misses = n("cache_hits"), n("cache_misses")
        return cls(
            webhooks=webhooks,
            webhook_errors=errors,
            webhook_duplicates=n("webhook_duplicates"),
            webhook_error_rate=_rate(errors, webhooks),
            messages_in=n("messages_in"),
            messages_out=n("messages_out"),
            sms_sandboxed=n("messages_out", "sandboxed"),
            replies=n("replies"),
            qualified=n("qualified"),
            qualified_hot=n("qualified", "hot"),
            qualified_warm=n("qualified", "warm"),
            qualified_cold=n("qualified", "cold"),
            ghl_calls=n("ghl_calls"),
            ghl_errors=n("ghl_errors"),
            ghl_rate_limited=n("ghl_rate_limited"),
            llm_calls=n("llm_calls"),
            llm_failures=n("llm_failures"),
            llm_input_tokens=n("llm_tokens", "input"),
            llm_output_tokens=n("llm_tokens", "output"),
            llm_cost_usd=get("llm_cost_usd"),
            leads_resolved=leads,
            pattern_resolved=pattern,
            cache_hits=hits,
            cache_misses=misses,
            pattern_rate=_rate(pattern, leads),
            cache_hit_rate=_rate(hits, hits + misses),
            saved_usd=get("saved_usd"),
            store_operations=n("store_operations"),
            store_fallbacks=n("store_fallbacks"),
        )


@attrs.frozen(kw_only=True)
class LatencyStats:
    """One latency metric: window percentiles (None when empty), counts and sum.

    `count` is the number of samples in the window; `total_count` and `total_sum_s`
    run since start (a Prometheus summary's `_count` and `_sum`).
    """

    metric: str
    count: int
    p50: float | None
    p95: float | None
    p99: float | None
    total_count: int
    total_sum_s: float


@attrs.frozen(kw_only=True)
class PerformanceSnapshot:
    """The tracker's answer for the API, the dashboard and `/metrics`.

    `at` and `started_at` are epoch seconds; `drops` counts records lost because
    the tracker's inbox was full (since this process started).
    `ghl_rate_limit_remaining` is the last remaining allowance GHL reported to this
    process (None until it reports one; it is not kept in snapshots).
    """

    at: float
    started_at: float
    window_hours: int
    webhook: LatencyStats
    reply: LatencyStats
    ghl: LatencyStats
    llm: LatencyStats
    store: LatencyStats
    window: Counts
    totals: Counts
    ghl_rate_limit_remaining: int | None
    drops: int

    def latencies(self) -> tuple[LatencyStats, ...]:
        return (self.webhook, self.reply, self.ghl, self.llm, self.store)


@attrs.frozen(kw_only=True)
class HourPoint:
    """One hour of the performance chart; `start` is the hour's epoch second.

    `errors` counts webhook errors, failed GHL calls and failed LLM calls.
    """

    start: float
    messages_in: int
    messages_out: int
    reply_p95_s: float | None
    qualified: int
    webhooks: int
    errors: int


def _latency(window: Window, metric: str, now: float) -> LatencyStats:
    sketch = window.sketch(metric, now=now)
    p50, p95, p99 = (sketch.get_quantile_value(q) for q in QUANTILES)
    return LatencyStats(
        metric=metric,
        count=round(sketch.count),
        p50=p50,
        p95=p95,
        p99=p99,
        total_count=round(window.total(LATENCY_COUNT, metric)),
        total_sum_s=window.total(LATENCY_SUM, metric),
    )


def performance(
    window: Window,
    *,
    now: float,
    drops: int = 0,
    ghl_rate_limit_remaining: int | None = None,
) -> PerformanceSnapshot:
    """The window and totals at epoch `now`, as one frozen snapshot."""

    def in_window(name: str, *labels: str) -> float:
        return window.count(name, *labels, now=now)

    return PerformanceSnapshot(
        at=now,
        started_at=window.started_at,
        window_hours=window.hours,
        webhook=_latency(window, "webhook", now),
        reply=_latency(window, "reply", now),
        ghl=_latency(window, "ghl", now),
        llm=_latency(window, "llm", now),
        store=_latency(window, "store", now),
        window=Counts.read(in_window),
        totals=Counts.read(window.total),
        ghl_rate_limit_remaining=ghl_rate_limit_remaining,
        drops=drops,
    )


def timeseries(window: Window, *, now: float, hours: int) -> list[HourPoint]:
    """The last `hours` hours (at most the window) up to `now`'s, oldest first."""
    if hours < 1:
        msg = f"hours: must be at least 1, got {hours!r}"
        raise ValueError(msg)
    return [
        HourPoint(
            start=view.start,
            messages_in=round(view.count("messages_in")),
            messages_out=round(view.count("messages_out")),
            reply_p95_s=view.quantile("reply", 0.95),
            qualified=round(view.count("qualified")),
            webhooks=round(view.count("webhooks")),
            errors=round(
                view.count("webhook_errors")
                + view.count("ghl_errors")
                + view.count("llm_failures")
            ),
        )
        for view in window.hourly(now=now, hours=hours)
    ]
