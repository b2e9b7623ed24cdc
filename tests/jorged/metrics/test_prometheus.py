from __future__ import annotations

import math

import httpx
import pytest
import trio
import trio.testing
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from jorged.actors.tracker import Tracker
from jorged.config import TrackerConfig
from jorged.exceptions import Starting
from jorged.metrics.panels import PanelFailures
from jorged.metrics.records import (
    GhlCall,
    LeadResolved,
    LlmCall,
    ReplyProduced,
    WebhookHandled,
)
from jorged.store import DictStore
from jorged.web import metrics as web_metrics


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[s.name, tuple(sorted(s.labels.items()))] = s.value
    return out


@pytest.fixture(name="tracker")
async def _tracker(nursery) -> Tracker:
    tracker = Tracker.create(cfg=TrackerConfig(), store=DictStore(), capacity=256)
    await nursery.start(tracker.run)
    for i in range(1, 101):
        tracker.record(ReplyProduced(latency_s=i / 100))
    tracker.record(WebhookHandled(event_type="InboundMessage", status=200, latency_s=0.01))
    tracker.record(WebhookHandled(event_type="InboundMessage", status=500, latency_s=0.02))
    tracker.record(GhlCall(operation="send_sms", status=429, latency_s=0.2, rate_limit_remaining=0))
    tracker.record(LlmCall(model="m", input_tokens=700, output_tokens=50, latency_s=1.0, cost_usd=0.002))
    tracker.record(LeadResolved(source="pattern", saved_usd=0.05))
    await trio.testing.wait_all_tasks_blocked()
    return tracker


class TestExposition:
    async def test_scrape_parses_and_holds_the_numbers(self, tracker):
        """The text parses with prometheus-client's parser and carries the recorded counts."""
        s = _samples(web_metrics.render(web_metrics.make_registry(tracker)).decode())
        assert s["jorged_webhooks_total", (("event_type", "InboundMessage"), ("status", "500"))] == 1.0
        assert s["jorged_webhook_errors_total", ()] == 1.0
        assert s["jorged_ghl_calls_total", (("operation", "send_sms"), ("status", "429"))] == 1.0
        assert s["jorged_ghl_rate_limited_total", ()] == 1.0
        assert s["jorged_ghl_rate_limit_remaining", ()] == 0.0
        assert s["jorged_llm_tokens_total", (("direction", "input"),)] == 700.0
        assert s["jorged_llm_saved_usd_total", ()] == 0.05
        assert s["jorged_webhook_error_ratio", ()] == 0.5

    async def test_latency_summary_has_window_quantiles_and_totals(self, tracker):
        """Reply latency is a summary: p50/p95/p99 from the sketch, count and sum."""
        s = _samples(web_metrics.render(web_metrics.make_registry(tracker)).decode())
        reply = (("metric", "reply"),)
        assert s["jorged_latency_seconds", (*reply, ("quantile", "0.99"))] == pytest.approx(0.99, rel=0.01)
        assert s["jorged_latency_seconds", (*reply, ("quantile", "0.5"))] == pytest.approx(0.50, rel=0.01)
        assert (s["jorged_latency_seconds_count", reply], s["jorged_latency_seconds_sum", reply]) == (
            100.0,
            pytest.approx(50.5),
        )
        assert math.isnan(s["jorged_latency_seconds", (("metric", "store"), ("quantile", "0.95"))])

    async def test_counters_start_at_zero(self, nursery):
        """An idle daemon exports its unlabelled counters as 0."""
        tracker = Tracker.create(cfg=TrackerConfig(), store=DictStore(), capacity=4)
        await nursery.start(tracker.run)
        s = _samples(web_metrics.render(web_metrics.make_registry(tracker)).decode())
        assert s["jorged_replies_total", ()] == 0.0
        assert s["jorged_tracker_dropped_records_total", ()] == 0.0


class TestRoute:
    async def test_get_metrics_serves_prometheus_text(self, tracker):
        """`GET /metrics` answers 200 in Prometheus text format without a login."""
        api = FastAPI()
        web_metrics.register(api, tracker)
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://jorged") as client:
            response = await client.get("/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain; version=")
        assert _samples(response.text)["jorged_replies_total", ()] == 100.0

    async def test_daemon_route_waits_for_the_tracker(self, tracker):
        """The route-setup form answers 503 until the daemon's services are up."""

        class Holder:
            panel_failures = PanelFailures()
            running: object = None

            def services(self):
                if self.running is None:
                    raise Starting(phase="opening the store")
                return self.running

        class Running:
            store = None

        holder = Holder()
        api = FastAPI()
        web_metrics.setup(api, holder, None)
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://jorged") as client:
            before = await client.get("/metrics")
            holder.running = Running()
            holder.running.tracker = tracker
            after = await client.get("/metrics")
        assert (before.status_code, before.text) == (503, "tracker not running\n")
        assert _samples(after.text)["jorged_replies_total", ()] == 100.0
