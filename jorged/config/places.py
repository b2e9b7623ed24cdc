"""Where the daemon keeps its state, checked before it starts.

`check_state_dir` makes sure the state directory (`store.dir`, else
`$STATE_DIRECTORY`, else ./var) is a directory this user can write, creating it if
needed, and otherwise raises a `ConfigError` of one line naming the setting and the
path: a file in its place, a parent that cannot be created, no write permission.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from jorged.config.sections import Config
from jorged.exceptions import ConfigError

__all__ = ["check_state_dir"]


def check_state_dir(cfg: Config) -> None:
    """Raise ConfigError (one line) unless the state directory is usable."""
    path = cfg.state_dir()
    where = "store.dir" if cfg.store.dir else "state directory"
    if os.environ.get("STATE_DIRECTORY") and not cfg.store.dir:
        where = "$STATE_DIRECTORY"
    problem = _problem(path)
    if problem is not None:
        raise ConfigError(messages=[f"{where}: {path}: {problem}"])


def _problem(path: Path) -> str | None:
    if (path.exists() or path.is_symlink()) and not path.is_dir():
        return "is not a directory"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot be created: {exc.strerror or exc}"
    try:
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        return f"cannot be written: {exc.strerror or exc}"
    return None
