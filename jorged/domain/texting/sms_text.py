"""Seller-supplied text made safe to put in an outbound SMS.

A contact's first name comes from GHL or from whoever started the conversation, and a
place a seller names ("moving to Boise") from the seller's own message; either may be
anything: markup (`<img src=x onerror=...>`), emoji, a hundred characters, words the
outbound rules forbid. Before such text goes into a template it is reduced here:

- `sms_name`: the words of a name made only of letters (GSM-7 ones; accented letters
  outside GSM-7 lose their accent, "Zoë" becomes "Zoe") and inner apostrophes, at most
  `MAX_NAME` characters in whole words. A hyphen or dash separates words ("Mary-Jane"
  is "Mary Jane": outbound texts carry no dashes). A word holding anything else
  (`<img`, `src=x`, `7*7`, an emoji, digits) is dropped whole, as is one the outbound
  rules refuse ("Bot"); empty after that means the text goes without a name.
- `sms_phrase`: free text (a place) with the same word rule, where digits and a few
  plain marks (`. , ' &`) are kept inside a word too, at most `MAX_PHRASE`
  characters.

In both, marks at the edges of a word (`. , ; : ! ?` and quotes) are dropped.

Both are pure, and what they return passes `compliance.check_outbound` on its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from jorged.domain.texting.compliance import check_outbound, is_gsm7

__all__ = ["MAX_NAME", "MAX_PHRASE", "sms_name", "sms_phrase"]

#: Characters of a name in a text ("Hey Maria Guadalupe, it's Jorge.").
MAX_NAME = 20
#: Characters of a seller's phrase quoted in a text (a place).
MAX_PHRASE = 40

_SEPARATORS = re.compile(
    "[\\s_/\\\\"
    + re.escape("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
    + "]+"
)
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2018\u2019\u201b\u02bc\u0060\u00b4", "'"))
_EDGE_MARKS = ".,;:!?"

CharRule = Callable[[str], str | None]


def sms_name(text: str) -> str:
    """The part of a name fit for an SMS ("" when none is); see the module doc."""
    return _reduce(text, MAX_NAME, _name_char)


def sms_phrase(text: str) -> str:
    """The part of a seller's phrase fit for an SMS; see the module doc."""
    return _reduce(text, MAX_PHRASE, _phrase_char)


def _name_char(ch: str) -> str | None:
    return _letter(ch) if ch != "'" else ch


def _phrase_char(ch: str) -> str | None:
    if ch in "'.,&" or (ch.isascii() and ch.isdigit()):
        return ch
    return _letter(ch)


def _letter(ch: str) -> str | None:
    """`ch` as a GSM-7 letter (accent dropped when needed), or None."""
    if not ch.isalpha():
        return None
    if is_gsm7(ch):
        return ch
    base = "".join(
        c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
    )
    if base and all(c.isalpha() and is_gsm7(c) for c in base):
        return base
    return None


def _word(raw: str, char: CharRule) -> str:
    word = raw.strip(_EDGE_MARKS).strip("'")
    out: list[str] = []
    for ch in word:
        kept = char(ch)
        if kept is None:
            return ""
        out.append(kept)
    text = "".join(out)
    if not any(c.isalpha() for c in text) or check_outbound(text):
        return ""
    return text


def _reduce(text: str, limit: int, char: CharRule) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    kept: list[str] = []
    for raw in _SEPARATORS.split(text):
        word = _word(raw, char)
        if not word:
            continue
        if len(" ".join([*kept, word])) > limit:
            break
        kept.append(word)
    result = " ".join(kept)
    return "" if check_outbound(result) else result
