"""Newton-Raphson in one dimension: the hand-written iteration (it is the lesson), the notes a
learner needs about how it went, and the basins of attraction (every start at once, vectorised)."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from explorer.numbers import nice_text
from explorer.numbers import subscript as _sub
from explorer.optimise.compiled import X, NonFinite, parse, scalar_bundle, vectorised
from explorer.result import IterationResult

# the statuses that are failures, each with the short name a learner reads in the verdict
FAILURES = {
    "zero-derivative": "zero derivative",
    "diverged": "divergence",
    "cycle": "cycle",
    "max-iter": "no convergence",
    "non-finite": "non-finite value",
}


@functools.lru_cache(maxsize=64)
def _newton_bundle(f: str):
    expr = parse(f, ("x",))
    return scalar_bundle([expr, sp.diff(expr, X)], [X])


@dataclass(kw_only=True)
class NewtonResult(IterationResult):
    """``history`` is x₀, x₁, …, x_k; ``x`` the last of them (the root when ``success``);
    ``status`` is "converged" or a key of FAILURES."""
    f: str
    fx: np.ndarray               # f(x_n) for each n where it could be computed
    dfx: np.ndarray              # f'(x_n)
    notes: list[str] = field(default_factory=list)


def newton_raphson(f: str, x0: float, max_iter: int = 50, tol: float = 1e-12) -> NewtonResult:
    """Run x_{n+1} = x_n − f(x_n)/f'(x_n) from x0 and say how it ended.

    Succeeds when a step is below ``tol·max(1, |x|)`` (or f(x) is exactly 0); otherwise names the
    failure: a zero derivative, divergence (|x| beyond 1e6·max(1, |x0|)), a cycle (a revisited
    earlier value while still far from converging), no convergence within ``max_iter`` steps, or a
    non-finite value of f, f' or x.
    """
    bundle = _newton_bundle(f)
    x0 = float(x0)
    xs, fs, ds = [x0], [], []
    limit = 1e6 * max(1.0, abs(x0))

    def done(message, status="converged"):
        res = NewtonResult(x=xs[-1], success=status == "converged", status=status, message=message,
                           nit=len(xs) - 1, history=np.array(xs), f=f, fx=np.array(fs), dfx=np.array(ds))
        res.notes = _newton_notes(res)
        return res

    x = x0
    for n in range(max_iter + 1):
        try:
            fx, dfx = bundle(x)
        except NonFinite:
            fx = float(vectorised(parse(f, ("x",)), ("x",))(x))
            if fx == 0.0:          # a root where f′ is undefined (∛x at 0): still a root
                fs.append(fx)
                ds.append(math.nan)
                return done(f"f(x{_sub(n)}) = 0 exactly: x{_sub(n)} = {x:.12g} is a root "
                            "(f′ is not defined there).")
            return done(_undefined_message(fx, x, n), "non-finite")
        fs.append(fx)
        ds.append(dfx)
        if fx == 0.0:
            return done(f"f(x{_sub(n)}) = 0 exactly: x{_sub(n)} = {x:.12g} is a root.")
        if n == max_iter:
            break
        if dfx == 0.0:
            return done(f"Zero derivative: f′(x{_sub(n)}) = 0 at x{_sub(n)} = {x:.6g}, so the "
                        "tangent is flat and never crosses the axis.", "zero-derivative")
        with np.errstate(all="ignore"):
            x_new = x - fx / dfx
        if not math.isfinite(x_new):
            return done(f"The step from x{_sub(n)} = {x:.6g} is not finite (f′ is too close to 0).",
                        "non-finite")
        xs.append(x_new)
        if abs(x_new - x) <= tol * max(1.0, abs(x)):
            return done(f"Converged to the root x = {x_new:.12g} after {n + 1} steps.")
        if abs(x_new) > limit:
            return done(f"Divergence: x{_sub(n + 1)} = {x_new:.4g} has run far away "
                        "(each tangent throws the next guess further out).", "diverged")
        # a cycle: we are back (to 1e-9) at an earlier, not-the-last value while steps stay large
        far = abs(x_new - x) > 1e-6 * max(1.0, abs(x))
        if far:
            for j in range(n - 1, -1, -1):
                if abs(x_new - xs[j]) <= 1e-9 * max(1.0, abs(x_new)):
                    period = n + 1 - j
                    return done(f"Cycle: x{_sub(n + 1)} = {x_new:.6g} repeats x{_sub(j)}; Newton "
                                f"bounces between {period} values for ever.", "cycle")
        x = x_new
    return done(f"No convergence within {max_iter} steps (last x = {xs[-1]:.6g}).", "max-iter")


def _undefined_message(fx: float, x: float, n: int) -> str:
    """Which of f (value ``fx``, NaN where undefined) and f′ has no real, finite value at x = xₙ."""
    at = f"x{_sub(n)} = {x:.6g}"
    if not math.isfinite(fx):
        return (f"f is not defined at {at}: it has no real value there (an even root or the log of a "
                "negative number, or a division by zero), so Newton cannot go on.")
    return (f"f′ is not defined at {at} (the graph has a vertical tangent, a corner or a pole "
            "there), so there is no tangent to follow.")


def _newton_notes(res: NewtonResult) -> list[str]:
    notes = []
    h = res.history
    if len(h) > 1:
        jumps = np.abs(np.diff(h))
        k = int(np.argmax(jumps))
        if jumps[k] > 10 and jumps[k] > 5 * max(1.0, abs(h[k])):
            notes.append(f"Thrown far away: step {k + 1} jumps from {h[k]:.4g} to {h[k + 1]:.4g}, "
                         "because the tangent there is nearly flat.")
    if res.status == "diverged" and len(h) >= 4 and np.all(h[:-1] != 0):
        ratios = h[1:] / h[:-1]
        r = ratios[-1]
        if abs(r) > 1 and np.allclose(ratios[-3:], r, rtol=1e-6):
            notes.append(f"Each step multiplies x by {nice_text(r, 4)} (xₙ₊₁ = {nice_text(r, 4)}·xₙ), so the guesses run away "
                         "geometrically" + (": the tangent to ∛x at any x crosses the axis at −2x."
                                            if abs(r + 2) < 1e-6 else "."))
    if res.success and res.nit > 15:
        notes.append(f"It wandered: {res.nit} steps were needed, far more than the handful Newton "
                     "takes once it is close to a root.")
    if res.success and len(h) > 1 and abs(h[-1] - h[0]) > 3:
        notes.append(f"The root reached ({h[-1]:.6g}) is not the one nearest the start.")
    return notes


@dataclass
class Basins:
    x0: np.ndarray            # the starting points across the window
    label: np.ndarray         # index into roots, or -1 for "fails"
    roots: np.ndarray         # the distinct roots reached, sorted


def newton_basins(f: str, lo: float, hi: float, n: int = 400, max_iter: int = 50) -> Basins:
    """Run Newton from every x0 of ``linspace(lo, hi, n)`` at once (vectorised) and label the root."""
    expr = parse(f, ("x",))
    fn = vectorised(expr, ("x",))
    dfn = vectorised(sp.diff(expr, X), ("x",))
    x0 = np.linspace(lo, hi, n)
    x = x0.copy()
    active = np.ones(n, bool)
    ok = np.zeros(n, bool)
    limit = 1e6 * np.maximum(1.0, np.abs(x0))
    with np.errstate(all="ignore"):
        for _ in range(max_iter):
            if not active.any():
                break
            xa = x[active]
            fx, dfx = fn(xa), dfn(xa)
            new = xa - fx / dfx
            idx = np.flatnonzero(active)
            exact = fx == 0
            bad = ~np.isfinite(new) | (dfx == 0) | (np.abs(new) > limit[idx])
            conv = exact | (np.isfinite(new) & (np.abs(new - xa) <= 1e-12 * np.maximum(1, np.abs(xa))))
            new = np.where(exact, xa, new)
            x[idx] = new
            ok[idx[conv & ~bad | exact]] = True
            active[idx[conv | bad | exact]] = False
    finals = np.sort(x[ok])
    roots: list[float] = []
    for r in finals:
        if not roots or abs(r - roots[-1]) > 1e-6 * max(1.0, abs(r)):
            roots.append(float(r))
    roots_arr = np.array(roots)
    label = np.full(n, -1)
    if len(roots_arr):
        nearest = np.abs(x[:, None] - roots_arr[None, :]).argmin(axis=1)
        label = np.where(ok, nearest, -1)
    return Basins(x0, label, roots_arr)
