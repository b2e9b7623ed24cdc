"""A contact's time zone guessed from the phone number (its area code), for quiet hours.

`phonenumbers` (the full build, with its `timezone` module) maps a number to the zones
its prefix serves. Numbers without a country code are read as US numbers.

- One zone: that zone (212 → America/New_York, 909 → America/Los_Angeles).
- A few zones (an area code across a zone line: 208, 605, 701, 775, 907, ...): the
  westernmost, by its standard-time offset (ties by name), so the same number always
  gets the same zone. The window then opens at 08:00 in every part of the area code
  (nobody is texted at 7 AM); it closes at 21:00 in the western part, which is up to
  an hour later in the eastern part.
- Many zones (toll-free and other non-geographic codes), an unknown prefix, or text
  that is not a phone number: no zone (the caller falls back to its default).
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as phone_timezone

__all__ = ["zone_for_phone"]

#: More candidate zones than this means the number is not tied to a place.
_MAX_ZONES = 3
#: Standard time everywhere in North America, to compare zones by their offset.
_STANDARD_TIME = datetime(2026, 1, 15, 12, tzinfo=UTC)
_UNKNOWN = "Etc/Unknown"


@functools.lru_cache(maxsize=4096)
def zone_for_phone(phone: str) -> str | None:
    """The IANA zone of `phone`'s area (see the module doc), or None."""
    if not phone.strip():
        return None
    try:
        number = phonenumbers.parse(phone, "US")
    except phonenumbers.NumberParseException:
        return None
    names = [z for z in phone_timezone.time_zones_for_number(number) if z != _UNKNOWN]
    zones = [zone for name in names if (zone := _zone(name)) is not None]
    if not zones or len(zones) > _MAX_ZONES:
        return None
    return min(zones, key=lambda z: (_offset(z), z.key)).key


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _offset(zone: ZoneInfo) -> timedelta:
    return _STANDARD_TIME.astimezone(zone).utcoffset() or timedelta(0)
