"""A circuit breaker for Redis: fail fast while it is down, probe it now and then.

CLOSED --failure--> OPEN (for `cooldown_s`) --cooldown over--> HALF_OPEN (one probe)
HALF_OPEN --success--> CLOSED (cooldown reset)
HALF_OPEN --failure--> OPEN (cooldown doubled, at most `max_cooldown_s`)
"""

from __future__ import annotations

import enum
from collections.abc import Callable

import attrs
import trio


class BreakerState(enum.Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@attrs.define(kw_only=True)
class CircuitBreaker:
    """Decides whether a Redis call may be tried; pure state, no I/O."""

    cooldown_s: float
    max_cooldown_s: float
    clock: Callable[[], float] = trio.current_time
    _state: BreakerState = BreakerState.CLOSED
    _current_cooldown_s: float = attrs.field(init=False)
    _opened_at: float = 0.0
    _probing: bool = False

    def __attrs_post_init__(self) -> None:
        self._current_cooldown_s = self.cooldown_s

    @property
    def state(self) -> BreakerState:
        """The state now (OPEN turns HALF_OPEN once the cooldown has passed)."""
        if (
            self._state is BreakerState.OPEN
            and self.clock() - self._opened_at >= self._current_cooldown_s
        ):
            self._state = BreakerState.HALF_OPEN
        return self._state

    @property
    def cooldown_s_now(self) -> float:
        return self._current_cooldown_s

    def allow(self) -> bool:
        """May a call go to Redis now? In HALF_OPEN only one probe at a time."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._probing:
            self._probing = True
            return True
        return False

    def success(self) -> None:
        """A call succeeded: close and reset the cooldown."""
        self._state = BreakerState.CLOSED
        self._current_cooldown_s = self.cooldown_s
        self._probing = False

    def failure(self) -> None:
        """A call failed: open; a failed probe doubles the cooldown."""
        if self._state is BreakerState.HALF_OPEN or (
            self._state is BreakerState.OPEN and self._probing
        ):
            self._current_cooldown_s = min(
                self._current_cooldown_s * 2, self.max_cooldown_s
            )
        self._state = BreakerState.OPEN
        self._opened_at = self.clock()
        self._probing = False
