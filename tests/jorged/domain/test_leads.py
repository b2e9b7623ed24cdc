from __future__ import annotations

from datetime import UTC, datetime

import attrs
import pytest

from jorged.config import LeadsConfig
from jorged.domain.leads.analysis import (
    Financing,
    LeadClass,
    LeadGaps,
    LeadInput,
    TimelineBucket,
    analyze,
    fill_gaps,
    timeline_bucket,
)

NOW = datetime(2026, 9, 1, 12, tzinfo=UTC)
CFG = LeadsConfig()
T = TimelineBucket
F = Financing


def lead(*messages: str, **fields) -> LeadInput:
    return LeadInput(contact_id="c1", messages=messages, **fields)


def run(*messages: str, cfg: LeadsConfig = CFG, **fields):
    return analyze(lead(*messages, **fields), cfg, NOW)


TIMELINES = [
    ("asap", T.IMMEDIATE, 0),
    ("As soon as possible please", T.IMMEDIATE, 0),
    ("need to move right away", T.IMMEDIATE, 0),
    ("moving in 2 weeks", T.IMMEDIATE, 14),
    ("within a few weeks", T.IMMEDIATE, 21),
    ("in a couple of weeks", T.IMMEDIATE, 14),
    ("within 3 wks", T.IMMEDIATE, 21),
    ("30 days", T.IMMEDIATE, 30),
    ("a month", T.IMMEDIATE, 30),
    ("within 45 days", T.ONE_TO_THREE_MONTHS, 45),
    ("in 2 months", T.ONE_TO_THREE_MONTHS, 60),
    ("two months", T.ONE_TO_THREE_MONTHS, 60),
    ("3 months", T.ONE_TO_THREE_MONTHS, 90),
    ("2-3 months", T.ONE_TO_THREE_MONTHS, 90),
    ("no later than 2 months", T.ONE_TO_THREE_MONTHS, 60),
    ("we can't move for 2 months", T.ONE_TO_THREE_MONTHS, 60),
    ("4 months", T.THREE_TO_SIX_MONTHS, 120),
    ("6 months", T.THREE_TO_SIX_MONTHS, 180),
    ("six months from now", T.THREE_TO_SIX_MONTHS, 180),
    ("3 to 6 months", T.THREE_TO_SIX_MONTHS, 180),
    ("at least 3 months", T.THREE_TO_SIX_MONTHS, 90),
    ("not for 6 months", T.SIX_PLUS_MONTHS, 180),
    ("a year", T.SIX_PLUS_MONTHS, 365),
    ("in 1.5 years", T.SIX_PLUS_MONTHS, 548),
    ("in 18 months", T.SIX_PLUS_MONTHS, 540),
    ("next week", T.IMMEDIATE, 14),
    ("by the end of the month", T.IMMEDIATE, 29),
    ("next month", T.ONE_TO_THREE_MONTHS, 60),
    ("by the end of the year", T.THREE_TO_SIX_MONTHS, 121),
    ("next year", T.THREE_TO_SIX_MONTHS, 122),
    ("next spring", T.SIX_PLUS_MONTHS, 200),
    ("next summer", T.SIX_PLUS_MONTHS, 293),
    ("this summer", T.IMMEDIATE, 0),
    ("this fall", T.IMMEDIATE, 21),
    ("by June", T.SIX_PLUS_MONTHS, 273),
    ("lease ends in 45 days, but could do asap", T.IMMEDIATE, 0),
    ("been looking for 6 months", T.UNKNOWN, None),
    ("we bought 2 years ago", T.UNKNOWN, None),
    ("I don\u2019t need to move right away", T.UNKNOWN, None),
    ("just browsing", T.UNKNOWN, None),
]


