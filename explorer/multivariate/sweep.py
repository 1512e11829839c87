"""The point (x₀, y₀) at every position of one slider, the other coordinate fixed (issue #19's drag
frames): f, ∇f, H's eigen-pairs and the slice through the point, computed for all positions at
once with numpy arrays. ``point(i)`` gives position i as the ``PointAnalysis`` and ``Slices`` that
``analyse_point`` and ``slices`` would give (the tests check them number by number)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.expressions import compile_expression
from explorer.multivariate.derivatives import Derivatives, as_function
from explorer.multivariate.point import Classification, PointAnalysis
from explorer.multivariate.presets import VARS
from explorer.multivariate.views import Slices
from explorer.numbers import round_to_scale

AXES = ("x0", "y0")
NOT_CLASSIFIED = Classification("undefined", "not classified", "a drag frame: only the figures read this point")


def round_rows(a: np.ndarray, digits: int = 4, max_decimals: int = 10) -> np.ndarray:
    """``round_to_scale`` of each row of ``a`` (n, m) at once, the same floats: each row to the
    decimals that give its largest finite |value| ``digits`` significant figures."""
    a = np.asarray(a, dtype=float)
    fin = np.isfinite(a)
    with np.errstate(all="ignore"):
        scale = np.max(np.where(fin, np.abs(a), 0.0), axis=1)
        places = np.where(scale > 0, np.maximum(0, digits - 1 - np.floor(np.log10(np.where(scale > 0, scale, 1.0)))),
                          digits)
        # np.round(a, d) multiplies by 10.0**d (exact up to 1e22), rounds half to even and divides
        p = 10.0 ** np.minimum(places, max_decimals)[:, None]
        return np.rint(a * p) / p


def _values(fn, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        out = np.asarray(fn(x, y), dtype=float)
    return np.broadcast_to(out, np.broadcast(x, y).shape).astype(float)


@dataclass(frozen=True)
class Sweep:
    axis: str                   # "x0" or "y0": the slider that moves
    x0: np.ndarray              # (n,)
    y0: np.ndarray              # (n,)
    f: np.ndarray               # (n,)
    grad: np.ndarray            # (n, 2)
    hess: np.ndarray            # (n, 2, 2)
    eigvals: np.ndarray         # (n, 2), ascending; NaN where H is undefined
    eigvecs: np.ndarray         # (n, 2, 2), columns
    x: np.ndarray               # the x axis of the slices
    y: np.ndarray
    fx_curve: np.ndarray        # f(x, y₀): (n, len(x)) rows (one row, repeated, when y₀ is fixed)
    fy_curve: np.ndarray        # f(x₀, y): (n, len(y))
    x_raw: np.ndarray           # x and y unrounded (the tangents are computed on these, as ``slices`` does)
    y_raw: np.ndarray

    def __len__(self) -> int:
        return len(self.x0)

    def point(self, i: int) -> tuple[PointAnalysis, Slices]:
        """Position i as ``analyse_point`` and ``slices`` give it (the classification is not worked
        out: a drag frame draws no badge)."""
        pa = PointAnalysis(float(self.x0[i]), float(self.y0[i]), float(self.f[i]), self.grad[i], self.hess[i],
                           self.eigvals[i], self.eigvecs[i], NOT_CLASSIFIED)
        g0, g1 = self.grad[i]
        tx = round_to_scale(pa.f + g0 * (self.x_raw - pa.x0))
        ty = round_to_scale(pa.f + g1 * (self.y_raw - pa.y0))
        return pa, Slices(self.x, self.fx_curve[i], tx, self.y, self.fy_curve[i], ty)

    def tangent_ends(self) -> tuple[np.ndarray, np.ndarray]:
        """The slices' tangents at both ends of the window for every position ((n, 2) each), rounded
        as ``point(i)`` rounds the whole tangent (its scale is the row's largest value)."""
        with np.errstate(all="ignore"):
            tx = self.f[:, None] + self.grad[:, :1] * (self.x_raw[None, :] - self.x0[:, None])
            ty = self.f[:, None] + self.grad[:, 1:] * (self.y_raw[None, :] - self.y0[:, None])
        return round_rows(tx)[:, [0, -1]], round_rows(ty)[:, [0, -1]]


def sweep(text: str, derivs: Derivatives, xr, yr, axis: str, values, other: float, n: int = 61) -> Sweep:
    """The point at (v, other) for each v of ``values`` (axis "x0") or at (other, v) (axis "y0"),
    with the slices of ``views.slices`` (``n`` samples over the window)."""
    if axis not in AXES:
        raise ValueError(f"axis must be one of {AXES}, not {axis!r}")
    v = np.asarray(values, dtype=float)
    k = np.full_like(v, float(other))
    x0, y0 = (v, k) if axis == "x0" else (k, v)
    f = _values(as_function(derivs.f), x0, y0)
    grad = np.stack([_values(as_function(e), x0, y0) for e in derivs.grad], axis=1)
    (h00, h01), (h10, h11) = derivs.hess
    a, d = _values(as_function(h00), x0, y0), _values(as_function(h11), x0, y0)
    b = _values(as_function(h01), x0, y0)
    c = b if h10 == h01 else _values(as_function(h10), x0, y0)       # H is symmetric: once
    hess = np.stack([np.stack([a, b], axis=1), np.stack([c, d], axis=1)], axis=1)
    lam, vec = np.full((len(v), 2), np.nan), np.full((len(v), 2, 2), np.nan)
    ok = np.all(np.isfinite(hess), axis=(1, 2))
    if ok.any():
        lam[ok], vec[ok] = np.linalg.eigh(hess[ok])
    fn = compile_expression(text, VARS)
    x = np.linspace(xr[0], xr[1], n)
    y = np.linspace(yr[0], yr[1], n)
    # the slice through each point, rounded row by row as ``slices`` rounds it (the slice along the
    # dragged axis is the same at every position: computed once)
    nv = len(v)
    if axis == "y0":
        cx = round_rows(_values(fn, x[None, :], y0[:, None]))
        cy = np.broadcast_to(round_to_scale(_values(fn, x0[:1], y)), (nv, n))
    else:
        cx = np.broadcast_to(round_to_scale(_values(fn, x, y0[:1])), (nv, n))
        cy = round_rows(_values(fn, x0[:, None], y[None, :]))
    return Sweep(axis, x0, y0, f, grad, hess, lam, vec, np.round(x, 4), np.round(y, 4), cx, cy, x, y)
