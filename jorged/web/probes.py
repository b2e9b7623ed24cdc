"""`/healthz` (the process runs) and `/readyz` (every actor is up)."""

from __future__ import annotations

import attrs
from fastapi import FastAPI
from starlette.responses import Response

from jorged.exceptions import Starting
from jorged.runtime import Runtime
from jorged.web.responses import json_response


def register(api: FastAPI, runtime: Runtime) -> None:
    @api.get("/healthz", include_in_schema=False)
    async def healthz() -> Response:
        return json_response({"status": "ok"})

    @api.get("/readyz", include_in_schema=False)
    async def readyz() -> Response:
        status = runtime.status()
        try:
            loading = runtime.services().aggregator.loading
        except Starting:
            loading = True
        # Ready means webhooks are journaled: not while the disk refuses writes.
        ready = status.ready and not loading and runtime.disk_health.writable
        body = {
            "ready": ready,
            "phase": "loading the conversation index"
            if status.ready and loading
            else runtime.phase,
            "index_loading": loading,
            "accepting_webhooks": runtime.accepting and not status.draining,
            "disk_write_error": runtime.disk_health.error,
            "draining": status.draining,
            "actors": {
                a.name: {"state": a.state, "restarts": a.restarts}
                for a in status.actors
            },
            "store": attrs.asdict(status.store) if status.store else None,
        }
        return json_response(body, 200 if ready else 503)
