"""`jorgectl eval` measures the reader on a corpus, with no daemon running."""

from __future__ import annotations

import json
import shutil

from jorged.control import cli
from tests.corpus.load import CORPUS_DIR


def test_eval_prints_the_tables_and_writes_the_report(tmp_path, capsys) -> None:
    """On the project's corpus the floors are met: exit 0, tables, a JSON report."""
    out = tmp_path / "eval.json"
    code = cli.main(["eval", "-o", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "opt_out" in printed
    assert "floors: met" in printed
    report = json.loads(out.read_text())
    en = report["languages"]["en"]
    assert report["ok"] is True
    assert en["opt_out_recall"] == 1.0
    assert en["false_opt_outs"] == 0
    assert {row["name"] for row in en["slots"]} >= {"price", "owed", "estimate"}


def _corpus(tmp_path, toml: str):
    root = tmp_path / "corpus"
    (root / "en").mkdir(parents=True)
    shutil.copy(CORPUS_DIR / "load.py", root / "load.py")
    (root / "en" / "x.toml").write_text(toml)
    return root


def test_a_missed_floor_exits_1_and_names_it(tmp_path, capsys) -> None:
    """A corpus the reader misses fails the floors: exit 1, the miss printed."""
    root = _corpus(
        tmp_path,
        '[[message]]\ntext = "what a lovely kitchen"\nasked = "none"\n'
        'acts = ["opt_out"]\n',
    )
    code = cli.main(["eval", "--corpus", str(root), "-o", str(tmp_path / "r.json")])
    printed = capsys.readouterr().out
    assert code == 1
    assert "opt_out recall 0.0%" in printed
    assert "what a lovely kitchen" in printed


def test_a_missing_corpus_is_a_usage_error(tmp_path, capsys) -> None:
    """No corpus loader at the path: exit 2 with one clear line, no traceback."""
    code = cli.main(["eval", "--corpus", str(tmp_path / "nowhere")])
    err = capsys.readouterr().err
    assert code == 2
    assert "no corpus loader at" in err
    assert "Traceback" not in err


def test_a_malformed_corpus_names_the_field(tmp_path, capsys) -> None:
    """A label that is not one of the act kinds is reported by file and field."""
    root = _corpus(
        tmp_path, '[[message]]\ntext = "hi"\nasked = "none"\nacts = ["wave"]\n'
    )
    code = cli.main(["eval", "--corpus", str(root)])
    err = capsys.readouterr().err
    assert code == 2
    assert "x.toml#1: acts: 'wave' is not one of" in err
