from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import UTC, datetime

import attrs
import pytest

from jorged.config import LeadsConfig, LlmConfig
from jorged.domain.leads.analysis import Financing, LeadInput, TimelineBucket
from jorged.llm import LeadAnalyzer, open_anthropic_llm
from jorged.store.memory import DictStore
from tests.fakes.anthropic_server import open_fake_anthropic

NOW = datetime(2026, 9, 1, 12, tzinfo=UTC)
LEADS = LeadsConfig()
KEY = "sk-test-key"
VAGUE = LeadInput(
    contact_id="c1",
    city="Fontana",
    messages=("We sold our place and the money is sitting in the bank, want in by the holidays",),
)
CLEAR = LeadInput(contact_id="c2", messages=("Cash buyer, Fontana, 400k, within 30 days",))
ANSWER = {"price_low": 400_000, "price_high": 450_000, "timeline_days": 100, "financing": "cash"}


@pytest.fixture(name="fake")
def _fake():
    with open_fake_anthropic(api_key=KEY) as fake:
        yield fake


def llm_cfg(fake, **changes) -> LlmConfig:
    return attrs.evolve(
        LlmConfig(provider="anthropic", api_key=KEY, base_url=fake.url, timeout_s=5.0),
        **changes,
    )


@asynccontextmanager
async def open_analyzer(fake, *, max_retries=0, records=None, **kwargs):
    cfg = kwargs.pop("cfg", None) or llm_cfg(fake)
    async with open_anthropic_llm(cfg, LEADS.service_areas, max_retries=max_retries) as llm:
        yield LeadAnalyzer(
            leads_cfg=LEADS,
            llm_cfg=cfg,
            llm=llm,
            on_record=None if records is None else records.append,
            **kwargs,
        )


class TestLlmPath:
    async def test_low_confidence_calls_llm_and_merges(self, fake):
        """Text the patterns cannot read is sent to the LLM and its answer merged."""
        fake.answer_json(ANSWER)
        async with open_analyzer(fake) as analyzer:
            out = await analyzer.analyze(VAGUE, NOW)
        a = out.analysis
        assert (out.source, a.area, a.financing, a.timeline) == ("llm", "Fontana", Financing.CASH, TimelineBucket.THREE_TO_SIX_MONTHS)
        assert (a.price_low, a.price_high, a.filled_by_llm) == (400_000, 450_000, ("price", "timeline", "financing"))
        assert (out.saved_usd, fake.problems, len(fake.requests)) == (0.0, [], 1)

    async def test_request_shape(self, fake):
        """The request carries the model, max_tokens, the lead text and only the missing keys."""
        fake.answer_json(ANSWER)
        async with open_analyzer(fake, cfg=llm_cfg(fake, model="claude-test", max_tokens=300)) as analyzer:
            await analyzer.analyze(VAGUE, NOW)
        body = fake.requests[0].body
        prompt = body["messages"][0]["content"]
        assert (body["model"], body["max_tokens"], body["messages"][0]["role"]) == ("claude-test", 300, "user")
        assert "money is sitting in the bank" in prompt
        assert "Today is 2026-09-01." in prompt
        assert '"price_low"' in prompt
        assert '"area"' not in prompt

    async def test_runs_under_trio(self, fake):
        """The SDK's async client runs on trio (it says so in its own header)."""
        fake.answer_json(ANSWER)
        async with open_analyzer(fake) as analyzer:
            await analyzer.analyze(VAGUE, NOW)
        assert fake.requests[0].headers["x-stainless-async"] == "async:trio"

    async def test_high_confidence_skips_llm(self, fake):
        """A clear lead never reaches the LLM and records the saving."""
        records = []
        async with open_analyzer(fake, records=records) as analyzer:
            out = await analyzer.analyze(CLEAR, NOW)
        assert (out.source, out.saved_usd, out.call, fake.requests) == ("pattern", 0.05, None, [])
        assert records == [out]

    async def test_not_configured_skips_llm(self, fake):
        """Without provider "anthropic" the LLM is not called, however vague the lead."""
        analyzer = LeadAnalyzer(leads_cfg=LEADS, llm_cfg=LlmConfig())
        out = await analyzer.analyze(VAGUE, NOW)
        assert (out.source, out.saved_usd, fake.requests) == ("pattern", 0.05, [])


class TestCache:
    async def test_identical_input_hits(self, fake):
        """The same full input is answered from the cache, saving a call."""
        fake.answer_json(ANSWER)
        async with open_analyzer(fake) as analyzer:
            first = await analyzer.analyze(VAGUE, NOW)
            second = await analyzer.analyze(VAGUE, NOW)
        assert (second.source, second.saved_usd, len(fake.requests)) == ("cache", 0.05, 1)
        assert second.analysis == first.analysis

    async def test_different_message_misses(self, fake):
        """Changing only the message text is a new input and a new call."""
        fake.answer_json(ANSWER)
        fake.answer_json(ANSWER)
        other = attrs.evolve(VAGUE, messages=("money is in the bank, want in by the holidays!",))
        async with open_analyzer(fake) as analyzer:
            await analyzer.analyze(VAGUE, NOW)
            out = await analyzer.analyze(other, NOW)
        assert (out.source, len(fake.requests)) == ("llm", 2)

    async def test_persistence_hook(self, fake):
        """An answer put through the hook is found by a fresh analyser."""
        store = DictStore()
        fake.answer_json(ANSWER)
        async with open_analyzer(fake, cache_get=store.get, cache_put=store.put) as analyzer:
            first = await analyzer.analyze(VAGUE, NOW)
        async with open_analyzer(fake, cache_get=store.get, cache_put=store.put) as analyzer:
            second = await analyzer.analyze(VAGUE, NOW)
        assert (second.source, len(fake.requests)) == ("cache", 1)
        assert second.analysis == first.analysis
        assert await store.get(first.cache_key) is not None

    async def test_lru_evicts_oldest(self, fake):
        """With room for one answer, the older one is forgotten."""
        for _ in range(3):
            fake.answer_json(ANSWER)
        other = attrs.evolve(VAGUE, contact_id="c9")
        async with open_analyzer(fake, cache_size=1) as analyzer:
            await analyzer.analyze(VAGUE, NOW)
            await analyzer.analyze(other, NOW)
            out = await analyzer.analyze(VAGUE, NOW)
        assert (out.source, len(fake.requests), analyzer.statistics().cached_answers) == ("llm", 3, 1)


