"""The outbox reads a contact from GHL (for its time zone) and tells the seller."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import trio

from jorged.actors.outbox.items import OutboxMsg, OutboxStatus
from jorged.actors.outbox.outbox_actor import Outbox
from jorged.clock import TrioWallClock
from jorged.config import Config, GhlConfig
from jorged.domain.conversation import inputs as sio
from jorged.ghl import GhlClient
from jorged.store.memory import DictStore
from tests.fakes.ghl_server import FakeGhl, open_fake_ghl
from tests.jorged.actors.harness import enqueue

C = "seller-ny"


@pytest.fixture(name="fake_ghl")
async def _fake_ghl() -> AsyncIterator[FakeGhl]:
    async with open_fake_ghl() as fake:
        fake.add_contact(
            C, firstName="Ana", phone="+12125550199", timezone="America/New_York"
        )
        yield fake
    assert fake.internal_errors == []


async def fetched(cfg: Config, ghl: object) -> tuple[list[sio.SellerInput], str]:
    """Enqueue one FetchContact; what the seller heard and the item's result."""
    heard: list[sio.SellerInput] = []
    got = trio.Event()

    async def feedback(item: sio.SellerInput) -> None:
        heard.append(item)
        got.set()

    send, receive = trio.open_memory_channel[OutboxMsg](1)
    store, clock = DictStore(), TrioWallClock.start()
    async with trio.open_nursery() as nursery:
        outbox = Outbox(
            cfg=cfg,
            store=store,
            ghl=ghl,
            clock=clock,
            feedback=feedback,
            publish=lambda _e: None,
            inbox=receive,
        )
        await nursery.start(outbox.run)
        await enqueue(C, 1, [sio.FetchContact()], store=store, outbox=send, clock=clock)
        with trio.fail_after(10):
            await got.wait()
            (item,) = await outbox.items(C)
            while item.status is OutboxStatus.PENDING:
                await trio.sleep(0.01)
                (item,) = await outbox.items(C)
        nursery.cancel_scope.cancel()
    return heard, item.result or ""


class TestFetchContact:
    async def test_ghl_contact_answers_the_seller(self, fake_ghl: FakeGhl):
        """GET /contacts/{id} at the fake; the seller hears the contact's zone."""
        ghl_cfg = GhlConfig(
            token=fake_ghl.token,
            location_id=fake_ghl.location_id,
            base_url=fake_ghl.url,
        )
        async with GhlClient(ghl_cfg) as client:
            heard, result = await fetched(Config(ghl=ghl_cfg), client)
        assert heard == [
            sio.ContactDetails(
                contact_id=C,
                first_name="Ana",
                phone="+12125550199",
                timezone="America/New_York",
            )
        ]
        assert result == "timezone America/New_York"
        assert [r.path for r in fake_ghl.requests] == [f"/contacts/{C}"]
