"""SIGKILL between journaling a webhook and replying to it (SPEC 3: nothing lost)."""

from __future__ import annotations

from tests.daemon import _make_daemon  # noqa: F401 - the fixture
from tests.jorged.test_conversations_http import Client, contact_id

QUIET_OFF = {
    "JORGED_SELLER__QUIET_HOURS_START": "0",
    "JORGED_SELLER__QUIET_HOURS_END": "0",
}


class TestKilledBeforeTheReply:
    def test_handled_once_after_restart(self, make_daemon, redis_server):
        """Messages acknowledged but not yet answered are answered once after a kill."""
        daemon = make_daemon(
            {
                **QUIET_OFF,
                "JORGED_REDIS__URL": redis_server.url,
                # Long enough that no reply exists when the kill comes.
                "JORGED_SELLER__BATCH_WINDOW_S": "30",
            }
        )
        daemon.start(timeout=60)
        client = Client(daemon)
        try:
            contacts = [contact_id("crash") for _ in range(5)]
            sent = {c: client.text(c, "hi, thinking of selling") for c in contacts}
            assert all(client.outbox(c) == [] for c in contacts)
            assert all(client.conversation(c) is None for c in contacts)
            daemon.kill()
            daemon.env["JORGED_SELLER__BATCH_WINDOW_S"] = "0.3"
            daemon.start(timeout=60)
            for c in contacts:
                view = client.handled(c, sent[c])
                ids = [e["message_id"] for e in view["transcript"]]
                assert ids.count(sent[c]) == 1
            # A later message of each contact is its next turn, after the replay.
            for c in contacts:
                client.handled(c, client.text(c, "divorce"))
            for c in contacts:
                texts = client.sms(c)
                assert len(texts) == 2, texts
                assert texts[0].startswith("Hey, it's Jorge.")
                assert "30 to 45 days" in texts[1]
            assert daemon.ctl_json("status")["ready"] is True
        finally:
            client.close()
        assert daemon.terminate() == 0
