"""`LeadLlm` on Anthropic's Messages API, with the official `anthropic` SDK.

The SDK's async client runs on httpx2 through anyio, so it works under trio as is
(the tests drive it under trio against a local fake of the API). Its own `__del__`
clean-up only knows asyncio, so the client is always closed explicitly:
`open_anthropic_llm` is an async context manager.

Each attempt is bounded by `llm.timeout_s` (the SDK's httpx timeout); the SDK retries
429, 5xx and 529 answers and timeouts `max_retries` times with its own backoff,
honouring `retry-after`. `LeadAnalyzer` bounds the whole call by the same
`timeout_s` with `trio.fail_after`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import anthropic
import attrs

from jorged.config import LlmConfig
from jorged.domain.leads.analysis import LeadAnalysis
from jorged.llm.answer import (
    SYSTEM_PROMPT,
    AnswerRejected,
    build_prompt,
    parse_answer,
    wanted_keys,
)
from jorged.llm.llm_protocol import LlmResult, llm_configured, timeout_failure

#: Where the Messages API lives when `llm.base_url` is empty.
ANTHROPIC_API_URL = "https://api.anthropic.com"


@attrs.define(kw_only=True, eq=False)
class AnthropicLeadLlm:
    """Asks a Claude model for the signals the patterns missed."""

    cfg: LlmConfig
    areas: tuple[str, ...]
    client: anthropic.AsyncAnthropic

    async def analyze(self, text: str, partial: LeadAnalysis) -> LlmResult:
        """One Messages API call; every failure comes back as `LlmResult.failure`."""
        model = self.cfg.model
        keys = wanted_keys(partial)
        try:
            message = await self.client.messages.create(
                model=model,
                max_tokens=self.cfg.max_tokens,
                system=SYSTEM_PROMPT,
                messages=[
                    {"role": "user", "content": build_prompt(text, partial, self.areas)}
                ],
            )
        except anthropic.APITimeoutError:
            return LlmResult(
                gaps=None, failure=timeout_failure(self.cfg.timeout_s), model=model
            )
        except anthropic.APIStatusError as exc:
            return LlmResult(
                gaps=None, failure=f"HTTP {exc.status_code}: {exc.message}", model=model
            )
        except anthropic.APIConnectionError as exc:
            return LlmResult(
                gaps=None, failure=f"connection failed: {exc.message}", model=model
            )
        usage = message.usage
        raw = "".join(block.text for block in message.content if block.type == "text")
        failure = None
        gaps = None
        if message.stop_reason == "max_tokens":
            failure = f"answer cut off at max_tokens ({self.cfg.max_tokens})"
        else:
            try:
                gaps = parse_answer(raw, keys, self.areas)
            except AnswerRejected as exc:
                failure = str(exc)
        return LlmResult(
            gaps=gaps,
            failure=failure,
            model=message.model or model,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
        )


@asynccontextmanager
async def open_anthropic_llm(
    cfg: LlmConfig,
    areas: Sequence[str],
    *,
    max_retries: int = anthropic.DEFAULT_MAX_RETRIES,
) -> AsyncIterator[AnthropicLeadLlm]:
    """An `AnthropicLeadLlm` whose HTTP client is closed when the block ends."""
    if not llm_configured(cfg):
        msg = "llm.provider must be 'anthropic' with llm.api_key set"
        raise ValueError(msg)
    async with anthropic.AsyncAnthropic(
        api_key=cfg.api_key,
        base_url=cfg.base_url or ANTHROPIC_API_URL,
        timeout=cfg.timeout_s,
        max_retries=max_retries,
    ) as client:
        yield AnthropicLeadLlm(cfg=cfg, areas=tuple(areas), client=client)
