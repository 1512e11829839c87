"""Optimisation, step by step: Newton-Raphson in 1D, descent strategies in 2D, Lagrange multipliers.

Everything here takes the user's TEXT (parsed with the safe parser) and returns small dataclasses
with the whole iteration history, so a chart and a test read the same numbers.

The iteration steps are written by hand on purpose (they are the lesson); derivatives come from
sympy once per function text and are compiled to plain-``math`` scalar code (with a numpy fallback)
and cached, so a 1,000-step path costs milliseconds.  scipy is used where a library should be:
root finding for the Lagrange conditions (``scipy.optimize.root``), and the tests compare the
hand-written methods with ``scipy.optimize``.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import sympy as sp

from explorer.expressions import compile_expression, parse_expression
from explorer import symbolic
from explorer.multivariate import point_from_click   # click → slider grid, shared with that page

__all__ = [
    "NewtonResult", "newton_raphson", "newton_basins", "Basins",
    "DescentResult", "descend", "METHODS", "HYBRID_MAX_STEP", "HYBRID_GAMMA",
    "LagrangePoint", "LagrangeSolution", "lagrange_points", "lagrange_solve",
    "ConstraintWalk", "constraint_walk", "grid", "start_from_click",
]

# real symbols: then d|x|/dx is sign(x), not an expression in re(x), im(x)
X, Y, LAM = sp.Symbol("x", real=True), sp.Symbol("y", real=True), sp.Symbol("lam", real=True)


def _parse(text: str, variables=("x", "y")) -> sp.Expr:
    """The safe parser, with the variables made real symbols for differentiation."""
    e = parse_expression(text, variables)
    return e.xreplace({sp.Symbol("x"): X, sp.Symbol("y"): Y})


class _NonFinite(ArithmeticError):
    """A value along the iteration was undefined, infinite or overflowed."""


# ---------------------------------------------------------------------------------------------
# Compiled scalar bundles: one call returns f and all the derivatives a step needs.
def _scalar_bundle(exprs: Sequence[sp.Expr], syms: Sequence[sp.Symbol]) -> Callable[..., tuple]:
    """A function of floats returning a tuple of floats; raises _NonFinite on any domain error."""
    # derivatives of abs/sign/max leave Derivative(...) or DiracDelta terms: 0 almost everywhere
    exprs = [(sp.S.Zero + e).replace(sp.Derivative, lambda *a: sp.S.Zero)
             .replace(sp.DiracDelta, lambda *a: sp.S.Zero) for e in exprs]
    probe = tuple(0.3127 + 0.1 * i for i in range(len(syms)))
    fast = None
    try:
        fast = sp.lambdify(syms, exprs, modules="math", cse=True)
        fast(*probe)
    except (ValueError, OverflowError, ZeroDivisionError):
        pass                                # a domain error at the probe point is fine
    except Exception:
        fast = None                         # a function plain math does not know (sign, Heaviside, ...)
    slow = []   # the numpy/scipy fallback, built only when plain math cannot do it

    def run_slow(*args):
        if not slow:
            slow.append(sp.lambdify(syms, exprs, modules=["scipy", "numpy"], cse=True))
        with np.errstate(all="ignore"):
            vals = slow[0](*args)
        out = []
        for v in vals:
            v = complex(v) if np.iscomplexobj(v) else float(v)
            if isinstance(v, complex):
                if abs(v.imag) > 1e-12 * (1 + abs(v.real)):
                    raise _NonFinite
                v = v.real
            out.append(v)
        return out

    def call(*args):
        try:
            vals = fast(*args) if fast is not None else run_slow(*args)
        except (ValueError, OverflowError, ZeroDivisionError, TypeError):
            raise _NonFinite from None
        out = tuple(float(v) for v in vals) if fast is not None else tuple(vals)
        for v in out:
            if not math.isfinite(v):
                raise _NonFinite
        return out

    return call


@functools.lru_cache(maxsize=64)
def _newton_bundle(f: str):
    expr = _parse(f, ("x",))
    return _scalar_bundle([expr, sp.diff(expr, X)], [X])


@functools.lru_cache(maxsize=64)
def _derivatives_2d(f: str):
    expr = _parse(f)
    fx, fy = sp.diff(expr, X), sp.diff(expr, Y)
    return expr, fx, fy, sp.diff(fx, X), sp.diff(fx, Y), sp.diff(fy, Y)


@functools.lru_cache(maxsize=64)
def _descent_bundle(f: str):
    """(x, y) -> (f, fx, fy, fxx, fxy, fyy), lambdified once per function text."""
    return _scalar_bundle(_derivatives_2d(f), [X, Y])


# ---------------------------------------------------------------------------------------------
# Newton-Raphson in one dimension
FAILURES = {
    "zero-derivative": "zero derivative",
    "divergence": "divergence",
    "cycle": "cycle",
    "max-iter": "no convergence",
    "non-finite": "non-finite value",
}


@dataclass
class NewtonResult:
    f: str
    x0: float
    history: np.ndarray          # x_0, x_1, ..., x_k
    fx: np.ndarray               # f(x_n) for each n where it could be computed
    dfx: np.ndarray              # f'(x_n)
    converged: bool
    root: float | None
    reason: str                  # one sentence for a learner
    failure: str | None = None   # None or a key of FAILURES
    notes: list[str] = field(default_factory=list)

    @property
    def steps(self) -> int:
        return len(self.history) - 1


def newton_raphson(f: str, x0: float, max_iter: int = 50, tol: float = 1e-12) -> NewtonResult:
    """Run x_{n+1} = x_n − f(x_n)/f'(x_n) from x0 and say how it ended.

    Stops with ``converged=True`` when a step is below ``tol·max(1, |x|)`` (or f(x) is exactly 0);
    otherwise names the failure: a zero derivative, divergence (|x| beyond 1e6·max(1, |x0|)),
    a cycle (a revisited earlier value while still far from converging), no convergence within
    ``max_iter`` steps, or a non-finite value of f, f' or x.
    """
    bundle = _newton_bundle(f)
    x0 = float(x0)
    xs, fs, ds = [x0], [], []
    limit = 1e6 * max(1.0, abs(x0))

    def done(converged, reason, failure=None):
        res = NewtonResult(f, x0, np.array(xs), np.array(fs), np.array(ds), converged,
                           xs[-1] if converged else None, reason, failure)
        res.notes = _newton_notes(res)
        return res

    x = x0
    for n in range(max_iter + 1):
        try:
            fx, dfx = bundle(x)
        except _NonFinite:
            return done(False, f"f or f′ is not defined (or not finite) at x{_sub(n)} = {x:.6g}.",
                        "non-finite")
        fs.append(fx)
        ds.append(dfx)
        if fx == 0.0:
            return done(True, f"f(x{_sub(n)}) = 0 exactly: x{_sub(n)} = {x:.12g} is a root.")
        if n == max_iter:
            break
        if dfx == 0.0:
            return done(False, f"Zero derivative: f′(x{_sub(n)}) = 0 at x{_sub(n)} = {x:.6g}, so the "
                               "tangent is flat and never crosses the axis.", "zero-derivative")
        with np.errstate(all="ignore"):
            x_new = x - fx / dfx
        if not math.isfinite(x_new):
            return done(False, f"The step from x{_sub(n)} = {x:.6g} is not finite (f′ is too close to 0).",
                        "non-finite")
        xs.append(x_new)
        if abs(x_new - x) <= tol * max(1.0, abs(x)):
            return done(True, f"Converged to the root x = {x_new:.12g} after {n + 1} steps.")
        if abs(x_new) > limit:
            return done(False, f"Divergence: x{_sub(n + 1)} = {x_new:.4g} has run far away "
                               "(each tangent throws the next guess further out).", "divergence")
        # a cycle: we are back (to 1e-9) at an earlier, not-the-last value while steps stay large
        far = abs(x_new - x) > 1e-6 * max(1.0, abs(x))
        if far:
            for j in range(n - 1, -1, -1):
                if abs(x_new - xs[j]) <= 1e-9 * max(1.0, abs(x_new)):
                    period = n + 1 - j
                    return done(False, f"Cycle: x{_sub(n + 1)} = {x_new:.6g} repeats x{_sub(j)}; Newton "
                                       f"bounces between {period} values for ever.", "cycle")
        x = x_new
    return done(False, f"No convergence within {max_iter} steps (last x = {xs[-1]:.6g}).", "max-iter")


def _newton_notes(res: NewtonResult) -> list[str]:
    notes = []
    h = res.history
    if len(h) > 1:
        jumps = np.abs(np.diff(h))
        k = int(np.argmax(jumps))
        if jumps[k] > 10 and jumps[k] > 5 * max(1.0, abs(h[k])):
            notes.append(f"Thrown far away: step {k + 1} jumps from {h[k]:.4g} to {h[k + 1]:.4g}, "
                         "because the tangent there is nearly flat.")
    if res.converged and res.steps > 15:
        notes.append(f"It wandered: {res.steps} steps were needed, far more than the handful Newton "
                     "takes once it is close to a root.")
    if res.converged and len(h) > 1 and abs(h[-1] - h[0]) > 3:
        notes.append(f"The root reached ({h[-1]:.6g}) is not the one nearest the start.")
    return notes


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


@dataclass
class Basins:
    x0: np.ndarray            # the starting points across the window
    label: np.ndarray         # index into roots, or -1 for "fails"
    roots: np.ndarray         # the distinct roots reached, sorted
    steps: np.ndarray         # steps taken (max_iter + 1 for failures)


def newton_basins(f: str, lo: float, hi: float, n: int = 400, max_iter: int = 50) -> Basins:
    """Run Newton from every x0 of ``linspace(lo, hi, n)`` at once (vectorised) and label the root."""
    expr = parse_expression(f, ("x",))
    fn = compile_expression(expr, ("x",))
    dfn = compile_expression(sp.diff(_parse(f, ("x",)), X).xreplace({X: sp.Symbol("x")}), ("x",))
    x0 = np.linspace(lo, hi, n)
    x = x0.copy()
    active = np.ones(n, bool)
    ok = np.zeros(n, bool)
    steps = np.full(n, max_iter + 1)
    limit = 1e6 * np.maximum(1.0, np.abs(x0))
    with np.errstate(all="ignore"):
        for k in range(max_iter):
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
            steps[idx[conv & ~bad | exact]] = k + 1
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
    return Basins(x0, label, roots_arr, steps)


# ---------------------------------------------------------------------------------------------
# Descent in two dimensions
METHODS = {
    "gradient": "Steepest descent −γ∇f",
    "newton": "Newton −H⁻¹∇f",
    "hybrid": "Hybrid (course)",
    "momentum": "Momentum",
    "adam": "Adam",
}
HYBRID_MAX_STEP = 2.0     # the course's sandpit code: use −γ∇f if the Newton step is longer than 2 ...
HYBRID_GAMMA = 0.5        # ... or points uphill; its γ there is 0.5 (here: the page's step γ)
MOMENTUM_BETA = 0.9
ADAM_BETAS = (0.9, 0.999)
ADAM_EPS = 1e-8
GRAD_TOL = 1e-8
BLOW_UP = 1e6             # |x| or |y| beyond this: the run has diverged


@dataclass
class DescentResult:
    f: str
    method: str
    step: float
    path: np.ndarray            # (k, 2) points, the start first
    values: np.ndarray          # f at each point of the path
    grad_norm: np.ndarray       # ‖∇f‖ at each point
    converged: bool
    reason: str
    failure: str | None = None  # None, "divergence", "non-finite", "max-iter", "singular", "stationary",
    #                             "left-window"
    used_newton: np.ndarray | None = None   # hybrid: which steps were Newton steps

    @property
    def iterations(self) -> int:
        return len(self.path) - 1


def descend(f: str, start: tuple[float, float], method: str, step: float = 0.1,
            max_iter: int = 1000, bounds: tuple[float, float, float, float] | None = None
            ) -> DescentResult:
    """Minimise f(x, y) from ``start`` with one of METHODS, recording every point.

    gradient  p ← p − γ∇f
    newton    p ← p − H⁻¹∇f            (finds any stationary point: maxima and saddles too)
    hybrid    the Newton step, unless it points uphill (d·∇f ≥ 0) or is longer than
              HYBRID_MAX_STEP, then −γ∇f (the course's sandpit strategy)
    momentum  v ← βv − γ∇f, p ← p + v  (β = 0.9)
    adam      Adam with learning rate γ, β = (0.9, 0.999)
    Converged when ‖∇f‖ < 1e-8; stops with a message when values blow up or become undefined,
    and (when ``bounds`` = (x0, x1, y0, y1) is given, e.g. the walls of a sandpit) when it leaves them.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    bundle = _descent_bundle(f)
    gamma = float(step)
    px, py = float(start[0]), float(start[1])
    xs, ys, fs, gs, newton_flags = [px], [py], [], [], []
    vx = vy = 0.0
    mx = my = sx = sy = 0.0
    b1, b2 = ADAM_BETAS
    converged, failure, reason = False, None, ""
    k = 0
    while True:
        try:
            fv, gx, gy, hxx, hxy, hyy = bundle(px, py)
        except _NonFinite:
            if fs:   # drop the point we could not evaluate
                xs.pop(), ys.pop()
            failure = "non-finite"
            reason = (f"Stopped after {k} steps: f or its derivatives are not defined (NaN/∞) at "
                      f"({px:.4g}, {py:.4g}) — the step left the region where f exists.")
            if len(fs) and (abs(px) > 1e3 or abs(py) > 1e3 or abs(fs[-1]) > 1e100):
                failure = "divergence"
                reason = (f"Diverged after {k} steps: the values exploded (f is not finite at "
                          f"({px:.3g}, {py:.3g})). Try a smaller step γ.")
            break
        fs.append(fv)
        gnorm = math.hypot(gx, gy)
        gs.append(gnorm)
        if gnorm < GRAD_TOL:
            converged = True
            kind = _stationary_kind(hxx, hxy, hyy)
            reason = f"Converged in {k} steps to ({px:.6g}, {py:.6g}), f = {fv:.6g}" + (
                "." if kind == "minimum" else f" — but this is a {kind}, not a minimum!")
            if kind != "minimum":
                failure = "stationary"
            break
        if abs(px) > BLOW_UP or abs(py) > BLOW_UP or abs(fv) > 1e100:
            failure = "divergence"
            reason = (f"Diverged after {k} steps: the point ran off to ({px:.3g}, {py:.3g}) "
                      "(values exploding). Try a smaller step γ.")
            break
        if bounds is not None and not (bounds[0] <= px <= bounds[1] and bounds[2] <= py <= bounds[3]):
            failure = "left-window"
            reason = (f"Left the area after {k} steps at ({px:.3g}, {py:.3g}): outside it the surface "
                      "keeps falling, so descent would run off for ever.")
            break
        if k >= max_iter:
            failure = "max-iter"
            reason = f"Not converged within {max_iter} steps (‖∇f‖ = {gnorm:.3g} at the end)."
            break
        used_newton = False
        if method == "gradient":
            dx, dy = -gamma * gx, -gamma * gy
        elif method in ("newton", "hybrid"):
            det = hxx * hyy - hxy * hxy
            if det == 0.0 or not math.isfinite(det) or abs(det) < 1e-300:
                if method == "newton":
                    failure = "singular"
                    reason = (f"Stopped after {k} steps: the Hessian is singular at ({px:.4g}, {py:.4g}), "
                              "so the Newton step −H⁻¹∇f does not exist.")
                    break
                dx, dy = -gamma * gx, -gamma * gy
            else:
                nx = -(hyy * gx - hxy * gy) / det
                ny = -(-hxy * gx + hxx * gy) / det
                if method == "newton":
                    dx, dy, used_newton = nx, ny, True
                elif nx * gx + ny * gy >= 0 or math.hypot(nx, ny) > HYBRID_MAX_STEP:
                    dx, dy = -gamma * gx, -gamma * gy
                else:
                    dx, dy, used_newton = nx, ny, True
        elif method == "momentum":
            vx = MOMENTUM_BETA * vx - gamma * gx
            vy = MOMENTUM_BETA * vy - gamma * gy
            dx, dy = vx, vy
        else:  # adam
            t = k + 1
            mx = b1 * mx + (1 - b1) * gx
            my = b1 * my + (1 - b1) * gy
            sx = b2 * sx + (1 - b2) * gx * gx
            sy = b2 * sy + (1 - b2) * gy * gy
            c1, c2 = 1 - b1 ** t, 1 - b2 ** t
            dx = -gamma * (mx / c1) / (math.sqrt(sx / c2) + ADAM_EPS)
            dy = -gamma * (my / c1) / (math.sqrt(sy / c2) + ADAM_EPS)
        newton_flags.append(used_newton)
        px, py = px + dx, py + dy
        if not (math.isfinite(px) and math.isfinite(py)):
            failure = "divergence"
            reason = f"Diverged after {k + 1} steps: the step became infinite. Try a smaller step γ."
            newton_flags.pop()
            break
        xs.append(px)
        ys.append(py)
        k += 1
    n = len(fs)
    path = np.column_stack([xs[:n], ys[:n]]) if n else np.array([[float(start[0]), float(start[1])]])
    return DescentResult(f, method, gamma, path, np.array(fs), np.array(gs), converged, reason, failure,
                         np.array(newton_flags[: max(n - 1, 0)], bool))


def start_from_click(point, lo: float = -6.0, hi: float = 6.0, step: float = 0.05
                     ) -> tuple[float, float] | None:
    """The start (x, y) a click on the contour map picks: each coordinate snapped to the start
    sliders' ``step`` and clamped to their range [lo, hi]; None for no usable click."""
    return point_from_click(point, (lo, hi), (lo, hi), step)


def _stationary_kind(hxx: float, hxy: float, hyy: float) -> str:
    det = hxx * hyy - hxy * hxy
    scale = max(1e-300, abs(hxx) + abs(hyy) + abs(hxy)) ** 2
    if abs(det) <= 1e-12 * scale:
        return "degenerate stationary point"
    if det < 0:
        return "saddle point"
    return "minimum" if hxx + hyy > 0 else "maximum"


def grid(f: str, window: tuple[float, float, float, float], n: int = 60, digits: int = 4):
    """A rounded n×n grid of f(x, y) over ``window`` = (x0, x1, y0, y1) for charts (NaN where undefined)."""
    x0, x1, y0, y1 = window
    xs = np.round(np.linspace(x0, x1, n), 6)
    ys = np.round(np.linspace(y0, y1, n), 6)
    Xg, Yg = np.meshgrid(xs, ys)
    Z = compile_expression(f, ("x", "y"))(Xg, Yg)
    with np.errstate(all="ignore"):
        mag = np.nanmax(np.abs(Z)) if np.isfinite(Z).any() else 1.0
    if mag > 0 and np.isfinite(mag):
        Z = np.round(Z, max(0, digits - int(math.floor(math.log10(mag)))))
    return xs, ys, Z


# ---------------------------------------------------------------------------------------------
# Lagrange multipliers
@dataclass
class LagrangePoint:
    x: float
    y: float
    lam: float
    f: float
    kind: str            # "max", "min" or "other" (constrained, local)
    method: str = "numeric"


@dataclass
class LagrangeSolution:
    points: list[LagrangePoint]
    method: str          # "symbolic" or "numeric"
    note: str = ""


@functools.lru_cache(maxsize=32)
def _lagrange_bundle(f: str, g: str):
    fe, ge = _parse(f), _parse(g)
    fx, fy, gx, gy = sp.diff(fe, X), sp.diff(fe, Y), sp.diff(ge, X), sp.diff(ge, Y)
    exprs = [fe, fx, fy, ge, gx, gy, sp.diff(fx, X), sp.diff(fx, Y), sp.diff(fy, Y),
             sp.diff(gx, X), sp.diff(gx, Y), sp.diff(gy, Y)]
    return _scalar_bundle(exprs, [X, Y])


def _lagrange_symbolic(f: str, g: str) -> list[tuple[float, float, float]] | None:
    """Solve ∇f = λ∇g, g = 0 with sympy (module level: runs under ``symbolic.call``'s deadline).

    Returns the real solutions as floats, or None when sympy's answer is not a finite list of points.
    """
    fe, ge = _parse(f), _parse(g)
    eqs = [sp.diff(fe, X) - LAM * sp.diff(ge, X), sp.diff(fe, Y) - LAM * sp.diff(ge, Y), ge]
    sols = sp.solve(eqs, [X, Y, LAM], dict=True)
    out = []
    for s in sols:
        if not all(v in s for v in (X, Y, LAM)):
            return None
        vals = []
        for v in (X, Y, LAM):
            c = complex(sp.N(s[v], 30))
            if abs(c.imag) > 1e-10 * (1 + abs(c.real)):
                break
            vals.append(c.real)
        else:
            out.append(tuple(vals))
    return out


def _polynomial_small(text: str, max_degree: int = 4) -> bool:
    e = _parse(text)
    try:
        return e.is_polynomial(X, Y) and sp.Poly(e, X, Y).total_degree() <= max_degree
    except sp.PolynomialError:
        return False


def lagrange_points(f: str, g: str, window: tuple[float, float, float, float] = (-6, 6, -6, 6)
                    ) -> list[LagrangePoint]:
    """The solutions of ∇f = λ∇g, g = 0 (see ``lagrange_solve``), each with λ, f and its kind."""
    return lagrange_solve(f, g, window).points


def lagrange_solve(f: str, g: str, window: tuple[float, float, float, float] = (-6, 6, -6, 6),
                   timeout: float = 2.0) -> LagrangeSolution:
    """Symbolically when f and g are small polynomials and sympy answers within ``timeout``;
    otherwise numerically: ``scipy.optimize.root`` on (∇f − λ∇g, g) from many starts along the
    constraint curve in ``window``, deduplicated.  Each point is classified by the second derivative
    of f along the curve, tᵀ(H_f − λH_g)t with t the unit tangent: < 0 max, > 0 min, else other."""
    bundle = _lagrange_bundle(f, g)
    note = ""
    triples = None
    if _polynomial_small(f) and _polynomial_small(g):
        try:
            triples = symbolic.call(_lagrange_symbolic, f, g, timeout=timeout)
        except symbolic.SymbolicTimeout:
            note = "sympy took too long — showing a numeric result instead."
        except Exception:   # sympy could not do it: the numeric route answers instead
            triples = None
    method = "symbolic" if triples is not None else "numeric"
    if triples is None:
        triples = _lagrange_numeric(bundle, g, window)
        if len(triples) >= 25:   # nearly every start is a solution: f is constant along the curve
            return LagrangeSolution([], method, "∇f = λ∇g holds all along the curve (f is constant on "
                                                "it), so every point of the constraint is a candidate.")
    points = []
    for x, y, lam in triples:
        try:
            vals = bundle(x, y)
        except _NonFinite:
            continue
        points.append(LagrangePoint(x, y, lam, vals[0], _constrained_kind(vals, lam), method))
    points.sort(key=lambda p: (-p.f, p.x, p.y))
    return LagrangeSolution(points, method, note)


def _constrained_kind(vals, lam: float) -> str:
    _, fx, fy, _, gx, gy, fxx, fxy, fyy, gxx, gxy, gyy = vals
    norm = math.hypot(gx, gy)
    if norm == 0:
        return "other"
    tx, ty = -gy / norm, gx / norm
    qf = tx * tx * fxx + 2 * tx * ty * fxy + ty * ty * fyy
    qg = tx * tx * gxx + 2 * tx * ty * gxy + ty * ty * gyy
    q = qf - lam * qg
    if abs(q) <= 1e-7 * (abs(qf) + abs(lam * qg) + 1e-300):
        return "other"
    return "min" if q > 0 else "max"


def _lagrange_numeric(bundle, g: str, window) -> list[tuple[float, float, float]]:
    from scipy.optimize import root

    def F(v):
        x, y, lam = v
        try:
            _, fx, fy, gv, gx, gy, fxx, fxy, fyy, gxx, gxy, gyy = bundle(x, y)
        except _NonFinite:
            return np.full(3, 1e10), np.eye(3)
        res = np.array([fx - lam * gx, fy - lam * gy, gv])
        jac = np.array([[fxx - lam * gxx, fxy - lam * gxy, -gx],
                        [fxy - lam * gxy, fyy - lam * gyy, -gy],
                        [gx, gy, 0.0]])
        return res, jac

    starts = []
    for comp in _trace_all(g, window):
        pts = comp.points
        take = np.unique(np.linspace(0, len(pts) - 1, min(len(pts), 40)).astype(int))
        starts.extend(pts[take])
    x0, x1, y0, y1 = window
    if not starts:   # no curve found in the window: a coarse grid of starts
        starts = [(a, b) for a in np.linspace(x0, x1, 7) for b in np.linspace(y0, y1, 7)]
    found: list[tuple[float, float, float]] = []
    span = max(x1 - x0, y1 - y0)
    for sx, sy in starts:
        try:
            vals = bundle(float(sx), float(sy))
        except _NonFinite:
            continue
        gx, gy = vals[4], vals[5]
        lam0 = (vals[1] * gx + vals[2] * gy) / (gx * gx + gy * gy or 1.0)
        with np.errstate(all="ignore"):
            sol = root(F, [sx, sy, lam0], jac=True, method="hybr", options={"xtol": 1e-13})
        x, y, lam = (float(v) for v in sol.x)
        if not all(math.isfinite(v) for v in (x, y, lam)):
            continue
        res, _ = F(sol.x)
        if np.max(np.abs(res)) > 1e-9 * max(1.0, abs(lam)):
            continue
        if not (x0 - 0.5 * span <= x <= x1 + 0.5 * span and y0 - 0.5 * span <= y <= y1 + 0.5 * span):
            continue
        if any(abs(x - a) < 1e-6 * max(1, abs(x)) and abs(y - b) < 1e-6 * max(1, abs(y)) for a, b, _ in found):
            continue
        found.append((x, y, lam))
    return found


# ---------------------------------------------------------------------------------------------
# The constraint curve g = 0, traced in order (for the walk along it and for numeric starts)
@dataclass
class _Component:
    points: np.ndarray      # (m, 2) ordered along the curve
    closed: bool


@functools.lru_cache(maxsize=32)
def _g_bundle(g: str):
    ge = _parse(g)
    return _scalar_bundle([ge, sp.diff(ge, X), sp.diff(ge, Y)], [X, Y])


def _project(gb, x: float, y: float, iters: int = 6):
    for _ in range(iters):
        gv, gx, gy = gb(x, y)
        n2 = gx * gx + gy * gy
        if n2 == 0:
            raise _NonFinite
        x, y = x - gv * gx / n2, y - gv * gy / n2
        if abs(gv) < 1e-13:
            break
    return x, y


@functools.lru_cache(maxsize=32)
def _trace_all_cached(g: str, window: tuple[float, float, float, float], max_components: int = 6):
    gb = _g_bundle(g)
    x0, x1, y0, y1 = window
    n = 81
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    Xg, Yg = np.meshgrid(xs, ys)
    G = compile_expression(g, ("x", "y"))(Xg, Yg)
    seeds = []
    with np.errstate(all="ignore"):
        for A, B, PA, PB in ((G[:, :-1], G[:, 1:], (Xg[:, :-1], Yg[:, :-1]), (Xg[:, 1:], Yg[:, 1:])),
                             (G[:-1, :], G[1:, :], (Xg[:-1, :], Yg[:-1, :]), (Xg[1:, :], Yg[1:, :]))):
            mask = np.isfinite(A) & np.isfinite(B) & (np.sign(A) != np.sign(B))
            t = np.where(mask, A / (A - B), 0)
            sx = PA[0] + t * (PB[0] - PA[0])
            sy = PA[1] + t * (PB[1] - PA[1])
            seeds.extend(zip(sx[mask], sy[mask]))
    ds = math.hypot(x1 - x0, y1 - y0) / 400
    comps: list[_Component] = []
    covered = np.empty((0, 2))
    for sx, sy in seeds:
        if len(comps) >= max_components:
            break
        if len(covered) and np.min(np.hypot(covered[:, 0] - sx, covered[:, 1] - sy)) < 3 * ds:
            continue
        try:
            p = _project(gb, float(sx), float(sy))
        except _NonFinite:
            continue
        comp = _trace(gb, p, ds, window)
        if comp is None or len(comp.points) < 3:
            continue
        comps.append(comp)
        covered = np.vstack([covered, comp.points])
    return tuple(comps)


def _trace_all(g: str, window) -> tuple[_Component, ...]:
    return _trace_all_cached(g, tuple(float(v) for v in window))


def _trace(gb, p, ds, window, max_points: int = 2500) -> _Component | None:
    x0, x1, y0, y1 = window
    mx, my = 0.02 * (x1 - x0), 0.02 * (y1 - y0)

    def inside(q):
        return x0 - mx <= q[0] <= x1 + mx and y0 - my <= q[1] <= y1 + my

    def tangent(q, prev):
        _, gx, gy = gb(*q)
        nrm = math.hypot(gx, gy)
        if nrm == 0:
            raise _NonFinite
        t = (-gy / nrm, gx / nrm)
        if prev is not None and t[0] * prev[0] + t[1] * prev[1] < 0:
            t = (-t[0], -t[1])
        return t

    def walk(sign):
        pts, prev = [], None
        q = p
        try:
            t = tangent(q, None)
        except _NonFinite:
            return pts, False
        t = (sign * t[0], sign * t[1])
        for i in range(max_points):
            try:
                q_new = _project(gb, q[0] + ds * t[0], q[1] + ds * t[1])
                if math.hypot(q_new[0] - q[0], q_new[1] - q[1]) > 3 * ds:
                    break
                t = tangent(q_new, t)
            except _NonFinite:
                break
            q = q_new
            if not inside(q):
                break
            pts.append(q)
            if i > 10 and math.hypot(q[0] - p[0], q[1] - p[1]) < 1.2 * ds:
                return pts, True
        return pts, False

    fwd, closed = walk(+1)
    if closed:
        pts = [p] + fwd
    else:
        back, _ = walk(-1)
        pts = back[::-1] + [p] + fwd
    return _Component(np.array(pts), closed)


@functools.lru_cache(maxsize=32)
def _walk_bundle(f: str, g: str):
    fe, ge = _parse(f), _parse(g)
    return _scalar_bundle([fe, sp.diff(fe, X), sp.diff(fe, Y), sp.diff(ge, X), sp.diff(ge, Y)], [X, Y])


def _ok(bundle, a, b) -> bool:
    try:
        bundle(float(a), float(b))
        return True
    except _NonFinite:
        return False


@dataclass
class ConstraintWalk:
    s: np.ndarray            # cumulative arclength (jumps between components are not counted)
    x: np.ndarray
    y: np.ndarray
    f: np.ndarray            # f along the curve
    grad_f: np.ndarray       # (m, 2)
    grad_g: np.ndarray       # (m, 2)
    parallel: np.ndarray     # |cos| of the angle between ∇f and ∇g (1 = parallel)
    component: np.ndarray    # which piece of the curve each point is on
    closed: list[bool]


def constraint_walk(f: str, g: str, window: tuple[float, float, float, float]) -> ConstraintWalk | None:
    """Points in order along g = 0 inside the window with f, ∇f, ∇g and how parallel they are."""
    comps = _trace_all(g, window)
    if not comps:
        return None
    pts = np.vstack([c.points for c in comps])
    comp = np.concatenate([np.full(len(c.points), i) for i, c in enumerate(comps)])
    seg = np.hypot(*np.diff(pts, axis=0).T)
    seg[np.diff(comp) != 0] = 0.0
    s = np.concatenate([[0.0], np.cumsum(seg)])
    fb = _walk_bundle(f, g)
    x, y = pts[:, 0], pts[:, 1]
    vals = np.array([fb(float(a), float(b)) if _ok(fb, a, b) else (np.nan,) * 5 for a, b in pts])
    fv, gf, gg = vals[:, 0], vals[:, 1:3], vals[:, 3:5]
    with np.errstate(all="ignore"):
        cos = np.abs(np.sum(gf * gg, axis=1)) / (np.hypot(*gf.T) * np.hypot(*gg.T))
    return ConstraintWalk(s, x, y, fv, gf, gg, np.clip(cos, 0, 1), comp, [c.closed for c in comps])
