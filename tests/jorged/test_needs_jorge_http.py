"""The Needs Jorge queue through `GET /api/needs-jorge` of a running daemon (SPEC 5).

One daemon on the disk store, with a conversation planted that cannot be read back
(its messages end in the quarantine). Sellers text through the webhook; the queue
lists what waits for Jorge, each once, under its own kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.jorged.test_conversations_http import (
    API_TOKEN,
    Client,
    contact_id,
    start_daemon,
    wait_for,
)
from tests.jorged.test_quarantine_daemon import ENV, plant, unreadable_state

Item = dict[str, Any]


@pytest.fixture(scope="module", name="bot")
def _bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    workdir = tmp_path_factory.mktemp("needs-jorge-daemon")
    plant(workdir, journal=[], states={"poison": unreadable_state("poison")})
    daemon = start_daemon(workdir, ENV)
    client = Client(daemon, api_token=API_TOKEN)
    yield client
    client.close()
    assert daemon.terminate() == 0


def queue(bot: Client) -> list[Item]:
    response = bot.api("GET", "/api/needs-jorge")
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def mine(bot: Client, contact: str) -> list[Item]:
    return [i for i in queue(bot) if i["contact_id"] == contact]


def listed(bot: Client, contact: str) -> list[Item]:
    """The queue's items of `contact`, once it has some."""
    return wait_for(f"the queue to list {contact}", lambda: mine(bot, contact))


def gone(bot: Client, contact: str) -> bool:
    """True once the queue lists nothing of `contact`."""
    return wait_for(f"{contact} to leave the queue", lambda: not mine(bot, contact))


def started(bot: Client, name: str, first_name: str) -> str:
    c = contact_id(name)
    response = bot.api(
        "POST", "/api/conversations", json={"contact_id": c, "first_name": first_name}
    )
    assert response.status_code == 201, response.text
    return c


class TestNeedsJorgeApi:
    def test_the_api_needs_the_token(self, bot: Client):
        response = bot.http.get("/api/needs-jorge")
        assert response.status_code == 401

    def test_a_call_request_waits_with_its_time_until_resumed(self, bot: Client):
        c = started(bot, "caller", "Rosa")
        bot.say(c, "can you have him call me tomorrow after 5")
        (item,) = listed(bot, c)
        assert item["kind"] == "call_request"
        assert item["name"] == "Rosa"
        assert item["call_time"] == "tomorrow after 5"
        assert "tomorrow after 5" in item["summary"]
        assert item["detail"] == "can you have him call me tomorrow after 5"
        resumed = bot.api("POST", f"/api/conversations/{c}/resume")
        assert resumed.status_code == 200, resumed.text
        assert gone(bot, c)

    def test_a_stopped_call_request_waits_for_nobody(self, bot: Client):
        c = started(bot, "caller-stop", "Ana")
        bot.say(c, "just have jorge call me saturday morning")
        (item,) = listed(bot, c)
        assert (item["kind"], item["call_time"]) == ("call_request", "saturday morning")
        stopped = bot.api("POST", f"/api/conversations/{c}/stop")
        assert stopped.status_code == 200, stopped.text
        assert gone(bot, c)

    def test_an_unsure_opt_out_waits_for_review(self, bot: Client):
        c = started(bot, "unsure", "Lena")
        assert bot.say(c, "ok whatever") == []  # no automated text: Jorge decides
        (item,) = listed(bot, c)
        assert item["kind"] == "opt_out_review"
        assert item["detail"] == "ok whatever"
        assert "paused until you resume or stop" in item["summary"]

    def test_a_plain_pause_is_only_paused(self, bot: Client):
        c = started(bot, "paused", "Omar")
        paused = bot.api("POST", f"/api/conversations/{c}/pause")
        assert paused.status_code == 200, paused.text
        (item,) = listed(bot, c)
        assert item["kind"] == "paused"

    def test_a_quarantined_message_waits_until_dropped(self, bot: Client):
        bot.text("poison", "hi, I want to sell")
        (item,) = listed(bot, "poison")
        assert item["kind"] == "quarantined"
        assert item["item_id"].startswith("q-")
        assert "3 failed tries" in item["summary"]
        assert "cannot load ConversationState" in item["summary"]
        assert "hi, I want to sell" in item["detail"]
        dropped = bot.api("DELETE", f"/api/quarantine/{item['item_id']}")
        assert dropped.status_code == 200, dropped.text
        assert gone(bot, "poison")
