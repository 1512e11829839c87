"""Multivariate calculus: surfaces f(x, y), their gradient, Jacobian and Hessian, and maps R² → R².

Everything here is plain numpy/sympy/scipy: the page draws what these functions return and the
tests check them against sympy and finite differences.

- ``derivatives(text)``: f, ∇f and H symbolically (sympy), through ``explorer.symbolic.call``.
- ``surface(text, xr, yr, n)``: a rounded grid for the 3D surface and the contour map.
- ``gradient_arrows(...)``: the whole gradient field as ONE polyline with NaN separators.
- ``analyse_point(...)``: f, ∇f, H, H's eigen-pairs and the min/max/saddle/inconclusive badge.
- ``slices``, ``tangent_plane``, ``directional_derivative``: the linked views of one point.
- ``map_jacobian`` / ``map_grid`` / ``square_image`` / ``det_samples``: a map R² → R² bending a grid.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from explorer.expressions import compile_expression, parse_expression, to_latex
from explorer import symbolic

VARS = ("x", "y")
X, Y = sp.Symbol("x"), sp.Symbol("y")

# ---------------------------------------------------------------------------------------------
# Presets
SANDPIT_INTRO = "-((x - 4.1)^2 + (y - 0.9)^2) - 30 exp(-((x - 1.5)^2 + (y - 3.7)^2)/2.8)"

PRESETS: dict[str, str] = {
    "bowl": "x^2 + y^2",
    "saddle": "x^2 - y^2",
    "Sandpit intro surface": SANDPIT_INTRO,
    "Himmelblau": "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    "Rosenbrock": "(1 - x)^2 + 100(y - x^2)^2",
    "peaks": "3(1 - x)^2 exp(-x^2 - (y + 1)^2) - 10(x/5 - x^3 - y^5) exp(-x^2 - y^2) "
             "- exp(-(x + 1)^2 - y^2)/3",
    "sin x · cos y": "sin(x) cos(y)",
}

# a good window for each preset: ((xmin, xmax), (ymin, ymax))
PRESET_RANGES: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "bowl": ((-3.0, 3.0), (-3.0, 3.0)),
    "saddle": ((-3.0, 3.0), (-3.0, 3.0)),
    "Sandpit intro surface": ((0.0, 6.0), (0.0, 6.0)),
    "Himmelblau": ((-5.0, 5.0), (-5.0, 5.0)),
    "Rosenbrock": ((-2.0, 2.0), (-1.0, 3.0)),
    "peaks": ((-3.0, 3.0), (-3.0, 3.0)),
    "sin x · cos y": ((-4.0, 4.0), (-4.0, 4.0)),
}
DEFAULT_RANGE = ((-3.0, 3.0), (-3.0, 3.0))


def preset_name(text: str) -> str | None:
    return next((n for n, t in PRESETS.items() if t == text), None)


def default_range(text: str):
    return PRESET_RANGES.get(preset_name(text) or "", DEFAULT_RANGE)


# ---------------------------------------------------------------------------------------------
# Symbolic derivatives
@dataclass(frozen=True)
class Derivatives:
    f: sp.Expr
    grad: tuple[sp.Expr, sp.Expr]
    hess: tuple[tuple[sp.Expr, sp.Expr], tuple[sp.Expr, sp.Expr]]

    def latex(self) -> dict[str, str]:
        fx, fy = (to_latex(g) for g in self.grad)
        (a, b), (c, d) = [[to_latex(h) for h in row] for row in self.hess]
        return {
            "f": to_latex(self.f),
            "J": r"J = \begin{bmatrix} \dfrac{\partial f}{\partial x} & \dfrac{\partial f}{\partial y}"
                 r"\end{bmatrix} = \begin{bmatrix} " + fx + " & " + fy + r" \end{bmatrix}",
            "H": r"H = \begin{bmatrix} " + a + " & " + b + r" \\ " + c + " & " + d + r" \end{bmatrix}",
            "fx": fx, "fy": fy,
        }


_XR, _YR = sp.Symbol("x", real=True), sp.Symbol("y", real=True)


def d(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """∂expr/∂var for real x and y: |x|' = sign x (with plain symbols sympy would answer with
    re/im parts it cannot evaluate), Dirac deltas at jumps dropped (zero away from the jump)."""
    real = {X: _XR, Y: _YR}
    out = sp.diff(expr.xreplace(real), real[var])
    if out.has(sp.DiracDelta):
        out = out.replace(lambda e: isinstance(e, sp.DiracDelta), lambda e: sp.S.Zero)
    return out.xreplace({_XR: X, _YR: Y})


def derivative_exprs(text: str) -> Derivatives:
    """Module-level (picklable) worker: ∇f and H of the typed f(x, y)."""
    f = parse_expression(text, VARS)
    fx, fy = d(f, X), d(f, Y)
    fxx, fxy, fyy = d(fx, X), d(fx, Y), d(fy, Y)
    return Derivatives(f, (fx, fy), ((fxx, fxy), (fxy, fyy)))


def derivatives(text: str, timeout: float = 5.0) -> Derivatives:
    """∇f and H of ``text`` (raises ``ExpressionError`` or ``symbolic.SymbolicTimeout``).

    The presets are known to be quick and are differentiated directly; typed text goes through
    ``symbolic.call`` under a deadline.
    """
    parse_expression(text, VARS)          # fail fast with the parser's message
    if text in PRESETS.values():
        return derivative_exprs(text)
    return symbolic.call(derivative_exprs, text, timeout=timeout)


def _fn(expr: sp.Expr):
    return compile_expression(expr, VARS)


# ---------------------------------------------------------------------------------------------
# Grids
@dataclass(frozen=True)
class Grid:
    x: np.ndarray          # (n,)
    y: np.ndarray          # (m,)
    z: np.ndarray          # (m, n), rounded, NaN where undefined

    @property
    def zrange(self) -> tuple[float, float]:
        finite = self.z[np.isfinite(self.z)]
        if finite.size == 0:
            return (-1.0, 1.0)
        lo, hi = np.percentile(finite, [1, 99]) if finite.size > 50 else (finite.min(), finite.max())
        return (float(lo), float(hi)) if hi > lo else (float(lo) - 1, float(hi) + 1)


def _round(a: np.ndarray, digits: int = 4) -> np.ndarray:
    return np.round(np.asarray(a, dtype=float), digits)


def surface(text: str, xr, yr, n: int = 50) -> Grid:
    """f on an n×n grid over xr × yr, rounded so the chart stays small."""
    f = compile_expression(text, VARS)
    x = np.linspace(xr[0], xr[1], n)
    y = np.linspace(yr[0], yr[1], n)
    Xg, Yg = np.meshgrid(x, y)
    z = f(Xg, Yg)
    return Grid(_round(x), _round(y), _sig_round(z))


def _sig_round(z: np.ndarray, digits: int = 4) -> np.ndarray:
    """Round to ~``digits`` significant figures of the overall scale (keeps JSON small)."""
    finite = z[np.isfinite(z)]
    scale = float(np.max(np.abs(finite))) if finite.size else 1.0
    places = max(0, digits - int(math.floor(math.log10(scale))) - 1) if scale > 0 else digits
    return np.round(z, min(places, 10))


def gradient_arrows(derivs: Derivatives, xr, yr, n: int = 15, frac: float = 0.85,
                    negative: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The gradient field on an n×n grid as ONE polyline (tail, tip, wing, tip, wing, NaN per arrow).

    Arrow lengths are scaled so the longest is ``frac`` of a grid cell (a readable field; the
    direction is exact, the length is relative). Returns ``(xs, ys, gx, gy)``: the polyline and the
    raw gradient components at the arrow tails.
    """
    fx, fy = _fn(derivs.grad[0]), _fn(derivs.grad[1])
    gxs = np.linspace(xr[0], xr[1], n + 2)[1:-1]
    gys = np.linspace(yr[0], yr[1], n + 2)[1:-1]
    Xg, Yg = np.meshgrid(gxs, gys)
    px, py = Xg.ravel(), Yg.ravel()
    gx, gy = fx(px, py), fy(px, py)
    sign = -1.0 if negative else 1.0
    cell = min(gxs[1] - gxs[0], gys[1] - gys[0]) if n > 1 else 1.0
    aspect = 1.0          # the contour map is drawn with equal axes: true directions
    norm = np.hypot(gx / aspect, gy)
    big = np.nanmax(norm) if np.any(np.isfinite(norm)) and np.nanmax(norm) > 0 else 1.0
    # compress the range a little (sqrt) so small arrows stay visible next to huge ones
    lengths = np.sqrt(norm / big) * frac * cell
    with np.errstate(all="ignore"):
        ux, uy = np.where(norm > 0, gx / aspect / norm, 0.0), np.where(norm > 0, gy / norm, 0.0)
    dx, dy = sign * ux * lengths * aspect, sign * uy * lengths
    tipx, tipy = px + dx, py + dy
    head = 0.35
    c, s = math.cos(math.radians(25)), math.sin(math.radians(25))
    # wings: the reversed arrow rotated by ±25°, in the aspect-corrected frame
    bx, by = -dx / aspect * head, -dy * head
    w1x, w1y = (c * bx - s * by) * aspect, s * bx + c * by
    w2x, w2y = (c * bx + s * by) * aspect, -s * bx + c * by
    nan = np.full_like(px, np.nan)
    xs = np.stack([px, tipx, tipx + w1x, tipx, tipx + w2x, nan], axis=1).ravel()
    ys = np.stack([py, tipy, tipy + w1y, tipy, tipy + w2y, nan], axis=1).ravel()
    ok = np.repeat(np.isfinite(norm) & (norm > 0), 6)
    xs, ys = np.where(ok, xs, np.nan), np.where(ok, ys, np.nan)
    return _round(xs), _round(ys), gx, gy


