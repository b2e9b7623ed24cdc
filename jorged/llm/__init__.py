"""The optional LLM lead analyser, behind the `LeadLlm` Protocol.

`LeadAnalyzer` runs the pattern analysis and asks a `LeadLlm` only for what the
patterns missed; `open_anthropic_llm` gives the Anthropic implementation.
"""

from __future__ import annotations

from jorged.llm.analyzer import (
    CACHE_KEY_PREFIX,
    LeadAnalyzer,
    cache_key,
    call_cost_usd,
    lead_text,
)
from jorged.llm.anthropic_llm import AnthropicLeadLlm, open_anthropic_llm
from jorged.llm.base import (
    AnalysisOutcome,
    AnalyzerStatistics,
    LeadLlm,
    LlmCallRecord,
    LlmResult,
    llm_configured,
)

__all__ = [
    "CACHE_KEY_PREFIX",
    "AnalysisOutcome",
    "AnalyzerStatistics",
    "AnthropicLeadLlm",
    "LeadAnalyzer",
    "LeadLlm",
    "LlmCallRecord",
    "LlmResult",
    "cache_key",
    "call_cost_usd",
    "lead_text",
    "llm_configured",
    "open_anthropic_llm",
]