class TestFailures:
    async def test_timeout_falls_back(self, fake, autojump_clock):
        """An LLM slower than timeout_s leaves the pattern result and records the timeout."""
        fake.hang()
        async with open_analyzer(fake, cfg=llm_cfg(fake, timeout_s=2.0)) as analyzer:
            out = await analyzer.analyze(VAGUE, NOW)
        assert (out.source, out.failure, out.analysis.filled_by_llm) == ("pattern", "timeout after 2 s", ())
        assert (out.call.latency_s, out.call.cost_usd, out.saved_usd) == (2.0, 0.0, 0.0)

    async def test_malformed_json_falls_back(self, fake):
        """Malformed JSON is not merged; the failure and the tokens spent are recorded."""
        fake.answer_text('{"price_low": 400000,', input_tokens=50, output_tokens=10)
        async with open_analyzer(fake) as analyzer:
            out = await analyzer.analyze(VAGUE, NOW)
        assert out.source == "pattern"
        assert out.failure.startswith("malformed JSON: ")
        assert (out.call.input_tokens, out.call.output_tokens, out.analysis.filled_by_llm) == (50, 10, ())

    @pytest.mark.parametrize(
        ("answer", "failure"),
        [
            ({"financing": "cash"}, "answer: missing key(s) price_low, price_high, timeline_days"),
            ({**ANSWER, "price_low": "400k"}, "answer: price_low: expected an integer or null, got '400k'"),
            ({**ANSWER, "financing": "bitcoin"}, "answer: financing: 'bitcoin' is not one of cash, pre_approved, conventional, fha, va, needs_financing"),
            ([1, 2], "answer: expected a JSON object, got list"),
        ],
    )
    async def test_bad_answer_falls_back(self, fake, answer, failure):
        """Missing keys and wrong types reject the whole answer, naming the problem."""
        fake.answer_json(answer)
        async with open_analyzer(fake) as analyzer:
            out = await analyzer.analyze(VAGUE, NOW)
        assert (out.source, out.failure, analyzer.statistics().llm_failures) == ("pattern", failure, 1)

    @pytest.mark.parametrize("status", [429, 500, 529])
    async def test_api_error_falls_back(self, fake, status):
        """An API error leaves the pattern result and records the status."""
        fake.fail(status)
        async with open_analyzer(fake) as analyzer:
            out = await analyzer.analyze(VAGUE, NOW)
        assert out.source == "pattern"
        assert out.failure.startswith(f"HTTP {status}: ")

    async def test_retries_overloaded(self, fake):
        """A 529 is retried by the SDK (honouring retry-after-ms) and the answer used."""
        fake.fail(529, retry_after_ms=1)
        fake.answer_json(ANSWER)
        async with open_analyzer(fake, max_retries=2) as analyzer:
            out = await analyzer.analyze(VAGUE, NOW)
        assert (out.source, len(fake.requests)) == ("llm", 2)

    async def test_wrong_key_is_refused(self, fake):
        """A wrong API key is refused by the API and recorded as such."""
        async with open_analyzer(fake, cfg=llm_cfg(fake, api_key="sk-wrong")) as analyzer:
            out = await analyzer.analyze(VAGUE, NOW)
        assert out.failure.startswith("HTTP 401: ")
        assert fake.problems == ["invalid x-api-key"]


class TestAccounting:
    async def test_tokens_and_cost(self, fake):
        """Tokens come from the API's usage and cost from the configured rates."""
        fake.answer_json(ANSWER, input_tokens=1234, output_tokens=567)
        cfg = llm_cfg(fake, input_usd_per_mtok=1.0, output_usd_per_mtok=5.0)
        async with open_analyzer(fake, cfg=cfg) as analyzer:
            out = await analyzer.analyze(VAGUE, NOW)
        call = out.call
        assert (call.model, call.input_tokens, call.output_tokens) == (cfg.model, 1234, 567)
        assert (call.cost_usd, call.failure, call.at) == (0.004069, None, NOW)

    async def test_statistics(self, fake):
        """Statistics add up calls, hits, pattern results, spending and savings."""
        fake.answer_json(ANSWER, input_tokens=1000, output_tokens=200)
        async with open_analyzer(fake) as analyzer:
            for lead in (VAGUE, VAGUE, CLEAR):
                await analyzer.analyze(lead, NOW)
        s = analyzer.statistics()
        assert (s.analyses, s.llm_calls, s.cache_hits, s.cache_misses, s.pattern_resolved) == (3, 1, 1, 1, 1)
        assert (s.input_tokens, s.output_tokens, s.spent_usd, s.saved_usd) == (1000, 200, 0.002, 0.1)