# ---------------------------------------------------------------------------------------------
# One point
@dataclass(frozen=True)
class Classification:
    kind: str        # "minimum" | "maximum" | "saddle" | "inconclusive" | "not stationary" | "undefined"
    label: str
    reason: str


@dataclass(frozen=True)
class PointAnalysis:
    x0: float
    y0: float
    f: float
    grad: np.ndarray            # (2,)
    hess: np.ndarray            # (2, 2)
    eigvals: np.ndarray         # ascending
    eigvecs: np.ndarray         # columns
    classification: Classification

    @property
    def grad_norm(self) -> float:
        return float(np.hypot(*self.grad))


def classify(grad, hess, *, rtol: float = 1e-6) -> Classification:
    """The second-derivative test, with the reason spelled out."""
    grad, hess = np.asarray(grad, float), np.asarray(hess, float)
    if not (np.all(np.isfinite(grad)) and np.all(np.isfinite(hess))):
        return Classification("undefined", "undefined here",
                              "f or its derivatives are not defined at this point.")
    scale = max(1.0, float(np.max(np.abs(hess))))
    gnorm = float(np.hypot(*grad))
    if gnorm > rtol * scale:
        return Classification("not stationary", "not a stationary point",
                              f"|∇f| = {gnorm:.3g} ≠ 0: the surface still slopes here, so it is "
                              "neither a minimum, a maximum nor a saddle.")
    lam = np.linalg.eigvalsh(hess)
    det = float(np.linalg.det(hess))
    tol = 1e-9 * scale
    if lam[0] > tol:
        return Classification("minimum", "minimum",
                              f"∇f = 0 and both eigenvalues of H are positive (det H = {det:.4g} > 0, "
                              f"∂²f/∂x² = {hess[0, 0]:.4g} > 0): the surface curves up in every direction.")
    if lam[1] < -tol:
        return Classification("maximum", "maximum",
                              f"∇f = 0 and both eigenvalues of H are negative (det H = {det:.4g} > 0, "
                              f"∂²f/∂x² = {hess[0, 0]:.4g} < 0): the surface curves down in every direction.")
    if lam[0] < -tol and lam[1] > tol:
        return Classification("saddle", "saddle point",
                              f"∇f = 0 and H has eigenvalues of both signs (det H = {det:.4g} < 0): "
                              "up along one eigenvector, down along the other.")
    return Classification("inconclusive", "test inconclusive",
                          f"∇f = 0 but det H = {det:.3g} ≈ 0 (an eigenvalue is zero): the second "
                          "derivatives cannot decide; higher-order terms do (x⁴ + y⁴ and x⁴ − y⁴ "
                          "both have H = 0 at the origin).")


