"""Reading which offered calendar slot a seller picked ("the first one", "2",
"Tuesday works", "the 2pm"), or that they want neither.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

__all__ = ["Choice", "parse_choice"]

#: The index of the chosen slot, "decline", or None when the answer is unclear.
Choice = int | Literal["decline"] | None

_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2,
    "weds": 2, "wednesday": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fri": 4, "friday": 4, "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_TIME = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?!\d)")
_FIRST = re.compile(
    r"\b(?:first|1st|#1|one|earlier|earliest|sooner|former|option 1|number 1)\b"
)
_SECOND = re.compile(
    r"\b(?:second|2nd|#2|two|later|latter|last one|option 2|number 2)\b"
)
_ANY = re.compile(r"\b(?:either|any|whichever|both|whatever works|dont care)\b")
_YES = re.compile(
    r"\b(?:yes|yeah|yep|yup|sure|ok|okay|works|perfect|sounds good|great|good)\b"
)
_NO = re.compile(
    r"\b(?:neither|none|no|nope|cant|cannot|busy|doesnt work|dont work|not good"
    r"|wont work|another time|different time)\b"
)


def parse_choice(
    text: str, slots: tuple[datetime, ...], *, zone: ZoneInfo, now: datetime
) -> Choice:
    """Which of `slots` the seller chose in `text` (see `Choice`)."""
    if not slots:
        return None
    clean = text.lower().replace("'", "").replace("\u2019", "")
    local = [s.astimezone(zone) for s in slots]
    matches = _by_time(clean, local) or _by_day(clean, local, now.astimezone(zone))
    if len(matches) == 1:
        return matches[0]
    bare = re.fullmatch(r"\W*(?:option\s*|#)?([12])\W*", clean)
    if bare and int(bare.group(1)) <= len(slots):
        return int(bare.group(1)) - 1
    if _SECOND.search(clean) and len(slots) > 1:
        return 1
    if _FIRST.search(clean) or _ANY.search(clean):
        return 0
    if matches:
        return matches[0]
    if _NO.search(clean):
        return "decline"
    if len(slots) == 1 and _YES.search(clean):
        return 0
    return None


def _by_time(text: str, local: list[datetime]) -> list[int]:
    found: list[int] = []
    for m in _TIME.finditer(text):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        suffix = (m.group(3) or "").replace(".", "")
        if (
            not suffix
            and not m.group(2)
            and not re.search(r"\b(?:the|at)\s*$", text[: m.start()])
        ):
            continue  # a bare "2" is an index, "the 2" or "at 2" is a time
        for i, slot in enumerate(local):
            slot_hour12 = slot.hour % 12 or 12
            if suffix == "am" and slot.hour >= 12:
                continue
            if suffix == "pm" and slot.hour < 12:
                continue
            same_hour = slot_hour12 == (hour % 12 or 12) or slot.hour == hour
            if same_hour and slot.minute == minute and i not in found:
                found.append(i)
    return found


def _by_day(text: str, local: list[datetime], today: datetime) -> list[int]:
    days: set[int] = set()
    for word in re.findall(r"[a-z]+", text):
        if word in _WEEKDAYS:
            days.add(_WEEKDAYS[word])
    dates = set()
    if re.search(r"\btoday\b", text):
        dates.add(today.date())
    if re.search(r"\btomorrow\b", text):
        dates.add(today.date() + timedelta(days=1))
    return [
        i
        for i, slot in enumerate(local)
        if slot.weekday() in days or slot.date() in dates
    ]
