"""How fast ``explorer.regression.fit_model`` is (issue 21): the 12 NIST StRD fits in
tests/data/nist-strd (6 problems x 2 starts) and a 10,000-row Gaussian fit, each timed as the
best of ``--repeats`` runs with the model already compiled, and checked: every NIST parameter and
standard error must keep >= 4 correct digits (LRE), or the run exits 1.

    python benchmarks/bench_fit.py                     # the code in the work tree
    python benchmarks/bench_fit.py --against 5e12e7d   # also time fitting.py as of a git revision

``--against REV`` loads ``explorer/regression/fitting.py`` of that revision (``git show``) into a
temporary module beside today's package (it imports ``_compiled_model`` and
``linear_in_parameters`` from ``explorer.regression.models``, which keep their old behaviour), so
before and after run on the same machine in one process.
"""
from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "unit"))

from explorer.regression import BUILTIN_MODELS, fit_model  # noqa: E402
from test_nist import MODELS, load, lre  # noqa: E402


def old_fit_model(rev: str):
    text = subprocess.run(["git", "show", f"{rev}:explorer/regression/fitting.py"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "fitting_before.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location("fitting_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fitting_before"] = module
    spec.loader.exec_module(module)
    return module.fit_model


def nist_cases():
    for name, model in MODELS.items():
        params, _rss, x, y = load(name)
        for start in (0, 1):
            yield name, start, model, x, y, params, {k: v[start] for k, v in params.items()}


def gauss_case():
    rng = np.random.default_rng(1)
    x = np.linspace(-5, 5, 10_000)
    y = 3.0 * np.exp(-(x - 0.7) ** 2 / (2 * 1.3 ** 2)) + rng.normal(0, 0.1, x.size)
    return BUILTIN_MODELS["Gaussian"], x, y, {"A": 2.0, "mu": 0.0, "sigma": 1.0}


def best_of(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def measure(fit, label, repeats) -> bool:
    cases = list(nist_cases())
    for _, _, model, x, y, _, p0 in cases:          # compile outside the timer
        fit(model, x, y, p0)
    worst, total, ok = 99.0, 0.0, True
    for name, start, model, x, y, params, p0 in cases:
        dt, res = best_of(lambda: fit(model, x, y, p0), repeats)
        total += dt
        digits = min(min(lre(res.params[k], v[2]), lre(res.stderr[k], v[3])) for k, v in params.items())
        worst = min(worst, digits)
        ok &= bool(res.success) and digits >= 4
        print(f"  {label:7s} {name:9s} start {start + 1}: {dt * 1e3:8.1f} ms, {res.starts_tried:2d} start(s), "
              f"{res.nfev:5d} evaluations, >= {digits:4.1f} correct digits")
    model, x, y, p0 = gauss_case()
    fit(model, x, y, p0)
    g_dt, g = best_of(lambda: fit(model, x, y, p0), repeats)
    ok &= bool(g.success)
    print(f"{label}: 12 NIST fits {total:.3f} s (worst {worst:.1f} correct digits); "
          f"10,000-row Gaussian fit {g_dt * 1e3:.1f} ms ({g.starts_tried} start(s), success {g.success})")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--against", metavar="REV", help="also time fitting.py of this git revision")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    ok = True
    if args.against:
        ok &= measure(old_fit_model(args.against), "before", args.repeats)
    ok &= measure(fit_model, "after", args.repeats)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
