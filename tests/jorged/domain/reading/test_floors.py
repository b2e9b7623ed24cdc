"""The reader meets its floors on the labeled corpus and on the held-out sets.

Floors (SPEC 1.4, 1.10): every opt-out read and no false opt-out; every act and
slot at 95 % precision and recall, in English and in Spanish, each measured on
its own.
"""

from __future__ import annotations

import pytest

from jorged.domain.reading import read
from jorged.domain.reading.acts import ActKind
from jorged.domain.reading.scoring import Report, score
from tests.corpus.load import load_corpus
from tests.jorged.domain.reading.heldout import HELDOUT
from tests.jorged.domain.reading.heldout_es import HELDOUT_ES, HELDOUT_ES_2

#: The least number of messages each language's floors are measured on.
MIN_MESSAGES = {"en": 1000, "es": 400}


@pytest.fixture(scope="module", params=sorted(MIN_MESSAGES))
def corpus_report(request: pytest.FixtureRequest) -> Report:
    return score(load_corpus(request.param), read, language=request.param)


def test_corpus_opt_outs_all_read_and_none_false(corpus_report: Report) -> None:
    """Opt-out recall is 100 % and no message is read as an opt-out it is not."""
    assert corpus_report.opt_out_recall == 1.0
    assert corpus_report.false_opt_outs == 0


def test_corpus_every_act_and_slot_meets_the_floor(corpus_report: Report) -> None:
    """Every act kind and slot field reaches 95 % precision and recall."""
    assert corpus_report.failures() == []


def test_corpus_is_large_enough_to_mean_something(corpus_report: Report) -> None:
    """The floors are measured on enough messages in each language."""
    assert corpus_report.messages >= MIN_MESSAGES[corpus_report.language]


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


@pytest.mark.parametrize("held", [HELDOUT_ES, HELDOUT_ES_2], ids=["first", "second"])
def test_spanish_heldout_meets_the_floors(held) -> None:
    """Spanish messages written apart from the corpus are read as well as it."""
    report = score(held, read, language="heldout_es")
    assert report.opt_out_recall == 1.0
    assert report.false_opt_outs == 0
    assert report.failures() == []
