from __future__ import annotations

import pathlib

import pytest
import structlog

pytest_plugins = ["tests.redis_server"]

# In-process daemons (the UI tests') log through structlog's defaults, whose rich
# tracebacks print every frame's locals: seconds per logged exception. Plain ones.
structlog.configure(
    processors=[
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="%Y-%m-%d %H:%M:%S"),
        structlog.dev.ConsoleRenderer(
            colors=False, exception_formatter=structlog.dev.plain_traceback
        ),
    ]
)
TEST_LOG_CONFIG = structlog.get_config()

UI_DIR = pathlib.Path(__file__).parent / "ui"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Async tests outside tests/ui run under trio; UI tests use anyio on asyncio."""
    for item in items:
        path = pathlib.Path(str(item.fspath))
        if UI_DIR in path.parents:
            continue
        if getattr(item, "obj", None) is not None and _is_async(item) and (
            item.get_closest_marker("trio") is None
        ):
            item.add_marker(pytest.mark.trio)


def _is_async(item: pytest.Item) -> bool:
    import inspect

    return inspect.iscoroutinefunction(getattr(item, "obj", None))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
