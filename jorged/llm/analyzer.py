"""`LeadAnalyzer`: patterns first, the LLM only for what they could not read.

For each lead: the pattern analysis runs; when its `confidence` is at least
`llm.confidence_threshold`, nothing is missing, or no LLM is configured, that is the
result ("pattern", saving one call). Otherwise the LLM answer for the same full
input is looked up (in-memory LRU, then the optional persistence hook) and merged
("cache", saving one call); on a miss the LLM is called within `llm.timeout_s`
("llm"). A call that fails or answers badly leaves the pattern result in place and
records why. Every outcome goes to the `on_record` hook and into `statistics()`.

The cache key is the SHA-256 of the whole input: every contact field, the tags, the
source and every message, plus the model and today's date (the prompt counts days
from today, so an answer about "next spring" is not reused on another day).
"""

from __future__ import annotations

import collections
import hashlib
from collections.abc import Awaitable, Callable
from datetime import datetime

import attrs
import orjson
import structlog
import trio

from jorged.config import LeadsConfig, LlmConfig
from jorged.domain.leads.analysis import (
    LeadAnalysis,
    LeadGaps,
    LeadInput,
    analyze,
    fill_gaps,
)
from jorged.exceptions import StoreError
from jorged.llm.answer import ALL_KEYS, AnswerRejected, gaps_to_json, parse_answer
from jorged.llm.llm_protocol import (
    AnalysisOutcome,
    AnalyzerStatistics,
    LeadLlm,
    LlmCallRecord,
    LlmResult,
    Source,
    llm_configured,
    timeout_failure,
)

log = structlog.get_logger(__name__)

#: Answers kept in memory; one is a few hundred bytes of JSON.
DEFAULT_CACHE_SIZE = 1024
#: Prefix of the keys handed to the persistence hooks.
CACHE_KEY_PREFIX = "lead:llm:"
#: Bumped when the prompt or the answer shape changes, so old answers are not reused.
PROMPT_VERSION = 1
USD_PER_TOKEN_UNIT = 1_000_000

CacheGet = Callable[[str], Awaitable[bytes | None]]
CachePut = Callable[[str, bytes], Awaitable[None]]
OnRecord = Callable[[AnalysisOutcome], None]


def cache_key(lead: LeadInput, now: datetime, model: str) -> str:
    """The persistence key of the LLM answer for this exact input on this day."""
    payload = orjson.dumps(
        {
            "v": PROMPT_VERSION,
            "model": model,
            "date": now.date().isoformat(),
            "lead": attrs.asdict(lead),
        },
        option=orjson.OPT_SORT_KEYS,
    )
    return CACHE_KEY_PREFIX + hashlib.sha256(payload).hexdigest()


def lead_text(lead: LeadInput) -> str:
    """What the LLM is shown: place fields, tags, source and messages.

    Names, phone and email are left out: they carry none of the four signals.
    """
    lines = [
        f"{label}: {value}"
        for label, value in (
            ("City", lead.city),
            ("Address", lead.address),
            ("Tags", ", ".join(lead.tags)),
            ("Source", lead.source),
        )
        if value.strip()
    ]
    lines.append("Messages:")
    lines.extend(f"- {m.strip()}" for m in lead.messages if m.strip())
    return "\n".join(lines)


def call_cost_usd(cfg: LlmConfig, input_tokens: int, output_tokens: int) -> float:
    """The price of a call from its token counts and the configured rates."""
    return (
        input_tokens * cfg.input_usd_per_mtok + output_tokens * cfg.output_usd_per_mtok
    ) / USD_PER_TOKEN_UNIT


