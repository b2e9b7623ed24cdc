"""jorged: seller qualification, lead intelligence and a live dashboard, one daemon."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jorged")
except PackageNotFoundError:  # run from a tree that was never installed
    __version__ = "0+unknown"
