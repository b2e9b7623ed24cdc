"""Times at the ends of what a datetime holds never make the seller raise.

Journal entries accepted before webhooks checked their dates may hold them, so the
domain guards itself (SPEC 6: a poison message never takes the daemon down).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jorged.config import SellerConfig
from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation import step as domain
from jorged.domain.conversation.cadence import (
    EARLIEST,
    followup_due,
    plausible,
    stall_due,
)

NOW = datetime(2026, 7, 1, 18, 0, tzinfo=UTC)
CFG = SellerConfig(quiet_hours_start=0, quiet_hours_end=0)
EXTREMES = [
    datetime.max.replace(tzinfo=UTC),
    datetime(9999, 12, 30, tzinfo=UTC),
    datetime.min.replace(tzinfo=UTC),
    datetime(1, 1, 1, 5, tzinfo=UTC),
]
ZONES = st.sampled_from(
    [ZoneInfo(z) for z in ("Pacific/Kiritimati", "Etc/GMT+12", "America/New_York")]
)
ANY_UTC = st.datetimes(timezones=st.just(UTC))


def inbound(at: datetime, n: int = 1, text: str = "hi") -> sio.Inbound:
    message = sio.InboundMessage(message_id=f"m{n}", text=text, at=at)
    return sio.Inbound(contact_id="c1", messages=(message,))


class TestPlausible:
    def test_future_is_now_and_prehistory_is_earliest(self):
        """A message cannot be sent in the future or before 2000."""
        assert plausible(datetime(9999, 12, 30, tzinfo=UTC), NOW) == NOW
        assert plausible(datetime(1, 1, 1, tzinfo=UTC), NOW) == EARLIEST
        assert plausible(NOW - timedelta(hours=1), NOW) == NOW - timedelta(hours=1)


class TestStep:
    @pytest.mark.parametrize("at", EXTREMES)
    def test_year_9999_and_year_1_messages_are_answered(self, at):
        """A seller's first two texts dated year 9999 or year 1 get replies and a
        follow-up from now, recorded at the time they arrived."""
        state, actions = domain.step(None, inbound(at), NOW, CFG)
        state, actions = domain.step(state, inbound(at, 2, "divorce"), NOW, CFG)
        assert any(isinstance(a, sio.SendSms) for a in actions)
        (follow,) = [a for a in actions if isinstance(a, sio.ScheduleFollowup)]
        assert follow.due == NOW + timedelta(days=CFG.followup_days[0])
        assert state.last_inbound_at == plausible(at, NOW)

    @given(at=ANY_UTC, then=st.integers(min_value=0, max_value=60 * 86400))
    @example(at=datetime.max.replace(tzinfo=UTC), then=3 * 86400)
    def test_any_time_then_the_timers(self, at, then):
        """Any message time, then a follow-up and a stall check later: no raise."""
        state, _ = domain.step(None, inbound(at), NOW, CFG)
        later = NOW + timedelta(seconds=then)
        due = sio.FollowupDue(contact_id="c1", index=state.followup_index)
        state, _ = domain.step(state, due, later, CFG)
        domain.step(state, sio.StallCheck(contact_id="c1"), later, CFG)


class TestCadenceOfStoredStates:
    @given(base=ANY_UTC, index=st.integers(min_value=0, max_value=25), zone=ZONES)
    def test_followup_due_never_raises(self, base, index, zone):
        """Any stored base time gives a due time in UTC or none."""
        due = followup_due(base, index, CFG, zone)
        assert due is None or due.utcoffset() == timedelta(0)

    @given(last=ANY_UTC)
    def test_stall_due_never_raises(self, last):
        """A state stored with any last inbound time has a stall time or none."""
        state = domain.step(None, inbound(NOW), NOW, CFG)[0]
        stored = attrs.evolve(state, last_inbound_at=last)
        due = stall_due(stored, CFG)
        assert due is None or due - last == timedelta(hours=CFG.stall_hours)
