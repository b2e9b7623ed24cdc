from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from jorged.config import SellerConfig
from jorged.domain.conversation.cadence import cadence_length, followup_due

LA = ZoneInfo("America/Los_Angeles")
CFG = SellerConfig()


def utc(*args):
    return datetime(*args, tzinfo=UTC)


class TestFollowupDue:
    def test_first_ten_follow_the_days(self):
        """Nudges 0..9 fall on days 2, 5, ..., 29 after the base, same local time."""
        base = utc(2026, 5, 1, 18)  # 11:00 PDT
        got = [followup_due(base, i, CFG, LA) for i in range(10)]
        assert got == [
            utc(2026, 5, 1 + d, 18) for d in (2, 5, 8, 11, 14, 17, 20, 23, 26, 29)
        ]

    def test_long_term_every_14_days_then_stop(self):
        """After day 29 every 14 days, at most 10 times, then nothing."""
        base = utc(2026, 5, 1, 18)
        longterm = [followup_due(base, 10 + j, CFG, LA) for j in range(10)]
        days = [(d - base).days for d in longterm if d is not None]
        assert days == [29 + 14 * (j + 1) for j in range(10)]
        assert followup_due(base, 20, CFG, LA) is None
        assert cadence_length(CFG) == 20

    def test_quiet_hours_shift(self):
        """A due time in quiet hours moves to 08:00 local the next morning."""
        base = utc(2026, 5, 2, 5)  # 22:00 PDT on May 1
        assert followup_due(base, 0, CFG, LA) == utc(2026, 5, 4, 15)  # May 4 08:00

    def test_keeps_local_time_across_dst(self):
        """Days are counted on the wall clock, so 10:00 stays 10:00 after DST."""
        base = utc(2026, 3, 6, 18)  # Friday 10:00 PST
        assert followup_due(base, 0, CFG, LA) == utc(2026, 3, 8, 17)  # 10:00 PDT

    def test_negative_index_is_refused(self):
        """A negative index is a caller error naming the field."""
        with pytest.raises(ValueError, match="index"):
            followup_due(utc(2026, 1, 1), -1, CFG, LA)
