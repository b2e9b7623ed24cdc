from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.events import GenericEventArguments

from tests.ui.conftest import Dash, wait_for

pytestmark = pytest.mark.anyio


def _table(dash: Dash) -> ui.table:
    return dash.user.find(marker="conversations").elements.pop()


async def _rows(dash: Dash, ids: set[str]) -> None:
    async def shown() -> bool:
        return {r["id"] for r in _table(dash).rows} == ids

    await wait_for(shown)


def _set(dash: Dash, name: str, value: object) -> None:
    dash.user.find(marker=f"filter-{name}").elements.pop().value = value


class TestConversationList:
    async def test_lists_every_conversation(self, seeded: Dash) -> None:
        """Without filters the table shows both sellers and the total."""
        await seeded.sign_in("/conversations")
        await _rows(seeded, {"seller-hot", "seller-cold"})
        await seeded.user.should_see("2 conversations · page 1 of 1")

    async def test_the_row_count_stays_the_servers(self, seeded: Dash) -> None:
        """The pagination the browser reports as its table mounts (with no row
        count yet) does not reset the count of rows the server pages."""
        await seeded.sign_in("/conversations")
        await _rows(seeded, {"seller-hot", "seller-cold"})
        table = _table(seeded)
        mounted = {"page": 1, "rowsPerPage": 25, "rowsNumber": 0}
        for listener in table._event_listeners.values():
            if listener.type == "update:pagination":
                listener.handler(
                    GenericEventArguments(
                        sender=table, client=table.client, args=mounted
                    )
                )
        assert table.pagination["rowsNumber"] == 2

    @pytest.mark.parametrize(
        ("name", "value", "expected"),
        [
            ("temperature", ["hot"], {"seller-hot"}),
            ("stage", ["qualified"], {"seller-hot"}),
            ("q", "curious", {"seller-cold"}),
            ("price_min", 400_000.0, {"seller-hot"}),
            ("timeline", ["immediate"], {"seller-hot"}),
        ],
    )
    async def test_a_filter_changes_the_rows(
        self, seeded: Dash, name: str, value: object, expected: set[str]
    ) -> None:
        """Each filter narrows the rows the daemon answers with."""
        await seeded.sign_in("/conversations")
        await _rows(seeded, {"seller-hot", "seller-cold"})
        _set(seeded, name, value)
        await _rows(seeded, expected)

    async def test_sorting_by_name_orders_the_rows(self, seeded: Dash) -> None:
        """Sort and order go to the daemon and come back in the table."""
        await seeded.sign_in("/conversations")
        await _rows(seeded, {"seller-hot", "seller-cold"})
        _set(seeded, "sort", "name")
        _set(seeded, "order", "asc")

        async def ordered() -> bool:
            return [r["id"] for r in _table(seeded).rows] == [
                "seller-cold",
                "seller-hot",
            ]

        await wait_for(ordered)

    async def test_a_bad_filter_fails_only_the_table(self, seeded: Dash) -> None:
        """A filter the daemon refuses shows its reason and a retry button."""
        await seeded.sign_in("/conversations")
        _set(seeded, "price_min", 500_000.0)
        _set(seeded, "price_max", 100_000.0)
        await seeded.user.should_see("Couldn't load this", retries=50)
        await seeded.user.should_see("Retry")
        await seeded.user.should_see(marker="export-csv")


class TestPresets:
    async def test_a_preset_round_trips(self, seeded: Dash) -> None:
        """A saved filter is stored for the user and loads the same rows back."""
        await seeded.sign_in("/conversations")
        _set(seeded, "temperature", ["cold"])
        await _rows(seeded, {"seller-cold"})
        (await seeded.find("preset-save")).click()
        (await seeded.find("preset-name")).type("cold ones")
        (await seeded.find("preset-confirm")).click()
        await seeded.user.should_see("Saved filter 'cold ones'.")
        assert await seeded.port.presets("jorge") == {
            "cold ones": {
                "temperature": "cold",
                "sort": "last_activity",
                "order": "desc",
            }
        }
        seeded.user.find(marker="filter-temperature").elements.pop().value = []
        await _rows(seeded, {"seller-hot", "seller-cold"})
        await seeded.user.open("/conversations")
        (await seeded.find("preset-select")).elements.pop().value = "cold ones"
        await _rows(seeded, {"seller-cold"})

    async def test_a_preset_can_be_deleted(self, seeded: Dash) -> None:
        """Deleting a saved filter removes it from the user's store."""
        await seeded.port.save_preset("jorge", "hot", {"temperature": "hot"})
        await seeded.sign_in("/conversations")
        (await seeded.find("preset-select")).elements.pop().value = "hot"
        await _rows(seeded, {"seller-hot"})
        (await seeded.find("preset-delete")).click()
        (await seeded.find("preset-delete-confirm")).click()
        await seeded.user.should_see("Deleted filter 'hot'.")
        assert await seeded.port.presets("jorge") == {}


class TestExport:
    async def test_an_export_downloads_the_filtered_rows(self, seeded: Dash) -> None:
        """The CSV export holds the rows of the current filter only."""
        await seeded.sign_in("/conversations")
        _set(seeded, "temperature", ["hot"])
        await _rows(seeded, {"seller-hot"})
        seeded.user.find(marker="export-csv").click()
        response = await seeded.user.download.next(timeout=10)
        assert "seller-hot" in response.text
        assert "seller-cold" not in response.text
