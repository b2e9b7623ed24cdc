"""structlog set-up: console lines on a terminal, JSON lines under systemd."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any, Literal

import structlog

_PHONE = re.compile(r"(?<![\w])\+?\d[\d\s().-]{7,}\d(?![\w])")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b")


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


def configure(
    *,
    level: str = "info",
    fmt: Literal["auto", "console", "json"] = "auto",
) -> None:
    """Configure structlog once, in the entry point."""
    json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer: Any
    if json:
        renderer = structlog.processors.JSONRenderer()
    else:
        renderer = structlog.dev.ConsoleRenderer()
    processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _mask_processor,
    ]
    if json:
        processors.append(structlog.processors.dict_tracebacks)
    processors.append(renderer)
    structlog.configure(
        processors=processors,
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level.upper()]
        ),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )
    # Quiet the libraries' own loggers to warnings, through the same stream.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(message)s")
