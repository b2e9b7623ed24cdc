"""The package layout shows the design (docs/architecture.md, "Layout").

- Every module name is unique across `jorged` and `ui`: a name says which module.
- `jorged/domain` and `jorged/actors` are split by capability into subpackages; a
  flat module there is one shared by several capabilities.
- The domain does no I/O: it imports no event loop, network, store or log library.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Libraries that do I/O (or schedule it); the domain imports none of them.
IO_LIBRARIES = {
    "trio", "asyncio", "anyio", "httpx", "redis", "diskcache", "sqlite3", "socket",
    "structlog", "logging", "subprocess", "anthropic", "starlette", "fastapi",
    "nicegui", "uvicorn", "psutil", "jorged.store", "jorged.actors", "jorged.ghl",
    "jorged.llm", "jorged.web", "jorged.control", "jorged.app",
}
#: The flat modules of `domain` and `actors`, each shared by several capabilities.
SHARED = {
    "jorged/domain": {"contact_ids.py", "language.py"},
    "jorged/actors": {"event_bus.py", "leads.py", "mailbox.py", "monitor.py", "tracker.py"},
}


def _modules() -> list[Path]:
    return [
        p
        for package in ("jorged", "ui")
        for p in sorted((ROOT / package).rglob("*.py"))
        if p.name not in {"__init__.py", "__main__.py"}
    ]


def test_every_module_name_is_unique():
    counts = Counter(p.name for p in _modules())
    twice = {name: n for name, n in counts.items() if n > 1}
    assert twice == {}


def test_domain_and_actors_are_split_by_capability():
    for package, shared in SHARED.items():
        flat = {p.name for p in (ROOT / package).glob("*.py")} - {"__init__.py"}
        assert flat == shared, f"{package}: put {sorted(flat - shared)} in a subpackage"
        subpackages = [d for d in (ROOT / package).iterdir() if (d / "__init__.py").exists()]
        assert len(subpackages) >= 3


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_domain_does_no_io():
    found = {}
    for path in sorted((ROOT / "jorged" / "domain").rglob("*.py")):
        io = {
            name
            for name in _imported(path)
            if any(name == lib or name.startswith(lib + ".") for lib in IO_LIBRARIES)
        }
        if io:
            found[str(path.relative_to(ROOT))] = sorted(io)
    assert found == {}
