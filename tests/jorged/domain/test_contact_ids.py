from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jorged.domain.contact_ids import (
    MAX_LENGTH,
    PATTERN,
    check_contact_id,
    contact_id_problem,
)
from jorged.exceptions import Invalid

#: Ids jorged meets: GHL's (from its docs), the demo's, the simulator's, the tests'.
REAL_IDS = [
    "ve9EPM428h8vShlRW1KT",
    "gblakL5aYQC4glDtP1r2t3",
    "demo-7-00001",
    "sim-3f9a1c",
    "contact-000001",
    "c1",
]
HOSTILE_IDS = [
    ("a\x00b", "may hold only"),
    ("\U0001f600", "may hold only"),
    ("x" * 10_000, "at most 64 characters, got 10000"),
    ("../../etc/passwd", "may hold only"),
    ("a/b", "may hold only"),
    ("..", "must not start with '.' or contain '..'"),
    (".hidden", "must not start with '.'"),
    ("a..b", "contain '..'"),
    ("a b", "may hold only"),
    ("abc\n", "may hold only"),
    ("%2e%2e", "may hold only"),
    ("", "required, a non-empty string"),
]


class TestContactIds:
    @pytest.mark.parametrize("value", REAL_IDS)
    def test_real_ids_are_valid(self, value):
        """GHL's ids and jorged's own demo, simulator and test ids are contact ids."""
        assert contact_id_problem(value) is None
        assert check_contact_id(value) == value

    @pytest.mark.parametrize(("value", "problem"), HOSTILE_IDS)
    def test_hostile_ids_are_refused_with_the_reason(self, value, problem):
        """NUL, emoji, 10,000 characters, path parts: refused, saying why."""
        assert problem in contact_id_problem(value)
        with pytest.raises(Invalid, match=r"^contactId: "):
            check_contact_id(value, "contactId")

    def test_non_strings_are_refused(self):
        """A number or null is no contact id."""
        assert contact_id_problem(12) == "required, a non-empty string"
        assert contact_id_problem(None) == "required, a non-empty string"

    @given(st.text(max_size=80))
    def test_the_pattern_and_the_check_agree(self, value):
        """The published pattern (OpenAPI) accepts exactly the ids the check does."""
        accepted = re.fullmatch(PATTERN, value) is not None
        assert accepted == (contact_id_problem(value) is None)

    @given(st.text())
    def test_valid_ids_are_safe_everywhere(self, value):
        """A valid id is short ASCII with no separator, control character or '..'."""
        if contact_id_problem(value) is None:
            assert len(value) <= MAX_LENGTH
            assert value.isascii()
            assert value.isprintable()
            assert not {"/", "\\"} & set(value)
            assert ".." not in value
