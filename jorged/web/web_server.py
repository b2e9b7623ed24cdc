"""The web process: our FastAPI app, NiceGUI mounted on it, served by our uvicorn.

Routes for webhooks, the JSON API and health live on our own FastAPI app (outside
NiceGUI's middleware) and are registered BEFORE `ui.run_with`, which mounts NiceGUI
at "/" and would hide any route added later. Trio starts as a guest in the app's
lifespan; `jorged` serves before every actor is up (webhooks get 429 with
Retry-After until the journal is ready), on a port it took first.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import secrets
import signal
import socket
import time
from collections.abc import AsyncIterator, Callable, Generator
from types import FrameType

import attrs
import structlog
import uvicorn
from fastapi import FastAPI
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from jorged import heap, sdnotify
from jorged.bridge import TrioGuest
from jorged.exceptions import ConfigError, Starting
from jorged.runtime import Runtime
from jorged.web import probes as health
from jorged.web.bridge_port import BridgePort
from jorged.web.guard import Guard

log = structlog.get_logger()

RouteSetup = Callable[[FastAPI, Runtime, TrioGuest], None]


@attrs.define(kw_only=True)
class WebApp:
    """The assembled web app and the trio guest its lifespan runs."""

    api: FastAPI
    guest: TrioGuest
    runtime: Runtime


def build(
    runtime: Runtime,
    *,
    routes: tuple[RouteSetup, ...] = (),
    with_ui: bool = True,
    wait_ready: bool = True,
) -> WebApp:
    """Build the FastAPI app: health, then `routes`, then (optionally) the dashboard.

    With `wait_ready` the app's lifespan returns once every actor is up; without,
    at once: the server answers while trio starts (`/healthz` 200, webhooks 429
    with Retry-After until the journal is ready, `/readyz` 503 saying what loads),
    and the dashboard (NiceGUI, a second or more to import) is mounted behind it,
    pages answering 503 "starting" until then.
    """
    guest = TrioGuest(
        main=runtime.run, stop_timeout_s=runtime.cfg.web.shutdown_timeout_s
    )
    staged = with_ui and not wait_ready
    dashboard = _Dashboard(runtime=runtime, guest=guest)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        guest.start()
        mount = asyncio.ensure_future(dashboard.mount_later(app)) if staged else None
        settle = asyncio.ensure_future(_settle_when_ready(guest, runtime, mount))
        if wait_ready:
            await guest.wait_ready()
        _install_sighup(runtime)
        try:
            yield
        finally:
            settle.cancel()
            if mount is not None:
                mount.cancel()
            runtime.drain()
            sdnotify.notify("STOPPING=1")
            await dashboard.stop()
            await guest.stop()

    api = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    health.register(api, runtime)
    for setup in routes:
        setup(api, runtime, guest)
    if staged:
        api.add_exception_handler(StarletteHTTPException, dashboard.not_found)
    elif with_ui:
        dashboard.mount(api)
    # Outermost: Host names, cross-site requests and security headers (guard.py).
    api.add_middleware(Guard, settings=lambda: runtime.cfg.web)
    return WebApp(api=api, guest=guest, runtime=runtime)


@attrs.define(kw_only=True)
class _Dashboard:
    """NiceGUI on our app: mounted at build time, or later on a serving app."""

    runtime: Runtime
    guest: TrioGuest
    mounted: bool = False
    #: NiceGUI's own start ran here (a late mount), so its stop is ours too.
    started_here: bool = False

    def mount(self, api: FastAPI) -> None:
        from nicegui import ui as nicegui_ui

        import ui as pages

        pages.setup(daemon_port(self.runtime, self.guest))
        nicegui_ui.run_with(
            api,
            title=self.runtime.cfg.dashboard.title,
            storage_secret=session_secret(self.runtime),
            show_welcome_message=False,
            binding_refresh_interval=None,
            dark=None,
        )
        self.mounted = True

    async def mount_later(self, api: FastAPI) -> None:
        """Once the actors are up, import the dashboard in a thread (the loop keeps
        answering webhooks), then mount it on the running app and start NiceGUI as
        its lifespan would. Waiting first keeps the import from slowing the start
        of the journal (both want the interpreter)."""
        # A start that waits (a full disk) gets its dashboard after a while anyway.
        with contextlib.suppress(Exception):  # a failed start ends the server
            await asyncio.wait_for(self.guest.wait_ready(), DASHBOARD_WAIT_S)
        started = time.perf_counter()
        await asyncio.to_thread(importlib.import_module, "ui")
        from nicegui import nicegui as nicegui_main

        # Starlette builds its middleware stack on the first request and refuses
        # new middleware after; NiceGUI adds its own, so the stack is built anew
        # on the next request (nothing awaits in between).
        api.middleware_stack = None
        self.mount(api)
        await nicegui_main._startup()  # noqa: SLF001 - what run_with's lifespan runs
        self.started_here = True
        log.info("dashboard_mounted", seconds=round(time.perf_counter() - started, 3))

    async def stop(self) -> None:
        if self.started_here:
            from nicegui import nicegui as nicegui_main

            # NiceGUI's own shutdown hooks; the process exits after this either way,
            # and the daemon's state was flushed by the trio side already.
            with contextlib.suppress(Exception):
                await nicegui_main._shutdown()  # noqa: SLF001

    async def not_found(self, request: Request, exc: Exception) -> Response:
        """Before the dashboard is mounted, its pages answer 503 "starting"."""
        assert isinstance(exc, StarletteHTTPException)  # noqa: S101
        if self.mounted or exc.status_code != 404 or "endpoint" in request.scope:
            return await http_exception_handler(request, exc)
        return HTMLResponse(
            STARTING_PAGE, status_code=503, headers={"Retry-After": "1"}
        )


#: The longest the dashboard's import waits for the actors to be up.
DASHBOARD_WAIT_S = 3.0
STARTING_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta http-equiv="refresh" content="1"><title>jorged is starting</title>'
    "</head><body><p>jorged is starting; this page reloads by itself.</p>"
    "</body></html>"
)


def daemon_port(runtime: Runtime, guest: TrioGuest) -> BridgePort:
    """The dashboard's one way into the daemon (see ui/daemon_port.py)."""
    return BridgePort(runtime=runtime, guest=guest)


