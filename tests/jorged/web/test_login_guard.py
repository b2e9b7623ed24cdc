"""The login check: backoff by client and by user, constant work, off the loop."""

from __future__ import annotations

import asyncio

import pytest

from jorged import passwords
from jorged.config import DashboardConfig
from jorged.web import login_guard as login
from jorged.web.login_guard import LoginGuard

PASSWORD = "correct horse battery"
CFG = DashboardConfig(username="jorge", password_hash=passwords.hash_password(PASSWORD))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def guard():
    clock = Clock()
    g = LoginGuard(settings=lambda: CFG, clock=clock)
    yield g, clock
    g.close()


def test_right_password_signs_in_and_clears_failures(guard):
    async def body() -> None:
        g, _clock = guard
        for _ in range(4):
            assert not (await g.check("10.0.0.1", "jorge", "wrong")).ok
        assert (await g.check("10.0.0.1", "jorge", PASSWORD)).ok
        assert g.wait_s("10.0.0.1", "jorge") == 0

    asyncio.run(body())


def test_waits_double_after_five_failures_and_refuse_without_checking(
    guard, monkeypatch
):
    async def body() -> None:
        g, clock = guard
        for _ in range(5):
            assert (await g.check("10.0.0.1", "jorge", "wrong")).retry_after_s == 0
        assert g.wait_s("10.0.0.1", "jorge") == pytest.approx(1.0)
        calls = []
        monkeypatch.setattr(
            login, "verify_password", lambda *a: calls.append(a) or True
        )
        refused = await g.check("10.0.0.1", "jorge", PASSWORD)
        assert refused.ok is False
        assert refused.retry_after_s == pytest.approx(1.0)
        assert calls == []  # no scrypt while waiting
        monkeypatch.undo()
        clock.now += 1.01
        assert not (await g.check("10.0.0.1", "jorge", "wrong")).ok
        assert g.wait_s("10.0.0.1", "jorge") == pytest.approx(2.0)
        clock.now += 2.01
        assert not (await g.check("10.0.0.1", "jorge", "wrong")).ok
        assert g.wait_s("10.0.0.1", "jorge") == pytest.approx(4.0)

    asyncio.run(body())


def test_the_wait_is_capped_and_forgotten(guard):
    async def body() -> None:
        g, clock = guard
        for _ in range(16):
            clock.now += g.wait_s("10.0.0.1", "x") + 0.01
            await g.check("10.0.0.1", "x", "wrong")
        assert g.wait_s("10.0.0.1", "x") == pytest.approx(login.MAX_WAIT_S)
        clock.now += login.FORGET_S + 1
        assert g.wait_s("10.0.0.1", "x") == 0

    asyncio.run(body())


def test_per_user_and_per_client(guard):
    async def body() -> None:
        g, clock = guard
        for i in range(5):  # one user name from five addresses
            clock.now += 1  # not the shared rate limit's turn
            await g.check(f"10.0.0.{i}", "Jorge", "wrong")
        assert g.wait_s("10.9.9.9", "jorge") > 0  # names compared without case
        assert g.wait_s("10.9.9.9", "maria") == 0
        for i in range(5):  # one address trying five names
            clock.now += 1
            await g.check("10.1.1.1", f"user{i}", "wrong")
        assert g.wait_s("10.1.1.1", "someone-else") > 0

    asyncio.run(body())


def test_an_unknown_user_costs_one_scrypt_like_a_known_one(guard, monkeypatch):
    async def body() -> None:
        g, _clock = guard
        seen: list[str] = []
        real = passwords.verify_password

        def spy(password: str, stored: str) -> bool:
            seen.append(stored)
            return real(password, stored)

        monkeypatch.setattr(login, "verify_password", spy)
        assert not (await g.check("c", "nobody", PASSWORD)).ok
        assert not (await g.check("c", "jorge", "wrong")).ok
        assert len(seen) == 2
        assert seen[0] != CFG.password_hash  # the decoy, same cost parameters
        assert seen[0].split("$")[:4] == CFG.password_hash.split("$")[:4]

    asyncio.run(body())


def test_scrypt_runs_off_the_event_loop(guard):
    async def body() -> None:
        g, _clock = guard
        turns = 0
        done = asyncio.Event()

        async def ticker() -> None:
            nonlocal turns
            while not done.is_set():
                turns += 1
                await asyncio.sleep(0)

        tick = asyncio.create_task(ticker())
        await g.check("c", "jorge", "wrong")
        done.set()
        await tick
        assert turns > 3  # the loop kept turning while scrypt ran

    asyncio.run(body())


def test_no_password_configured_means_open(guard):
    async def body() -> None:
        open_guard = LoginGuard(settings=DashboardConfig)
        try:
            assert (await open_guard.check("c", "anyone", "")).ok
        finally:
            open_guard.close()

    asyncio.run(body())


def test_checks_a_second_are_capped_for_everybody(guard):
    """Guesses spread over many addresses and names get 429 past the shared rate."""

    async def body() -> None:
        g, clock = guard
        outcomes = [
            await g.check(f"10.0.{i}.1", f"name{i}", "wrong") for i in range(12)
        ]
        checked = [o for o in outcomes if o.retry_after_s == 0]
        assert len(checked) == int(login.CHECKS_BURST)
        assert all(o.retry_after_s > 0 and not o.ok for o in outcomes[len(checked) :])
        clock.now += 1.0  # CHECKS_PER_S more are free a second later
        later = [await g.check(f"10.1.{i}.1", f"other{i}", "wrong") for i in range(6)]
        assert sum(o.retry_after_s == 0 for o in later) == int(login.CHECKS_PER_S)

    asyncio.run(body())
