"""`jorged`: run the daemon, or check a config file."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from jorged import __version__
from jorged import config as config_mod
from jorged import log as log_mod
from jorged.exceptions import ConfigError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="jorged",
        description="Seller qualification, lead intelligence and a live dashboard.",
    )
    p.add_argument("--version", action="version", version=f"jorged {__version__}")
    p.add_argument(
        "--config",
        metavar="PATH",
        help=(
            "config file (default: $JORGED_CONFIG, else /etc/jorged/jorged.toml "
            "when it exists, else the embedded defaults)"
        ),
    )
    p.add_argument(
        "--check-config",
        nargs="?",
        const="",
        metavar="PATH",
        help="check the config (PATH, --config or $JORGED_CONFIG) and exit",
    )
    p.add_argument(
        "--demo",
        action="store_true",
        help="play generated demo seller conversations through the webhook path",
    )
    return p


def _where(cfg: config_mod.Config) -> str:
    """One line for the person who started the daemon: where to look, where it keeps."""
    host = cfg.web.host
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    mode = "sandbox (nothing is sent to GHL)" if cfg.sandbox else "live"
    return (
        f"jorged {__version__}: dashboard on http://{shown}:{cfg.web.port} ; "
        f"state in {cfg.state_dir().resolve()} ; "
        f"control socket {cfg.control_socket()} ; {mode}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.check_config is not None:
        path = args.check_config or args.config
        try:
            cfg = config_mod.load(path)
            from jorged.ghl import load_webhook_keys

            load_webhook_keys(cfg.ghl)
        except ConfigError as exc:
            for line in exc.messages:
                print(line, file=sys.stderr)
            return 2
        print(f"config ok ({path or 'defaults'}); sandbox={cfg.sandbox}")
        return 0
    try:
        cfg = config_mod.load(args.config)
        from jorged.ghl import load_webhook_keys

        load_webhook_keys(cfg.ghl)
        config_mod.check_state_dir(cfg)
    except ConfigError as exc:
        for line in exc.messages:
            print(line, file=sys.stderr)
        return 2
    if args.demo:
        import attrs

        cfg = attrs.evolve(cfg, demo=attrs.evolve(cfg.demo, enabled=True))
    log_mod.configure(level=cfg.log.level, fmt=cfg.log.format)
    # The port first (systemd's, or bound now): connections made while the rest
    # starts wait in the backlog and are answered, never refused.
    from jorged.web.listen import listening_socket

    try:
        sock = listening_socket(cfg.web.host, cfg.web.port)
    except OSError as exc:
        print(
            f"jorged: cannot listen on {cfg.web.host}:{cfg.web.port}: {exc}",
            file=sys.stderr,
        )
        return 1
    if sys.stderr.isatty():
        print(_where(cfg), file=sys.stderr, flush=True)
    else:
        import structlog

        structlog.get_logger().info("starting", where=_where(cfg))

    from jorged.app import Daemon  # the imports take a second: after the bind
    from jorged.web import web_server as server
    from jorged.web.routes import ROUTES

    daemon = Daemon(cfg=cfg, config_path=args.config or os.environ.get("JORGED_CONFIG"))
    web = server.build(daemon, routes=ROUTES, wait_ready=False)
    return server.serve(web, sock)


if __name__ == "__main__":
    sys.exit(main())