def analyse_point(derivs: Derivatives, x0: float, y0: float) -> PointAnalysis:
    f0 = float(_fn(derivs.f)(x0, y0))
    g = np.array([float(_fn(e)(x0, y0)) for e in derivs.grad])
    h = np.array([[float(_fn(e)(x0, y0)) for e in row] for row in derivs.hess])
    if np.all(np.isfinite(h)):
        lam, vec = np.linalg.eigh(h)
    else:
        lam, vec = np.full(2, np.nan), np.full((2, 2), np.nan)
    return PointAnalysis(float(x0), float(y0), f0, g, h, lam, vec, classify(g, h))


def nearest_stationary_point(derivs: Derivatives, x0: float, y0: float, xr=None, yr=None):
    """A root of ∇f near (x0, y0) by scipy's ``root`` (hybr with the Hessian), or None."""
    from scipy.optimize import root
    gx, gy = _fn(derivs.grad[0]), _fn(derivs.grad[1])
    hs = [[_fn(e) for e in row] for row in derivs.hess]

    def fun(p):
        return np.array([float(gx(*p)), float(gy(*p))])

    def jac(p):
        return np.array([[float(h(*p)) for h in row] for row in hs])

    scale = 1.0 + float(np.nanmax(np.abs(fun([x0, y0])))) if np.all(np.isfinite(fun([x0, y0]))) else 1.0
    for method in ("hybr", "lm", "df-sane"):      # Newton-like first; df-sane copes with Rosenbrock's valley
        try:
            with np.errstate(all="ignore"):
                sol = root(fun, [x0, y0], jac=jac if method != "df-sane" else None, method=method)
        except (ValueError, FloatingPointError, OverflowError):
            continue
        if not np.all(np.isfinite(sol.x)):
            continue
        x, y = (float(v) for v in sol.x)
        g = fun([x, y])
        if not (np.all(np.isfinite(g)) and np.hypot(*g) < 1e-9 * scale):
            continue
        if xr is not None and not (xr[0] <= x <= xr[1] and yr[0] <= y <= yr[1]):
            continue
        return x, y
    return None


