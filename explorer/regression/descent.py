"""Steepest descent on χ² over a model's parameters (the course's method), resumable so a step-count
slider continues the path already walked, and the χ² grid over two parameters that it is drawn on."""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from explorer.numbers import round_sig
from explorer.regression.data import clean_xy, weighted_sample
from explorer.regression.models import _compiled_model, linear_in
from explorer.result import IterationResult


@dataclass(kw_only=True)
class Descent(IterationResult):
    """A steepest descent: ``history`` is the (nit + 1, p) array of parameter values, ``chi2`` χ²
    at each, ``names`` the parameters. ``status``: "converged", "max-iter", "undefined-start",
    "not-finite", "no-descent" or "runaway"."""
    chi2: np.ndarray
    names: tuple


def steepest_descent(model: str, x, y, p0: Mapping[str, float], sigma=None, steps: int = 200,
                     tol: float = 1e-9) -> Descent:
    """p ← p − γ ∇χ²(p), with γ found by halving until χ² drops (Armijo).  Stops with a message:
    converged, gradient vanished, non-finite values, runaway growth, no downhill step, or the limit."""
    return DescentRun(model, x, y, p0, sigma, tol).result(steps)


class DescentRun:
    """A steepest descent (see ``steepest_descent``) that can be continued.

    ``result(steps)`` is exactly ``steepest_descent(..., steps=steps)``, but only the iterations
    not taken yet are computed: a path of 310 steps continues the 300 already walked, and a
    shorter one is a prefix of the path (the iteration never looks at the step limit).  Safe to
    share between threads (one lock)."""

    def __init__(self, model: str, x, y, p0: Mapping[str, float], sigma=None, tol: float = 1e-9):
        self.names = tuple(p0)
        self._cm = _compiled_model(model, self.names)
        _, self._f, self._jac = self._cm
        self._x, self._y, self._w = weighted_sample(x, y, sigma, 20000)
        self._ones = np.ones(self._x.size)
        self._tol = tol
        self._lock = threading.Lock()
        self._p = np.array([float(p0[k]) for k in self.names])
        with np.errstate(all="ignore"):
            self._path, self._zs = [self._p.copy()], [self._chi2(self._p)]
        self._gamma, self._g0 = 1e-3, None
        self._begun = 0                          # loop iterations begun
        self._stop: tuple[str, str] | None = None   # (status, message) once the loop ended
        if not math.isfinite(self._zs[0]):
            self._stop = ("undefined-start", "stopped at once: χ² is undefined at the start values")

    # The model through CompiledModel.values/.jacobian: the lambdified code called directly, no
    # NaN-guard wrapper per call (undefined values come back NaN or ±inf, non-finite either way);
    # the caller switches numpy's warnings off once around the loop.
    def _chi2(self, pv):
        r = (self._y - self._cm.values(self._x, pv)) * self._w
        v = float(r @ r)
        return v if math.isfinite(v) else math.inf

    def _grad(self, pv):
        x, w, h = self._x, self._w, 1e-7
        r = (self._y - self._cm.values(x, pv)) * w
        J = self._cm.jacobian(x, pv, range(len(pv)))
        if J is None and self._jac is not None:
            J = np.column_stack([j(x, *[v * self._ones for v in pv]) for j in self._jac])
        elif J is None:
            f0 = self._cm.values(x, pv)
            J = np.column_stack([(self._cm.values(x, [v + (h * max(1, abs(v)) if i == k else 0)
                                                      for i, v in enumerate(pv)]) - f0) / (h * max(1, abs(pv[k])))
                                 for k in range(len(pv))])
        return -2 * (J * w[:, None]).T @ r

    def _advance(self, steps: int) -> None:
        with np.errstate(all="ignore"):
            self._walk(steps)

    def _walk(self, steps: int) -> None:
        while self._stop is None and self._begun < steps:
            it = self._begun
            self._begun += 1
            p = self._p
            g = self._grad(p)
            if not np.all(np.isfinite(g)):
                self._stop = ("not-finite", "stopped: the gradient is not finite")
                break
            gn = float(np.linalg.norm(g))
            self._g0 = self._g0 or gn
            if gn <= 1e-14 * (1 + self._g0):
                self._stop = ("converged", f"converged after {it} steps (the gradient vanished)")
                break
            gamma = max(self._gamma * 2, 1e-300)
            z0 = self._zs[-1]
            for _ in range(80):
                trial = p - gamma * g
                zt = self._chi2(trial)
                if zt <= z0 - 1e-4 * gamma * gn * gn:
                    break
                gamma /= 2
            else:
                self._gamma = gamma
                self._stop = ("no-descent", "stopped: no downhill step could be found (a flat or rough χ²)")
                break
            self._gamma = gamma
            if np.max(np.abs(trial)) > 1e12:
                self._stop = ("runaway", "stopped: the parameters grow without bound (runaway)")
                break
            self._p = trial
            self._path.append(trial.copy()); self._zs.append(zt)
            if abs(z0 - zt) <= self._tol * max(1.0, abs(z0)):
                self._stop = ("converged", f"converged after {it + 1} steps (χ² stopped changing)")
                break

    def result(self, steps: int) -> Descent:
        """The descent with at most ``steps`` steps (what ``steepest_descent`` returns)."""
        steps = int(steps)
        with self._lock:
            self._advance(steps)
            if self._stop is not None and self._begun <= steps:
                status, message = self._stop
                path, zs = self._path, self._zs
            else:
                status, message = "max-iter", f"stopped after the limit of {steps} steps"
                path, zs = self._path[:max(steps, 0) + 1], self._zs[:max(steps, 0) + 1]
            history = np.array(path)
            return Descent(x=history[-1], success=status == "converged", status=status,
                           message=message, nit=len(history) - 1, history=history,
                           chi2=np.array(zs), names=self.names)


