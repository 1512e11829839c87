"""How fast ``explorer.regression.fit_model`` is (issue 21): the 12 NIST StRD fits in
tests/data/nist-strd (6 problems x 2 starts) and a 10,000-row Gaussian fit, each timed as the
best of ``--repeats`` runs with the model already compiled, and checked: every NIST parameter and
standard error must keep >= 4 correct digits (LRE), or the run exits 1.

    python benchmarks/bench_fit.py                     # the code in the work tree
    python benchmarks/bench_fit.py --against 5e12e7d   # also time fitting.py as of a git revision
    python benchmarks/bench_fit.py --nist-dir DIR      # all 26 single-predictor NIST problems

The exit status is 1 when a fit fails or a parameter keeps fewer than 4 correct digits (standard
errors are reported; Lanczos1's certified ones are at the edge of double precision: 3 digits).

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


# The 26 single-predictor problems of NIST StRD nonlinear regression (Nelson has two predictors),
# in the parser's syntax, for --nist-dir (files not in this repository: see the docstring).
ALL_NIST = {
 "Bennett5": "b1*(b2+x)^(-1/b3)", "BoxBOD": "b1*(1-exp(-b2*x))", "Chwirut1": "exp(-b1*x)/(b2+b3*x)",
 "Chwirut2": "exp(-b1*x)/(b2+b3*x)", "DanWood": "b1*x^b2",
 "ENSO": "b1 + b2*cos(2*pi*x/12) + b3*sin(2*pi*x/12) + b5*cos(2*pi*x/b4) + b6*sin(2*pi*x/b4) + b8*cos(2*pi*x/b7) + b9*sin(2*pi*x/b7)",
 "Eckerle4": "(b1/b2)*exp(-0.5*((x-b3)/b2)^2)",
 "Gauss1": "b1*exp(-b2*x) + b3*exp(-(x-b4)^2/b5^2) + b6*exp(-(x-b7)^2/b8^2)",
 "Gauss2": "b1*exp(-b2*x) + b3*exp(-(x-b4)^2/b5^2) + b6*exp(-(x-b7)^2/b8^2)",
 "Gauss3": "b1*exp(-b2*x) + b3*exp(-(x-b4)^2/b5^2) + b6*exp(-(x-b7)^2/b8^2)",
 "Hahn1": "(b1+b2*x+b3*x^2+b4*x^3)/(1+b5*x+b6*x^2+b7*x^3)", "Kirby2": "(b1 + b2*x + b3*x^2)/(1 + b4*x + b5*x^2)",
 "Lanczos1": "b1*exp(-b2*x) + b3*exp(-b4*x) + b5*exp(-b6*x)", "Lanczos2": "b1*exp(-b2*x) + b3*exp(-b4*x) + b5*exp(-b6*x)",
 "Lanczos3": "b1*exp(-b2*x) + b3*exp(-b4*x) + b5*exp(-b6*x)", "MGH09": "b1*(x^2+x*b2)/(x^2+x*b3+b4)",
 "MGH10": "b1*exp(b2/(x+b3))", "MGH17": "b1 + b2*exp(-x*b4) + b3*exp(-x*b5)", "Misra1a": "b1*(1-exp(-b2*x))",
 "Misra1b": "b1*(1-(1+b2*x/2)^(-2))", "Misra1c": "b1*(1-(1+2*b2*x)^(-0.5))", "Misra1d": "b1*b2*x*((1+b2*x)^(-1))",
 "Rat42": "b1/(1+exp(b2-b3*x))", "Rat43": "b1/((1+exp(b2-b3*x))^(1/b4))", "Roszman1": "b1 - b2*x - atan(b3/(x-b4))/pi",
 "Thurber": "(b1 + b2*x + b3*x^2 + b4*x^3)/(1 + b5*x + b6*x^2 + b7*x^3)",
}


def nist_cases(directory: Path | None = None):
    import test_nist
    models = MODELS
    if directory is not None:
        test_nist.NIST, models = directory, {k: v for k, v in ALL_NIST.items() if (directory / f"{k}.dat").exists()}
    for name, model in models.items():
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


def measure(fit, label, repeats, directory=None) -> bool:
    cases = list(nist_cases(directory))
    for _, _, model, x, y, _, p0 in cases:          # compile outside the timer
        fit(model, x, y, p0)
    worst, total, ok = 99.0, 0.0, True
    for name, start, model, x, y, params, p0 in cases:
        dt, res = best_of(lambda: fit(model, x, y, p0), repeats)
        total += dt
        digits = min(min(lre(res.params[k], v[2]), lre(res.stderr[k], v[3])) for k, v in params.items())
        worst = min(worst, digits)
        ok &= bool(res.success) and min(lre(res.params[k], v[2]) for k, v in params.items()) >= 4
        print(f"  {label:7s} {name:9s} start {start + 1}: {dt * 1e3:8.1f} ms, {res.starts_tried:2d} start(s), "
              f"{res.nfev:5d} evaluations, >= {digits:4.1f} correct digits")
    model, x, y, p0 = gauss_case()
    fit(model, x, y, p0)
    g_dt, g = best_of(lambda: fit(model, x, y, p0), repeats)
    ok &= bool(g.success)
    print(f"{label}: {len(cases)} NIST fits {total:.3f} s (worst {worst:.1f} correct digits); "
          f"10,000-row Gaussian fit {g_dt * 1e3:.1f} ms ({g.starts_tried} start(s), success {g.success})")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--against", metavar="REV", help="also time fitting.py of this git revision")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--nist-dir", type=Path, help="a folder with all 27 NIST StRD .dat files (e.g. lmfit's "
                    "NIST_STRD/): fit the 26 single-predictor problems from both starts instead of the 6 kept here")
    args = ap.parse_args()
    ok = True
    if args.against:
        ok &= measure(old_fit_model(args.against), "before", args.repeats, args.nist_dir)
    ok &= measure(fit_model, "after", args.repeats, args.nist_dir)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
