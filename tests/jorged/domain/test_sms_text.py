from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jorged.config import SellerConfig
from jorged.domain.conversation import templates as tpl
from jorged.domain.texting.compliance import check_outbound
from jorged.domain.texting.sms_text import MAX_NAME, sms_name, sms_phrase

XSS = "<img src=x onerror=alert(1)>7*7"


class TestSmsName:
    @pytest.mark.parametrize(
        ("raw", "name"),
        [
            ("Maria", "Maria"),
            ("  Maria   Guadalupe ", "Maria Guadalupe"),
            ("Mary-Jane", "Mary Jane"),
            ("O\u2019Brien", "O'Brien"),
            ("Zo\u00eb", "Zoe"),
            ("Jos\u00e9", "Jos\u00e9"),
            ("Maria (demo)", "Maria"),
            ("\U0001f600 Ann", "Ann"),
            ("Bob,", "Bob"),
            ("Maria Guadalupe Fernanda", "Maria Guadalupe"),
            (XSS, ""),
            ("\x00Bob", ""),
            ("Bot", ""),
            ("\u674e", ""),
            ("A" * 40, ""),
            ("", ""),
        ],
    )
    def test_reduced_to_letters_in_whole_words(self, raw, name):
        """Only words of letters and apostrophes stay, up to 20 characters."""
        assert sms_name(raw) == name

    def test_markup_never_reaches_the_opener(self):
        """A name of markup leaves the opener without a name."""
        text = tpl.opener(SellerConfig().opener, first_name=XSS)
        assert text == "Hey, it's Jorge."

    @given(st.text())
    def test_any_name_is_short_gsm7_letters(self, raw):
        """Whatever the name, what is kept is short, GSM-7 and rule-abiding."""
        name = sms_name(raw)
        assert len(name) <= MAX_NAME
        assert all(c.isalpha() or c in " '" for c in name)
        assert name == "" or check_outbound(name) == ()

    @given(st.text())
    def test_any_name_makes_texts_that_pass_the_gate(self, raw):
        """Every template and the opener, filled with any name, break no outbound rule."""
        texts = [tpl.opener(SellerConfig().opener, first_name=raw, agent_name="Jorge")]
        for key in tpl.KEYS:
            for tone in ("direct", "friendly"):
                for variant in range(tpl.variants(key, tone)):
                    texts.append(
                        tpl.render(
                            key,
                            tone,
                            variant=variant,
                            first_name=raw,
                            agent_name="Jorge",
                            business_name="Jorge Sells Homes",
                            first="Tuesday at 10am",
                            second="Wednesday at 2pm",
                            slot="Tuesday at 10am",
                        )
                    )
        for text in texts:
            assert check_outbound(text) == (), text


class TestSmsPhrase:
    @pytest.mark.parametrize(
        ("raw", "phrase"),
        [
            ("Boise", "Boise"),
            ("St. Louis", "St Louis"),
            ("Ft.Worth", "Ft.Worth"),
            ("Austin, TX", "Austin TX"),
            ("www.evil.com now", "now"),
            (XSS, ""),
        ],
    )
    def test_places_keep_plain_words(self, raw, phrase):
        """A place keeps its words and plain marks; links and markup go."""
        assert sms_phrase(raw) == phrase

    @given(st.text())
    def test_any_phrase_passes_the_gate(self, raw):
        """Whatever the seller wrote, the phrase kept breaks no outbound rule."""
        phrase = sms_phrase(raw)
        assert phrase == "" or check_outbound(phrase) == ()