def numeric_gradient(text: str, x0: float, y0: float, h: float = 1e-5) -> np.ndarray:
    f = compile_expression(text, VARS)
    return np.array([(f(x0 + h, y0) - f(x0 - h, y0)) / (2 * h),
                     (f(x0, y0 + h) - f(x0, y0 - h)) / (2 * h)], dtype=float)


def numeric_hessian(text: str, x0: float, y0: float, h: float = 1e-4) -> np.ndarray:
    f = compile_expression(text, VARS)
    fxx = (f(x0 + h, y0) - 2 * f(x0, y0) + f(x0 - h, y0)) / h ** 2
    fyy = (f(x0, y0 + h) - 2 * f(x0, y0) + f(x0, y0 - h)) / h ** 2
    fxy = (f(x0 + h, y0 + h) - f(x0 + h, y0 - h) - f(x0 - h, y0 + h) + f(x0 - h, y0 - h)) / (4 * h * h)
    return np.array([[fxx, fxy], [fxy, fyy]], dtype=float)


@dataclass(frozen=True)
class Slices:
    x: np.ndarray           # the x axis of f(x, y0)
    fx_curve: np.ndarray    # f(x, y0)
    tangent_x: np.ndarray   # f0 + fx (x - x0)
    y: np.ndarray
    fy_curve: np.ndarray    # f(x0, y)
    tangent_y: np.ndarray


