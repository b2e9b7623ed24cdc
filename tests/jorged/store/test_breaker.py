from __future__ import annotations

import attrs

from jorged.store import BreakerState, CircuitBreaker


@attrs.define
class FakeClock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


def make() -> tuple[CircuitBreaker, FakeClock]:
    clock = FakeClock()
    return CircuitBreaker(cooldown_s=1.0, max_cooldown_s=3.0, clock=clock), clock


class TestCircuitBreaker:
    def test_failure_opens_and_refuses_calls(self):
        """After a failure the breaker is open and refuses calls until the cooldown."""
        breaker, clock = make()
        breaker.failure()
        clock.now = 0.9
        assert (breaker.state, breaker.allow()) == (BreakerState.OPEN, False)

    def test_cooldown_allows_one_probe(self):
        """After the cooldown one probe is allowed, not two."""
        breaker, clock = make()
        breaker.failure()
        clock.now = 1.0
        assert breaker.state is BreakerState.HALF_OPEN
        assert [breaker.allow(), breaker.allow()] == [True, False]

    def test_successful_probe_closes(self):
        """A successful probe closes the breaker and resets the cooldown."""
        breaker, clock = make()
        breaker.failure()
        clock.now = 1.0
        breaker.allow()
        breaker.success()
        assert (breaker.state, breaker.cooldown_s_now) == (BreakerState.CLOSED, 1.0)

    def test_failed_probes_double_the_cooldown_up_to_the_max(self):
        """Each failed probe doubles the cooldown, capped at the maximum."""
        breaker, clock = make()
        breaker.failure()
        seen = []
        for _ in range(3):
            clock.now += breaker.cooldown_s_now
            assert breaker.allow()
            breaker.failure()
            seen.append(breaker.cooldown_s_now)
        assert seen == [2.0, 3.0, 3.0]
