"""TextIndex finds exactly the texts a plain substring test finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jorged.domain.dashboard.textsearch import TextIndex

KEYS = st.sampled_from([f"c{i}" for i in range(40)])
TEXTS = st.text(alphabet="ab c9\x00", max_size=12)
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("put"), KEYS, TEXTS),
        st.tuples(st.just("remove"), KEYS, st.just("")),
    ),
    max_size=80,
)


@settings(max_examples=300)
@given(ops=OPS, needles=st.lists(st.text(alphabet="ab c9", max_size=4), max_size=5))
def test_search_equals_a_substring_test_after_any_changes(ops, needles):
    """Puts and removes in any order, across chunks: search agrees with `in`."""
    index, plain = TextIndex(chunk=4), {}
    for op, key, text in ops:
        if op == "put":
            index.put(key, text)
            plain[key] = text.replace("\x00", " ")
        else:
            index.remove(key)
            plain.pop(key, None)
        if len(plain) % 3 == 0:  # searches between changes use re-joined chunks
            index.search("a")
    for needle in needles:
        expected = {k for k, t in plain.items() if needle and needle in t}
        assert index.search(needle) == expected
    assert len(index) == len(plain)


def test_a_needle_never_matches_across_two_texts():
    """The end of one text and the start of the next are not one match."""
    index = TextIndex()
    index.put("a", "call me at 909")
    index.put("b", "555 0101 please")
    assert index.search("909555") == set()
    assert index.search("909") == {"a"}
    assert index.search("") == set()
