"""The optional LLM lead analyser, behind the `LeadLlm` Protocol.

`LeadAnalyzer` runs the pattern analysis and asks a `LeadLlm` only for what the
patterns missed; `open_anthropic_llm` gives the Anthropic implementation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jorged.llm.analyzer import (
    CACHE_KEY_PREFIX,
    LeadAnalyzer,
    cache_key,
    call_cost_usd,
    lead_text,
)
from jorged.llm.llm_protocol import (
    AnalysisOutcome,
    AnalyzerStatistics,
    LeadLlm,
    LlmCallRecord,
    LlmResult,
    llm_configured,
)

if TYPE_CHECKING:
    from jorged.llm.anthropic_llm import AnthropicLeadLlm, open_anthropic_llm

#: Imported when first used: the Anthropic SDK takes seconds to import, and a
#: daemon without an LLM (the default) must take webhooks within a second.
_LAZY = frozenset({"AnthropicLeadLlm", "open_anthropic_llm"})


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from jorged.llm import anthropic_llm

        return getattr(anthropic_llm, name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


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
