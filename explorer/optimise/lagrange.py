"""Lagrange multipliers: the points where ∇f = λ∇g on the constraint g = 0, each with λ, f and
whether it is a constrained maximum or minimum. Symbolically (sympy, under a deadline) for small
polynomials, otherwise numerically with ``scipy.optimize.root`` from starts along the traced curve."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from explorer import symbolic
from explorer.optimise.compiled import LAM, X, Y, NonFinite, parse, scalar_bundle
from explorer.optimise.constraint import trace_all


@dataclass
class LagrangePoint:
    x: float
    y: float
    lam: float
    f: float
    kind: str            # "max", "min" or "other" (constrained, local)


@dataclass
class LagrangeSolution:
    points: list[LagrangePoint]
    method: str          # "symbolic" or "numeric"
    note: str = ""


@functools.lru_cache(maxsize=32)
def _lagrange_bundle(f: str, g: str):
    fe, ge = parse(f), parse(g)
    fx, fy, gx, gy = sp.diff(fe, X), sp.diff(fe, Y), sp.diff(ge, X), sp.diff(ge, Y)
    exprs = [fe, fx, fy, ge, gx, gy, sp.diff(fx, X), sp.diff(fx, Y), sp.diff(fy, Y),
             sp.diff(gx, X), sp.diff(gx, Y), sp.diff(gy, Y)]
    return scalar_bundle(exprs, [X, Y])


def _lagrange_symbolic(f: str, g: str) -> list[tuple[float, float, float]] | None:
    """Solve ∇f = λ∇g, g = 0 with sympy (module level: runs under ``symbolic.call``'s deadline).

    Returns the real solutions as floats, or None when sympy's answer is not a finite list of points.
    """
    fe, ge = parse(f), parse(g)
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
    e = parse(text)
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
        except NonFinite:
            continue
        points.append(LagrangePoint(x, y, lam, vals[0], _constrained_kind(vals, lam)))
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
        except NonFinite:
            return np.full(3, 1e10), np.eye(3)
        res = np.array([fx - lam * gx, fy - lam * gy, gv])
        jac = np.array([[fxx - lam * gxx, fxy - lam * gxy, -gx],
                        [fxy - lam * gxy, fyy - lam * gyy, -gy],
                        [gx, gy, 0.0]])
        return res, jac

    starts = []
    for comp in trace_all(g, window):
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
        except NonFinite:
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
