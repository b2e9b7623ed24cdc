"""The LLM reader, against the fake Messages API over real HTTP."""

from __future__ import annotations

from contextlib import asynccontextmanager

import attrs
import pytest

from jorged.config import LlmConfig
from jorged.domain.conversation.state import Condition, Motivation, Slot
from jorged.domain.reading import ActKind, Context
from jorged.llm.reading import TOOL_NAME, open_anthropic_reader, read_with_llm
from tests.fakes.anthropic_server import open_fake_anthropic

KEY = "sk-test-key"
UNSURE_TEXT = "well the place has seen better days, dad built it in 74"
AT_CONDITION = Context(asking=Slot.CONDITION)


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
async def reader(fake, **changes):
    async with open_anthropic_reader(llm_cfg(fake, **changes)) as llm:
        yield llm


def _condition(value: str, evidence: str) -> dict:
    return {"acts": [], "values": {"condition": {"value": value, "evidence": evidence}}}


async def test_an_unsure_reading_is_read_again_with_a_forced_tool(fake) -> None:
    """Low confidence: one call with the tool forced and temperature 0; value kept."""
    fake.answer_tool(_condition("major_repairs", "has seen better days"))
    async with reader(fake) as llm:
        out = await read_with_llm(UNSURE_TEXT, AT_CONDITION, llm)
    body = fake.requests[0].body
    assert fake.problems == []
    assert body["tool_choice"] == {"type": "tool", "name": TOOL_NAME}
    assert [t["name"] for t in body["tools"]] == [TOOL_NAME]
    assert body["temperature"] == 0
    assert out.source == "llm"
    assert out.reading.values.condition is Condition.MAJOR_REPAIRS
    assert dict(out.reading.values.evidence)["condition"].text == "has seen better days"


async def test_a_value_without_its_words_in_the_text_is_dropped(fake) -> None:
    """Grounding: evidence the seller never wrote keeps nothing."""
    fake.answer_tool(_condition("major_repairs", "the roof is caving in"))
    async with reader(fake) as llm:
        out = await read_with_llm(UNSURE_TEXT, AT_CONDITION, llm)
    assert out.reading.values.condition is None


async def test_an_opt_out_from_the_llm_counts(fake) -> None:
    """The rules are unsure, the LLM reads a revocation: the result is an opt-out."""
    fake.answer_tool(
        {"acts": [{"kind": "opt_out", "evidence": "whatever man"}], "values": {}}
    )
    async with reader(fake) as llm:
        out = await read_with_llm("whatever man", Context(asking=Slot.PRICE), llm)
    assert [a.kind for a in out.reading.acts] == [ActKind.OPT_OUT]


async def test_an_opt_out_from_the_rules_stands_whatever_the_llm_says(fake) -> None:
    """A sure rules opt-out is never sent to the LLM, so nothing can undo it."""
    async with reader(fake) as llm:
        out = await read_with_llm("stop texting me", AT_CONDITION, llm)
    assert (out.source, fake.requests) == ("rules", [])
    assert out.reading.has(ActKind.OPT_OUT)


async def test_a_confident_reading_costs_no_call(fake) -> None:
    """What the rules read well is not read again."""
    async with reader(fake) as llm:
        out = await read_with_llm("divorce, need to sell", Context(), llm)
    assert (out.source, out.call, fake.requests) == ("rules", None, [])
    assert out.reading.values.motivation is Motivation.DIVORCE


async def test_the_cost_is_read_from_the_tokens(fake) -> None:
    """The call record prices the tokens at the configured rates."""
    fake.answer_tool(_condition("minor_repairs", "seen better days"), input_tokens=1200,
                     output_tokens=80)  # fmt: skip
    async with reader(fake, input_usd_per_mtok=1.0, output_usd_per_mtok=5.0) as llm:
        out = await read_with_llm(UNSURE_TEXT, AT_CONDITION, llm)
    assert out.call is not None
    assert (out.call.input_tokens, out.call.output_tokens) == (1200, 80)
    assert out.call.cost_usd == pytest.approx((1200 * 1.0 + 80 * 5.0) / 1_000_000)


async def test_an_overloaded_api_is_retried_within_the_timeout(fake) -> None:
    """529 then an answer: the retry happens and its answer is used."""
    fake.fail(529, retry_after_ms=10)
    fake.answer_tool(_condition("minor_repairs", "seen better days"))
    async with reader(fake) as llm:
        out = await read_with_llm(UNSURE_TEXT, AT_CONDITION, llm)
    assert len(fake.requests) == 2
    assert out.reading.values.condition is Condition.MINOR_REPAIRS


async def test_a_hung_api_gives_up_at_the_deadline(fake, autojump_clock) -> None:
    """Every try hangs: all tries fit in timeout_s, then the rules' reading stands."""
    for _ in range(3):
        fake.hang()
    async with reader(fake, timeout_s=3.0) as llm:
        out = await read_with_llm(UNSURE_TEXT, AT_CONDITION, llm)
    assert out.source == "rules"
    assert out.call is not None
    assert out.call.latency_s == pytest.approx(3.0)
    assert out.failure == "attempt 3 timed out after 1 s"


async def test_a_client_error_is_not_retried(fake) -> None:
    """A 400 will not get better: one try, the rules' reading, the reason kept."""
    fake.fail(400)
    async with reader(fake) as llm:
        out = await read_with_llm(UNSURE_TEXT, AT_CONDITION, llm)
    assert (out.source, len(fake.requests)) == ("rules", 1)
    assert out.failure is not None
    assert out.failure.startswith("HTTP 400")


async def test_an_answer_without_the_tool_is_a_failure(fake) -> None:
    """Prose instead of the tool call is not read."""
    fake.answer_text("It sounds like the house needs work.")
    async with reader(fake) as llm:
        out = await read_with_llm(UNSURE_TEXT, AT_CONDITION, llm)
    assert out.source == "rules"
    assert out.failure is not None
    assert f"no {TOOL_NAME} call" in out.failure
