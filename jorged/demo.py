"""Demo traffic: realistic seller conversations played through the real webhook path.

`run_demo` starts `cfg.demo.conversations_per_minute` conversations a minute. Each
one is a GHL ContactCreate webhook tagged "Needs Qualifying" (the bot sends its opener
and first question), then the seller's answers as InboundMessage webhooks, one per
bot question, in Jorge's order (motivation, timeline, condition, price), a few
seconds to a minute apart, the way people text. Some sellers answer several questions
at once, some are vague, some are only curious, some opt out, some want to sell now.

Every demo contact is marked by its id, which starts with `demo-` (`is_demo`), and
its ContactCreate `source`; its name is a plain first name, since the bot greets the
seller by it ("Hey James, it's Jorge."). The dashboard shows a "Demo" badge. The
traffic is deterministic for a seed (`random.Random`), apart from the
`dateAdded` stamps taken from `now()`.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

import attrs
import orjson
import trio

from jorged.config import Config

Post = Callable[[bytes], Awaitable[object]]
Now = Callable[[], datetime]

TAG = "Needs Qualifying"
LOCATION = "demo-location"
FIRST_NAMES = (
    "Maria", "James", "Linda", "Robert", "Ana", "David", "Karen", "Luis", "Susan",
    "Michael", "Rosa", "Kevin", "Patricia", "Daniel", "Grace", "Tony",
)  # fmt: skip
CITIES = ("Austin", "Phoenix", "Boise", "Las Vegas", "Reno", "Dallas", "Portland")
PHONE_PREFIX = "+1909555"
#: Every demo contact id starts with this.
ID_PREFIX = "demo-"

MOTIVATIONS = (
    "Got a job transfer to {city}, we need to move",
    "Going through a divorce and need to sell the house",
    "Behind on payments, I need to get out from under it",
    "Inherited it from my mom, nobody wants to live there",
    "Kids moved out, we want to downsize",
    "Retiring and moving to {city} to be near the grandkids",
    "Tired of being a landlord, tenants just left",
    "Our family is growing, we need a bigger place",
)
TIMELINE_OK = (
    "No that works",
    "That wouldn't be a problem",
    "Sooner is better honestly",
    "30 days would be perfect",
)
TIMELINE_SLOW = (
    "Too fast, I need until summer",
    "Not before 6 months",
    "That's too fast",
)
CONDITIONS = (
    "It's move in ready, we redid the kitchen",
    "Needs some paint and new carpet",
    "Honestly it needs a lot of work, the roof is old",
    "Pretty updated, turnkey",
)
PRICES = ("{k}k", "${k},000", "around {k}k", "I'd want {k}k", "between {k} and {k2}k")
VAGUE = ("not sure", "depends", "what do you think?")
CURIOUS = "Just curious what it's worth"
OPT_OUTS = ("STOP", "Please don't text me", "wrong number")
#: Seconds a seller takes to answer (low, high).
THINK_S = (8.0, 45.0)


@attrs.frozen(kw_only=True)
class Seller:
    """One demo contact and the messages it will send, in order."""

    contact_id: str
    first_name: str
    phone: str
    messages: tuple[str, ...]


def _price(rng: random.Random) -> str:
    k = rng.randrange(280, 790, 5)
    return rng.choice(PRICES).format(k=k, k2=k + rng.choice((20, 30, 50)))


def script(rng: random.Random, index: int, seed: int) -> Seller:
    """A seller of a kind drawn from `rng`: hot, warm, vague, curious, one-shot or
    opting out."""
    name = rng.choice(FIRST_NAMES)
    city = rng.choice(CITIES)
    motivation = rng.choice(MOTIVATIONS).format(city=city)
    condition = rng.choice(CONDITIONS)
    kind = rng.choices(
        ("hot", "warm", "vague", "curious", "one_shot", "opt_out"),
        weights=(30, 20, 15, 15, 10, 10),
    )[0]
    messages: Sequence[str]
    if kind == "hot":
        messages = (motivation, rng.choice(TIMELINE_OK), condition, _price(rng))
    elif kind == "warm":
        messages = (motivation, rng.choice(TIMELINE_SLOW), condition, _price(rng))
    elif kind == "vague":
        messages = (motivation, rng.choice(VAGUE), rng.choice(VAGUE), condition)
    elif kind == "curious":
        messages = (CURIOUS, rng.choice(VAGUE))
    elif kind == "one_shot":
        weeks = rng.choice((2, 3, 4))
        price = rng.randrange(300, 750, 10)
        one = f"{motivation}, need to sell in {weeks} weeks, {condition.lower()}"
        messages = (f"{one} and I want {price}k",)
    else:
        messages = (motivation, rng.choice(OPT_OUTS))
    return Seller(
        contact_id=f"{ID_PREFIX}{seed}-{index:05d}",
        first_name=name,
        phone=f"{PHONE_PREFIX}{rng.randrange(1000, 10000)}",
        messages=tuple(messages),
    )


def is_demo(contact_id: str) -> bool:
    """True for the contacts the demo traffic made."""
    return contact_id.startswith(ID_PREFIX)


def contact_create(seller: Seller, now: datetime) -> bytes:
    return orjson.dumps(
        {
            "type": "ContactCreate",
            "locationId": LOCATION,
            "webhookId": f"{seller.contact_id}-create",
            "id": seller.contact_id,
            "firstName": seller.first_name,
            "phone": seller.phone,
            "source": "jorged demo",
            "tags": [TAG],
            "dateAdded": now.isoformat(),
        }
    )


def inbound(seller: Seller, turn: int, text: str, now: datetime) -> bytes:
    return orjson.dumps(
        {
            "type": "InboundMessage",
            "locationId": LOCATION,
            "webhookId": f"{seller.contact_id}-{turn}",
            "messageId": f"{seller.contact_id}-m{turn}",
            "contactId": seller.contact_id,
            "body": text,
            "contentType": "text/plain",
            "messageType": "SMS",
            "direction": "inbound",
            "status": "delivered",
            "dateAdded": now.isoformat(),
        }
    )


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def run_demo(
    cfg: Config,
    post: Post,
    *,
    seed: int = 0,
    limit: int | None = None,
    now: Now = _utc_now,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Play demo sellers through `post` until cancelled (or `limit` conversations
    have all finished)."""
    interval = 60.0 / cfg.demo.conversations_per_minute
    rng = random.Random(seed)  # noqa: S311 - demo traffic, not security
    async with trio.open_nursery() as nursery:
        task_status.started()
        index = 0
        while limit is None or index < limit:
            seller = script(rng, index, seed)
            pace = random.Random(rng.random())  # noqa: S311 - demo traffic
            nursery.start_soon(_play, seller, post, pace, now)
            index += 1
            await trio.sleep(interval)


async def _play(seller: Seller, post: Post, rng: random.Random, now: Now) -> None:
    await post(contact_create(seller, now()))
    for turn, text in enumerate(seller.messages, start=1):
        await trio.sleep(rng.uniform(*THINK_S))
        await post(inbound(seller, turn, text, now()))
