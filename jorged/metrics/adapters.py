"""Turn the records other packages already emit into metric records.

The GHL client reports each attempt as a `GhlCallRecord` (`on_call`), the durable
store each operation as an `OperationSample` (`on_operation`), and the lead analyser
each analysis as an outcome with its source, saving and LLM call (`on_record`). These
functions convert them; `app.py` connects the callbacks to `Tracker.record`.
"""

from __future__ import annotations

from typing import Protocol

from jorged.ghl.models import GhlCallRecord
from jorged.metrics.records import (
    GhlCall,
    LeadResolved,
    LeadSource,
    LlmCall,
    StoreOperation,
)
from jorged.store import OperationSample

__all__ = [
    "AnalysisLike",
    "LlmCallLike",
    "from_analysis",
    "from_ghl_call",
    "from_llm_call",
    "from_store_operation",
]


class LlmCallLike(Protocol):
    """The fields of an LLM call record the tracker reads."""

    @property
    def model(self) -> str: ...
    @property
    def input_tokens(self) -> int: ...
    @property
    def output_tokens(self) -> int: ...
    @property
    def latency_s(self) -> float: ...
    @property
    def cost_usd(self) -> float: ...
    @property
    def failure(self) -> str | None: ...


class AnalysisLike(Protocol):
    """The fields of a lead analysis outcome the tracker reads."""

    @property
    def source(self) -> LeadSource: ...
    @property
    def saved_usd(self) -> float: ...
    @property
    def call(self) -> LlmCallLike | None: ...


def from_ghl_call(rec: GhlCallRecord) -> GhlCall:
    return GhlCall(
        operation=rec.operation,
        status=rec.status,
        latency_s=rec.latency_s,
        rate_limit_remaining=rec.rate_limit_remaining,
        error=rec.error,
    )


def from_store_operation(sample: OperationSample) -> StoreOperation:
    return StoreOperation(
        backend=sample.backend,
        op=sample.op,
        latency_s=sample.latency_s,
        fallback=sample.fallback,
    )


def from_llm_call(call: LlmCallLike) -> LlmCall:
    return LlmCall(
        model=call.model,
        input_tokens=call.input_tokens,
        output_tokens=call.output_tokens,
        latency_s=call.latency_s,
        cost_usd=call.cost_usd,
        failed=call.failure is not None,
    )


def from_analysis(outcome: AnalysisLike) -> list[LeadResolved | LlmCall]:
    """The lead resolution, and the LLM call when one was made for it."""
    resolved = LeadResolved(
        source=outcome.source,
        saved_usd=outcome.saved_usd,
        llm_called=outcome.call is not None,
    )
    if outcome.call is None:
        return [resolved]
    return [resolved, from_llm_call(outcome.call)]
