"""The reader meets its floors on the labeled corpus and on the held-out set.

Floors (SPEC 1.4, 1.10): every opt-out read and no false opt-out; every act and
slot at 95 % precision and recall.
"""

from __future__ import annotations

import pytest

from jorged.domain.reading import read
from jorged.domain.reading.acts import ActKind
from jorged.domain.reading.scoring import score
from tests.corpus.load import load_corpus
from tests.jorged.domain.reading.heldout import HELDOUT


@pytest.fixture(scope="module")
def corpus_report():
    return score(load_corpus("en"), read, language="en")


def test_corpus_opt_outs_all_read_and_none_false(corpus_report) -> None:
    """Opt-out recall is 100 % and no message is read as an opt-out it is not."""
    assert corpus_report.opt_out_recall == 1.0
    assert corpus_report.false_opt_outs == 0


def test_corpus_every_act_and_slot_meets_the_floor(corpus_report) -> None:
    """Every act kind and slot field reaches 95 % precision and recall."""
    assert corpus_report.failures() == []


def test_corpus_is_large_enough_to_mean_something(corpus_report) -> None:
    """The floors are measured on at least 1,000 messages."""
    assert corpus_report.messages >= 1000


def test_heldout_meets_the_floors() -> None:
    """Messages written apart from the corpus are read as well as the corpus."""
    report = score(HELDOUT, read, language="heldout")
    assert report.failures() == []
    assert {a for m in HELDOUT for a in m.acts} >= {
        ActKind.OPT_OUT,
        ActKind.QUESTION,
        ActKind.DISMISSAL,
        ActKind.CALL_REQUEST,
        ActKind.CORRECTION,
    }