def slices(text: str, pa: PointAnalysis, xr, yr, n: int = 120) -> Slices:
    f = compile_expression(text, VARS)
    x = np.linspace(xr[0], xr[1], n)
    y = np.linspace(yr[0], yr[1], n)
    cx = f(x, np.full_like(x, pa.y0))
    cy = f(np.full_like(y, pa.x0), y)
    tx = pa.f + pa.grad[0] * (x - pa.x0)
    ty = pa.f + pa.grad[1] * (y - pa.y0)
    return Slices(_round(x), _sig_round(cx), _sig_round(tx), _round(y), _sig_round(cy), _sig_round(ty))


def tangent_plane(pa: PointAnalysis, half_x: float, half_y: float):
    """Corners of the tangent plane z = f0 + fx (x − x0) + fy (y − y0) over a small window."""
    xs = np.array([pa.x0 - half_x, pa.x0 + half_x])
    ys = np.array([pa.y0 - half_y, pa.y0 + half_y])
    Xg, Yg = np.meshgrid(xs, ys)
    z = pa.f + pa.grad[0] * (Xg - pa.x0) + pa.grad[1] * (Yg - pa.y0)
    return xs, ys, z


def directional_derivative(grad, theta: float) -> float:
    """D_u f = ∇f · u with u = (cos θ, sin θ)."""
    return float(grad[0] * math.cos(theta) + grad[1] * math.sin(theta))


def steepest_angle(grad) -> float:
    """The angle θ in [0, 2π) of ∇f: where D_u f is largest (= |∇f|)."""
    return float(math.atan2(grad[1], grad[0]) % (2 * math.pi))


def fmt(v: float, digits: int = 4) -> str:
    if not np.isfinite(v):
        return r"\text{undefined}"
    s = f"{v:.{digits}g}"
    if "e" in s:
        m, e = s.split("e")
        return rf"{m} \times 10^{{{int(e)}}}"
    return "0" if s in ("-0", "0") else s


def point_latex(pa: PointAnalysis) -> dict[str, str]:
    g, h = pa.grad, pa.hess
    return {
        "J": rf"J(x_0, y_0) = \begin{{bmatrix}} {fmt(g[0])} & {fmt(g[1])} \end{{bmatrix}}",
        "H": rf"H(x_0, y_0) = \begin{{bmatrix}} {fmt(h[0, 0])} & {fmt(h[0, 1])} \\ "
             rf"{fmt(h[1, 0])} & {fmt(h[1, 1])} \end{{bmatrix}}",
        "eig": (rf"\lambda_1 = {fmt(pa.eigvals[0])},\ \mathbf{{v}}_1 = ({fmt(pa.eigvecs[0, 0], 3)}, "
                rf"{fmt(pa.eigvecs[1, 0], 3)});\quad \lambda_2 = {fmt(pa.eigvals[1])},\ \mathbf{{v}}_2 = "
                rf"({fmt(pa.eigvecs[0, 1], 3)}, {fmt(pa.eigvecs[1, 1], 3)})"),
        "det": rf"\det H = {fmt(float(np.linalg.det(h)) if np.all(np.isfinite(h)) else float('nan'))}",
    }


def snap(value: float, lo: float, hi: float, step: float) -> float:
    """A clicked coordinate clamped to [lo, hi] and rounded to the slider's step."""
    v = min(max(float(value), lo), hi)
    k = round((v - lo) / step)
    return float(round(min(max(lo + k * step, lo), hi), 6))


