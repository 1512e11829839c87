"""Computation benchmarks: the heavy calls of ``explorer/``, timed without Streamlit.

Harness: for every case, ``repeats`` timed runs (after one untimed warm-up unless the case is
"cold"); before each run the case's ``setup`` is called *outside* the timer (cold cases clear the
``functools.lru_cache``s they would otherwise hit).  Reported: median, min and max in ms, and the
budget where an issue gives one.

    python benchmarks/bench_compute.py [--repeats 7] [--json benchmarks/compute.json]

(``benchmarks/run.py`` runs this as its first part.)
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402


@dataclass
class Case:
    name: str
    run: Callable[[], object]
    setup: Callable[[], None] = lambda: None
    budget_s: float | None = None
    cold: bool = False
    note: str = ""
    repeats: int | None = None      # override (for the slow ones)
    check: Callable[[object], str] | None = None   # a short description of the result
    result: dict = field(default_factory=dict)


def _clear(*funcs) -> None:
    for f in funcs:
        f.cache_clear()


def cases(tmpdir: str) -> list[Case]:
    from explorer import expressions as ex
    from explorer import multivariate as mv
    from explorer import network as nw
    from explorer import optimise as op
    from explorer import regression as rg

    from sympy.core.cache import clear_cache as clear_sympy_cache

    def clear_parser():
        _clear(ex._parse_cached, ex._compile_text, ex._compile_expr_cached)
        clear_sympy_cache()          # sympy's own memo of diff/simplify results, too

    out: list[Case] = []

    # 1. parse + lambdify a typed function (cold: the parser's and compiler's caches cleared)
    typed = "3(1 - x)^2 exp(-x^2 - (y + 1)^2) - 10(x/5 - x^3 - y^5) exp(-x^2 - y^2) - exp(-(x + 1)^2 - y^2)/3"

    def parse_compile():
        ex.parse_expression(typed, ("x", "y"))
        f = ex.compile_expression(typed, ("x", "y"))
        return f(np.array([0.5]), np.array([0.5]))

    out.append(Case("parse + lambdify typed f(x,y) (peaks)", parse_compile, clear_parser, cold=True))

    # 2. surface + gradient field on the page's default grid (pages/multivariate.py: n=50 surface,
    #    15×15 arrows); symbolic ∇f/H computed once beforehand (the page caches it with st.cache_data)
    text = mv.PRESETS["peaks"]
    xr, yr = mv.default_range(text)
    derivs = mv.derivative_exprs(text)

    def surf_grad():
        g = mv.surface(text, xr, yr, n=50)
        a = mv.gradient_arrows(derivs, xr, yr, n=15)
        return g.z.shape, a[0].shape

    out.append(Case("surface 50×50 + gradient field 15×15 (peaks)", surf_grad, clear_parser,
                    note="compile included (caches cleared)"))

    def symbolic_derivs():
        return mv.derivative_exprs(text)

    out.append(Case("symbolic ∇f and Hessian (peaks, sympy)", symbolic_derivs, clear_parser, cold=True))

    # 3. Taylor polynomial of order 20, cold (its caches and the parser's cleared)
    try:
        from explorer import taylor as tx

        def clear_taylor():
            clear_parser()
            for name in ("_coefficients_cached", "_numeric_fn", "_derivs_2d"):
                fn = getattr(tx, name, None)
                if fn is not None and hasattr(fn, "cache_clear"):
                    fn.cache_clear()

        out.append(Case("Taylor polynomial order 20 of exp(sin(x)) at a=0.5",
                        lambda: tx.taylor_polynomial("exp(sin(x))", 0.5, 20), clear_taylor, cold=True, repeats=5))
        if hasattr(tx, "expand_1d"):
            out.append(Case("Taylor page expansion (expand_1d) order 20, cold",
                            lambda: tx.expand_1d("exp(sin(x))", 0.5, 20, timeout=10.0), clear_taylor,
                            cold=True, note="through explorer.symbolic", repeats=5))
    except ImportError as err:
        out.append(Case("Taylor polynomial order 20", lambda: None, note=f"skipped: {err}"))

    # 4. a 1,000-step descent path that does not converge early: gradient descent with a small step
    #    on Rosenbrock's banana valley
    rosen = "(1 - x)^2 + 100(y - x^2)^2"

    def descent():
        r = op.descend(rosen, (-1.5, 2.0), "gradient", step=0.0005, max_iter=1000)
        assert r.nit == 1000, (r.nit, r.message)
        return r.nit

    op.descend(rosen, (-1.5, 2.0), "gradient", step=0.0005, max_iter=10)   # derivatives compiled once
    out.append(Case("1,000-step gradient descent (Rosenbrock)", descent,
                    note="derivative bundle compiled once beforehand"))

    # 5. 1,000 backprop iterations, 1-6-7-2 sigmoid network, 100 points (the heart curve)
    x, y, _ = nw.training_data("heart", n=100)
    state = {}

    def fresh_net():
        state["net"] = nw.Network((1, 6, 7, 2), "sigmoid", seed=0)

    def backprop():
        return nw.train(state["net"], x, y, 1000, rate=7.0).history[-1]

    out.append(Case("1,000 backprop iterations (1-6-7-2, 100 points)", backprop, fresh_net, budget_s=0.2))

    # 6. nonlinear fit of 10,000 points (a Gaussian with noise)
    rng = np.random.default_rng(1)
    gx = np.linspace(-5, 5, 10_000)
    gy = 3.0 * np.exp(-(gx - 0.7) ** 2 / (2 * 1.3 ** 2)) + rng.normal(0, 0.1, gx.size)
    gauss = rg.BUILTIN_MODELS["Gaussian"]

    def fit():
        r = rg.fit_model(gauss, gx, gy, {"A": 2.0, "mu": 0.0, "sigma": 1.0})
        assert r.success, r.message
        return r

    out.append(Case("nonlinear fit, 10,000 points (Gaussian)", fit,
                    lambda: rg._compiled_model.cache_clear(), note="model compile included"))

    # 7. read a 1,000,000-row CSV and fit a line
    path = os.path.join(tmpdir, "million.csv")
    lx, ly, _ = rg.generate_line_data(1_000_000, 0.5, 2.0, 1.0, seed=3)
    with open(path, "w") as fh:
        fh.write("x,y\n")
        np.savetxt(fh, np.column_stack([lx, ly]), delimiter=",", fmt="%.6f")
    size_mb = os.path.getsize(path) / 1e6

    def read_fit():
        df = rg.read_table(path, max_bytes=None)
        assert len(df) == 1_000_000, len(df)
        fitres = rg.line_fit(df.iloc[:, 0].to_numpy(), df.iloc[:, 1].to_numpy())
        return fitres

    out.append(Case(f"read 1,000,000-row CSV ({size_mb:.0f} MB) + fit a line", read_fit, budget_s=2.0,
                    repeats=3))
    return out


def time_case(c: Case, repeats: int) -> dict:
    if c.note.startswith("skipped"):
        return dict(name=c.name, skipped=True, note=c.note)
    n = c.repeats or repeats
    if not c.cold:
        c.setup()
        c.run()                       # warm-up (not timed)
    times, cpu = [], []
    for _ in range(n):
        c.setup()
        gc.collect()
        c0 = time.process_time()
        t0 = time.perf_counter()
        c.run()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    med = statistics.median(times)
    res = dict(name=c.name, repeats=n, median_ms=round(med * 1000, 2), min_ms=round(min(times) * 1000, 2),
               max_ms=round(max(times) * 1000, 2), cpu_median_ms=round(statistics.median(cpu) * 1000, 2),
               cold=c.cold, note=c.note)
    if c.budget_s is not None:
        res["budget_ms"] = c.budget_s * 1000
        res["pass"] = med <= c.budget_s
    return res


def run(repeats: int = 7, only: str | None = None) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for c in cases(tmp):
            if only and only.lower() not in c.name.lower():
                continue
            try:
                results.append(time_case(c, repeats))
            except Exception as err:          # report, do not hide
                results.append(dict(name=c.name, error=f"{type(err).__name__}: {err}"))
            print_row(results[-1])
    return results


def header() -> None:
    print(f"{'computation':58} {'median ms':>10} {'min':>9} {'max':>9} {'cpu ms':>9} {'n':>3} {'budget':>8} {'':>5}")


def print_row(r: dict) -> None:
    if "error" in r:
        print(f"{r['name'][:58]:58} ERROR {r['error']}")
        return
    if r.get("skipped"):
        print(f"{r['name'][:58]:58} {r['note']}")
        return
    budget = f"{r['budget_ms'] / 1000:g} s" if "budget_ms" in r else "—"
    verdict = ("PASS" if r["pass"] else "FAIL") if "pass" in r else ""
    name = r["name"] + (" [cold]" if r.get("cold") else "")
    print(f"{name[:58]:58} {r['median_ms']:>10.1f} {r['min_ms']:>9.1f} {r['max_ms']:>9.1f} {r['cpu_median_ms']:>9.1f} {r['repeats']:>3} "
          f"{budget:>8} {verdict:>5}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--only", help="only cases whose name contains this")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    header()
    res = run(args.repeats, args.only)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
