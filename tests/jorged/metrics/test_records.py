from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jorged.config import LeadsConfig
from jorged.domain.leads.analysis import LeadInput, analyze
from jorged.ghl.models import GhlCallRecord
from jorged.llm.llm_protocol import AnalysisOutcome, LlmCallRecord
from jorged.metrics import adapters
from jorged.metrics.records import (
    ConversationQualified,
    GhlCall,
    LeadResolved,
    LlmCall,
    ReplyProduced,
    StoreOperation,
    WebhookHandled,
)
from jorged.store import OperationSample

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


class TestValidation:
    def test_negative_latency_names_the_field(self):
        """A negative latency is refused with the field named."""
        with pytest.raises(ValueError, match=r"^latency_s: must be a finite number of 0 or more, got -0\.1$"):
            ReplyProduced(latency_s=-0.1)

    def test_not_a_number_latency_is_refused(self):
        """NaN cannot reach a sketch."""
        with pytest.raises(ValueError, match=r"^latency_s: must be a finite"):
            WebhookHandled(event_type="InboundMessage", status=200, latency_s=float("nan"))

    def test_status_outside_http_range_is_refused(self):
        """An HTTP status must be 100 to 599."""
        with pytest.raises(ValueError, match=r"^status: must be an HTTP status from 100 to 599, got 42$"):
            WebhookHandled(event_type="InboundMessage", status=42, latency_s=0.1)

    def test_unknown_lead_source_is_refused(self):
        """The lead source is one of pattern, cache, llm."""
        with pytest.raises(ValueError, match=r"^source: must be one of 'pattern', 'cache', 'llm', got 'guess'$"):
            LeadResolved(source="guess")  # type: ignore[arg-type]

    def test_temperature_text_is_read_and_checked(self):
        """Temperature accepts its text value and names itself when wrong."""
        assert ConversationQualified(temperature="hot").temperature.value == "hot"  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=r"^temperature: must be one of 'hot', 'warm', 'cold', got 'tepid'$"):
            ConversationQualified(temperature="tepid")  # type: ignore[arg-type]


class TestMeaning:
    def test_webhook_error_excludes_duplicates(self):
        """A 4xx/5xx answer is an error unless the delivery was a duplicate."""
        assert WebhookHandled(event_type="X", status=500, latency_s=0).error
        assert not WebhookHandled(event_type="X", status=409, latency_s=0, duplicate=True).error
        assert not WebhookHandled(event_type="X", status=200, latency_s=0).error

    @pytest.mark.parametrize(
        ("status", "failed", "limited"),
        [(200, False, False), (429, False, True), (404, True, False), (502, True, False), (None, True, False)],
    )
    def test_ghl_failure_and_rate_limit(self, status, failed, limited):
        """429 is rate limited, not failed; other 4xx/5xx and no answer are failures."""
        call = GhlCall(operation="send_sms", status=status, latency_s=0.1)
        assert (call.failed, call.rate_limited) == (failed, limited)


class TestAdapters:
    def test_ghl_call_record(self):
        """A GHL client attempt becomes a GhlCall with the same numbers."""
        rec = GhlCallRecord(
            operation="send_sms", method="POST", path="/conversations/messages",
            status=429, latency_s=0.3, rate_limit_remaining=0, attempt=1, error="rate limited",
        )
        assert adapters.from_ghl_call(rec) == GhlCall(
            operation="send_sms", status=429, latency_s=0.3, rate_limit_remaining=0, error="rate limited"
        )

    def test_store_operation_sample(self):
        """A store sample becomes a StoreOperation."""
        sample = OperationSample(op="put", backend="disk", latency_s=0.002, fallback=True)
        assert adapters.from_store_operation(sample) == StoreOperation(
            backend="disk", op="put", latency_s=0.002, fallback=True
        )

    def test_analysis_with_an_llm_call(self):
        """An LLM-backed analysis gives a cache miss and the call's numbers."""
        call = LlmCallRecord(
            model="claude-haiku-4-5", input_tokens=800, output_tokens=120,
            latency_s=1.2, cost_usd=0.0014, failure=None, at=NOW,
        )
        outcome = AnalysisOutcome(
            analysis=analyze(LeadInput(contact_id="c1"), LeadsConfig(), NOW),
            source="llm", cache_key="k", saved_usd=0.0, call=call,
        )
        assert adapters.from_analysis(outcome) == [
            LeadResolved(source="llm", saved_usd=0.0, llm_called=True),
            LlmCall(model="claude-haiku-4-5", input_tokens=800, output_tokens=120, latency_s=1.2, cost_usd=0.0014),
        ]

    def test_analysis_from_patterns(self):
        """A pattern-only analysis gives one resolution with its saving."""
        outcome = AnalysisOutcome(
            analysis=analyze(LeadInput(contact_id="c1"), LeadsConfig(), NOW),
            source="pattern", cache_key="k", saved_usd=0.05,
        )
        [resolved] = adapters.from_analysis(outcome)
        assert resolved == LeadResolved(source="pattern", saved_usd=0.05)
        assert resolved.pattern_resolved
