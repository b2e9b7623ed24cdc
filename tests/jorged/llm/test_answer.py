from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import attrs
import httpx
import pytest

from jorged.domain.leads.analysis import Financing, LeadGaps, LeadInput
from jorged.llm import cache_key, lead_text
from jorged.llm.answer import ALL_KEYS, AnswerRejected, gaps_to_json, parse_answer
from tests.fakes.anthropic_server import open_fake_anthropic

AREAS = ("Fontana", "Chino Hills")
NOW = datetime(2026, 9, 1, 12, tzinfo=UTC)
LEAD = LeadInput(contact_id="c1", first_name="Ana", phone="+19095551234", messages=("hi",))


class TestParseAnswer:
    def test_code_fence(self):
        """A JSON object inside a Markdown fence is read."""
        raw = '```json\n{"area": "fontana", "financing": "va"}\n```'
        assert parse_answer(raw, ("area", "financing"), AREAS) == LeadGaps(area="Fontana", financing=Financing.VA)

    def test_nulls_and_integral_floats(self):
        """Null stays unknown and 400000.0 reads as an integer."""
        raw = '{"price_low": 400000.0, "price_high": 400000, "timeline_days": null}'
        assert parse_answer(raw, ("price_low", "price_high", "timeline_days"), AREAS) == LeadGaps(price_low=400_000, price_high=400_000)

    def test_area_outside_is_no_match(self):
        """A place outside the service areas is no area, not an error."""
        assert parse_answer('{"area": "Riverside"}', ("area",), AREAS) == LeadGaps()

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ('{"timeline_days": true}', "answer: timeline_days: expected an integer or null, got True"),
            ('{"timeline_days": -3}', "answer: timeline_days: must be positive, got -3"),
            ('{"price_low": 5, "price_high": null, "timeline_days": 1}', "answer: price_low and price_high must both be given or both be null"),
            ('{"price_low": 9, "price_high": 5, "timeline_days": 1}', "answer: price_low (9) is above price_high (5)"),
            ('{"price_low": 0, "price_high": 5, "timeline_days": 1}', "answer: price_low: must be positive, got 0"),
            ("Sure! The lead wants Fontana.", "malformed JSON: unexpected character, expected a JSON value: line 1 column 1 (char 0)"),
        ],
    )
    def test_rejected(self, raw, message):
        """A wrong answer is rejected as a whole with the reason."""
        keys = ("timeline_days",) if raw.startswith('{"timeline') else ("price_low", "price_high", "timeline_days")
        with pytest.raises(AnswerRejected, match=rf"^{re.escape(message)}$"):
            parse_answer(raw, keys, AREAS)

    def test_cache_form_round_trips(self):
        """The cached form of an answer reads back to the same gaps."""
        gaps = LeadGaps(price_low=1, price_high=2, timeline_days=3, area="Fontana", financing=Financing.CASH)
        assert parse_answer(gaps_to_json(gaps).decode(), ALL_KEYS, AREAS) == gaps


class TestCacheKey:
    def test_same_input_same_key(self):
        """Identical input on the same day gives the same key."""
        assert cache_key(LEAD, NOW, "m") == cache_key(attrs.evolve(LEAD), NOW, "m")

    @pytest.mark.parametrize(
        "change",
        [
            {"messages": ("hi!",)},
            {"phone": "+19095551235"},
            {"tags": ("Buyer",)},
        ],
    )
    def test_any_field_changes_key(self, change):
        """Any change of the input, message text included, changes the key."""
        assert cache_key(LEAD, NOW, "m") != cache_key(attrs.evolve(LEAD, **change), NOW, "m")

    def test_day_and_model_change_key(self):
        """Another day or another model is another key."""
        key = cache_key(LEAD, NOW, "m")
        assert key != cache_key(LEAD, NOW + timedelta(days=1), "m")
        assert key != cache_key(LEAD, NOW, "other")


class TestLeadText:
    def test_leaves_out_personal_details(self):
        """Names, phone and email are not sent to the LLM."""
        text = lead_text(attrs.evolve(LEAD, city="Fontana", email="a@b.co"))
        assert text == "City: Fontana\nMessages:\n- hi"


class TestFakeServer:
    @pytest.mark.parametrize(
        ("body", "problem"),
        [
            ({"max_tokens": 5, "messages": [{"role": "user", "content": "x"}]}, "model: Field required"),
            ({"model": "m", "max_tokens": 0, "messages": [{"role": "user", "content": "x"}]}, "max_tokens: must be a positive integer"),
            ({"model": "m", "max_tokens": 5, "messages": []}, "messages: must be a non-empty list"),
            ({"model": "m", "max_tokens": 5, "messages": [{"role": "bot", "content": "x"}]}, "messages.0.role: must be 'user' or 'assistant'"),
        ],
    )
    def test_rejects_bad_body(self, body, problem):
        """A body the Messages API would refuse gets a 400 and is recorded."""
        headers = {"x-api-key": "k", "anthropic-version": "2023-06-01"}
        with open_fake_anthropic(api_key="k") as fake, httpx.Client(base_url=fake.url) as client:
            response = client.post("/v1/messages", json=body, headers=headers)
        assert (response.status_code, response.json()["error"]["type"]) == (400, "invalid_request_error")
        assert fake.problems == [problem]

    def test_requires_version(self):
        """A request without anthropic-version is refused."""
        body = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "x"}]}
        with open_fake_anthropic(api_key="k") as fake, httpx.Client(base_url=fake.url) as client:
            response = client.post("/v1/messages", json=body, headers={"x-api-key": "k"})
        assert (response.status_code, fake.problems) == (400, ["anthropic-version: header is required"])
