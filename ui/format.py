"""How numbers, times and names read on the dashboard (presentation only)."""

from __future__ import annotations

from datetime import UTC, datetime

from jorged.labels import FLAGS, PRICE_BUCKETS, STAGES, TEMPERATURES, TIMELINES, label

__all__ = [
    "FLAGS",
    "NO_DATA",
    "PRICE_BUCKETS",
    "STAGES",
    "TEMPERATURES",
    "TIMELINES",
    "ago",
    "label",
    "money",
    "parse_time",
    "percent",
    "price_range",
    "seconds",
    "when",
    "yes_no",
]

NO_DATA = "no data"


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
    """A time: a datetime or an ISO time (naive means UTC), or POSIX seconds; else
    None."""
    if isinstance(text, datetime):
        return text if text.tzinfo else text.replace(tzinfo=UTC)
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
