"""Texting rules: opt-out and HELP keywords, quiet hours, and the outbound rule check.

`enforce_outbound` is the one place every outbound SMS passes through. It returns a
text that is at most 160 GSM-7 septets, uses only GSM-7 characters, has no hyphen or
dash, no URL but the configured booking link, and never says it is an AI, a bot or
automated. A text that breaks a rule is repaired (dashes become commas or "to",
typographic quotes become plain ones, emoji and foreign URLs are dropped, a long text
is cut at a sentence or word boundary); one that claims to be a bot, or is empty
after repair, is replaced by the fallback template.

Spanish and other accented letters (`gsm7_fold`): GSM-7's basic set has é É ñ Ñ ü Ü
¿ ¡ à è ì ò ù, so those are kept; it has no á í ó ú Á Í Ó Ú, which become a i o u A
I O U (any other letter GSM-7 lacks loses its accent the same way). A Spanish text
therefore stays one 160-character segment and reads as Spanish texted without a few
accents ("está" → "esta"), instead of switching the whole message to UCS-2, where
one segment holds 70 characters and Jorge's questions would take two or three.

Opt-out follows the carrier keywords: a message whose first word or whole text is
STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE or OPTOUT (any case, punctuation
ignored), plus plain revocations ("leave me alone", "wrong number"). One exception is
read as a time phrase, not an opt-out: END followed by "of" ("End of the month works").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jorged.domain.texting.phone_zone import zone_for_phone

__all__ = [
    "SMS_LIMIT",
    "check_outbound",
    "contact_zone",
    "enforce_outbound",
    "gsm7_fold",
    "gsm7_length",
    "in_quiet_hours",
    "is_gsm7",
    "is_help",
    "is_opt_in",
    "is_opt_out",
    "mask_phones",
    "next_allowed",
]

#: Septets in one GSM-7 SMS segment.
SMS_LIMIT = 160

_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = frozenset("^{}\\[~]|€\f")

_OPT_OUT_WORDS = frozenset(
    {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"}
)
_OPT_IN_WORDS = frozenset({"start", "unstop"})
_HELP_WORDS = frozenset({"help", "info"})

_REVOCATIONS = re.compile(
    r"\b(?:leave\s+me\s+alone"
    r"|(?:dont|do\s+not|never|pls\s+dont|please\s+dont)\s+(?:ever\s+)?"
    r"(?:text|txt|message|msg|contact|call|sms|bother|email)\s+me"
    r"|(?:stop|quit|no\s+more|cease)\s+(?:texting|txting|messaging|msging|"
    r"contacting|calling|bothering|sending|harassing|spamming)"
    r"|remove\s+me|take\s+me\s+off|opt\s+me\s+out|opt\s+out|unsubscribe\s+me"
    r"|lose\s+(?:my|this)\s+number|delete\s+(?:my|this)\s+number"
    r"|no\s+more\s+(?:texts|messages|txts|msgs)"
    r"|wrong\s+(?:number|person|num))\b|\bwrong\s+#"
)
_TRAILING_STOP = re.compile(r"[,.!?;:]\s*stop\W*$", re.IGNORECASE)

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2e3a\u2e3b"
_DASH_CLASS = "[" + re.escape(_DASHES) + "]"
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|co|us|ly|me|info|biz|app|link|"
    r"site|page|homes|realty|house)\b(?:/\S*)?",
    re.IGNORECASE,
)
_DISCLOSURE = re.compile(
    r"\b(?:a\.?i\.?|bots?|chat\s?bots?|robots?|automated|automation|"
    r"auto\s?reply|auto\s?responder|virtual\s+assistant|assistants?|"
    r"artificial\s+intelligence|language\s+model|llm|gpt|chat\s?gpt|"
    r"machine\s+learning|not\s+a\s+(?:real\s+)?(?:person|human)"
    r"|asistentes?|automatizad[oa]s?|autom[aá]tic[oa]s?|inteligencia\s+artificial"
    r"|no\s+soy\s+(?:una\s+)?persona)(?![\w])",
    re.IGNORECASE,
)
_TYPOGRAPHIC = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u2026": "...",
    "\u2022": "*",
    "\u00b7": "*",
    "\u2122": "",
    "\u00ae": "",
    "\u00a9": "",
}
_PHONE = re.compile(
    r"(?<!\d)(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?(\d{4})(?!\d)"
)
_LINK_TOKEN = "\x00"  # noqa: S105 (a placeholder character, not a secret)
# The last resort when neither the text nor its fallback can be repaired.
_SAFE_TEXT = "Thanks, I'll be in touch soon."


# --- keywords -------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower().replace("'", "")
    text = text.replace("\u2019", "")
    return re.findall(r"[a-z0-9#]+", text)


def is_opt_out(text: str) -> bool:
    """True when a message opts the sender out of texts."""
    words = _words(text)
    if not words:
        return False
    first = words[0]
    if first in _OPT_OUT_WORDS and not (first == "end" and words[1:2] == ["of"]):
        return True
    if words[:2] == ["opt", "out"]:
        return True
    if _TRAILING_STOP.search(unicodedata.normalize("NFKC", text)):
        return True
    return bool(_REVOCATIONS.search(" ".join(words)))


def is_opt_in(text: str) -> bool:
    """True when a message opts back in (START or UNSTOP)."""
    words = _words(text)
    return bool(words) and words[0] in _OPT_IN_WORDS


def is_help(text: str) -> bool:
    """True when a message is the HELP or INFO keyword (the whole text)."""
    words = _words(text)
    return len(words) == 1 and words[0] in _HELP_WORDS


# --- quiet hours ----------------------------------------------------------------------


def contact_zone(timezone: str, default: str, *, phone: str = "") -> ZoneInfo:
    """The zone quiet hours are kept in for a contact.

    The contact's own `timezone` (from GHL) when it is a known zone, else the zone of
    its phone number's area code (`jorged.domain.texting.phone_zone`), else `default`.
    """
    for name in (timezone, zone_for_phone(phone)):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                pass
    return ZoneInfo(default)


def _window(start_hour: int, end_hour: int) -> tuple[int, int]:
    """The allowed window in minutes after local midnight: [end_hour, start_hour)."""
    return end_hour * 60, start_hour * 60


def in_quiet_hours(
    at: datetime, zone: ZoneInfo, *, start_hour: int, end_hour: int
) -> bool:
    """True when `at` falls in the quiet hours (from `start_hour` to `end_hour`)."""
    open_at, close_at = _window(start_hour, end_hour)
    if open_at == close_at:
        return False
    local = at.astimezone(zone)
    minute = local.hour * 60 + local.minute
    if open_at < close_at:
        return not open_at <= minute < close_at
    return close_at <= minute < open_at


def next_allowed(
    at: datetime, zone: ZoneInfo, *, start_hour: int, end_hour: int
) -> datetime:
    """`at` itself when outside quiet hours, else the instant the window opens.

    The window opens at `end_hour` local wall time on the right day, so it stays at
    08:00 local across daylight-saving changes.
    """
    if not in_quiet_hours(at, zone, start_hour=start_hour, end_hour=end_hour):
        return at
    local = at.astimezone(zone)
    day = local.date()
    for offset in (0, 1):
        midnight = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(
            days=offset
        )
        wall = midnight.replace(tzinfo=None) + timedelta(hours=end_hour)
        candidate = _localize(wall, zone)
        if candidate > at:
            return candidate.astimezone(at.tzinfo or UTC)
    msg = f"no allowed time after {at.isoformat()}"  # unreachable for valid hours
    raise ValueError(msg)


def _localize(wall: datetime, zone: ZoneInfo) -> datetime:
    """A local wall time as an aware instant; a time in a DST gap moves forward."""
    aware = wall.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone)


# --- outbound rules -------------------------------------------------------------------


def gsm7_fold(text: str) -> str:
    """`text` with each letter GSM-7 lacks written without its accent (á → a,
    Í → I); letters GSM-7 has (é ñ ü ¿ ¡ ...) are kept, and so is anything else."""
    return "".join(_fold_char(ch) for ch in unicodedata.normalize("NFC", text))


def _fold_char(ch: str) -> str:
    if _is_gsm(ch) or not ch.isalpha():
        return ch
    base = "".join(
        c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
    )
    return base if base and all(_is_gsm(c) for c in base) else ch


def gsm7_length(text: str) -> int:
    """Septets `text` takes in GSM-7 (extension characters count two)."""
    return sum(2 if ch in _GSM_EXTENDED else 1 for ch in text)


def check_outbound(
    text: str, *, booking_link: str = "", disclose: bool = False
) -> tuple[str, ...]:
    """The outbound rules `text` breaks, as short descriptions (empty when fine).

    `disclose`: the text answers a direct question whether the seller is talking
    to a bot, so it may (must) say it is automated (SPEC 1.4).
    """
    problems = []
    if not text.strip():
        problems.append("empty")
    body = text.replace(booking_link, _LINK_TOKEN) if booking_link else text
    bad = sorted({ch for ch in body if ch != _LINK_TOKEN and not _is_gsm(ch)})
    if bad:
        problems.append("non GSM-7 characters: " + " ".join(repr(c) for c in bad))
    if re.search(_DASH_CLASS, body):
        problems.append("hyphen or dash")
    if _URL.search(body):
        problems.append("URL other than the booking link")
    if not disclose and _DISCLOSURE.search(body):
        problems.append("says it is an AI, a bot or automated")
    if gsm7_length(text) > SMS_LIMIT:
        problems.append(f"longer than {SMS_LIMIT} GSM-7 characters")
    return tuple(problems)


@functools.lru_cache(maxsize=4096)
def enforce_outbound(
    text: str, *, booking_link: str = "", fallback: str, disclose: bool = False
) -> str:
    """A version of `text` that passes every outbound rule (see the module doc).

    Pure, and the bot's texts repeat (its questions differ by first name at most),
    so answers are kept for the texts seen most recently. With `disclose` (the
    answer to "is this a bot?") the text may say it is automated.
    """
    for candidate in (text, fallback, _SAFE_TEXT):
        if not disclose and _DISCLOSURE.search(candidate):
            continue
        repaired = _repair(candidate, booking_link)
        if repaired and not check_outbound(
            repaired, booking_link=booking_link, disclose=disclose
        ):
            return repaired
    return _SAFE_TEXT


def is_gsm7(ch: str) -> bool:
    """True when `ch` is in the GSM-7 alphabet (basic or extension table)."""
    return ch in _GSM_BASIC or ch in _GSM_EXTENDED


_is_gsm = is_gsm7


def _repair(text: str, booking_link: str) -> str:
    has_link = bool(booking_link) and booking_link in text
    if has_link:
        text = text.replace(booking_link, f" {_LINK_TOKEN} ")
    text = unicodedata.normalize("NFC", text)
    for bad, good in _TYPOGRAPHIC.items():
        text = text.replace(bad, good)
    text = _URL.sub(" ", text)
    text = re.sub(rf"(\d)\s*{_DASH_CLASS}+\s*(\d)", r"\1 to \2", text)
    text = re.sub(rf"(\w){_DASH_CLASS}+(\w)", r"\1 \2", text)
    text = re.sub(rf"\s*{_DASH_CLASS}+\s*", ", ", text)
    text = "".join(_gsm_char(ch) for ch in text)
    text = re.sub(r"[ \t\r\n\f]+", " ", text)
    text = re.sub(r"\s+([,.!?;:])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"^[\s,;:.]+", "", text).strip()
    if has_link:
        text = text.replace(_LINK_TOKEN, booking_link)
    return _shorten(text, booking_link)


def _gsm_char(ch: str) -> str:
    if ch == _LINK_TOKEN or _is_gsm(ch):
        return ch
    if ch.isspace():
        return " "
    folded = _fold_char(ch)
    if folded != ch:
        return folded
    base = "".join(
        c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
    )
    return base if base and all(_is_gsm(c) for c in base) else ""


def _shorten(text: str, booking_link: str) -> str:
    if gsm7_length(text) <= SMS_LIMIT:
        return text
    limit = SMS_LIMIT
    cut = text[:limit]
    while gsm7_length(cut) > limit:
        cut = cut[:-1]
    sentence_end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if sentence_end >= limit // 2:
        return cut[: sentence_end + 1]
    space = cut[: limit - 1].rfind(" ")
    short = cut[:space] if space > 0 else cut[: limit - 1]
    short = short.rstrip(" ,;:")
    if booking_link and booking_link not in short:
        short = _URL.sub("", short).rstrip(" ,;:")
    return short + "."


# --- privacy --------------------------------------------------------------------------


def mask_phones(text: str) -> str:
    """`text` with every phone number shown as ``***-***-1234``."""
    return _PHONE.sub(lambda m: f"***-***-{m.group(1)}", text)
