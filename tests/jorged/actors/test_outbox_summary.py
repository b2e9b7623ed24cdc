"""The one line each outbox action reads as, on the dashboard and in the CLI."""

from __future__ import annotations

from jorged.actors.outbox.items import action_summary
from jorged.domain.conversation import inputs as sio


def test_an_empty_field_value_reads_as_a_dash() -> None:
    action = sio.UpdateFields(
        fields={"seller_timeline_ok": "", "seller_motivation": "x"}
    )
    assert (
        action_summary(action)
        == "Write fields: seller_timeline_ok = -, seller_motivation = x"
    )


def test_a_contact_lookup_reads_as_words() -> None:
    assert action_summary(sio.FetchContact()) == "Look up the contact in GHL"
