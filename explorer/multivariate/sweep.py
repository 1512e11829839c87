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
    hess = np.stack([np.stack([_values(as_function(e), x0, y0) for e in row], axis=1) for row in derivs.hess],
                    axis=1)
    lam, vec = np.full((len(v), 2), np.nan), np.full((len(v), 2, 2), np.nan)
    ok = np.all(np.isfinite(hess), axis=(1, 2))
    if ok.any():
        lam[ok], vec[ok] = np.linalg.eigh(hess[ok])
    fn = compile_expression(text, VARS)
    x = np.linspace(xr[0], xr[1], n)
    y = np.linspace(yr[0], yr[1], n)
    # the slice through each point, rounded row by row as ``slices`` rounds it
    cx = _values(fn, x[None, :], y0[:, None])
    cy = _values(fn, x0[:, None], y[None, :])
    cx = np.stack([round_to_scale(row) for row in cx]) if axis == "y0" else np.broadcast_to(round_to_scale(cx[0]),
                                                                                             cx.shape)
    cy = np.stack([round_to_scale(row) for row in cy]) if axis == "x0" else np.broadcast_to(round_to_scale(cy[0]),
                                                                                             cy.shape)
    return Sweep(axis, x0, y0, f, grad, hess, lam, vec, np.round(x, 4), np.round(y, 4), cx, cy, x, y)