GRID_SAMPLE = 4000      # points a grid over two nonlinear parameters is summed on (then rescaled)
GRID_CHUNK = 200        # grid points evaluated at once on that path (memory: 200 × 4000 values)
COLUMN_BLOCK = 2_000_000  # model values held at once on the exact paths


def chi2_grid(model: str, x, y, params: Mapping[str, float], px: str, py: str,
              x_range, y_range, sigma=None, n: int = 40, digits: int = 4):
    """χ² over two chosen parameters (the others held at ``params``) on an n×n grid, rounded to
    ``digits`` significant figures.  Returns (px values a, py values b, Z[j, i] = χ²(a_i, b_j)).

    Three ways, the fastest the model allows (all on the same χ² = Σ ((yᵢ − f(xᵢ)) / σᵢ)²):

    - the model is linear in both chosen parameters (a straight line, a polynomial, an amplitude
      and a background): χ² is exactly a quadratic form, χ²min + |R (p − p*)|² with p* the least-
      squares point and R from a QR of the two columns ∂f/∂p, so every point of the data is used
      and the cost is O(N) once plus O(n²) — no subsample;
    - linear in one of them (the amplitude A of A·exp(k x) + B): for each of the n values of the
      other, χ² is a parabola in the linear one, χ²min + S (a − a*)²: 2n model evaluations over
      the data, every point used;
    - otherwise each grid point needs the whole sum: it is evaluated in chunks of ``GRID_CHUNK``
      grid points on an even subsample of at most ``GRID_SAMPLE`` points, and the sums are scaled
      by N / (points summed), so the values estimate the whole data's χ² (exact when N ≤ 4000).

    Sums in the exact paths are of non-negative terms, so they agree with the direct sum to
    rounding error; values that are not finite come back NaN."""
    names = tuple(params)
    cm = _compiled_model(model, names)
    a = round_sig(np.linspace(*x_range, n), 6)
    b = round_sig(np.linspace(*y_range, n), 6)
    p = np.array([float(params[k]) for k in names])
    i, j = names.index(px), names.index(py)
    with np.errstate(all="ignore"):
        if linear_in(model, names, (px, py)):
            Z = _grid_both_linear(cm, x, y, sigma, p, i, j, a, b)
        elif linear_in(model, names, (px,)):
            Z = _grid_one_linear(cm, x, y, sigma, p, i, j, a, b)
        elif linear_in(model, names, (py,)):
            Z = _grid_one_linear(cm, x, y, sigma, p, j, i, b, a).T
        else:
            Z = _grid_direct(cm, x, y, sigma, p, i, j, a, b)
    Z = np.array(Z, dtype=float)
    Z[~np.isfinite(Z)] = np.nan
    return a, b, round_sig(Z, digits)


