"""Time the quarterly report on generated cases, and check the dark-figure estimate against the known truth.

    .venv/bin/python bench/bench_report.py [--cases 100000] [--quarter 2025Q3] [--out DIR] [--coverage RUNS]

Prints the time to build the report (all figures) and to render HTML, PDF and CSV/XLSX, and the dark figure next to
the true number of orders (the generator knows the orders no source caught). `--coverage RUNS` also measures how
often the dark-figure interval (with model selection, four sources) contains the true size."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.synthetic.report import CAPTURE, generate_facts
from varde.report.build import build_report
from varde.report.darkfigure import estimate_dark_figure
from varde.report.render import render_html, write_pdf, write_tables


def coverage(runs: int, size: int = 600, seed: int = 3) -> float:
    rng = np.random.default_rng(seed)
    names, probabilities = list(CAPTURE), list(CAPTURE.values())
    hits = 0
    for _ in range(runs):
        caught = rng.random((size, len(names))) < probabilities
        sets = [frozenset(n for n, hit in zip(names, row, strict=True) if hit) for row in caught]
        chosen = estimate_dark_figure(sets).chosen
        assert chosen is not None
        hits += chosen.lower <= size <= chosen.upper
    return hits / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--quarter", default="2025Q3")
    parser.add_argument("--out", type=Path, default=None, help="keep the outputs here (default: a temporary folder)")
    parser.add_argument("--coverage", type=int, default=0, metavar="RUNS")
    args = parser.parse_args()

    start = time.perf_counter()
    synthetic = generate_facts(args.cases, "2023Q1", "2025Q4", seed=7)
    print(f"generated {len(synthetic.facts)} cases in {time.perf_counter() - start:.1f} s")

    out = args.out or Path(tempfile.mkdtemp(prefix="varde-report-"))
    out.mkdir(parents=True, exist_ok=True)
    timings = {}
    start = time.perf_counter()
    report = build_report(synthetic.facts, args.quarter, backmen=[("@example_backman", 12)])
    timings["build (all figures)"] = time.perf_counter() - start
    start = time.perf_counter()
    (out / "report.html").write_text(render_html(report), encoding="utf-8")
    timings["HTML"] = time.perf_counter() - start
    start = time.perf_counter()
    write_pdf(report, out / "report.pdf")
    timings["PDF"] = time.perf_counter() - start
    start = time.perf_counter()
    write_tables(report, out / "tables")
    timings["CSV + XLSX"] = time.perf_counter() - start
    for name, seconds in timings.items():
        print(f"{name:<20} {seconds:6.1f} s")
    print(f"{'total':<20} {sum(timings.values()):6.1f} s   (outputs in {out})")

    headline = {row[0]: row[1] for row in report.table("headline").rows}
    print(f"{args.quarter}: " + ", ".join(f"{k} {v}" for k, v in headline.items()))
    chosen = report.dark.chosen
    truth = synthetic.true_orders.get(args.quarter, 0)
    if chosen is not None:
        print(
            f"dark figure: seen {chosen.observed}, estimated {chosen.estimate:.0f} "
            f"(95 % {chosen.lower:.0f}–{chosen.upper:.0f}; {chosen.model}); true {truth}"
        )
    if args.coverage:
        start = time.perf_counter()
        share = coverage(args.coverage)
        seconds = time.perf_counter() - start
        print(f"dark-figure interval coverage over {args.coverage} runs: {share:.1%} ({seconds:.0f} s)")


if __name__ == "__main__":
    main()