def session_secret(runtime: Runtime) -> str:
    """The dashboard's cookie secret: configured, else made once and kept on disk."""
    if runtime.cfg.dashboard.session_secret:
        return runtime.cfg.dashboard.session_secret
    path = runtime.cfg.state_dir() / "session_secret"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            with _private_umask():
                path.write_text(secrets.token_urlsafe(32))
        return path.read_text().strip()
    except OSError as exc:
        # A full or failing disk must not stop the start: sessions then last
        # until the next restart.
        path.unlink(missing_ok=True)
        log.warning("session_secret_not_kept", path=str(path), error=str(exc))
        return secrets.token_urlsafe(32)


@contextlib.contextmanager
def _private_umask() -> Generator[None, None, None]:
    import os

    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def _install_sighup(runtime: Runtime) -> None:
    def reload() -> None:
        try:
            runtime.reload()
        except ConfigError as exc:
            log.error("config_reload_failed", problems=list(exc.messages))

    with contextlib.suppress(RuntimeError, ValueError, NotImplementedError):
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, reload)


async def _settle_when_ready(
    guest: TrioGuest, runtime: Runtime, mount: asyncio.Future[None] | None
) -> None:
    """Once every actor is up, the index rebuilt and the dashboard mounted (the
    heap of a started daemon, about 300,000 long-lived objects), settle the heap."""
    # A start that failed, or a dashboard that could not mount, is reported where
    # it happens (the server ends, or the mount logs); here it only means no settle.
    with contextlib.suppress(Exception):
        await guest.wait_ready()
        if mount is not None:
            await mount
        with contextlib.suppress(Starting):  # a stop before the start ended
            await guest.run(runtime.services().aggregator.wait_loaded)
        log.info("heap_settled", **attrs.asdict(heap.settle()))


class _Server(uvicorn.Server):
    """uvicorn's server, draining webhooks on the first signal and exiting 0 after."""

    def __init__(self, config: uvicorn.Config, runtime: Runtime) -> None:
        super().__init__(config)
        self.runtime = runtime

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.runtime.drain()
        super().handle_exit(sig, frame)

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        with super().capture_signals():
            try:
                yield
            finally:
                # A signal asked for a clean stop and got one: don't re-raise it.
                self._captured_signals.clear()


def serve(web: WebApp, sock: socket.socket | None = None) -> int:
    """Serve (on `sock` when given) until a signal or a trio crash; the exit code."""
    cfg = web.runtime.cfg
    server = _Server(
        uvicorn.Config(
            web.api,
            host=cfg.web.host,
            port=cfg.web.port,
            loop="asyncio",
            ws="wsproto",
            lifespan="on",
            log_config=None,
            access_log=False,
            # X-Forwarded-For / -Proto are believed from web.trusted_proxies only
            # (uvicorn's default trusts any local process).
            proxy_headers=bool(cfg.web.trusted_proxies),
            forwarded_allow_ips=list(cfg.web.trusted_proxies) or None,
            timeout_graceful_shutdown=max(1, int(cfg.web.shutdown_timeout_s / 2)),
        ),
        web.runtime,
    )

    def on_crash(_exc: BaseException) -> None:
        server.should_exit = True

    web.guest.on_crash = on_crash
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=None if sock is None else [sock])
    if web.guest.crashed is not None:
        return 1
    if not server.started:
        return 1
    return 0
