"""Poison inputs and hostile dates through a real daemon over HTTP (SPEC 6).

The daemon runs on the disk store alone. Records an older version could have left
on disk are planted through the store's own API while it is stopped: a year-9999
message in the inbound journal, and a conversation that cannot be read back.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import trio

from jorged.actors.seller.ingress import JournalEntry
from jorged.config import Config, RedisConfig, StoreConfig
from jorged.domain.conversation import inputs as sio
from jorged.domain.conversation import step as domain
from jorged.ghl import webhook_events as wh
from jorged.store import codec
from jorged.store.durable import open_durable_store
from tests.daemon import DaemonProcess
from tests.jorged.test_conversations_http import (
    API_TOKEN,
    SANDBOX_ENV,
    Client,
    start_daemon,
    wait_for,
)

NEVER = "0001-01-01T00:00:00+14:00"


def plant(workdir: Path, *, journal: list[bytes], states: dict[str, bytes]) -> None:
    """Write journal entries and stored records as an older version left them."""
    cfg = Config(
        store=StoreConfig(dir=str(workdir / "state")),
        redis=RedisConfig(enabled=False),
    )

    async def write() -> None:
        async with open_durable_store(cfg) as store:
            for data in journal:
                await store.inbound.append(data)
            for contact, data in states.items():
                await store.put(f"seller:state:{contact}", data)

    trio.run(write)


def year_9999_entry(contact: str) -> bytes:
    """The InboundMessage of issue 12, as a version without date checks journaled it."""
    event = wh.InboundMessage(
        location_id="loc-test",
        dedupe_key=f"message:{contact}-9999",
        auth="loopback",
        contact_id=contact,
        message_type="SMS",
        date_added=datetime(9999, 12, 30, tzinfo=UTC),
        body="hi, thinking of selling",
        message_id=f"{contact}-9999",
    )
    return codec.dumps(JournalEntry(received_at=datetime.now(UTC), event=event))


def unreadable_state(contact: str) -> bytes:
    """A stored conversation with a date no datetime can hold: every turn of this
    contact fails on reading it."""
    now = datetime.now(UTC)
    hi = sio.InboundMessage(message_id=f"{contact}-0", text="hi", at=now)
    state = domain.step(
        None, sio.Inbound(contact_id=contact, messages=(hi,)), now, Config().seller
    )[0]
    return codec.dumps(state).replace(
        state.created_at.isoformat().encode(), NEVER.encode(), 1
    )


def last_seq(workdir: Path) -> int:
    with sqlite3.connect(workdir / "state" / "inbound.sqlite3") as db:
        row = db.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'inbound'"
        ).fetchone()
    return 0 if row is None else int(row[0])


def held(daemon: DaemonProcess) -> list[dict[str, Any]]:
    return daemon.ctl_json("quarantine", "list")["items"]


def answered(client: Client, contact: str) -> list[str]:
    return wait_for(f"a reply to {contact}", lambda: client.sms(contact))


@pytest.fixture(name="workdir")
def _workdir(tmp_path: Path) -> Path:
    plant(
        tmp_path,
        journal=[year_9999_entry("year9999")],
        states={
            "poison": unreadable_state("poison"),
            "poison2": unreadable_state("poison2"),
        },
    )
    return tmp_path


ENV = {**SANDBOX_ENV, "JORGED_REDIS__ENABLED": "false"}


class TestPoisonInputs:
    def test_daemon_stays_up_and_holds_exactly_the_poison(self, workdir: Path):
        """The year-9999 entry is answered; a message of an unreadable conversation
        is held after 3 tries, others are answered, nothing restarts; after a
        restart the same one item is held and not tried again; forget + retry
        answers it; drop forgets another."""
        daemon = start_daemon(workdir, ENV)
        client = Client(daemon, api_token=API_TOKEN)
        try:
            assert answered(client, "year9999")[0].startswith("Hey, it's Jorge.")
            client.text("poison", "hi, I want to sell")
            client.text("fine", "hi, I want to sell")
            assert answered(client, "fine")
            (item,) = wait_for("one held input", lambda: held(daemon))
            assert (item["source"], item["contact_id"], item["attempts"]) == (
                "journal",
                "poison",
                3,
            )
            assert item["error"].startswith("StoreError: cannot load ConversationState")
            status = daemon.ctl_json("status")
            assert status["ready"] is True
            assert [a["restarts"] for a in status["actors"]] == [0] * len(
                status["actors"]
            )
            alerts = daemon.ctl_json("alerts")["active_alerts"]
            assert [
                (a["check"], a["level"]) for a in alerts if a["check"] == "quarantine"
            ] == [("quarantine", "critical")]
            api = client.api("GET", "/api/quarantine")
            assert [i["id"] for i in api.json()["items"]] == [item["id"]]

            assert daemon.terminate() == 0
            daemon.start(timeout=60)
            assert held(daemon) == [item]
            assert "input_failed" not in daemon.output()
            client.text("fine2", "hi, I want to sell")
            assert answered(client, "fine2")

            shown = daemon.ctl("quarantine", "show", item["id"])
            assert shown.returncode == 0
            assert "failure 3" in shown.stdout
            assert "cannot load ConversationState" in shown.stdout
            assert daemon.ctl("seller", "forget", "poison").returncode == 0
            retried = daemon.ctl("quarantine", "retry", item["id"])
            assert (retried.returncode, retried.stdout.strip()) == (
                0,
                f"{item['id']}: retried",
            )
            assert answered(client, "poison")[0].startswith("Hey, it's Jorge.")
            assert (
                daemon.ctl("quarantine", "list").stdout.strip()
                == "nothing in quarantine"
            )

            client.text("poison2", "hello")
            (other,) = wait_for("the second held input", lambda: held(daemon))
            dropped = client.api("DELETE", f"/api/quarantine/{other['id']}")
            assert dropped.json()["dropped"]["id"] == other["id"]
            assert (
                client.api("GET", f"/api/quarantine/{other['id']}").status_code == 404
            )
            unknown = daemon.ctl("quarantine", "drop", other["id"])
            assert unknown.returncode == 1
            assert "no quarantined item with this id" in unknown.stderr
            assert daemon.ctl("quarantine", "retry").returncode == 2
        finally:
            client.close()
        assert daemon.terminate() == 0
        daemon.start(timeout=60)
        assert held(daemon) == []
        assert daemon.terminate() == 0


class TestHostileDates:
    def test_extreme_dates_get_422_naming_the_field_and_nothing_is_journaled(
        self, tmp_path: Path
    ):
        """Year 1 at +14:00, year 9999, a 99-hour offset: 422 naming the field,
        and the journal's last entry stays where it was."""
        daemon = start_daemon(tmp_path, ENV)
        client = Client(daemon, api_token=API_TOKEN)
        try:
            before = last_seq(tmp_path)
            for field, value in (
                ("dateAdded", NEVER),
                ("dateAdded", "9999-12-30T00:00:00Z"),
                ("dateAdded", "2026-07-01T12:00:00+99:00"),
            ):
                payload = {**client.inbound("hostile", "hi"), field: value}
                response = client.post(payload)
                assert response.status_code == 422, response.text
                assert response.json()["error"].startswith(f"{field}: ")
            appointment = {
                "type": "AppointmentCreate",
                "locationId": "loc-test",
                "appointment": {"id": "A1", "contactId": "hostile", "startTime": NEVER},
            }
            response = client.post(appointment)
            assert response.status_code == 422
            assert response.json()["error"].startswith("appointment.startTime: ")
            assert last_seq(tmp_path) == before
            assert client.conversation("hostile") is None
            assert json.loads(daemon.ctl("--json", "status").stdout)["ready"] is True
        finally:
            client.close()
        assert daemon.terminate() == 0
