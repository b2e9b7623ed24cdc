"""The LLM port and the records every analysis leaves behind."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

import attrs

from jorged.config import LlmConfig
from jorged.domain.leads.analysis import LeadAnalysis, LeadGaps

Source = Literal["pattern", "llm", "cache"]


def llm_configured(cfg: LlmConfig) -> bool:
    """Whether the config asks for an LLM and gives it a key."""
    return cfg.provider == "anthropic" and bool(cfg.api_key)


def timeout_failure(timeout_s: float) -> str:
    """The failure text of a call that ran out of time."""
    return f"timeout after {timeout_s:g} s"


@attrs.frozen(kw_only=True)
class LlmResult:
    """What one LLM call gave: the gaps it filled, or why it gave nothing usable.

    Tokens are the API's own `usage` count; 0 when no answer came back.
    """

    gaps: LeadGaps | None
    failure: str | None
    model: str
    input_tokens: int = 0
    output_tokens: int = 0


class LeadLlm(Protocol):
    """Fills the signals a pattern analysis missed."""

    async def analyze(self, text: str, partial: LeadAnalysis) -> LlmResult:
        """Read `text` (the lead's fields and messages) for `partial.missing`."""
        ...


@attrs.frozen(kw_only=True)
class LlmCallRecord:
    """One LLM call: model, tokens, latency (seconds) and cost in US dollars."""

    model: str
    input_tokens: int
    output_tokens: int
    latency_s: float
    cost_usd: float
    failure: str | None
    at: datetime

    @property
    def ok(self) -> bool:
        return self.failure is None


@attrs.frozen(kw_only=True)
class AnalysisOutcome:
    """One lead analysis and how it was reached.

    `source` is where the analysis came from: "pattern" (the patterns alone, also
    when an LLM call failed and the pattern result was kept), "llm" (an LLM answer
    was merged) or "cache" (a stored LLM answer for the same full input was
    merged). `saved_usd` is `llm.cost_per_call_usd` when no LLM call was made
    ("pattern" without `call`, or "cache"), else 0. `call` is the LLM call made, if
    any; `failure` says why its answer was not used.
    """

    analysis: LeadAnalysis
    source: Source
    cache_key: str
    saved_usd: float
    call: LlmCallRecord | None = None
    failure: str | None = None


@attrs.frozen(kw_only=True)
class AnalyzerStatistics:
    """Running totals of one `LeadAnalyzer`."""

    analyses: int = 0
    pattern_resolved: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    llm_calls: int = 0
    llm_failures: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    spent_usd: float = 0.0
    saved_usd: float = 0.0
    cached_answers: int = 0
