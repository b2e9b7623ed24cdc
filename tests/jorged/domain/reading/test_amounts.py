from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jorged.domain.reading.amounts import PriceRange, parse_price

ABOUT = [
    ("$425k", 425_000),
    ("425k", 425_000),
    ("425K", 425_000),
    ("425 k", 425_000),
    ("425,000", 425_000),
    ("425000", 425_000),
    ("$425,000.00", 425_000),
    ("425000$", 425_000),
    ("$1.2M", 1_200_000),
    ("1.2m", 1_200_000),
    ("1.2 million", 1_200_000),
    ("1.5 mil", 1_500_000),
    ("2 million", 2_000_000),
    ("two million", 2_000_000),
    ("a million", 1_000_000),
    ("half a million", 500_000),
    ("Half a mil", 500_000),
    ("quarter million", 250_000),
    ("a million and a half", 1_500_000),
    ("one and a half million", 1_500_000),
    ("four hundred fifty thousand", 450_000),
    ("five hundred thousand", 500_000),
    ("450 thousand", 450_000),
    ("450 grand", 450_000),
    ("350", 350_000),
    ("$350", 350_000),
    ("maybe 400?", 400_000),
    ("around 400 🏡", 400_000),
    ("Whatever I owe, around 290k", 290_000),
    ("I think it's worth 350000", 350_000),
    ("I owe 200k and want 400k", 400_000),
    ("Zip is 91730, want 500k", 500_000),
    ("built in 1995, want 475k", 475_000),
    ("3 bed 2 bath, asking 520k", 520_000),
    ("I'd want 425k 🙏🙏", 425_000),
    ("id take 410K!!!", 410_000),
    ("at least $390,000", 390_000),
    ("honestly like 600k", 600_000),
    ("We were hoping for $575k.", 575_000),
    ("price: 699,900", 699_900),
]

RANGES = [
    ("between 600 and 650k", 600_000, 650_000),
    ("600-650k", 600_000, 650_000),
    ("600k-650k", 600_000, 650_000),
    ("600 to 650 thousand", 600_000, 650_000),
    ("$600,000 - $650,000", 600_000, 650_000),
    ("700 or 750", 700_000, 750_000),
    ("between 1 and 1.2 million", 1_000_000, 1_200_000),
    ("400 to 1.2M", 400_000, 1_200_000),
    ("somewhere between 500 and 550", 500_000, 550_000),
    ("650k to 600k", 600_000, 650_000),
    ("450–475k", 450_000, 475_000),
]

BOUNDS = [
    ("under 500k", "at_most"),
    ("up to 500k", "at_most"),
    ("no more than $500,000", "at_most"),
    ("500k max", "at_most"),
    ("at least 500k", "at_least"),
    ("500k or more", "at_least"),
    ("north of 500k", "at_least"),
    ("about 500k", "about"),
]

NONE = [
    "What do you think it's worth?",
    "make me an offer",
    "Make me an offer 😀",
    "not sure",
    "idk",
    "call me at 909-555-1234",
    "(909) 555-1234",
    "9095551234",
    "built in 1995",
    "30 days",
    "30-45 days",
    "in 3 weeks",
    "91730",
    "3 bed 2 bath 1500 sqft",
    "I live at 350 Elm St",
    "2pm works",
    "10:30 is good",
    "1200",
    "three fifty",
    "a lot",
    "$5",
    "",
    "unit 204",
    "about 20 years",
    "10/12/2024",
]


class TestParsePrice:
    @pytest.mark.parametrize(("text", "amount"), ABOUT)
    def test_single_figures(self, text, amount):
        """A single stated figure is read in dollars, with low equal to high."""
        got = parse_price(text)
        assert got is not None
        assert (got.low, got.high) == (amount, amount)

    @pytest.mark.parametrize(("text", "low", "high"), RANGES)
    def test_ranges(self, text, low, high):
        """Two joined figures form a range; a bare first end takes the second's unit."""
        assert parse_price(text) == PriceRange(low=low, high=high, bound="range")

    @pytest.mark.parametrize(("text", "bound"), BOUNDS)
    def test_one_sided_bounds(self, text, bound):
        """Under / up to / at least keep the stated figure and name the open side."""
        got = parse_price(text)
        assert got == PriceRange(low=500_000, high=500_000, bound=bound)

    @pytest.mark.parametrize("text", NONE)
    def test_no_price(self, text):
        """Questions, phone numbers, years, spans, zips and counts are not prices."""
        assert parse_price(text) is None

    def test_bare_hundreds_need_a_price_context(self):
        """Without a price context a bare 350 is not read as 350,000."""
        assert parse_price("350", price_context=False) is None
        assert parse_price("350k", price_context=False) == PriceRange(
            low=350_000, high=350_000
        )

    def test_six_digits_need_no_context(self):
        """A plain six-digit figure is dollars even outside a price answer."""
        assert parse_price("worth 350000", price_context=False) == PriceRange(
            low=350_000, high=350_000
        )

    @given(st.text())
    def test_any_text_is_safe(self, text):
        """Any text gives None or an ordered range within the plausible span."""
        got = parse_price(text)
        assert got is None or 10_000 <= got.low <= got.high <= 100_000_000
