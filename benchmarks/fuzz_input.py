"""The long run of the typed-expression fuzz (issue #22; the short run is
tests/unit/test_fuzz_input.py, whose grammar and checks this reuses).

    python benchmarks/fuzz_input.py                  # 2000 examples
    python benchmarks/fuzz_input.py --examples 10000 --seed 7

Reports the examples tried by kind (injection, unicode, deep, huge/tiny, functions, plain), how
many were accepted and refused, the slowest examples (CPU of this process = the server's own work,
and wall time, which includes waiting for the symbolic worker under its deadline), and every
exception other than the parser's refusal.  Exit status 1 when there was one.
"""
from __future__ import annotations

import argparse
import collections
import faulthandler
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "unit")]

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from explorer import symbolic  # noqa: E402
from test_fuzz_input import check_one, expressions, kind_of  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=22)
    ap.add_argument("--no-pages", action="store_true", help="parser and compiler only")
    ap.add_argument("--trace", help="write each text to this file before trying it (to find a hang; "
                                    "kill -USR1 the process for its stack)")
    args = ap.parse_args()

    faulthandler.register(signal.SIGUSR1)
    symbolic.warm_up()
    kinds: collections.Counter = collections.Counter()
    outcomes: collections.Counter = collections.Counter()
    slow: list[tuple[float, float, str]] = []
    failures: list[tuple[str, str]] = []

    @seed(args.seed)
    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(expressions(max_leaves=20))
    def run(text):
        kinds[kind_of(text)] += 1
        if args.trace:
            Path(args.trace).write_text(text)
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            outcomes[check_one(text, pages=not args.no_pages)] += 1
        except Exception as exc:      # noqa: BLE001 - every defect is reported, not raised
            outcomes["exception"] += 1
            failures.append((text, "".join(traceback.format_exception_only(exc)).strip()))
        slow.append((time.process_time() - cpu, time.perf_counter() - wall, text))
        if slow[-1][0] > 1.0:
            print(f"  slow: {slow[-1][0]:.2f} s CPU for {text[:120]!r}", flush=True)
        if len(slow) % 250 == 0:
            print(f"  ... {len(slow)} examples", flush=True)

    t0 = time.perf_counter()
    run()
    total = time.perf_counter() - t0
    slow.sort(reverse=True)
    print(f"{sum(kinds.values())} examples in {total:.0f} s (seed {args.seed})")
    print("by kind:   " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    print("outcomes:  " + ", ".join(f"{k} {n}" for k, n in outcomes.most_common()))
    print("slowest (CPU s, wall s, text):")
    for cpu, wall, text in slow[:5]:
        print(f"  {cpu:6.3f} {wall:6.3f}  {text[:90]!r}")
    by_wall = max(slow, key=lambda s: s[1]) if slow else None
    if by_wall:
        print(f"slowest wall: {by_wall[1]:.3f} s for {by_wall[2][:90]!r}")
    print(f"exceptions: {len(failures)}")
    for text, err in failures[:20]:
        print(f"  {text[:90]!r}: {err[:200]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
