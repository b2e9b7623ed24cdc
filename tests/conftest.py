from __future__ import annotations

import pathlib

import pytest

pytest_plugins = ["tests.redis_server"]

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
