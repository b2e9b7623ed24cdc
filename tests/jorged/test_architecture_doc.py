"""docs/architecture.md stays true: the inbound path is at most eight steps, each a
module that exists, and every module or path the page names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
#: A path of the tree the page names in backticks (`jorged/web/webhook_route.py`).
PATH = re.compile(r"`((?:jorged|ui|tests)/[\w/]+\.py)`")
#: A module of a package the page names relative to it (`store/commit.py`).
RELATIVE = re.compile(r"`((?:web|store|control|actors|commands|domain)/[\w/]+\.py)")


def _section(title: str) -> str:
    text = DOC.read_text()
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def _steps() -> list[tuple[int, str]]:
    rows = re.findall(r"^\| (\d+) \| `([^`]+)` \|", _section("One inbound SMS"), re.MULTILINE)
    return [(int(n), path) for n, path in rows]


def test_the_inbound_path_takes_at_most_eight_named_steps():
    steps = _steps()
    assert 3 <= len(steps) <= 8
    assert [n for n, _ in steps] == list(range(1, len(steps) + 1))
    modules = [path for _, path in steps]
    assert len(set(modules)) == len(modules)  # each step is its own module
    assert modules[0].startswith("jorged/web/")  # it starts at the webhook
    assert modules[-1].startswith("jorged/ghl/")  # and ends at the GHL call
    for path in modules:
        assert (ROOT / path).is_file(), path


def test_every_module_the_page_names_exists():
    text = DOC.read_text()
    named = set(PATH.findall(text))
    assert len(named) > 10
    missing = sorted(p for p in named if not (ROOT / p).is_file())
    assert missing == []
    relative = {f"jorged/{p}" for p in RELATIVE.findall(text)}
    missing = sorted(p for p in relative if not (ROOT / p).is_file())
    assert missing == []


def test_the_readme_links_it():
    assert "docs/architecture.md" in (ROOT / "README.md").read_text()
