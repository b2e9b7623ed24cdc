"""The man pages in docs/man/ say what the parsers say (`make man` rewrites them)."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _build():
    spec = importlib.util.spec_from_file_location("manpages", ROOT / "docs/man/build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _body(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith(".TH ")]


@pytest.mark.parametrize("name", ["jorged", "jorgectl"])
def test_committed_page_matches_the_parser(name):
    fresh = _build().render(name)
    committed = (ROOT / "docs/man" / f"{name}.8").read_text()
    assert _body(committed) == _body(fresh), f"docs/man/{name}.8 is stale: run make man"


def test_jorgectl_page_lists_every_command_and_reads_as_a_man_page(tmp_path):
    text = _build().render("jorgectl")
    for command in ("status", "health", "conversation", "seller", "export", "config"):
        assert f"'jorgectl {command}'" in text
    page = tmp_path / "jorgectl.8"
    page.write_text(text)
    shown = subprocess.run(["groff", "-man", "-Tutf8", "-P-cbou", str(page)], capture_output=True,
                           text=True, check=False)
    if shown.returncode != 0 and "No such file" in shown.stderr:
        pytest.skip("groff is not installed")
    assert "EXIT STATUS" in shown.stdout
    assert "2 usage or config error" in " ".join(shown.stdout.split())
