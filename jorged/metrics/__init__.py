"""Performance tracking: metric records, the windowed sketches, and their views.

The `Tracker` actor (`jorged.actors.tracker`) keeps a `Window`; producers hand it the
records below (`adapters` converts the GHL, store and LLM packages' own records).
"""

from __future__ import annotations

from jorged.metrics import adapters
from jorged.metrics.performance import (
    LATENCY_METRICS,
    QUANTILES,
    Counts,
    HourPoint,
    LatencyStats,
    PerformanceSnapshot,
)
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
from jorged.metrics.window import Window, WindowData

__all__ = [
    "LATENCY_METRICS",
    "QUANTILES",
    "ConversationQualified",
    "Counts",
    "GhlCall",
    "HourPoint",
    "LatencyStats",
    "LeadResolved",
    "LlmCall",
    "MessageReceived",
    "MetricRecord",
    "PerformanceSnapshot",
    "ReplyProduced",
    "SmsSent",
    "StoreOperation",
    "WebhookHandled",
    "Window",
    "WindowData",
    "adapters",
]
