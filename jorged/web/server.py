"""The web process: our FastAPI app, NiceGUI mounted on it, served by our uvicorn.

Routes for webhooks, the JSON API and health live on our own FastAPI app (outside
NiceGUI's middleware) and are registered BEFORE `ui.run_with`, which mounts NiceGUI
at "/" and would hide any route added later. Trio starts as a guest in the app's
lifespan; the server accepts connections only once every actor is up.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import signal
import socket
from collections.abc import AsyncIterator, Callable, Generator
from types import FrameType

import attrs
import structlog
import uvicorn
from fastapi import FastAPI

from jorged import heap, sdnotify
from jorged.app import Daemon
from jorged.bridge import TrioGuest
from jorged.exceptions import ConfigError
from jorged.web import health
from jorged.web.guard import Guard
from jorged.web.port import BridgePort

log = structlog.get_logger()

RouteSetup = Callable[[FastAPI, Daemon, TrioGuest], None]


@attrs.define(kw_only=True)
class WebApp:
    """The assembled web app and the trio guest its lifespan runs."""

    api: FastAPI
    guest: TrioGuest
    daemon: Daemon


def build(
    daemon: Daemon,
    *,
    routes: tuple[RouteSetup, ...] = (),
    with_ui: bool = True,
) -> WebApp:
    """Build the FastAPI app: health, then `routes`, then (optionally) the dashboard."""
    guest = TrioGuest(main=daemon.run, stop_timeout_s=daemon.cfg.web.shutdown_timeout_s)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        guest.start()
        await guest.wait_ready()
        _install_sighup(daemon)
        try:
            yield
        finally:
            daemon.draining = True
            sdnotify.notify("STOPPING=1")
            await guest.stop()

    api = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    health.register(api, daemon)
    for setup in routes:
        setup(api, daemon, guest)
    if with_ui:
        from nicegui import ui as nicegui_ui

        import ui as dashboard

        dashboard.setup(daemon_port(daemon, guest))
        nicegui_ui.run_with(
            api,
            title=daemon.cfg.dashboard.title,
            storage_secret=session_secret(daemon),
            show_welcome_message=False,
            binding_refresh_interval=None,
            dark=None,
        )
    # Outermost: Host names, cross-site requests and security headers (guard.py).
    api.add_middleware(Guard, settings=lambda: daemon.cfg.web)
    return WebApp(api=api, guest=guest, daemon=daemon)


def daemon_port(daemon: Daemon, guest: TrioGuest) -> BridgePort:
    """The dashboard's one way into the daemon (see ui/port.py)."""
    return BridgePort(daemon=daemon, guest=guest)


def session_secret(daemon: Daemon) -> str:
    """The dashboard's cookie secret: configured, else made once and kept on disk."""
    if daemon.cfg.dashboard.session_secret:
        return daemon.cfg.dashboard.session_secret
    path = daemon.cfg.state_dir() / "session_secret"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        with _private_umask():
            path.write_text(secrets.token_urlsafe(32))
    return path.read_text().strip()


@contextlib.contextmanager
def _private_umask() -> Generator[None, None, None]:
    import os

    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def _install_sighup(daemon: Daemon) -> None:
    def reload() -> None:
        try:
            daemon.reload()
        except ConfigError as exc:
            log.error("config_reload_failed", problems=list(exc.messages))

    with contextlib.suppress(RuntimeError, ValueError, NotImplementedError):
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, reload)


class _Server(uvicorn.Server):
    """uvicorn's server, draining webhooks on the first signal and exiting 0 after."""

    def __init__(self, config: uvicorn.Config, daemon: Daemon) -> None:
        super().__init__(config)
        self.daemon = daemon

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        # The lifespan (every actor up, the index rebuilt) runs first in here, so
        # the heap is settled before the first request is served.
        await super().startup(sockets)
        if not self.should_exit:
            log.info("heap_settled", **attrs.asdict(heap.settle()))

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.daemon.draining = True
        super().handle_exit(sig, frame)

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        with super().capture_signals():
            try:
                yield
            finally:
                # A signal asked for a clean stop and got one: don't re-raise it.
                self._captured_signals.clear()


def serve(web: WebApp) -> int:
    """Serve until a signal or a trio crash; the process exit code."""
    cfg = web.daemon.cfg
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
        web.daemon,
    )

    def on_crash(_exc: BaseException) -> None:
        server.should_exit = True

    web.guest.on_crash = on_crash
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    if web.guest.crashed is not None:
        return 1
    if not server.started:
        return 1
    return 0
