"""The scripted conversation files (SPEC 1.11) keep to their documented format."""

from __future__ import annotations

import pathlib
import tomllib

import pytest

from jorged.domain.conversation.state import Flags, Slots, Stage
from jorged.domain.reading.acts import ActKind

FILES = sorted(pathlib.Path(__file__).parent.glob("*/*.toml"))
SPANISH = sorted((pathlib.Path(__file__).parent / "es").glob("*.toml"))
TOP = {"name", "first_name", "start", "tags", "skip", "config", "turn"}
EXPECT = {
    "stage",
    "slots",
    "acts",
    "temperature",
    "reply_contains",
    "reply_not_contains",
    "no_reply",
    "flags",
    "language",
}


def test_there_are_about_twenty_conversations() -> None:
    """Hot, warm, cold, opt-outs, questions, dismissals, calls, corrections, ..."""
    assert len(FILES) >= 20


def test_spanish_covers_every_kind_of_conversation() -> None:
    """Hot, warm, cold, opt-out, question back, call request, dismissal, Spanglish."""
    assert len(SPANISH) >= 8
    temperatures: set[str | None] = set()
    acts: set[str] = set()
    for path in SPANISH:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        for turn in doc["turn"]:
            temperatures.add(turn.get("expect", {}).get("temperature"))
            acts.update(turn.get("expect", {}).get("acts", []))
    assert {"hot", "warm", "cold"} <= temperatures
    assert {"opt_out", "question", "call_request", "dismissal"} <= acts


@pytest.mark.parametrize(
    "path", FILES + SPANISH, ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_file_keeps_to_the_format(path: pathlib.Path) -> None:
    """Only documented keys, and every value one the engine knows."""
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(doc) <= TOP
    assert isinstance(doc["name"], str)
    assert doc.get("start", "tag") in {"tag", "inbound"}
    slots = {f.name for f in Slots.__attrs_attrs__} - {"unknown"}
    flags = {f.name for f in Flags.__attrs_attrs__}
    assert doc["turn"]
    for turn in doc["turn"]:
        assert set(turn) <= {"seller", "expect"}
        seller = turn["seller"]
        texts = [seller] if isinstance(seller, str) else seller
        assert texts
        assert all(isinstance(t, str) and t.strip() for t in texts)
        expect = turn.get("expect", {})
        assert set(expect) <= EXPECT
        assert expect.get("stage", "new") in {s.value for s in Stage}
        assert expect.get("temperature", "hot") in {"hot", "warm", "cold"}
        assert set(expect.get("acts", [])) <= {k.value for k in ActKind}
        assert set(expect.get("slots", {})) <= slots
        assert set(expect.get("flags", {})) <= flags
        assert all(isinstance(v, bool) for v in expect.get("flags", {}).values())