def _values(cm, x, p, shape):
    """The model at ``x`` for parameter values ``p`` (scalars or arrays broadcasting to ``shape``)."""
    return cm.values(np.broadcast_to(x, shape), [np.broadcast_to(v, shape) if np.ndim(v) else v for v in p])


def _grid_both_linear(cm, x, y, sigma, p, i, j, a, b):
    """f = g₀ + a g₁ + b g₂ exactly: χ²(a, b) = χ²min + |R ((a, b) − p*)|²."""
    x, y, w = weighted_sample(x, y, sigma, np.inf)
    cols = []
    for da, db in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)]:
        q = p.copy()
        q[i], q[j] = da, db
        cols.append(_values(cm, x, q, x.shape))
    r0 = (y - cols[0]) * w
    G = np.column_stack([cols[1] - cols[0], cols[2] - cols[0]]) * w[:, None]
    if not (np.all(np.isfinite(G)) and np.all(np.isfinite(r0))):
        return np.full((b.size, a.size), np.nan)
    best = np.linalg.lstsq(G, r0, rcond=None)[0]
    res = r0 - G @ best
    chi2_min = float(res @ res)
    R = np.linalg.qr(G, mode="r")
    da, db = np.meshgrid(a - best[0], b - best[1])
    return chi2_min + (R[0, 0] * da + R[0, 1] * db) ** 2 + (R[1, 1] * db) ** 2


def _grid_one_linear(cm, x, y, sigma, p, i, j, a, b):
    """f = g₀(b) + a g₁(b): for each b_j, χ² = χ²min(b_j) + S(b_j) (a − a*(b_j))².  Returns
    Z[j, i] = χ²(a_i, b_j)."""
    x, y, w = weighted_sample(x, y, sigma, np.inf)
    Z = np.empty((b.size, a.size))
    step = max(1, COLUMN_BLOCK // max(x.size, 1))
    for lo in range(0, b.size, step):
        bs = b[lo:lo + step, None]
        shape = (bs.shape[0], x.size)
        q0, q1 = list(p), list(p)
        q0[i], q1[i], q0[j], q1[j] = 0.0, 1.0, bs, bs
        g0 = _values(cm, x, q0, shape)
        g1 = (_values(cm, x, q1, shape) - g0) * w
        r0 = (y - g0) * w
        S = np.einsum("kn,kn->k", g1, g1)
        best = np.where(S > 0, np.einsum("kn,kn->k", r0, g1) / np.where(S > 0, S, 1.0), 0.0)
        res = r0 - best[:, None] * g1
        chi2_min = np.einsum("kn,kn->k", res, res)
        Z[lo:lo + step] = chi2_min[:, None] + S[:, None] * (a[None, :] - best[:, None]) ** 2
    return Z


def _grid_direct(cm, x, y, sigma, p, i, j, a, b):
    """The sum at every grid point, ``GRID_CHUNK`` points at a time, on at most ``GRID_SAMPLE``
    points (scaled by N / points summed)."""
    n_all = clean_xy(x, y, sigma)[0].size
    x, y, w = weighted_sample(x, y, sigma, GRID_SAMPLE)
    A, B = (M.ravel() for M in np.meshgrid(a, b))
    Z = np.empty(A.size)
    for lo in range(0, A.size, GRID_CHUNK):
        q = list(p)
        q[i], q[j] = A[lo:lo + GRID_CHUNK, None], B[lo:lo + GRID_CHUNK, None]
        r = (y - _values(cm, x, q, (q[i].shape[0], x.size))) * w
        Z[lo:lo + GRID_CHUNK] = np.einsum("kn,kn->k", r, r)
    return (Z * (n_all / max(x.size, 1))).reshape(b.size, a.size)
