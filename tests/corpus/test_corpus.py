"""The labeled corpus loads, is valid, and is big enough to measure a reader on."""

from __future__ import annotations

import pathlib
from collections import Counter

import pytest

from jorged.domain.reading.acts import ActKind
from tests.corpus.load import (
    LANGUAGES,
    CorpusError,
    Labeled,
    load_corpus,
    load_file,
    parse_message,
)


@pytest.fixture(scope="module")
def corpus() -> tuple[Labeled, ...]:
    return load_corpus("en")


def test_corpus_is_large_with_enough_hard_negatives(
    corpus: tuple[Labeled, ...],
) -> None:
    """At least 1,000 English messages, at least 150 of them hard negatives."""
    assert len(corpus) >= 1000
    assert sum(m.hard_negative for m in corpus) >= 150


def test_every_act_kind_has_thirty_examples(corpus: tuple[Labeled, ...]) -> None:
    """Each act kind is labeled on at least 30 messages, so its recall means something."""
    counts = Counter(act for m in corpus for act in m.acts)
    thin = {kind.value: counts[kind] for kind in ActKind if counts[kind] < 30}
    assert thin == {}


def test_every_slot_field_has_thirty_examples(corpus: tuple[Labeled, ...]) -> None:
    """Each scored slot field is filled on at least 30 messages."""
    fields = (
        "motivation",
        "move_to",
        "timeline_ok",
        "timeline_days",
        "condition",
        "price_low",
        "owed",
        "estimate",
    )
    counts = {f: sum(getattr(m, f) is not None for m in corpus) for f in fields}
    assert {f: n for f, n in counts.items() if n < 30} == {}


def test_every_asked_value_is_covered(corpus: tuple[Labeled, ...]) -> None:
    """Messages are read against every question, none asked and after qualification."""
    asked = Counter(m.asked for m in corpus)
    assert set(asked) == {
        "motivation",
        "timeline",
        "condition",
        "price",
        "none",
        "qualified",
    }
    assert min(asked.values()) >= 30


def test_opt_out_has_negatives_and_unsure(corpus: tuple[Labeled, ...]) -> None:
    """Opt-out is measured both ways: revocations, keywords with other meanings, unsure ones."""
    opt_outs = [m for m in corpus if ActKind.OPT_OUT in m.acts]
    unsure = [m for m in corpus if ActKind.OPT_OUT_UNSURE in m.acts]
    assert len(opt_outs) >= 120
    assert len(unsure) >= 20
    keywords = ("stop", "quit", "end", "cancel", "unsubscribe", "revoke", "opt out")
    traps = [
        m
        for m in corpus
        if m.hard_negative
        and not m.acts & {ActKind.OPT_OUT, ActKind.OPT_OUT_UNSURE}
        and any(k in m.text.lower() for k in keywords)
    ]
    assert len(traps) >= 60


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_file_loads_on_its_own(language: str) -> None:
    """Each file is valid by itself (the error names the file and the message)."""
    files = sorted((pathlib.Path(__file__).parent / language).glob("*.toml"))
    assert files
    for path in files:
        assert load_file(path), path.name


@pytest.fixture(scope="module")
def spanish() -> tuple[Labeled, ...]:
    return load_corpus("es")


def test_spanish_corpus_is_large_with_enough_hard_negatives(
    spanish: tuple[Labeled, ...],
) -> None:
    """At least 400 Spanish messages, at least 100 of them hard negatives."""
    assert len(spanish) >= 400
    assert sum(m.hard_negative for m in spanish) >= 100


def test_spanish_every_act_kind_has_fifteen_examples(
    spanish: tuple[Labeled, ...],
) -> None:
    """Each act kind is labeled on at least 15 Spanish messages."""
    counts = Counter(act for m in spanish for act in m.acts)
    thin = {kind.value: counts[kind] for kind in ActKind if counts[kind] < 15}
    assert thin == {}


def test_spanish_every_slot_field_and_question_is_covered(
    spanish: tuple[Labeled, ...],
) -> None:
    """Each scored slot field is filled on 15 Spanish messages; every asked value is used."""
    fields = (
        "motivation",
        "move_to",
        "timeline_ok",
        "timeline_days",
        "condition",
        "price_low",
        "owed",
        "estimate",
    )
    counts = {f: sum(getattr(m, f) is not None for m in spanish) for f in fields}
    assert {f: n for f, n in counts.items() if n < 15} == {}
    asked = Counter(m.asked for m in spanish)
    assert {a for a, n in asked.items() if n >= 15} == {
        "motivation",
        "timeline",
        "condition",
        "price",
        "none",
        "qualified",
    }


