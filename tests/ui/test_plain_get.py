"""A page fetched without a browser (curl, a link preview) leaves no error behind."""

from __future__ import annotations

import asyncio
import logging

import pytest
from nicegui import Client

from tests.ui.conftest import Dash

pytestmark = pytest.mark.anyio

PATHS = ("/", "/conversations", "/needs-jorge", "/simulator", "/health")


async def test_a_plain_get_leaves_no_error(
    dash: Dash, caplog: pytest.LogCaptureFixture
) -> None:
    """Each page answers a plain GET; when its never-connected client is dropped
    (what NiceGUI does after the reconnect timeout), nothing logs an error."""
    await dash.sign_in("/")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        for path in PATHS:
            r = await dash.user.http_client.get(path)
            assert r.status_code == 200, (path, r.status_code)
        await asyncio.sleep(0.5)  # the pages wait for a browser that never comes
        Client.prune_instances(client_age_threshold=0)
        await asyncio.sleep(1.0)  # what they do once the client is gone
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]
