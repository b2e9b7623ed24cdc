"""Stream ids `"<ms>-<n>"` and record seqs, made by jorged so both copies agree."""

from __future__ import annotations

import time

import attrs


def parse_id(text: str) -> tuple[int, int]:
    """`"<ms>-<n>"` (or `"<ms>"`) as a pair; a clear ValueError otherwise."""
    ms, sep, n = text.partition("-")
    try:
        return int(ms), (int(n) if sep else 0)
    except ValueError:
        msg = f"stream id must look like '<ms>-<n>', got {text!r}"
        raise ValueError(msg) from None


def format_id(pair: tuple[int, int]) -> str:
    return f"{pair[0]}-{pair[1]}"


@attrs.define
class IdMaker:
    """Increasing ids from the wall clock, never going back (like Redis `*`)."""

    last: tuple[int, int] = (0, 0)

    def next(self, now: float | None = None) -> str:
        ms = int((time.time() if now is None else now) * 1000)
        self.last = (ms, 0) if ms > self.last[0] else (self.last[0], self.last[1] + 1)
        return format_id(self.last)

    def observe(self, text: str) -> None:
        """Never make an id at or before `text` (an id already stored)."""
        self.last = max(self.last, parse_id(text))


@attrs.define
class SeqCounter:
    """The seq of the newest record write; each write takes the next one."""

    last: int = 0

    def next(self) -> int:
        self.last += 1
        return self.last

    def observe(self, seq: int) -> None:
        """Never hand out `seq` or an earlier one (a seq already stored)."""
        self.last = max(self.last, seq)
