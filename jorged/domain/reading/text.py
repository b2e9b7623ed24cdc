"""A seller's message made easy to match, with the way back to its own words.

`Text.of(message)` keeps the message and a normalized copy: lower case ASCII,
accents dropped ("está" → "esta"), apostrophes removed ("don't" → "dont"), emoji
and other symbols turned into spaces, runs of spaces collapsed, one space padded at
each end, and a few spellings people text written out ("u" → "you", "pls" →
"please", "txt" → "text"). Every character of the copy remembers the position
of the character of the message it came from, so a match on the copy gives the
seller's own words back as `Evidence`.

`clauses` cuts the copy at sentence ends and at "but" / "though", so a negation or
a keyword is read inside its own clause.
"""

from __future__ import annotations

import re
import unicodedata

import attrs

from jorged.domain.reading.acts import Evidence

__all__ = ["Clause", "Text"]

_APOSTROPHES = frozenset("'\u2018\u2019\u201b\u02bc`\u00b4")
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
#: Texting spellings written out; each is a whole word of the normalized copy.
_SPELLINGS = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "plse": "please",
    "pleas": "please",
    "txt": "text",
    "txts": "texts",
    "txting": "texting",
    "msg": "message",
    "msgs": "messages",
    "msging": "messaging",
    "tho": "though",
    "bc": "because",
    "cuz": "because",
    "b4": "before",
    "thx": "thanks",
    "ty": "thanks",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "prolly": "probably",
    "rn": "right now",
    "ppl": "people",
    "abt": "about",
    "hse": "house",
    "hous": "house",
    "wk": "week",
    "wks": "weeks",
    "mos": "months",
    "mo": "month",
    "yr": "year",
    "yrs": "years",
    "stp": "stop",
    "stahp": "stop",
    "sotp": "stop",
    "unsub": "unsubscribe",
    "unsubcribe": "unsubscribe",
    "unsuscribe": "unsubscribe",
    "unsubscibe": "unsubscribe",
    "unsubscrib": "unsubscribe",
    "unsubsribe": "unsubscribe",
    "unsubscribe": "unsubscribe",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tomorow": "tomorrow",
    "2morrow": "tomorrow",
    "idc": "i dont care",
    "smh": "shaking my head",
    "jfc": "jesus fucking christ",
    "wtf": "what the fuck",
    "stfu": "shut the fuck up",
    "gtfo": "get the fuck out",
    "fk": "fuck",
    "fck": "fuck",
    "fuk": "fuck",
    "frickin": "freaking",
    "effin": "freaking",
    "dis": "this",
    "da": "the",
    "ima": "im going to",
    "imma": "im going to",
    "kinda": "kind of",
    "sorta": "sort of",
    "gimme": "give me",
    "lemme": "let me",
    "dunno": "dont know",
    "yall": "you all",
}
#: Emoji that carry words, written out in the copy.
_EMOJI = {
    "🖕": " fuck off ",  # middle finger
    "🛑": " stopsign ",  # stop sign
    "👋": " bye ",  # waving hand
    "😡": " angry ",  # pouting face
    "😠": " angry ",  # angry face
    "🤬": " angry ",  # symbols over mouth
    "🙄": " eyeroll ",  # face with rolling eyes
    "👍": " thumbsup ",  # thumbs up
}
#: Spellings that are not whole words: "stoppp", "f***", "sh*t".
_PATTERNS = (
    (re.compile(r"\bst+o+p+\b"), "stop"),
    (re.compile(r"\bf[*#@$!%]{2,4}k?(?![a-z])|\bf\*+ck\b|\bfu+c+k+\b"), "fuck"),
    (re.compile(r"\bsh[*#@$!]t\b"), "shit"),
    (re.compile(r"\bno+\b"), "no"),
    (re.compile(r"\bpl[sz]+\b"), "please"),
)
_WORD = re.compile(r"[a-z0-9]+")
#: A hyphen inside a word ("turn-key", "move-in") is read as a space.
_WORD_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_CLAUSE_END = re.compile(
    r"[.!?;\n]+(?!\d)|,? (?:but|though|although|however|except) |\s-\s"
)


@attrs.frozen
class Clause:
    """The clause `norm[start:end]` of a `Text`, as `text` padded with a space.

    A match at position p of `text` is at `start + p - 1` of the copy.
    """

    text: str
    start: int
    end: int

    def at(self, pos: int) -> int:
        """The position in the whole copy of position `pos` of `text`."""
        return max(self.start, min(self.end, self.start + pos - 1))