class TestTimeline:
    @pytest.mark.parametrize(("text", "bucket", "days"), TIMELINES)
    def test_phrase(self, text, bucket, days):
        """A timeline phrase gives its bucket and day count (from 2026-09-01)."""
        a = run(text)
        assert (a.timeline, a.timeline_days) == (bucket, days)

    def test_two_months_and_six_months_differ(self):
        """ "2 months" and "6 months" land in different buckets."""
        assert run("2 months").timeline is not run("6 months").timeline

    @pytest.mark.parametrize(
        ("days", "at_least", "bucket"),
        [
            (30, False, T.IMMEDIATE),
            (30, True, T.ONE_TO_THREE_MONTHS),
            (90, False, T.ONE_TO_THREE_MONTHS),
            (91, False, T.THREE_TO_SIX_MONTHS),
            (180, False, T.THREE_TO_SIX_MONTHS),
            (181, False, T.SIX_PLUS_MONTHS),
            (None, False, T.UNKNOWN),
        ],
    )
    def test_bucket_limits(self, days, at_least, bucket):
        """Bucket limits are inclusive; a lower bound moves to the next bucket."""
        assert timeline_bucket(days, at_least=at_least) is bucket


AREAS = [
    ({"city": "Fontana"}, "Fontana"),
    ({"messages": ("Looking in Rancho Cucamonga",)}, "Rancho Cucamonga"),
    ({"messages": ("rancho cucamonga please",)}, "Rancho Cucamonga"),
    ({"messages": ("RANCHO   CUCAMONGA",)}, "Rancho Cucamonga"),
    ({"messages": ("Ontario, CA 91761",)}, "Ontario"),
    ({"messages": ("Upland",)}, "Upland"),
    ({"messages": ("Chino Hills",)}, "Chino Hills"),
    ({"messages": ("chino-hills",)}, "Chino Hills"),
    ({"messages": ("Fontana's schools are good",)}, "Fontana"),
    ({"address": "123 Main St, Upland CA 91786"}, "Upland"),
    ({"tags": ("Fontana buyer",)}, "Fontana"),
    ({"city": "Upland", "messages": ("also like Fontana",)}, "Upland"),
    ({"messages": ("moving from Ontario to Fontana",)}, "Ontario"),
    ({"messages": ("Ontarioville",)}, None),
    ({"messages": ("preontario",)}, None),
    ({"messages": ("The Uplands",)}, None),
    ({"messages": ("Chino",)}, None),
    ({"messages": ("Rancho",)}, None),
    ({"messages": ("Cucamonga",)}, None),
    ({"messages": ("Fontanagrande",)}, None),
    ({"messages": ("Riverside",)}, None),
    ({"city": ""}, None),
]


class TestArea:
    @pytest.mark.parametrize(("fields", "area"), AREAS)
    def test_whole_words_only(self, fields, area):
        """Areas match as whole words, any case; letters inside a word never match."""
        assert analyze(LeadInput(contact_id="c1", **fields), CFG, NOW).area == area

    def test_configured_areas(self):
        """Other configured Inland Empire cities match too."""
        cfg = attrs.evolve(CFG, service_areas=("Rialto",))
        assert run("house in rialto", cfg=cfg).area == "Rialto"


FINANCING = [
    (("cash buyer",), F.CASH),
    (("I'll pay all cash",), F.CASH),
    (("paying cash",), F.CASH),
    (("Cash",), F.CASH),
    (("I don't need a loan, paying cash",), F.CASH),
    (("not paying cash",), F.UNKNOWN),
    (("cash flow property",), F.UNKNOWN),
    (("pre-approved",), F.PRE_APPROVED),
    (("preapproved for 500k",), F.PRE_APPROVED),
    (("pre approved",), F.PRE_APPROVED),
    (("pre-approved for an FHA loan",), F.PRE_APPROVED),
    (("not pre-approved yet",), F.NEEDS_FINANCING),
    (("haven't been pre-approved",), F.NEEDS_FINANCING),
    (("need to get pre-approved",), F.NEEDS_FINANCING),
    (("need a loan",), F.NEEDS_FINANCING),
    (("need financing",), F.NEEDS_FINANCING),
    (("FHA loan",), F.FHA),
    (("going fha",), F.FHA),
    (("VA loan",), F.VA),
    (("using my VA",), F.VA),
    (("Silva lives in va",), F.UNKNOWN),
    (("conventional loan",), F.CONVENTIONAL),
    (("jumbo loan",), F.CONVENTIONAL),
    (("we have a lender",), F.UNKNOWN),
]