def nice_step(span: float, parts: int = 120) -> float:
    raw = span / parts
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return float(m * mag)
    return float(10 * mag)


def point_from_click(xy, xr, yr, step_x: float, step_y: float | None = None):
    """Where a click on the map puts the point: (x, y) snapped to the sliders' steps and clamped
    to the window; None for no click (or a non-finite one)."""
    if xy is None:
        return None
    try:
        x, y = float(xy[0]), float(xy[1])
    except (TypeError, ValueError, IndexError):
        return None
    if not (math.isfinite(x) and math.isfinite(y)):
        return None
    return snap(x, *xr, step_x), snap(y, *yr, step_x if step_y is None else step_y)


# ---------------------------------------------------------------------------------------------
# Maps R² → R²
MAP_PRESETS: dict[str, tuple[str, str]] = {
    "linear": ("1.5x + 0.5y", "0.5x + y"),
    "polar → cartesian": ("x cos(y)", "x sin(y)"),
    "shear": ("x + 0.8y", "y"),
    "swirl": ("x cos(0.6(x^2 + y^2)) - y sin(0.6(x^2 + y^2))",
              "x sin(0.6(x^2 + y^2)) + y cos(0.6(x^2 + y^2)) + 0.3x^2"),
}
MAP_RANGES: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "linear": ((-2.0, 2.0), (-2.0, 2.0)),
    "polar → cartesian": ((0.0, 2.0), (0.0, 2 * math.pi)),
    "shear": ((-2.0, 2.0), (-2.0, 2.0)),
    "swirl": ((-1.5, 1.5), (-1.5, 1.5)),
}
MAP_POINTS: dict[str, tuple[float, float]] = {
    "linear": (0.5, 0.5), "polar → cartesian": (1.0, 0.8), "shear": (0.5, 0.5), "swirl": (0.6, 0.4),
}


@dataclass(frozen=True)
class MapJacobian:
    u: sp.Expr
    v: sp.Expr
    J: tuple[tuple[sp.Expr, sp.Expr], tuple[sp.Expr, sp.Expr]]
    det: sp.Expr

    def latex(self) -> dict[str, str]:
        (a, b), (c, d) = [[to_latex(e) for e in row] for row in self.J]
        return {
            "map": rf"u(x, y) = {to_latex(self.u)},\qquad v(x, y) = {to_latex(self.v)}",
            "J": r"J = \begin{bmatrix} \partial u/\partial x & \partial u/\partial y \\ "
                 r"\partial v/\partial x & \partial v/\partial y \end{bmatrix} = \begin{bmatrix} "
                 + a + " & " + b + r" \\ " + c + " & " + d + r" \end{bmatrix}",
            "det": r"\det J = " + to_latex(self.det),
        }

    def at(self, x0: float, y0: float) -> tuple[np.ndarray, float]:
        J = np.array([[float(_fn(e)(x0, y0)) for e in row] for row in self.J])
        return J, float(np.linalg.det(J)) if np.all(np.isfinite(J)) else float("nan")


def map_jacobian_exprs(u_text: str, v_text: str) -> MapJacobian:
    u, v = parse_expression(u_text, VARS), parse_expression(v_text, VARS)
    J = ((d(u, X), d(u, Y)), (d(v, X), d(v, Y)))
    det = J[0][0] * J[1][1] - J[0][1] * J[1][0]
    try:
        det = sp.simplify(det)
    except Exception:  # pragma: no cover - keep the unsimplified determinant
        pass
    return MapJacobian(u, v, J, det)


def map_jacobian(u_text: str, v_text: str, timeout: float = 3.0) -> MapJacobian:
    parse_expression(u_text, VARS)
    parse_expression(v_text, VARS)
    if (u_text, v_text) in MAP_PRESETS.values():
        return map_jacobian_exprs(u_text, v_text)
    try:
        return symbolic.call(map_jacobian_exprs, u_text, v_text, timeout=timeout)
    except symbolic.SymbolicTimeout:
        return symbolic.call(_map_jacobian_plain, u_text, v_text, timeout=timeout)


