"""Logging set-up: one stream, one format, the same masking for every logger.

jorged logs through structlog; the libraries (uvicorn, NiceGUI, httpx, redis-py...)
log through the standard library. Both end in the same renderer: JSON lines when
stderr is not a terminal (under systemd), readable console lines on a terminal.
Phone numbers and emails are masked in both (SPEC 4.3).

Under systemd (`JOURNAL_STREAM` names our stderr) each line starts with its
sd-daemon priority, `<3>` for errors up to `<7>` for debug, so that
`journalctl -p err` finds the errors; journald strips the prefix.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import MutableMapping
from typing import Any, Literal, TextIO

import structlog

_PHONE = re.compile(r"(?<![\w])\+?\d[\d\s().-]{7,}\d(?![\w])")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b")

#: sd-daemon(3) priorities by level name.
PRIORITY = {
    "critical": 2,
    "exception": 3,
    "error": 3,
    "warning": 4,
    "warn": 4,
    "info": 6,
    "debug": 7,
    "notset": 7,
}


def mask_pii(text: str) -> str:
    """Mask phone numbers (`***-***-1234`) and emails (`j***@example.com`) in text."""

    def phone(m: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", m.group(0))
        return f"***-***-{digits[-4:]}" if len(digits) >= 10 else m.group(0)

    def email(m: re.Match[str]) -> str:
        local, _, domain = m.group(0).partition("@")
        return f"{local[:1]}***@{domain}"

    return _EMAIL.sub(email, _PHONE.sub(phone, text))


def _mask_processor(
    _logger: Any, _name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key, value in event_dict.items():
        if isinstance(value, str):
            event_dict[key] = mask_pii(value)
    return event_dict


def journal_stream(stream: TextIO, env: MutableMapping[str, str] | None = None) -> bool:
    """True when `stream` is the journald stream systemd connected (JOURNAL_STREAM)."""
    value = (os.environ if env is None else env).get("JOURNAL_STREAM", "")
    device, _, inode = value.partition(":")
    try:
        st = os.fstat(stream.fileno())
        return (st.st_dev, st.st_ino) == (int(device), int(inode))
    except (ValueError, OSError, AttributeError):
        return False


class _Prefixed:
    """A renderer that puts the sd-daemon priority of the line's level in front."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __call__(
        self, logger: Any, name: str, event_dict: MutableMapping[str, Any]
    ) -> str:
        level = str(event_dict.get("level", name)).lower()
        line = str(self._inner(logger, name, event_dict))
        return f"<{PRIORITY.get(level, 6)}>{line}"


def _renderer(*, json: bool, journald: bool, isatty: bool) -> Any:
    inner: Any
    if json:
        inner = structlog.processors.JSONRenderer()
    else:
        # Plain tracebacks: rich's would print every frame's locals (message texts,
        # phone numbers, tokens) and take seconds on large objects.
        inner = structlog.dev.ConsoleRenderer(
            colors=isatty and not journald,
            exception_formatter=structlog.dev.plain_traceback,
        )
    return _Prefixed(inner) if journald else inner


def configure(
    *,
    level: str = "info",
    fmt: Literal["auto", "console", "json"] = "auto",
    stream: TextIO | None = None,
) -> None:
    """Configure structlog and the stdlib loggers once, in the entry point."""
    out = sys.stderr if stream is None else stream
    isatty = getattr(out, "isatty", lambda: False)()
    json = fmt == "json" or (fmt == "auto" and not isatty)
    journald = journal_stream(out)
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    tail: list[Any] = [_mask_processor]
    if json:
        tail.append(structlog.processors.dict_tracebacks)
    renderer = _renderer(json=json, journald=journald, isatty=isatty)
    numeric = logging.getLevelNamesMapping()[level.upper()]
    structlog.configure(
        processors=[*shared, *tail, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(out),
        cache_logger_on_first_use=False,
    )
    # The libraries' own loggers: warnings and up, rendered the same way.
    handler = logging.StreamHandler(out)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.stdlib.ExtraAdder(),
                *tail,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(max(logging.WARNING, numeric))
