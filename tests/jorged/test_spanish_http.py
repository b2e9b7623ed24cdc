"""Spanish-speaking sellers through a running daemon: the `Spanish` tag, a seller who
writes in Spanish, Jorge setting the language, the list filter and the export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest

from tests.jorged.test_conversations_http import (
    Client,
    contact_id,
    sandbox_client,
    wait_for,
)
from tests.redis_server import RedisServer


@pytest.fixture(scope="module", name="bot")
def _bot(
    tmp_path_factory: pytest.TempPathFactory, redis_server_session: RedisServer
) -> Iterator[Client]:
    yield from sandbox_client(tmp_path_factory, redis_server_session, "spanish")


def listed(bot: Client, **params: str) -> set[str]:
    response = bot.api(
        "GET", "/api/conversations", params={**params, "page_size": "100"}
    )
    assert response.status_code == 200, response.text
    return {item["contact_id"] for item in response.json()["items"]}


def test_the_spanish_tag_starts_a_conversation_in_spanish(bot: Client) -> None:
    """ContactTagUpdate with `Needs Qualifying` and `Spanish`: the opener in Spanish."""
    c = contact_id("tagged")
    bot.tags(c, ["Needs Qualifying", "Spanish"])
    first = wait_for("the opener", lambda: bot.sms(c) or None)
    opener = "Hola Tess, le escribe Jorge."
    assert first == [f"{opener} ¿Qué le hace considerar vender, y a donde se mudaria?"]
    view = bot.conversation(c)
    assert view is not None
    assert (view["language"], view["language_source"]) == ("es", "tag")


def test_a_seller_writing_in_spanish_is_answered_in_spanish(bot: Client) -> None:
    """The seller's words stay as written; the reply is Spanish, folded to GSM-7."""
    c = contact_id("escribe")
    words = "Hola, quiero vender mi casa. Está lista, nos vamos a Phoenix por trabajo"
    reply = " ".join(bot.say(c, words))
    assert reply.startswith("Hola")
    assert "¿sería un problema" in reply.replace("seria", "sería")
    assert not set("áíóú") & set(reply)
    view = bot.conversation(c)
    assert view is not None
    assert view["language"] == "es"
    assert view["transcript"][0]["text"] == words  # not transliterated
    wait_for("the list to show it", lambda: c in listed(bot, language="es") or None)
    assert c not in listed(bot, language="en")


def test_jorge_sets_the_language_and_it_sticks(bot: Client) -> None:
    """POST /api/conversations/{id}/language: English messages no longer switch it."""
    c = contact_id("jorge-sets")
    assert (
        bot.api(
            "POST", "/api/conversations", json={"contact_id": c, "first_name": "Ana"}
        ).status_code
        == 201
    )
    response = bot.api(
        "POST", f"/api/conversations/{c}/language", json={"language": "es"}
    )
    assert response.status_code == 200, response.text
    assert (response.json()["language"], response.json()["language_source"]) == (
        "es",
        "agent",
    )
    reply = " ".join(bot.say(c, "we're relocating to boise for my husband's job"))
    assert "¿sería un problema" in reply.replace("seria", "sería")
    view = bot.conversation(c)
    assert view is not None
    assert view["language"] == "es"


def test_bad_language_requests_are_named(bot: Client) -> None:
    c = contact_id("nobody")
    unknown = bot.api(
        "POST", f"/api/conversations/{c}/language", json={"language": "es"}
    )
    assert unknown.status_code == 404
    started = contact_id("bad-lang")
    bot.api("POST", "/api/conversations", json={"contact_id": started})
    bad = bot.api(
        "POST", f"/api/conversations/{started}/language", json={"language": "fr"}
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "language"
    assert "en or es" in bad.json()["error"]
    listing = bot.api("GET", "/api/conversations", params={"language": "fr"})
    assert listing.status_code == 422
    assert listing.json()["field"] == "language"


def test_the_export_has_the_language(bot: Client) -> None:
    c = contact_id("export")
    bot.say(c, "hola, quiero vender mi casa, necesita trabajo")
    wait_for("the list to show it", lambda: c in listed(bot, language="es") or None)
    response = bot.api(
        "GET", "/api/export/conversations.csv", params={"language": "es"}
    )
    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows
    assert {row["Language"] for row in rows} == {"es"}
    assert c in {row["Contact ID"] for row in rows}


def test_jorgectl_sets_the_language_and_simulates_a_spanish_seller(bot: Client) -> None:
    """`jorgectl seller language C es`, and a Spanish message played by `simulate`."""
    c = contact_id("ctl")
    assert (
        bot.api("POST", "/api/conversations", json={"contact_id": c}).status_code == 201
    )
    done = bot.daemon.ctl("seller", "language", c, "es", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["language"] == "es"
    shown = bot.daemon.ctl("seller", "language", c, "es")
    assert shown.returncode == 0, shown.stderr
    assert "writes in: es (agent)" in shown.stdout
    refused = bot.daemon.ctl("seller", "language", c, "fr")
    assert refused.returncode == 2
    assert "give en or es" in refused.stderr
    played = bot.daemon.ctl("simulate", c, "nos vamos a Texas por trabajo", "--json")
    assert played.returncode == 0, played.stderr
    view = json.loads(played.stdout)
    said = [e["text"] for e in view["transcript"] if e["direction"] == "out"]
    assert "Texas" in said[-1]  # the acknowledgement's words vary with the contact
    assert "¿seria un problema para usted?" in said[-1]