class TestFinancing:
    @pytest.mark.parametrize(("messages", "financing"), FINANCING)
    def test_phrase(self, messages, financing):
        """A financing phrase gives its kind; a negated one never reads as ready."""
        assert run(*messages).financing is financing

    def test_from_tags(self):
        """Tags are read for financing too."""
        assert run(tags=("Cash Buyer",)).financing is F.CASH


PRICES = [
    ("budget is $425k", 425_000, 425_000, True, 25_500.0),
    ("around 400k", 400_000, 400_000, True, 24_000.0),
    ("$1.2M", 1_200_000, 1_200_000, False, 72_000.0),
    ("between 600 and 650k", 600_000, 650_000, True, 37_500.0),
    ("budget up to 500k", 500_000, 500_000, True, 30_000.0),
    ("under 300k", 300_000, 300_000, True, 18_000.0),
    ("my budget is 450", 450_000, 450_000, True, 27_000.0),
    ("425,000", 425_000, 425_000, True, 25_500.0),
    ("half a million", 500_000, 500_000, True, 30_000.0),
    ("150k", 150_000, 150_000, False, 9_000.0),
    ("$200,000", 200_000, 200_000, True, 12_000.0),
    ("$800,000", 800_000, 800_000, True, 48_000.0),
    ("$800k-$900k", 800_000, 900_000, False, 51_000.0),
    ("looking for 350", None, None, None, None),
    ("no idea on price", None, None, None, None),
    ("call me 909-555-1234", None, None, None, None),
    ("2 kids and 3 dogs", None, None, None, None),
]


class TestPrice:
    @pytest.mark.parametrize(("text", "low", "high", "in_band", "commission"), PRICES)
    def test_budget(self, text, low, high, in_band, commission):
        """The shared parser reads the budget; band and commission follow from it."""
        a = run(text)
        assert (a.price_low, a.price_high) == (low, high)
        assert (a.in_price_band, a.estimated_commission) == (in_band, commission)

    def test_latest_price_wins(self):
        """A revised budget replaces the earlier one and lowers the confidence."""
        a = run("budget 400k", "actually up to 450k")
        assert (a.price_high, a.price_bound) == (450_000, "at_most")
        assert a.confidence == 0.125


COMBINATIONS = [
    (
        ("Cash buyer, Fontana, 400k, need to move within 30 days",),
        {},
        90,
        LeadClass.HOT,
    ),
    (
        ("Cash buyer, Fontana, 400k, within 30 days",),
        {"phone": "+19095551234", "email": "a@b.co"},
        100,
        LeadClass.HOT,
    ),
    (
        ("pre-approved, Upland, 500k, 2 months",),
        {"phone": "+19095551234"},
        88,
        LeadClass.HOT,
    ),
    (
        ("FHA, Ontario, 350k, 4 months",),
        {"phone": "(909) 555-1234", "email": "e"},
        77,
        LeadClass.WARM,
    ),
    (("need a loan, Chino Hills, $1.2M, not for a year",), {}, 43, LeadClass.COLD),
    ((), {"phone": "(909) 555-1234", "email": "e"}, 10, LeadClass.COLD),
    (("cash, Riverside, 400k asap",), {}, 70, LeadClass.WARM),
    (
        ("conventional loan, Rancho Cucamonga, 3 months",),
        {"phone": "(909) 555-1234"},
        57,
        LeadClass.COLD,
    ),
    (("VA loan in Fontana", "300-350k, next week"), {"email": "e"}, 87, LeadClass.HOT),
    (("need financing, Fontana, 400k, asap",), {"phone": "(909) 555-1234"}, 80, LeadClass.HOT),
    (("need financing, Fontana, 400k, 4 months",), {}, 60, LeadClass.WARM),
]


