"""Colours and class names shared by every page."""

from __future__ import annotations

BRAND = "#1d4ed8"
OK = "text-green-800 bg-green-100"
WARN = "text-amber-900 bg-amber-100"
BAD = "text-red-800 bg-red-100"
MUTED = "text-slate-600"
CARD = "w-full p-4 gap-2"
PAGE = "w-full max-w-6xl mx-auto p-4 gap-4"

STATE_CLASSES = {
    "running": OK,
    "starting": WARN,
    "backoff": WARN,
    "stopped": WARN,
    "failed": BAD,
}
