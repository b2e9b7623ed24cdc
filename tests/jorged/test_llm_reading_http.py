"""The LLM reads what the rules are unsure of, in a running daemon (SPEC 1.10, 2).

One sandbox daemon (as in test_understanding_http) with `llm.provider = "anthropic"`
pointed at the local fake of the Messages API over real HTTP. Each conversation
has its own contact and reaches the question where its message is unsure; the
reading tool's answers are scripted for the reading calls only (the lead
analysis, answered by the fake's default at zero tokens, cannot take them).
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from jorged.llm.reading import TOOL_NAME
from tests.fakes.anthropic_server import FakeAnthropic, Reply, open_fake_anthropic
from tests.jorged.test_conversations_http import (
    API_TOKEN,
    OPT_OUT_CONFIRMATION,
    SANDBOX_ENV,
    Client,
    contact_id,
    start_daemon,
    wait_for,
)
from tests.redis_server import RedisServer

KEY = "sk-ant-test-reading"
TIMEOUT_S = 2.0
#: At the condition question, the rules read nothing sure in this.
VAGUE = "well the place has seen better days, my dad built it in 74"


@pytest.fixture(scope="module", name="fake")
def _fake() -> Iterator[FakeAnthropic]:
    with open_fake_anthropic(
        api_key=KEY, default=Reply(text="{}", input_tokens=0, output_tokens=0)
    ) as fake:
        yield fake


@pytest.fixture(scope="module", name="bot")
def _bot(
    tmp_path_factory: pytest.TempPathFactory,
    redis_server_session: RedisServer,
    fake: FakeAnthropic,
) -> Iterator[Client]:
    if not redis_server_session.running:
        redis_server_session.start()
    with redis_server_session.client() as c:
        c.flushall()
    env = {
        **SANDBOX_ENV,
        "JORGED_REDIS__URL": redis_server_session.url,
        "JORGED_LLM__PROVIDER": "anthropic",
        "JORGED_LLM__API_KEY": KEY,
        "JORGED_LLM__BASE_URL": fake.url,
        "JORGED_LLM__TIMEOUT_S": str(TIMEOUT_S),
        "JORGED_LLM__INPUT_USD_PER_MTOK": "1.0",
        "JORGED_LLM__OUTPUT_USD_PER_MTOK": "5.0",
    }
    daemon = start_daemon(tmp_path_factory.mktemp("llm-reading-daemon"), env)
    client = Client(daemon, api_token=API_TOKEN)
    yield client
    client.close()
    assert daemon.terminate() == 0


def at_condition(bot: Client, name: str) -> str:
    """A contact that answered motivation and timeline: condition is asked."""
    c = contact_id(name)
    response = bot.api(
        "POST", "/api/conversations", json={"contact_id": c, "first_name": "Ines"}
    )
    assert response.status_code == 201, response.text
    bot.say(c, "going through a divorce")
    bot.say(c, "no that works")
    view = bot.conversation(c)
    assert view is not None
    assert (view["slots"]["timeline_ok"], view["slots"]["condition"]) == (True, None)
    return c


def condition(value: str, words: str) -> dict[str, Any]:
    return {"acts": [], "values": {"condition": {"value": value, "evidence": words}}}


def llm_metric(bot: Client, family: str, **labels: str) -> float:
    text = httpx.get(f"{bot.daemon.url}/metrics", timeout=5).text
    total = 0.0
    for fam in text_string_to_metric_families(text):
        if fam.name != family:
            continue
        for sample in fam.samples:
            if sample.name.endswith("_created"):
                continue
            if all(sample.labels.get(k) == v for k, v in labels.items()):
                total += sample.value
    return total


def reading_calls(fake: FakeAnthropic, text: str) -> list[dict[str, Any]]:
    """The bodies of the reading calls made for `text`."""
    return [
        r.body
        for r in fake.forcing(TOOL_NAME)
        if text in r.body["messages"][0]["content"]
    ]


class TestTheLlmReadsWhatTheRulesAreUnsureOf:
    def test_an_unsure_answer_gets_the_llms_grounded_value(
        self, bot: Client, fake: FakeAnthropic
    ):
        c = at_condition(bot, "llm-grounded")
        tokens_in = llm_metric(bot, "jorged_llm_tokens", direction="input")
        cost = llm_metric(bot, "jorged_llm_cost_usd")
        fake.answer_tool(
            condition("major_repairs", "seen better days"),
            input_tokens=1200,
            output_tokens=80,
            for_tool=TOOL_NAME,
        )
        replies = bot.say(c, VAGUE)
        view = bot.conversation(c)
        assert view is not None
        assert view["slots"]["condition"] == "major_repairs"
        assert view["slots_evidence"]["condition"] == "seen better days"
        assert view["stage"] == "q_price"
        assert len(replies) == 1
        [body] = reading_calls(fake, VAGUE)
        assert body["tool_choice"] == {"type": "tool", "name": TOOL_NAME}
        assert body["temperature"] == 0
        assert "the condition question" in body["messages"][0]["content"]
        # The call is tracked with its tokens and its cost from them.
        wait_for(
            "the call's tokens in /metrics",
            lambda: (
                llm_metric(bot, "jorged_llm_tokens", direction="input")
                == tokens_in + 1200
            ),
        )
        spent = llm_metric(bot, "jorged_llm_cost_usd") - cost
        assert spent == pytest.approx((1200 * 1.0 + 80 * 5.0) / 1_000_000)

    def test_a_value_whose_words_are_not_in_the_text_is_dropped(
        self, bot: Client, fake: FakeAnthropic
    ):
        c = at_condition(bot, "llm-ungrounded")
        text = "honestly it is what it is, grandma lived there 40 yrs"
        fake.answer_tool(
            condition("major_repairs", "the foundation is cracked"),
            for_tool=TOOL_NAME,
        )
        replies = bot.say(c, text)
        view = bot.conversation(c)
        assert view is not None
        assert view["slots"]["condition"] is None
        assert "condition" not in view["slots_evidence"]
        assert view["stage"] == "q_condition"
        assert len(replies) == 1  # the question again, in other words
        assert len(reading_calls(fake, text)) == 1

    def test_the_same_unsure_text_is_not_paid_for_twice(
        self, bot: Client, fake: FakeAnthropic
    ):
        """Read once against the same question, the answer is kept for the next."""
        text = "shes old but shes got good bones, ya know"
        fake.answer_tool(
            condition("minor_repairs", "old but shes got good bones"),
            for_tool=TOOL_NAME,
        )
        for name in ("llm-cached-1", "llm-cached-2"):
            c = at_condition(bot, name)
            bot.say(c, text)
            view = bot.conversation(c)
            assert view is not None
            assert view["slots"]["condition"] == "minor_repairs"
        assert len(reading_calls(fake, text)) == 1

    def test_an_opt_out_read_by_the_llm_alone_counts(
        self, bot: Client, fake: FakeAnthropic
    ):
        c = at_condition(bot, "llm-opt-out")
        text = "nah I think we are done here"
        fake.answer_tool(
            {
                "acts": [{"kind": "opt_out", "evidence": "we are done here"}],
                "values": {},
            },
            for_tool=TOOL_NAME,
        )
        replies = bot.say(c, text)
        assert replies == [OPT_OUT_CONFIRMATION]
        view = bot.conversation(c)
        assert view is not None
        assert view["flags"]["opted_out"] is True
        assert reading_calls(fake, text)
        # Opted out: the next message gets nothing.
        assert bot.say(c, "wait what about the price") == []

    def test_a_sure_reading_is_not_sent_to_the_llm(
        self, bot: Client, fake: FakeAnthropic
    ):
        c = at_condition(bot, "llm-sure")
        text = "it needs new carpet and paint, otherwise fine"
        bot.say(c, text)
        view = bot.conversation(c)
        assert view is not None
        assert view["slots"]["condition"] == "minor_repairs"
        assert reading_calls(fake, text) == []


class TestTheLlmDown:
    def test_errors_leave_the_rules_reading_and_the_seller_is_answered(
        self, bot: Client, fake: FakeAnthropic
    ):
        c = at_condition(bot, "llm-down")
        failures = llm_metric(bot, "jorged_llm_failures")
        text = "its a house lol, " + VAGUE
        for _ in range(3):
            fake.fail(500, for_tool=TOOL_NAME)
        replies = bot.say(c, text)
        assert len(replies) == 1
        view = bot.conversation(c)
        assert view is not None
        assert view["stage"] == "q_condition"  # unclear: asked again
        assert view["slots"]["condition"] is None
        assert len(reading_calls(fake, text)) == 3  # tried within the timeout
        wait_for(
            "the failed call in /metrics",
            lambda: llm_metric(bot, "jorged_llm_failures") == failures + 1,
        )

    def test_a_hung_api_holds_the_turn_no_longer_than_the_timeout(
        self, bot: Client, fake: FakeAnthropic
    ):
        c = at_condition(bot, "llm-hung")
        text = "hmm, " + VAGUE
        for _ in range(3):
            fake.hang(for_tool=TOOL_NAME)
        started = time.monotonic()
        replies = bot.say(c, text)
        took = time.monotonic() - started
        assert len(replies) == 1
        assert took < TIMEOUT_S + 5, f"the turn waited {took:.1f} s"
        assert reading_calls(fake, text), "the LLM was asked"
        view = bot.conversation(c)
        assert view is not None
        assert view["slots"]["condition"] is None


class TestWordsAndAmountsShown:
    def test_the_view_jorgectl_and_the_csv_show_words_owed_and_estimate(
        self, bot: Client, fake: FakeAnthropic
    ):
        c = at_condition(bot, "words-shown")
        bot.say(c, "needs paint and carpet")
        # Owed and an estimate, no asking price: unsure, so the LLM reads it too.
        fake.answer_tool({"acts": [], "values": {}}, for_tool=TOOL_NAME)
        bot.say(c, "we still owe about 180 on it and zillow says 520")
        bot.say(c, "id take 495")
        view = bot.conversation(c)
        assert view is not None
        s = view["slots"]
        assert (s["price_low"], s["owed"], s["estimate"]) == (495_000, 180_000, 520_000)
        assert view["slots_evidence"] == {
            "motivation": "divorce",
            "timeline": "that works",
            "condition": "paint",
            "owed": "we still owe about 180 on it",
            "estimate": "zillow says 520",
            "price": "id take 495",
        }
        printed = bot.daemon.ctl("conversation", c)
        assert printed.returncode == 0, printed.stderr
        assert '  owed from "we still owe about 180 on it"' in printed.stdout
        assert '  price from "id take 495"' in printed.stdout
        export = bot.api("GET", "/api/export/conversations.csv")
        assert export.status_code == 200, export.text
        csv_text = export.content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(csv_text)))
        [row] = [r for r in rows if r["Contact ID"] == c]
        assert (row["Owed"], row["Estimate"], row["Price low"]) == (
            "180000",
            "520000",
            "495000",
        )