class TestScore:
    @pytest.mark.parametrize(("messages", "fields", "score", "cls"), COMBINATIONS)
    def test_combination(self, messages, fields, score, cls):
        """Signals add up to the documented score and classification."""
        a = run(*messages, **fields)
        assert (a.score, a.classification) == (score, cls)

    def test_reason(self):
        """The reason says what was found in a short line."""
        a = run("Cash buyer, Fontana, 400k, need to move within 30 days")
        assert a.reason == "Cash buyer in Fontana, 400k, moving within 30 days"

    def test_reason_with_unknowns(self):
        """Unknown signals are named as unknown in the reason."""
        assert (
            run("hello").reason == "Lead, area unknown, price unknown, timeline unknown"
        )

    def test_reason_upper_bound(self):
        """An upper-bound budget reads as "up to"."""
        a = run("pre-approved, up to 500k, Upland, 2 months")
        assert (
            a.reason
            == "Pre-approved buyer in Upland, up to 500k, moving in 1 to 3 months"
        )


class TestClassification:
    @pytest.mark.parametrize(
        ("hot", "warm", "cls"),
        [
            (80, 60, LeadClass.HOT),
            (81, 60, LeadClass.WARM),
            (81, 80, LeadClass.WARM),
            (90, 81, LeadClass.COLD),
        ],
    )
    def test_thresholds(self, hot, warm, cls):
        """A score of 80 is HOT at hot_score 80, WARM at warm_score 80, else COLD."""
        cfg = attrs.evolve(CFG, hot_score=hot, warm_score=warm)
        a = run("need financing, Fontana, 400k, asap", cfg=cfg, phone="909-555-1234")
        assert (a.score, a.classification) == (80, cls)


class TestNothingInvented:
    def test_empty_lead(self):
        """A lead with nothing to read has every signal unknown and zero confidence."""
        a = run()
        assert (a.price_low, a.timeline, a.area, a.financing) == (
            None,
            T.UNKNOWN,
            None,
            F.UNKNOWN,
        )
        assert (a.confidence, a.found, a.missing) == (
            0.0,
            (),
            ("price", "timeline", "area", "financing"),
        )
        assert (a.in_price_band, a.estimated_commission, a.score) == (None, None, 0)

    def test_clear_lead_is_fully_confident(self):
        """Four clearly read signals give confidence 1."""
        a = run("Cash buyer, Fontana, 400k, within 30 days")
        assert (a.confidence, a.found) == (
            1.0,
            ("price", "timeline", "area", "financing"),
        )

    def test_contact_id_required(self):
        """An empty contact id is refused, naming the field."""
        with pytest.raises(ValueError, match=r"^contact_id: must not be empty$"):
            LeadInput(contact_id=" ")


class TestFillGaps:
    def test_fills_only_missing(self):
        """Gaps fill unknown signals only; known pattern values are kept."""
        a = run("Fontana, 400k")
        gaps = LeadGaps(
            price_low=1, price_high=2, timeline_days=20, area="Upland", financing=F.CASH
        )
        b = fill_gaps(a, gaps, CFG)
        assert (b.price_low, b.area, b.timeline, b.financing) == (
            400_000,
            "Fontana",
            T.IMMEDIATE,
            F.CASH,
        )
        assert (b.filled_by_llm, b.missing, b.score) == (
            ("timeline", "financing"),
            (),
            90,
        )

    def test_unknown_area_is_not_a_match(self):
        """An area outside the service areas is not filled in."""
        b = fill_gaps(run("400k"), LeadGaps(area="Riverside"), CFG)
        assert (b.area, b.filled_by_llm) == (None, ())

    def test_area_is_canonical(self):
        """An area named in another case is stored as configured."""
        assert fill_gaps(run(), LeadGaps(area="chino hills"), CFG).area == "Chino Hills"


class TestPersistence:
    def test_codec_round_trip(self):
        """An analysis survives the project codec unchanged."""
        from jorged.store import codec

        a = run("pre-approved, up to 500k, Upland, 2 months", phone="909-555-1234")
        assert codec.loads(codec.dumps(a), type(a)) == a
