"""Pages for what does not exist: an unknown address, an unknown seller.

Both say in one sentence what was asked for and where to go instead; neither offers
an action that could not work (no Retry, no Pause on a seller that is not there).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from nicegui import Client, app, ui
from starlette.exceptions import HTTPException

from ui.theme import frame

NOT_FOUND = 404


def create() -> None:
    """Answer unknown dashboard addresses with a page in the dashboard's frame."""
    app.add_exception_handler(NOT_FOUND, _not_found)


async def _not_found(request: Request, exception: Exception) -> Response:
    endpoint = request.scope.get("endpoint")
    if (
        endpoint is not None
        and endpoint is not app
        and not request.scope.get("nicegui_page_path")
        and isinstance(exception, HTTPException)
    ):
        # An API route's own 404 stays JSON.
        return await http_exception_handler(request, exception)
    with Client(ui.page(""), request=request) as client:
        not_found_content(request.url.path)
    return client.build_response(request, NOT_FOUND)


def not_found_content(path: str) -> None:
    with frame("Page not found", path=path):
        ui.label(f"There is no page at {path}.").mark("not-found")
        _ways_on()


def no_such_seller(contact_id: str) -> None:
    """The body of a seller page whose contact has no conversation."""
    with ui.card().classes("j-card p-4 gap-2 w-full").props('role="status"'):
        ui.label(f"No seller with the contact id {contact_id}.").classes(
            "text-lg font-semibold break-all"
        ).mark("no-such-seller")
        ui.label(
            "The id may be mistyped, or the contact was forgotten. Sellers appear"
            " here once they text or are tagged for qualification."
        ).classes("j-muted")
        _ways_on()


def _ways_on() -> None:
    with ui.row().classes("gap-4"):
        ui.link("All conversations", "/conversations")
        ui.link("Overview", "/")
