from __future__ import annotations

import json
import re

import pytest
from nicegui import ui

from jorged.quarantine import QuarantinedItem
from tests.jorged.test_quarantine_daemon import unreadable_state
from tests.ui.conftest import Dash, wait_for
from ui.pages import health

pytestmark = pytest.mark.anyio


class TestHealth:
    async def test_shows_what_the_daemon_reports(self, dash: Dash) -> None:
        """The health page shows the store, the actors and the export audit."""
        await dash.sign_in("/health")
        await dash.user.should_see(marker="health-actors", retries=100)
        await dash.user.should_see("Store")
        await dash.user.should_see("Queues")
        card = dash.user.find(marker="health-actors").elements.pop()
        tables = [e for e in card.descendants() if isinstance(e, ui.table)]
        names = {row["name"] for t in tables for row in t.rows}
        assert {"seller", "outbox", "events"} <= names

    async def test_exports_the_health_data(self, dash: Dash) -> None:
        """The JSON export holds what the page shows."""
        await dash.sign_in("/health")
        await dash.user.should_see(marker="health-actors", retries=100)
        dash.user.find(marker="health-json").click()
        response = await dash.user.download.next(timeout=5)
        body = json.loads(response.content)
        assert {a["name"] for a in body["actors"]} >= {"seller", "outbox", "events"}

    async def test_times_read_as_times_not_posix_seconds(self, dash: Dash) -> None:
        """No label or table cell shows raw POSIX seconds ("Since 1796605836.55")."""
        await dash.sign_in("/health")
        await dash.user.should_see(marker="health-actors", retries=100)
        texts = [e.text for e in dash.user.find(ui.label).elements]
        for table in dash.user.find(ui.table).elements:
            texts += [str(v) for row in table.rows for v in row.values()]
        posix = re.compile(r"\b1\d{9}(\.\d+)?\b")
        assert not [t for t in texts if posix.search(t)]


class TestQuarantine:
    async def test_lists_held_inputs_with_retry_and_drop(self, dash: Dash) -> None:
        """Messages the seller failed on 3 times are listed; Retry once the cause is
        gone answers one, Drop empties the list."""
        for contact in ("poison", "poison2"):
            await dash.port.guest.run(
                dash.daemon.services().store.put,
                f"seller:state:{contact}",
                unreadable_state(contact),
            )
            await dash.port.simulate(contact, "hi, selling my house")
        first, second = await wait_for(lambda: _held(dash, 2))
        await dash.sign_in("/health")
        await dash.user.should_see(marker=f"quarantine-{first.id}", retries=100)
        await dash.user.should_see(marker=f"quarantine-{second.id}")
        await dash.user.should_see("Incoming message")
        await dash.port.command(first.ref.contact_id, "forget")
        dash.user.find(marker=f"quarantine-retry-{first.id}").click()
        await wait_for(lambda: dash._replies(first.ref.contact_id, 1))
        drop = f"quarantine-drop-{second.id}"
        await dash.user.should_see(marker=drop, retries=100)
        dash.user.find(marker=drop).click()
        await dash.user.should_see("Nothing is held", retries=100)
        assert await dash.port.quarantine() == []


async def _held(dash: Dash, count: int) -> list[QuarantinedItem] | None:
    items = await dash.port.quarantine()
    return items if len(items) == count else None


def test_a_rate_reads_as_a_percent_as_in_the_checks() -> None:
    """The summary's webhook error rate reads "44.44 %", as the checks say it,
    not 0.4444."""
    assert health._cell("webhook_error_rate", 0.4444) == "44.44 %"
    assert health._cell("webhook_error_rate", None) == health._show(None)
