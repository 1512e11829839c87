"""Steepest descent on χ² over a model's parameters (the course's method), resumable so a step-count
slider continues the path already walked, and the χ² grid over two parameters that it is drawn on."""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from explorer.numbers import round_sig
from explorer.regression.data import weighted_sample
from explorer.regression.models import _compiled_model
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
        _, self._f, self._jac = _compiled_model(model, self.names)
        self._x, self._y, self._w = weighted_sample(x, y, sigma, 20000)
        self._ones = np.ones(self._x.size)
        self._tol = tol
        self._lock = threading.Lock()
        self._p = np.array([float(p0[k]) for k in self.names])
        self._path, self._zs = [self._p.copy()], [self._chi2(self._p)]
        self._gamma, self._g0 = 1e-3, None
        self._begun = 0                          # loop iterations begun
        self._stop: tuple[str, str] | None = None   # (status, message) once the loop ended
        if not math.isfinite(self._zs[0]):
            self._stop = ("undefined-start", "stopped at once: χ² is undefined at the start values")

    def _chi2(self, pv):
        r = (self._y - self._f(self._x, *[v * self._ones for v in pv])) * self._w
        v = float(r @ r)
        return v if math.isfinite(v) else math.inf

    def _grad(self, pv):
        f, x, ones, w, h = self._f, self._x, self._ones, self._w, 1e-7
        r = (self._y - f(x, *[v * ones for v in pv])) * w
        if self._jac is not None:
            J = np.column_stack([j(x, *[v * ones for v in pv]) for j in self._jac]) * w[:, None]
        else:
            J = np.column_stack([(f(x, *[(v + (h * max(1, abs(v)) if i == k else 0)) * ones
                                        for i, v in enumerate(pv)]) - f(x, *[v * ones for v in pv]))
                                 / (h * max(1, abs(pv[k]))) for k in range(len(pv))]) * w[:, None]
        return -2 * J.T @ r

    def _advance(self, steps: int) -> None:
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


def chi2_grid(model: str, x, y, params: Mapping[str, float], px: str, py: str,
              x_range, y_range, sigma=None, n: int = 40, digits: int = 4):
    """χ² over two chosen parameters (the others held at ``params``) on an n×n grid, rounded."""
    names = tuple(params)
    _, f, _ = _compiled_model(model, names)
    x, y, w = weighted_sample(x, y, sigma, 4000)
    a = round_sig(np.linspace(*x_range, n), 6)
    b = round_sig(np.linspace(*y_range, n), 6)
    A, B = np.meshgrid(a, b)
    args = []
    for k in names:
        if k == px:
            args.append(A.ravel()[:, None])
        elif k == py:
            args.append(B.ravel()[:, None])
        else:
            args.append(np.full((1, 1), float(params[k])))
    vals = f(x[None, :], *args)
    r = (y[None, :] - vals) * w[None, :]
    Z = (r * r).sum(axis=1).reshape(A.shape)
    Z[~np.isfinite(Z)] = np.nan
    return a, b, round_sig(Z, digits)
