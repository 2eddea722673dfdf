"""sonnys-tui benchmarks: one command, one table of figures.

    python benchmarks/run.py            # full run (the figures quoted in the README)
    python benchmarks/run.py --quick    # small n: proves every benchmark still works (CI)
    python benchmarks/run.py --only index_load availability

Every figure is compared with a baseline measured in the same run, so the
ratios mean something on any machine. Nothing here is asserted by the test
suite: timings belong to benchmarks, not to tests.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import app_figures
import bulk_figures
import client_figures
import doctor_figures
import lookup_figures
from common import Figure


def print_table(figures: list[Figure]) -> None:
    headers = ("figure", "measured", "baseline", "ratio", "target", "ok")
    rows = [
        (
            f.name,
            f.measured,
            f.baseline,
            f.ratio,
            f.target,
            "-" if f.ok is None else ("yes" if f.ok else "NO"),
        )
        for f in figures
    ]
    widths = [max(len(str(r[i])) for r in (headers, *rows)) for i in range(len(headers))]
    line = lambda cells: " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    print(line(headers))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small n, to check they run")
    parser.add_argument("--only", nargs="*", metavar="NAME", help="run only these benchmarks")
    args = parser.parse_args(argv)
    args.employees = 500 if args.quick else 10_000
    args.repeat = 3 if args.quick else 15
    # The slow link's delay per request: a quick run sleeps a tenth of it (at 150 ms,
    # the slow-link figures slept 12 of a quick run's 23 s, only to prove they work).
    args.latency_ms = 15 if args.quick else 150

    modules = (client_figures, lookup_figures, app_figures, bulk_figures, doctor_figures)
    registry = {name: fn for module in modules for name, fn in module.BENCHMARKS.items()}
    names = args.only or list(registry)
    unknown = [n for n in names if n not in registry]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; known: {', '.join(registry)}")

    figures: list[Figure] = []
    for name in names:
        started = time.perf_counter()
        print(f"... {name}", file=sys.stderr, flush=True)
        figures.extend(registry[name](args))
        print(f"    {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    mode = "quick (small n: checks they run; figures not meaningful)" if args.quick else "full"
    print(f"\nsonnys-tui benchmarks, {mode}, {args.employees} employees\n")
    print_table(figures)
    notes = [f.note for f in figures if f.note]
    if notes:
        print("\nrequests per operation (warm caches):")
        for note in notes:
            print(f"  {note}")
    failed = [f.name for f in figures if f.ok is False]
    if failed and not args.quick:
        print(f"\nmissed target: {', '.join(failed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
