"""Rise over run and why h cannot go to 0 on a computer: the secant from x0 to x0 + h, and the
forward and central difference errors over many decades of h (truncation against round-off)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from explorer.derivatives.breaks import BreakPoint, break_points
from explorer.derivatives.core import EPS, VARS, derivative_function, value_at
from explorer.expressions import compile_expression


def digits_for_step(h: float) -> int:
    """Significant figures needed to see f(x0 + h) differ from f(x0): about 5 + log10(1/h), ≤ 16."""
    return int(min(16, max(6, 5 + math.ceil(-math.log10(abs(h)))))) if h else 16


def breaks_at(breaks: Sequence[BreakPoint], x0: float) -> list[BreakPoint]:
    """The break points (from ``break_points``) that sit at x0."""
    return [b for b in breaks if abs(b.x - x0) < 1e-6]


@dataclass
class Secant:
    x0: float
    h: float
    f0: float                # f(x0)
    f1: float                # f(x0 + h)
    rise: float
    run: float
    slope: float             # rise / run
    true_slope: float        # f'(x0) (NaN where f is not differentiable or not defined)
    exact: bool              # True: f'(x0) from sympy; False: numeric fallback

    @property
    def error(self) -> float:
        return abs(self.slope - self.true_slope)

    def tangent(self, xs: np.ndarray) -> np.ndarray:
        return self.f0 + self.true_slope * (np.asarray(xs) - self.x0)

    def line(self, xs: np.ndarray) -> np.ndarray:
        return self.f0 + self.slope * (np.asarray(xs) - self.x0)


def secant(text: str, x0: float, h: float, breaks: Sequence[BreakPoint] | None = None) -> Secant:
    """The secant of f from x0 to x0 + h.  ``breaks``: the break points, if already known
    (otherwise they are found near x0); f'(x0) is NaN at a break point."""
    f = compile_expression(text, VARS)
    d, exact = derivative_function(text)
    f0, f1 = value_at(f, x0), value_at(f, x0 + h)
    rise = f1 - f0
    slope = rise / h if h != 0 else float("nan")
    true = value_at(d, x0)
    if breaks is None:
        breaks = break_points(text, x0 - 1, x0 + 1)
    if breaks_at(breaks, x0):
        true = float("nan")
    return Secant(x0, h, f0, f1, rise, h, slope, true, exact)


# ---------------------------------------------------------------------------------------------
# 2. Why not h -> 0 on a computer
@dataclass
class DifferenceErrors:
    hs: np.ndarray
    forward: np.ndarray           # |forward difference - f'(x0)|, NaN where undefined
    central: np.ndarray           # |central difference - f'(x0)|
    best_forward: float           # the h with the smallest forward error (NaN if none)
    best_central: float
    min_forward: float
    min_central: float
    exact_slope: float
    theory_forward: float = math.sqrt(EPS)       # where truncation h|f''|/2 meets round-off 2ε|f|/h
    theory_central: float = EPS ** (1 / 3)

    @property
    def ok(self) -> bool:
        return bool(np.isfinite(self.forward).any() or np.isfinite(self.central).any())

    @property
    def central_truncation_free(self) -> bool:
        """True when the central error never rises above round-off level (third derivative 0)."""
        big = (self.hs >= 1e-3) & np.isfinite(self.central)
        scale = max(1.0, abs(self.exact_slope))
        return bool(big.any() and np.max(self.central[big]) < 1e-9 * scale)


ERROR_FLOOR = 1e-17     # an error of exactly 0 is drawn here on the log axis


def difference_errors(text: str, x0: float, hs: np.ndarray | None = None,
                      breaks: Sequence[BreakPoint] | None = None) -> DifferenceErrors:
    """Forward and central difference errors at ``x0`` for h over many decades (float64 arithmetic).

    The reference f'(x0) is sympy's derivative evaluated in float64 (relative error ~1e-16), far
    below the differences' errors, so the V shape of the plot is truncation (right) against
    round-off (left).
    """
    hs = np.logspace(-16, 0, 161) if hs is None else np.asarray(hs, dtype=float)
    f = compile_expression(text, VARS)
    d, _ = derivative_function(text)
    exact = value_at(d, x0)
    if breaks is not None and breaks_at(breaks, x0):
        exact = float("nan")            # no derivative at x0: nothing for the differences to approach
    f0 = value_at(f, x0)
    with np.errstate(all="ignore"):
        fwd = (f(x0 + hs) - f0) / hs
        cen = (f(x0 + hs) - f(x0 - hs)) / (2 * hs)
        ef, ec = np.abs(fwd - exact), np.abs(cen - exact)
    ef, ec = np.maximum(ef, ERROR_FLOOR), np.maximum(ec, ERROR_FLOOR)   # NaN stays NaN

    def best(err):
        if not np.isfinite(err).any():
            return float("nan"), float("nan")
        i = int(np.nanargmin(err))
        return float(hs[i]), float(err[i])
    bf, mf = best(ef)
    bc, mc = best(ec)
    return DifferenceErrors(hs, ef, ec, bf, bc, mf, mc, exact)

