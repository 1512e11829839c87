"""Taylor polynomials of every order at every position of the expansion-point slider at once (the
Taylor page's drag frames, issue #19): one float jet over all the points (``jet``), then numpy over
all the windows a ± w together (``sweep``), instead of one expansion and one figure per point.

The jet does not depend on the window, so a page keeps it per function; a sweep depends on the
function and the window's half-width only (not on the order shown, nor on ε), so every frame set
of that state is a slice of it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from explorer.expressions import ExpressionError, compile_expression
from explorer.taylor.series import derivative_grid


@dataclass(frozen=True)
class Sweep:
    """Every Tₖ (k ≤ order) on the window about every expansion point ``a[i]``."""
    a: np.ndarray        # (m,) the expansion points
    x: np.ndarray        # (m, npts): the window a − w .. a + w (its ends rounded to 4 places)
    f: np.ndarray        # (m, npts): f on it (NaN where undefined)
    T: np.ndarray        # (order + 1, m, npts): Tₖ on it
    ok: np.ndarray       # (order + 1, m): f⁽ʲ⁾(a)/j! finite for every j ≤ k
    top: np.ndarray      # (order + 1, m): the largest finite |f − Tⱼ| over the window and j ≤ k (−inf: none)

    @property
    def order(self) -> int:
        return len(self.T) - 1

    def err(self, k: int, i: "int | slice" = slice(None)) -> np.ndarray:
        """|f − Tₖ| on the window(s) ``i``."""
        with np.errstate(all="ignore"):
            return np.abs(self.f[i] - self.T[k, i])


def f_values(text: str, x: np.ndarray) -> np.ndarray:
    """f (typed text in x) at every point of ``x``; NaN everywhere if it does not compile."""
    try:
        with np.errstate(all="ignore"):
            y = np.asarray(compile_expression(text, ("x",))(x), dtype=float)
    except (ExpressionError, TypeError, ValueError):
        return np.full(np.shape(x), np.nan)
    return np.broadcast_to(y, np.shape(x)).copy()


def jet(text: str, a_values: Sequence[float], order: int) -> np.ndarray:
    """(order + 1, m): f⁽ᵏ⁾(a)/k! at every expansion point (``derivative_grid``; NaN where undefined)."""
    return derivative_grid(text, np.asarray(a_values, dtype=float), order)


def sweep(text: str, a_values: Sequence[float], w: float, D: np.ndarray, npts: int = 121) -> Sweep:
    """Tₖ for every k ≤ len(D) − 1 on the window about every a, from the jet ``D`` (``jet``): the
    partial sums Σⱼ≤ₖ Dⱼ (x − a)ʲ over all windows at once."""
    A = np.asarray(a_values, dtype=float)
    lo = np.array([round(a - w, 4) for a in A])
    hi = np.array([round(a + w, 4) for a in A])
    X = np.linspace(lo, hi, npts, axis=1)
    F = f_values(text, X)
    order = len(D) - 1
    T = np.empty((order + 1,) + X.shape)
    top = np.empty((order + 1, len(A)))
    e = np.empty_like(X)
    with np.errstate(all="ignore"):
        t = X - A[:, None]
        p = np.ones_like(X)                              # (x − a)ᵏ
        for k in range(order + 1):                       # in place, a window-sized array at a time
            if k:
                np.multiply(p, t, out=p)
                np.multiply(D[k][:, None], p, out=e)
                np.add(T[k - 1], e, out=T[k])
            else:
                T[0] = D[0][:, None]
            np.subtract(F, T[k], out=e)
            np.abs(e, out=e)
            e[~np.isfinite(e)] = -np.inf
            top[k] = e.max(axis=1)
    top = np.maximum.accumulate(top, axis=0)
    ok = np.logical_and.accumulate(np.isfinite(D), axis=0)
    return Sweep(A, X, F, T, ok, top)


def eps_runs(xr: np.ndarray, err: np.ndarray, eps: float) -> list[list[tuple[float, float]]]:
    """``eps_intervals`` of every row of ``err`` at once: the runs of grid points where err < ε, as
    (x at the first, x at the last) from ``xr`` (one row of points for all, or one for each)."""
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(err) & (err < eps)
    pad = np.zeros((len(ok), 1), dtype=np.int8)
    d = np.diff(np.concatenate([pad, ok.astype(np.int8), pad], axis=1), axis=1)
    r0, c0 = np.nonzero(d == 1)
    _, c1 = np.nonzero(d == -1)
    out: list[list] = [[] for _ in range(len(ok))]
    xr = np.broadcast_to(xr, ok.shape)
    for r, lo, hi in zip(r0.tolist(), xr[r0, c0].tolist(), xr[r0, c1 - 1].tolist()):
        out[r].append((lo, hi))
    return out
