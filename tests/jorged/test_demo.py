from __future__ import annotations

import itertools
from datetime import UTC, datetime

import attrs
import orjson
import trio

from jorged import config, demo
from jorged.demo import run_demo

FIXED = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


async def play(
    seed: int, limit: int, per_minute: float = 6.0
) -> list[tuple[float, dict]]:
    cfg = config.load(env={})
    cfg = attrs.evolve(
        cfg, demo=attrs.evolve(cfg.demo, conversations_per_minute=per_minute)
    )
    posted: list[tuple[float, dict]] = []
    t0 = trio.current_time()

    async def post(body: bytes) -> None:
        posted.append((round(trio.current_time() - t0, 6), orjson.loads(body)))

    await run_demo(cfg, post, seed=seed, limit=limit, now=lambda: FIXED)
    return posted


class TestRunDemo:
    async def test_same_seed_same_traffic(self, autojump_clock) -> None:
        """Two runs with one seed post the same bodies at the same virtual times."""
        assert await play(7, 5) == await play(7, 5)

    async def test_other_seed_other_traffic(self, autojump_clock) -> None:
        """Another seed plays other sellers."""
        assert await play(7, 5) != await play(8, 5)

    async def test_contacts_are_marked_demo(self, autojump_clock) -> None:
        """Every contact id marks it demo; the name the bot greets is a plain name
        (no "(demo)" in the seller's texts: "Hey James (demo), it's Jorge.")."""
        posted = await play(3, 10)
        creates = [b for _, b in posted if b["type"] == "ContactCreate"]
        assert len(creates) == 10
        assert all(demo.is_demo(b["id"]) for b in creates)
        assert all(b["firstName"] in demo.FIRST_NAMES for b in creates)
        assert all(b["source"] == "jorged demo" for b in creates)
        assert all(b["tags"] == ["Needs Qualifying"] for b in creates)

    async def test_conversations_start_at_the_configured_rate(
        self, autojump_clock
    ) -> None:
        """Conversations start 60 / conversations_per_minute seconds apart."""
        posted = await play(1, 4, per_minute=12.0)
        starts = [t for t, b in posted if b["type"] == "ContactCreate"]
        assert [round(b - a, 6) for a, b in itertools.pairwise(starts)] == [
            5.0,
            5.0,
            5.0,
        ]

    async def test_each_seller_answers_in_order_after_its_contact(
        self, autojump_clock
    ) -> None:
        """A seller's messages follow its ContactCreate, seconds apart, numbered in order."""
        posted = await play(5, 20)
        by_contact: dict[str, list[tuple[float, dict]]] = {}
        for t, body in posted:
            cid = body.get("contactId") or body["id"]
            by_contact.setdefault(cid, []).append((t, body))
        for items in by_contact.values():
            assert items[0][1]["type"] == "ContactCreate"
            gaps = [b[0] - a[0] for a, b in itertools.pairwise(items)]
            assert all(8 <= g <= 45 for g in gaps)
            ids = [b["webhookId"] for _, b in items[1:]]
            assert ids == [f"{items[0][1]['id']}-{n}" for n in range(1, len(ids) + 1)]

    async def test_traffic_is_varied(self, autojump_clock) -> None:
        """Forty sellers include opt-outs, curious ones and priced answers."""
        texts = [
            b["body"] for _, b in await play(11, 40) if b["type"] == "InboundMessage"
        ]
        assert any(t in {"STOP", "Please don't text me", "wrong number"} for t in texts)
        assert any("curious" in t for t in texts)
        assert any(t.endswith("k") for t in texts)

    async def test_cancel_stops_the_demo(self, autojump_clock) -> None:
        """Without a limit the demo runs until its scope is cancelled."""
        posted = []

        async def post(body: bytes) -> None:
            posted.append(body)

        with trio.move_on_after(60):
            await run_demo(config.load(env={}), post, seed=1)
        assert 6 <= sum(b"ContactCreate" in p for p in posted) <= 7