def test_spanish_opt_out_keywords_are_measured_both_ways(
    spanish: tuple[Labeled, ...],
) -> None:
    """Revocations, unsure ones, and alto / para / baja / cancelar with other meanings."""
    assert sum(ActKind.OPT_OUT in m.acts for m in spanish) >= 40
    assert sum(ActKind.OPT_OUT_UNSURE in m.acts for m in spanish) >= 15
    keywords = ("alto", "para", "baja", "cancel", "escrib", "stop")
    traps = [
        m
        for m in spanish
        if m.hard_negative
        and not m.acts & {ActKind.OPT_OUT, ActKind.OPT_OUT_UNSURE}
        and any(k in m.text.lower() for k in keywords)
    ]
    assert len(traps) >= 30


def test_spanish_timeline_reads_yes_as_a_problem(spanish: tuple[Labeled, ...]) -> None:
    """As in English, a bare "sí" to "¿sería un problema?" is not OK and "no" is OK."""
    by_text = {m.text: m for m in spanish if m.asked == "timeline"}
    assert by_text["sí"].timeline_ok is False
    assert by_text["no"].timeline_ok is True


def _write(tmp_path: pathlib.Path, body: str) -> pathlib.Path:
    (tmp_path / "en").mkdir()
    path = tmp_path / "en" / "x.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_unknown_key_is_rejected_by_name(tmp_path: pathlib.Path) -> None:
    """A misspelled field is an error naming it, not a silently ignored label."""
    path = _write(
        tmp_path,
        '[[message]]\ntext = "hi"\nasked = "none"\nacts = []\nmotivaton = "other"\n',
    )
    with pytest.raises(CorpusError, match=r"x\.toml#1: motivaton: unknown key"):
        load_file(path)


def test_duplicate_texts_are_rejected(tmp_path: pathlib.Path) -> None:
    """The same text twice (in any files) is an error naming both places."""
    msg = '[[message]]\ntext = "yes"\nasked = "timeline"\nacts = []\ntimeline_ok = false\n'
    _write(tmp_path, msg + msg)
    with pytest.raises(CorpusError, match=r"x\.toml#2: text: duplicate of x\.toml#1"):
        load_corpus("en", root=tmp_path)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"acts": ["question"]}, "question: act 'question' needs its question kind"),
        ({"acts": [], "question": "bot"}, "question: given without the 'question' act"),
        (
            {"acts": ["dismissal"], "dismissal": "moved"},
            "dismissal: 'moved' is not one of",
        ),
        ({"acts": ["opt_out", "opt_out_unsure"]}, "exclude each other"),
        ({"acts": ["help", "help"]}, "lists an act twice"),
        ({"acts": ["shout"]}, "acts: 'shout' is not one of"),
        ({"acts": [], "motivation": "bored"}, "motivation: 'bored' is not one of"),
        ({"acts": [], "condition": "fine"}, "condition: 'fine' is not one of"),
        ({"acts": [], "price_low": 400000}, "price_low and price_high go together"),
        ({"acts": [], "price_low": 5, "price_high": 4}, "is above price_high"),
        (
            {"acts": [], "price_low": "400k", "price_high": 1},
            "price_low: must be a whole number",
        ),
        ({"acts": [], "timeline_days": 30}, "a span needs timeline_ok"),
        ({"acts": [], "timeline_ok": "yes"}, "timeline_ok: must be true or false"),
        ({"acts": [], "not_moving": False}, "write it only when true"),
        ({"acts": [], "move_to": "Boise"}, "destination is read with the motivation"),
        (
            {"acts": ["instruction"], "price_low": 3, "price_high": 3},
            "inside an instruction",
        ),
        ({"acts": ["correction"]}, "a correction changes a slot"),
        (
            {"asked": "qualified", "acts": [], "owed": 100000},
            "only a correction fills slots",
        ),
        ({"asked": "price?", "acts": []}, "asked: 'price?' is not one of"),
        (
            {"acts": ["life_event"], "life_event": "wedding"},
            "life_event: 'wedding' is not one of",
        ),
    ],
)
def test_inconsistent_labels_are_rejected(raw: dict[str, object], problem: str) -> None:
    """Each contradiction or out-of-enum value is reported with the field it concerns."""
    message = {"text": "some text", "asked": "price"} | raw
    record, problems = parse_message(message, "t.toml#1")
    assert record is None
    assert any(problem in p for p in problems), problems


def test_a_consistent_message_parses_to_its_labels() -> None:
    """A valid table becomes a record with the enums and the price pair it states."""
    raw = {
        "text": "scratch that, 475 is my number",
        "asked": "qualified",
        "acts": ["correction"],
        "price_low": 475000,
        "price_high": 475000,
    }
    record, problems = parse_message(raw, "t.toml#1")
    assert problems == []
    assert record is not None
    assert record.acts == {ActKind.CORRECTION}
    assert record.price == (475000, 475000)
    assert record.filled() == {"price_low", "price_high"}