@attrs.frozen
class Text:
    """A message, its normalized copy `norm`, and where each copy character came from.

    `index[i]` is the position in `original` of `norm[i]`; the padding spaces point
    at the ends of the message.
    """

    original: str
    norm: str
    index: tuple[int, ...]
    parts: tuple[Clause, ...] = ()

    @classmethod
    def of(cls, message: str) -> Text:
        chars: list[str] = []
        index: list[int] = []
        for pos, raw in enumerate(message):
            for ch in _fold(raw):
                if ch.isspace() and chars and chars[-1] == " ":
                    continue
                chars.append(" " if ch.isspace() else ch)
                index.append(pos)
        folded = "".join(chars).strip(" ")
        lead = len(chars) - len("".join(chars).lstrip(" "))
        index = index[lead : lead + len(folded)]
        norm, index = _respell(folded, index)
        for pattern, spelled in _PATTERNS:
            norm, index = _replace(norm, index, pattern, spelled)
        norm = _WORD_HYPHEN.sub(" ", norm)
        end = len(message)
        padded = " " + norm + " "
        return cls(
            original=message,
            norm=padded,
            index=(0, *index, end),
            parts=_split(padded),
        )

    def evidence(self, start: int, end: int) -> Evidence:
        """The seller's words under `norm[start:end]` (trimmed of spaces)."""
        while start < end and self.norm[start] == " ":
            start += 1
        while end > start and self.norm[end - 1] == " ":
            end -= 1
        if start >= end:
            pos = self.index[min(start, len(self.index) - 1)]
            return Evidence(start=pos, end=pos, text="")
        first = self.index[start]
        last = self.index[end - 1] + 1
        return Evidence(start=first, end=last, text=self.original[first:last])

    def evidence_of(self, match: re.Match[str], group: int | str = 0) -> Evidence:
        return self.evidence(match.start(group), match.end(group))

    def clauses(self) -> list[Clause]:
        """The clauses of the copy, in order."""
        return list(self.parts)


def _split(norm: str) -> tuple[Clause, ...]:
    """The clauses of a normalized copy, in order."""
    out: list[Clause] = []
    pos = 0
    for m in [*_CLAUSE_END.finditer(norm), None]:
        stop = len(norm) if m is None else m.start()
        piece = norm[pos:stop]
        if piece.strip():
            start = pos + len(piece) - len(piece.lstrip())
            end = pos + len(piece.rstrip())
            out.append(Clause(text=" " + norm[start:end] + " ", start=start, end=end))
        if m is not None:
            pos = m.end()
    return tuple(out)


def _fold(ch: str) -> str:
    """One character of the message as lower case ASCII (possibly several or none)."""
    if ch < "\x80":
        return "" if ch in _APOSTROPHES else ch.lower()
    if ch in _APOSTROPHES:
        return ""
    if ch in _DASHES:
        return "-"
    if ch in _EMOJI:
        return _EMOJI[ch]
    if ch in {"\u00f1", "\u00d1"}:
        return "n"
    out = []
    for c in unicodedata.normalize("NFKD", ch):
        if unicodedata.combining(c):
            continue
        out.append(c.lower() if c.isascii() else " ")
    return "".join(out)


def _respell(text: str, index: list[int]) -> tuple[str, list[int]]:
    """Write texting spellings out; the new letters point at the word they replace."""
    out: list[str] = []
    out_index: list[int] = []
    pos = 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        if word not in _SPELLINGS or _SPELLINGS[word] == word:
            continue
        out.append(text[pos : m.start()])
        out_index.extend(index[pos : m.start()])
        spelled = _SPELLINGS[word]
        out.append(spelled)
        out_index.extend(
            index[m.start() + min(i, len(word) - 1)] for i in range(len(spelled))
        )
        pos = m.end()
    out.append(text[pos:])
    out_index.extend(index[pos:])
    return "".join(out), out_index


def _replace(
    text: str, index: list[int], pattern: re.Pattern[str], spelled: str
) -> tuple[str, list[int]]:
    """Replace each match of `pattern` by `spelled`, keeping the way back."""
    if pattern.search(text) is None:
        return text, index
    out: list[str] = []
    out_index: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.group(0) == spelled:
            continue
        out.append(text[pos : m.start()])
        out_index.extend(index[pos : m.start()])
        out.append(spelled)
        last = len(spelled) - 1
        out_index.extend(
            index[m.end() - 1 if i == last else min(m.start() + i, m.end() - 1)]
            for i in range(len(spelled))
        )
        pos = m.end()
    out.append(text[pos:])
    out_index.extend(index[pos:])
    return "".join(out), out_index
