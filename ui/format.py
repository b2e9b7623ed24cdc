"""How numbers, times and names read on the dashboard (presentation only)."""

from __future__ import annotations

from datetime import UTC, datetime

STAGES = {
    "new": "New",
    "q_motivation": "Motivation",
    "q_timeline": "Timeline",
    "q_condition": "Condition",
    "q_price": "Price",
    "qualified": "Qualified",
}
TEMPERATURES = {"hot": "Hot", "warm": "Warm", "cold": "Cold"}
TIMELINES = {
    "immediate": "Within 30 days",
    "1_3_months": "1 to 3 months",
    "3_6_months": "3 to 6 months",
    "6_plus_months": "6+ months",
    "unknown": "Unknown",
}
PRICE_BUCKETS = {
    "lt_200k": "< $200k",
    "200k_300k": "$200k to 300k",
    "300k_400k": "$300k to 400k",
    "400k_500k": "$400k to 500k",
    "500k_800k": "$500k to 800k",
    "gt_800k": "> $800k",
}
NO_DATA = "no data"


def label(mapping: dict[str, str], key: object) -> str:
    text = str(key)
    return mapping.get(text, text.replace("_", " ").capitalize())


def money(value: float | None, *, cents: bool = False) -> str:
    if value is None:
        return NO_DATA
    if cents:
        return f"${value:,.2f}"
    if abs(value) >= 1_000_000:
        return f"${value / 1_000_000:,.2f}M"
    if abs(value) >= 10_000:
        return f"${value / 1000:,.0f}k"
    return f"${value:,.0f}"


def price_range(low: int | None, high: int | None) -> str:
    if low is None:
        return "unknown"
    if high is None or high == low:
        return money(low)
    return f"{money(low)} to {money(high)}"


def percent(fraction: float | None) -> str:
    return NO_DATA if fraction is None else f"{fraction * 100:.0f}%"


def seconds(value: float | None) -> str:
    """A duration: 850 ms, 12.3 s, 4 min 5 s, 3 h 10 min, 2 d 4 h."""
    if value is None:
        return NO_DATA
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value < 60:
        return f"{value:.1f} s"
    s = int(value)
    days, s = divmod(s, 86400)
    hours, s = divmod(s, 3600)
    minutes, s = divmod(s, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {s} s"


#: POSIX seconds read as a time only between these (2001 to 2286): other numbers
#: are not times.
_POSIX_RANGE = (1e9, 1e10)


def parse_time(text: object) -> datetime | None:
    """An ISO time (naive means UTC) or POSIX seconds, or None."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        low, high = _POSIX_RANGE
        return datetime.fromtimestamp(text, UTC) if low <= text < high else None
    if not isinstance(text, str) or not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _clock(local: datetime) -> str:
    return local.strftime("%I:%M %p").lstrip("0")


def when(text: object, *, now: datetime | None = None) -> str:
    """A stored time as local clock time ("9:14 AM"), with the date when not today
    ("Dec 7, 9:14 AM") and the year when not this year."""
    at = parse_time(text)
    if at is None:
        return "" if text in (None, "") else str(text)
    local = at.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    if local.date() == today:
        return _clock(local)
    day = f"{local.strftime('%b')} {local.day}"
    if local.year != today.year:
        day += f", {local.year}"
    return f"{day}, {_clock(local)}"


def ago(text: object, *, now: datetime | None = None) -> str:
    """How long ago: "just now", "2 min ago", "3 h ago"; older: `when`."""
    at = parse_time(text)
    if at is None:
        return "" if text in (None, "") else str(text)
    seconds = ((now or datetime.now(UTC)) - at).total_seconds()
    if seconds < 0:
        return when(text, now=now)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return when(text, now=now)


def yes_no(value: object) -> str:
    if value is None:
        return "unknown"
    return "yes" if value else "no"
