"""The reader on the labeled corpus: how fast it reads, and how well (one row each).

Times `jorged.domain.reading.read` per message over the whole corpus (repeated to
at least `n` reads), and summarises `jorgectl eval` in a row name: whether the
floors are met, opt-out recall and false opt-outs, and the lowest precision or
recall of any act or slot. The full report goes to bench/results/eval.json.

    python -m bench.run --only reader
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.framework import Context, Row, row_from_latencies
from jorged.control.evaluate import DEFAULT_CORPUS, DEFAULT_OUTPUT, evaluate, write_json
from jorged.domain.reading import read
from jorged.domain.reading.scoring import context_for


def run(ctx: Context) -> list[Row]:
    started = time.perf_counter()
    reports = evaluate(DEFAULT_CORPUS)
    eval_seconds = time.perf_counter() - started
    write_json(reports, DEFAULT_OUTPUT)
    from tests.corpus.load import load_corpus

    messages = [(m.text, context_for(m.asked)) for m in load_corpus("en")]
    latencies: list[float] = []
    loop_started = time.perf_counter()
    while len(latencies) < max(ctx.n, len(messages)):
        for text, context in messages:
            t0 = time.perf_counter()
            read(text, context)
            latencies.append(time.perf_counter() - t0)
    rows = [
        row_from_latencies(
            "reader.read per message", latencies, time.perf_counter() - loop_started
        )
    ]
    for report in reports:
        rows_all = (*report.acts, *report.slots)
        worst = min(min(r.precision, r.recall) for r in rows_all if r.support or r.fp)
        state = "met" if not report.failures() else "MISSED"
        rows.append(
            Row(
                name=(
                    f"reader eval {report.language}: floors {state}, opt-out recall "
                    f"{report.opt_out_recall:.0%}, {report.false_opt_outs} false, "
                    f"lowest P/R {worst:.1%}"
                ),
                ops=report.messages,
                seconds=eval_seconds,
                unit="msgs/s",
            )
        )
    return rows