@attrs.define(kw_only=True, eq=False)
class LeadAnalyzer:
    """Scores leads; see the module docstring for when it asks the LLM."""

    leads_cfg: LeadsConfig
    llm_cfg: LlmConfig
    llm: LeadLlm | None = None
    cache_size: int = attrs.field(default=DEFAULT_CACHE_SIZE)
    cache_get: CacheGet | None = None
    cache_put: CachePut | None = None
    on_record: OnRecord | None = None
    _lru: collections.OrderedDict[str, bytes] = attrs.field(
        init=False, factory=collections.OrderedDict
    )
    _stats: AnalyzerStatistics = attrs.field(init=False, factory=AnalyzerStatistics)

    @cache_size.validator
    def _check_cache_size(self, attr: attrs.Attribute[int], value: int) -> None:
        if value < 1:
            msg = f"{attr.name}: must be at least 1, got {value!r}"
            raise ValueError(msg)

    def statistics(self) -> AnalyzerStatistics:
        return self._stats

    @property
    def llm_enabled(self) -> bool:
        return self.llm is not None and llm_configured(self.llm_cfg)

    async def analyze(self, lead: LeadInput, now: datetime) -> AnalysisOutcome:
        """Score `lead` as of `now`: patterns, then the cache or the LLM if needed."""
        pattern = analyze(lead, self.leads_cfg, now)
        key = cache_key(lead, now, self.llm_cfg.model)
        saving = self.llm_cfg.cost_per_call_usd
        if (
            self.llm is None
            or not self.llm_enabled
            or not pattern.missing
            or pattern.confidence >= self.llm_cfg.confidence_threshold
        ):
            return self._finish(pattern, "pattern", key, saved_usd=saving)
        cached = await self._cached(key)
        if cached is not None:
            return self._finish(
                fill_gaps(pattern, cached, self.leads_cfg), "cache", key, saving
            )
        result, latency = await self._call(self.llm, lead, pattern)
        call = LlmCallRecord(
            model=result.model,
            input_tokens=result.input_tokens,
            output_tokens=result.output_tokens,
            latency_s=latency,
            cost_usd=call_cost_usd(
                self.llm_cfg, result.input_tokens, result.output_tokens
            ),
            failure=result.failure,
            at=now,
        )
        if result.gaps is None:
            log.warning("llm_answer_unused", reason=result.failure, model=call.model)
            return self._finish(
                pattern, "pattern", key, 0.0, call=call, failure=result.failure
            )
        await self._remember(key, gaps_to_json(result.gaps))
        merged = fill_gaps(pattern, result.gaps, self.leads_cfg)
        return self._finish(merged, "llm", key, 0.0, call=call)

    async def _call(
        self, llm: LeadLlm, lead: LeadInput, pattern: LeadAnalysis
    ) -> tuple[LlmResult, float]:
        start = trio.current_time()
        try:
            with trio.fail_after(self.llm_cfg.timeout_s):
                result = await llm.analyze(lead_text(lead), pattern)
        except trio.TooSlowError:
            result = LlmResult(
                gaps=None,
                failure=timeout_failure(self.llm_cfg.timeout_s),
                model=self.llm_cfg.model,
            )
        return result, trio.current_time() - start

    async def _cached(self, key: str) -> LeadGaps | None:
        data = self._lru.get(key)
        if data is not None:
            self._lru.move_to_end(key)
        elif self.cache_get is not None:
            try:
                data = await self.cache_get(key)
            except StoreError as exc:
                log.warning("llm_cache_unavailable", op="get", error=str(exc))
            if data is not None:
                self._keep(key, data)
        if data is None:
            return None
        try:
            return parse_answer(data.decode(), ALL_KEYS, self.leads_cfg.service_areas)
        except (AnswerRejected, UnicodeDecodeError) as exc:
            log.warning("llm_cache_entry_unreadable", key=key, error=str(exc))
            self._lru.pop(key, None)
            return None

    async def _remember(self, key: str, data: bytes) -> None:
        self._keep(key, data)
        if self.cache_put is not None:
            try:
                await self.cache_put(key, data)
            except StoreError as exc:
                log.warning("llm_cache_unavailable", op="put", error=str(exc))

    def _keep(self, key: str, data: bytes) -> None:
        self._lru[key] = data
        self._lru.move_to_end(key)
        while len(self._lru) > self.cache_size:
            self._lru.popitem(last=False)

    def _finish(
        self,
        analysis: LeadAnalysis,
        source: Source,
        key: str,
        saved_usd: float,
        *,
        call: LlmCallRecord | None = None,
        failure: str | None = None,
    ) -> AnalysisOutcome:
        outcome = AnalysisOutcome(
            analysis=analysis,
            source=source,
            cache_key=key,
            saved_usd=saved_usd,
            call=call,
            failure=failure,
        )
        s = self._stats
        called = call is not None
        self._stats = attrs.evolve(
            s,
            analyses=s.analyses + 1,
            pattern_resolved=s.pattern_resolved + (source == "pattern" and not called),
            cache_hits=s.cache_hits + (source == "cache"),
            cache_misses=s.cache_misses + called,
            llm_calls=s.llm_calls + called,
            llm_failures=s.llm_failures + (failure is not None),
            input_tokens=s.input_tokens + (call.input_tokens if call else 0),
            output_tokens=s.output_tokens + (call.output_tokens if call else 0),
            spent_usd=s.spent_usd + (call.cost_usd if call else 0.0),
            saved_usd=s.saved_usd + saved_usd,
            cached_answers=len(self._lru),
        )
        if self.on_record is not None:
            self.on_record(outcome)
        return outcome
