"""A map R² → R², (x, y) ↦ (u, v): its Jacobian and det J, the grid it bends, a small square's
image against the parallelogram J·(dx, dy), and det J sampled over the domain."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from explorer import symbolic
from explorer.expressions import compile_expression, parse_expression, to_latex
from explorer.multivariate.derivatives import X, Y, as_function, d
from explorer.multivariate.presets import VARS
from explorer.numbers import tex_number

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
# a typed map: its components start as the swirl's, on this window and point
CUSTOM_START = MAP_PRESETS["swirl"]
CUSTOM_RANGE = ((-2.0, 2.0), (-2.0, 2.0))
CUSTOM_POINT = (0.5, 0.5)


def map_window(name: str | None):
    """``(xr, yr, point)``: the preset's window and starting point, or the typed map's."""
    if name in MAP_PRESETS:
        xr, yr = MAP_RANGES[name]
        return xr, yr, MAP_POINTS[name]
    return (*CUSTOM_RANGE, CUSTOM_POINT)


@dataclass(frozen=True)
class MapJacobian:
    u: sp.Expr
    v: sp.Expr
    J: tuple[tuple[sp.Expr, sp.Expr], tuple[sp.Expr, sp.Expr]]
    det: sp.Expr

    def latex(self) -> dict[str, str]:
        """LaTeX under the keys "map", "J", "det" and "all" (the three in one block)."""
        (a, b), (c, e) = [[to_latex(x) for x in row] for row in self.J]
        out = {
            "map": rf"u(x, y) = {to_latex(self.u)},\qquad v(x, y) = {to_latex(self.v)}",
            "J": r"J = \begin{bmatrix} \partial u/\partial x & \partial u/\partial y \\ "
                 r"\partial v/\partial x & \partial v/\partial y \end{bmatrix} = \begin{bmatrix} "
                 + a + " & " + b + r" \\ " + c + " & " + e + r" \end{bmatrix}",
            "det": r"\det J = " + to_latex(self.det),
        }
        out["all"] = (r"\begin{gathered} " + out["map"] + r" \\[6pt] " + out["J"] + r",\qquad " + out["det"]
                      + r" \end{gathered}")
        return out

    def at(self, x0: float, y0: float) -> tuple[np.ndarray, float]:
        J = np.array([[float(as_function(e)(x0, y0)) for e in row] for row in self.J])
        return J, float(np.linalg.det(J)) if np.all(np.isfinite(J)) else float("nan")


def _jacobian(u_text: str, v_text: str, simplify: bool) -> MapJacobian:
    u, v = parse_expression(u_text, VARS), parse_expression(v_text, VARS)
    J = ((d(u, X), d(u, Y)), (d(v, X), d(v, Y)))
    det = J[0][0] * J[1][1] - J[0][1] * J[1][0]
    if simplify:
        try:
            det = sp.simplify(det)
        except Exception:  # pragma: no cover - keep the unsimplified determinant
            pass
    return MapJacobian(u, v, J, det)


def map_jacobian_exprs(u_text: str, v_text: str) -> MapJacobian:
    """Module-level (picklable) worker: J and the simplified det J of (u, v)."""
    return _jacobian(u_text, v_text, simplify=True)


def _map_jacobian_plain(u_text: str, v_text: str) -> MapJacobian:
    """The same with det J left unsimplified (when simplifying takes too long)."""
    return _jacobian(u_text, v_text, simplify=False)


def map_jacobian(u_text: str, v_text: str, timeout: float = 3.0) -> MapJacobian:
    parse_expression(u_text, VARS)
    parse_expression(v_text, VARS)
    if (u_text, v_text) in MAP_PRESETS.values():
        return map_jacobian_exprs(u_text, v_text)
    try:
        return symbolic.call(map_jacobian_exprs, u_text, v_text, timeout=timeout)
    except symbolic.SymbolicTimeout:
        return symbolic.call(_map_jacobian_plain, u_text, v_text, timeout=timeout)


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
    return MapGrid(np.round(gx, 4), np.round(gy, 4), np.round(u, 4), np.round(v, 4))


ORIENTATION_TEXT = {
    "kept": "det J > 0: orientation kept — turning from J·dx to J·dy is still anticlockwise.",
    "flipped": "det J < 0: orientation flipped — the image is a mirror image (J·dx to J·dy turns clockwise).",
    "flat": "det J = 0 here: the square is squashed flat (the map is not locally invertible).",
}


@dataclass(frozen=True)
class SquareImage:
    square: np.ndarray        # (2, k) the small square's outline in the domain, counter-clockwise
    image: np.ndarray         # (2, k) its true image under the map
    parallelogram: np.ndarray  # (2, 5) p0 + J·(corner offsets): the linear approximation
    edges: np.ndarray         # (2, 2) J·(h, 0) and J·(0, h) as columns
    J: np.ndarray
    det: float
    area_ratio: float         # true image area / square area (→ |det J| as h → 0)

    @property
    def orientation(self) -> str:
        """The square's orientation: "kept" (det J > 0), "flipped" (det J < 0) or "flat" (0, undefined)."""
        return "kept" if self.det > 0 else "flipped" if self.det < 0 else "flat"


def square_image(mj: MapJacobian, x0: float, y0: float, h: float, samples: int = 12) -> SquareImage:
    fu, fv = as_function(mj.u), as_function(mj.v)
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


def square_latex(sq: SquareImage, x0: float, y0: float) -> str:
    """J and det J at the point, and the square's area ratio next to det J."""
    n, J = tex_number, sq.J
    return (r"\begin{gathered} "
            rf"J({n(x0)}, {n(y0)}) = \begin{{bmatrix}} {n(J[0, 0])} & {n(J[0, 1])} \\ "
            rf"{n(J[1, 0])} & {n(J[1, 1])} \end{{bmatrix}},\qquad \det J = {n(sq.det)}"
            r" \\[10pt] "
            rf"\frac{{\text{{area of image}}}}{{\text{{area of square}}}} = {n(sq.area_ratio)} "
            rf"\;\approx\; \det J = {n(sq.det)}"
            r" \end{gathered}")


def det_samples(mj: MapJacobian, xr, yr, n: int = 24):
    """Images of an n×n sample of the domain with det J there (for shading the image)."""
    xs, ys = np.meshgrid(np.linspace(*xr, n), np.linspace(*yr, n))
    fu, fv, fd = as_function(mj.u), as_function(mj.v), as_function(mj.det)
    det = np.broadcast_to(fd(xs, ys), xs.shape)
    return np.round(fu(xs, ys).ravel(), 4), np.round(fv(xs, ys).ravel(), 4), np.round(det.ravel(), 4)
