"""The import graph of `jorged` and `ui`: no cycles, and the wiring stays in `jorged.app*`.

Every import statement counts, wherever it stands: at the top, inside a function
(a lazy import), or under `if TYPE_CHECKING:`. An edge goes to the module an
import names: `from a.b import c` reaches `a.b.c` when that is a module, else `a.b`;
parent packages are not counted (importing `a.b` runs `a/__init__.py` first, which
re-exports from its own submodules by design).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("jorged", "ui")
#: The composition root: the only modules that may import `jorged.app*`.
WIRING = "jorged.app"


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> Iterator[str]:
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in modules:
                    yield sub
                elif target in modules:
                    yield target


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {t for t in _imports(name, path, modules) if t != name}
        for name, path in modules.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read_from_the_tree() -> None:
    """The walk sees the modules and the edges a reader sees (a guard on the test)."""
    graph = _graph()
    assert "jorged.web.web_server" in graph
    assert "jorged.runtime" in graph["jorged.web.web_server"]
    assert "jorged.app" in graph["jorged.app_main"]  # a lazy import counts


def test_no_import_cycles() -> None:
    """No module reaches itself through its imports, lazy and typing-only ones too."""
    assert _cycles(_graph()) == []


def test_a_cycle_is_found() -> None:
    """The cycle finder reports a loop of three modules (a guard on the test)."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_only_the_composition_root_imports_the_wiring() -> None:
    """Adapters take `Services` or the `Runtime` protocol, never `jorged.app*`."""
    entry = {"jorged.__main__"}  # `python -m jorged` starts the `jorged` command
    importers = sorted(
        name
        for name, targets in _graph().items()
        if not name.startswith(WIRING)
        and name not in entry
        and any(t.startswith(WIRING) for t in targets)
    )
    assert importers == []
