"""Every route group served on the daemon's own FastAPI app (before NiceGUI mounts)."""

from __future__ import annotations

from jorged.web import (
    data_api,
    exports_api,
    metrics,
    needs_api,
    openapi,
    quarantine_api,
    seller_api,
)
from jorged.web import webhook_route as webhooks
from jorged.web.web_server import RouteSetup

ROUTES: tuple[RouteSetup, ...] = (
    webhooks.register,
    seller_api.register,
    data_api.register,
    exports_api.register,
    quarantine_api.register,
    needs_api.register,
    metrics.setup,
    # Last: it describes the routes above and refuses their other methods.
    openapi.register,
)