def _map_jacobian_plain(u_text: str, v_text: str) -> MapJacobian:
    u, v = parse_expression(u_text, VARS), parse_expression(v_text, VARS)
    J = ((d(u, X), d(u, Y)), (d(v, X), d(v, Y)))
    return MapJacobian(u, v, J, J[0][0] * J[1][1] - J[0][1] * J[1][0])


@dataclass(frozen=True)
class MapGrid:
    x: np.ndarray    # domain grid lines, NaN separated
    y: np.ndarray
    u: np.ndarray    # their images
    v: np.ndarray


def map_grid(u_text: str, v_text: str, xr, yr, lines: int = 11, samples: int = 40) -> MapGrid:
    """Grid lines of xr × yr (one polyline, NaN separated) and their images under (u, v)."""
    fu, fv = compile_expression(u_text, VARS), compile_expression(v_text, VARS)
    xs, ys = np.linspace(*xr, lines), np.linspace(*yr, lines)
    tx, ty = np.linspace(*xr, samples), np.linspace(*yr, samples)
    gx = np.concatenate([np.append(np.full(samples, a), np.nan) for a in xs] +
                        [np.append(tx, np.nan) for _ in ys])
    gy = np.concatenate([np.append(ty, np.nan) for _ in xs] +
                        [np.append(np.full(samples, b), np.nan) for b in ys])
    u, v = fu(gx, gy), fv(gx, gy)
    return MapGrid(_round(gx), _round(gy), _round(u), _round(v))


@dataclass(frozen=True)
class SquareImage:
    square: np.ndarray        # (2, k) the small square's outline in the domain, counter-clockwise
    image: np.ndarray         # (2, k) its true image under the map
    parallelogram: np.ndarray  # (2, 5) p0 + J·(corner offsets): the linear approximation
    edges: np.ndarray         # (2, 2) J·(h, 0) and J·(0, h) as columns
    J: np.ndarray
    det: float
    area_ratio: float         # true image area / square area (→ |det J| as h → 0)


def square_image(mj: MapJacobian, x0: float, y0: float, h: float, samples: int = 12) -> SquareImage:
    fu, fv = _fn(mj.u), _fn(mj.v)
    t = np.linspace(0, 1, samples)
    sx = np.concatenate([x0 + h * t, np.full(samples, x0 + h), x0 + h * t[::-1], np.full(samples, x0)])
    sy = np.concatenate([np.full(samples, y0), y0 + h * t, np.full(samples, y0 + h), y0 + h * t[::-1]])
    iu, iv = fu(sx, sy), fv(sx, sy)
    J, det = mj.at(x0, y0)
    p0 = np.array([float(fu(x0, y0)), float(fv(x0, y0))])
    corners = np.array([[0, h, h, 0, 0], [0, 0, h, h, 0]], dtype=float)
    para = p0[:, None] + J @ corners
    area = 0.5 * float(np.nansum(iu * np.roll(iv, -1) - np.roll(iu, -1) * iv))   # shoelace, signed
    return SquareImage(np.vstack([sx, sy]), np.vstack([iu, iv]), para, J @ np.diag([h, h]), J, det,
                       area / (h * h))


def det_samples(mj: MapJacobian, xr, yr, n: int = 24):
    """Images of an n×n sample of the domain with det J there (for shading the image)."""
    xs, ys = np.meshgrid(np.linspace(*xr, n), np.linspace(*yr, n))
    fu, fv, fd = _fn(mj.u), _fn(mj.v), _fn(mj.det)
    d = fd(xs, ys)
    return _round(fu(xs, ys).ravel()), _round(fv(xs, ys).ravel()), _round(np.broadcast_to(d, xs.shape).ravel())
