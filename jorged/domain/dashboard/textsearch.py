"""Substring search over many short texts, without a Python step per text.

The conversation list searches every transcript for the `q` text. Testing 100,000
texts one by one costs a Python call each; here the texts are joined into chunks
(a separator between texts) and each chunk is searched with one `str.find` loop,
which runs in C and steps through hits only. A changed text marks its chunk for a
re-join at the next search, so an update costs O(1) and a search re-joins only the
chunks that changed since the last.
"""

from __future__ import annotations

import bisect

import attrs

#: Texts per chunk: a re-join copies one chunk, a search walks every chunk.
CHUNK = 512
_SEP = "\x00"


@attrs.define
class _Chunk:
    texts: list[str] = attrs.field(factory=list)
    ids: list[str | None] = attrs.field(factory=list)
    joined: str | None = None
    #: Where each text starts in `joined`, then where one after the last would.
    starts: list[int] = attrs.field(factory=list)

    def build(self) -> str:
        if self.joined is None:
            starts, at = [], 0
            for text in self.texts:
                starts.append(at)
                at += len(text) + 1
            starts.append(at)
            self.starts = starts
            self.joined = _SEP.join(self.texts)
        return self.joined


@attrs.define
class TextIndex:
    """Texts by id (lower-case them first); `search` gives the ids containing a text."""

    chunk: int = CHUNK
    _slots: dict[str, int] = attrs.field(factory=dict)
    _chunks: list[_Chunk] = attrs.field(factory=list)
    _free: list[int] = attrs.field(factory=list)

    def __len__(self) -> int:
        return len(self._slots)

    def put(self, key: str, text: str) -> None:
        text = text.replace(_SEP, " ")
        slot = self._slots.get(key)
        if slot is None:
            slot = self._free.pop() if self._free else self._new_slot()
            self._slots[key] = slot
        chunk = self._chunks[slot // self.chunk]
        chunk.texts[slot % self.chunk] = text
        chunk.ids[slot % self.chunk] = key
        chunk.joined = None

    def remove(self, key: str) -> None:
        slot = self._slots.pop(key, None)
        if slot is None:
            return
        chunk = self._chunks[slot // self.chunk]
        chunk.texts[slot % self.chunk] = ""
        chunk.ids[slot % self.chunk] = None
        chunk.joined = None
        self._free.append(slot)

    def search(self, needle: str) -> set[str]:
        """The ids whose text contains `needle` (an empty needle matches none)."""
        found: set[str] = set()
        if not needle or _SEP in needle:
            return found
        add, after = found.add, bisect.bisect_right
        for chunk in self._chunks:
            find = chunk.build().find
            starts, ids = chunk.starts, chunk.ids
            at = find(needle)
            while at >= 0:
                k = after(starts, at)  # the text holding `at` is number k - 1
                if (key := ids[k - 1]) is not None:
                    add(key)
                at = find(needle, starts[k])
        return found

    def _new_slot(self) -> int:
        last = self._chunks[-1] if self._chunks else None
        if last is None or len(last.texts) == self.chunk:
            last = _Chunk()
            self._chunks.append(last)
        slot = (len(self._chunks) - 1) * self.chunk + len(last.texts)
        last.texts.append("")
        last.ids.append(None)
        return slot
