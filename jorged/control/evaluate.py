"""`jorgectl eval`: measure the reader on the labeled corpus, without a daemon.

Reads every message of `tests/corpus/<language>/*.toml` (or `--corpus DIR`) with
`jorged.domain.reading.read`, prints per-act, per-kind and per-slot precision and
recall per language, the most common confusions and the worst misses, and writes
the whole report as JSON (`-o FILE`, default `bench/results/eval.json`). Exits 1
when a floor is missed (opt-out recall 100 %, no false opt-out, every act and
slot at 95 %), 2 when the corpus cannot be loaded.
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs

import jorged
from jorged.domain.reading import read
from jorged.domain.reading.acts import ActKind
from jorged.domain.reading.scoring import FLOOR, Miss, Report, Row, score

__all__ = ["DEFAULT_CORPUS", "DEFAULT_OUTPUT", "evaluate", "format_reports"]

_ROOT = Path(jorged.__file__).resolve().parent.parent
DEFAULT_CORPUS = _ROOT / "tests" / "corpus"
DEFAULT_OUTPUT = _ROOT / "bench" / "results" / "eval.json"


class CorpusUnavailableError(Exception):
    """The corpus directory or its loader is missing, or a file is malformed."""


def _loader(corpus: Path) -> ModuleType:
    path = corpus / "load.py"
    if not path.is_file():
        msg = f"no corpus loader at {path} (give the corpus directory with --corpus)"
        raise CorpusUnavailableError(msg)
    spec = importlib.util.spec_from_file_location("jorged_corpus_load", path)
    if spec is None or spec.loader is None:
        msg = f"cannot import {path}"
        raise CorpusUnavailableError(msg)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def languages(corpus: Path) -> list[str]:
    """The languages of the corpus: its subdirectories holding TOML files."""
    if not corpus.is_dir():
        msg = f"corpus directory {corpus} does not exist"
        raise CorpusUnavailableError(msg)
    return sorted(
        d.name for d in corpus.iterdir() if d.is_dir() and any(d.glob("*.toml"))
    )


def evaluate(corpus: Path = DEFAULT_CORPUS) -> list[Report]:
    """One report per language of the corpus."""
    loader = _loader(corpus)
    reports = []
    for language in languages(corpus):
        try:
            messages = loader.load_corpus(language, corpus)
        except ValueError as exc:
            msg = f"corpus {language} does not load:\n{exc}"
            raise CorpusUnavailableError(msg) from None
        reports.append(score(messages, read, language=language))
    if not reports:
        msg = f"no corpus files under {corpus}"
        raise CorpusUnavailableError(msg)
    return reports


def report_json(reports: list[Report]) -> dict[str, Any]:
    """The reports as one JSON document (rows with their rates, misses in full)."""
    return {
        "floor": FLOOR,
        "ok": not any(r.failures() for r in reports),
        "languages": {
            r.language: {
                "messages": r.messages,
                "false_opt_outs": r.false_opt_outs,
                "opt_out_recall": r.opt_out_recall,
                "failures": r.failures(),
                "acts": [_row_json(row) for row in r.acts],
                "kinds": [_row_json(row) for row in r.kinds],
                "slots": [_row_json(row) for row in r.slots],
                "misses": [attrs.asdict(m) for m in r.misses],
            }
            for r in reports
        },
    }


def _row_json(row: Row) -> dict[str, Any]:
    return {
        "name": row.name,
        "tp": row.tp,
        "fp": row.fp,
        "fn": row.fn,
        "support": row.support,
        "precision": round(row.precision, 4),
        "recall": round(row.recall, 4),
    }


def write_json(reports: list[Report], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(report_json(reports), indent=2) + "\n", encoding="utf-8"
    )


def format_reports(reports: list[Report], *, misses: int = 20) -> str:
    """The reports as text tables for people."""
    return "\n\n".join(_format(r, misses=misses) for r in reports)


def _format(report: Report, *, misses: int) -> str:
    lines = [f"Reader on the {report.language} corpus: {report.messages} messages"]
    for title, rows in (
        ("act", report.acts),
        ("kind", report.kinds),
        ("slot", report.slots),
    ):
        lines.append("")
        lines.append(
            f"{title:<26} {'prec':>7} {'recall':>7} {'tp':>5} {'fp':>4} {'fn':>4}"
        )
        lines.extend(
            f"{row.name:<26} {row.precision:>7.1%} {row.recall:>7.1%} "
            f"{row.tp:>5} {row.fp:>4} {row.fn:>4}"
            + ("" if title == "kind" or row.meets() else "  < floor")
            for row in rows
        )
    confusions = Counter(
        (m.field, m.expected, m.read) for m in report.misses
    ).most_common(15)
    if confusions:
        lines += ["", "most common confusions (field: expected -> read  count)"]
        lines.extend(f"  {f}: {e} -> {r}  {n}" for (f, e, r), n in confusions)
    worst = sorted(report.misses, key=_severity)[:misses]
    if worst:
        lines += ["", f"worst {len(worst)} of {len(report.misses)} misses"]
        lines.extend(
            f"  [{m.source}] asked={m.asked} {m.field}: expected {m.expected}, "
            f"read {m.read}\n      {m.text!r}"
            for m in worst
        )
    failures = report.failures()
    lines += [
        "",
        "floors: " + ("met" if not failures else "MISSED: " + "; ".join(failures)),
    ]
    return "\n".join(lines)


def _severity(miss: Miss) -> tuple[int, str]:
    """Missed opt-outs first, then false opt-outs, unsure ones, other acts, slots."""
    if miss.field == ActKind.OPT_OUT:
        return (0 if miss.expected == "yes" else 1), miss.source
    if miss.field == ActKind.OPT_OUT_UNSURE:
        return 2, miss.source
    if miss.field in {k.value for k in ActKind}:
        return 3, miss.source
    return 4, miss.source
