"""The series engine's public face: exact coefficients and polynomials, numeric ones (mpmath) as a
fallback, and every derivative f⁽ᵏ⁾(x)/k! on a grid (for the Lagrange bound).

No ``sympy.series``, which can take minutes: the coefficients come from the jet (``walk``)."""
from __future__ import annotations

import functools
import math
import time
from typing import Any

import numpy as np
import sympy as sp

from explorer.expressions import parse_expression
from explorer.taylor.jet import TaylorError, _Unsupported
from explorer.taylor.walk import _jet_coefficients


def exact_point(a: Any) -> sp.Expr:
    """A slider's float as the exact number it stands for: 0.7 -> 7/10 (a simple decimal)."""
    if isinstance(a, sp.Basic):
        return a
    if isinstance(a, (int, np.integer)):
        return sp.Integer(int(a))
    a = float(a)
    if not math.isfinite(a):
        raise TaylorError("The expansion point must be a finite number.")
    text = repr(a)
    if "e" in text or "inf" in text or "nan" in text:
        return sp.Rational(a)
    return sp.Rational(text)


@functools.lru_cache(maxsize=256)
def _coefficients_cached(expr: sp.Expr, var: sp.Symbol, a: sp.Expr, order: int, budget: float) -> tuple:
    deadline = time.monotonic() + budget if budget else None
    try:
        return tuple(_jet_coefficients(expr, var, a, order, False, deadline))
    except _Unsupported as err:
        raise TaylorError(f"No exact series rule for part of this function ({err}).") from None
    except (ZeroDivisionError, RecursionError) as err:
        raise TaylorError(f"The exact coefficients could not be computed ({type(err).__name__}).") from None


def _as_expr(f: "str | sp.Expr", var: str) -> sp.Expr:
    if isinstance(f, sp.Basic):
        return f
    return parse_expression(f, (var,))


def taylor_coefficients(f: "str | sp.Expr", a: float, order: int, var: str = "x",
                        budget: float | None = None) -> list[sp.Expr]:
    """Exact c_k = f⁽ᵏ⁾(a)/k! for k = 0..order; ``budget`` seconds (raises SymbolicTimeout)."""
    expr = _as_expr(f, var)
    order = int(order)
    if order < 0:
        raise ValueError("order must be >= 0")
    return list(_coefficients_cached(expr, sp.Symbol(var), exact_point(a), order, float(budget or 0)))


def taylor_polynomial(f: str, a: float, order: int, var: str = "x") -> sp.Expr:
    """Tₙ(x) = Σ f⁽ᵏ⁾(a)/k! (x − a)ᵏ, exact in the coefficients (raises TaylorError if none exists)."""
    a_ex = exact_point(a)
    coeffs = taylor_coefficients(f, a_ex, order, var)
    v = sp.Symbol(var)
    return sp.Add(*[c * (v - a_ex) ** k for k, c in enumerate(coeffs)])


def _mp_value(expr, var):
    import mpmath
    fn = sp.lambdify(sp.Symbol(var), expr, modules="mpmath")

    def f(t):
        try:
            out = fn(t)
            return mpmath.mpf(out) if not isinstance(out, mpmath.mpc) else out.real
        except (ZeroDivisionError, ValueError, OverflowError):
            return mpmath.nan
    return f


def numeric_coefficients(f: "str | sp.Expr", a: float, order: int, var: str = "x", dps: int = 40) -> list[float]:
    """c_k by high-precision numerical differentiation (mpmath.taylor): the fallback."""
    import mpmath
    expr = _as_expr(f, var)
    with mpmath.workdps(dps):
        fm = _mp_value(expr, var)
        a_mp = mpmath.mpf(str(float(a)))
        singular = not mpmath.isfinite(fm(a_mp))
        cs = mpmath.taylor(fm, a_mp, int(order), singular=singular)
        return [float(c) for c in cs]


def derivative_grid(f: "str | sp.Expr", x: np.ndarray, order: int, var: str = "x") -> np.ndarray:
    """Array (order+1, len(x)) of f⁽ᵏ⁾(x)/k! at every grid point (float jet); NaN where undefined."""
    expr = _as_expr(f, var)
    x = np.asarray(x, dtype=float)
    with np.errstate(all="ignore"):
        try:
            cs = _jet_coefficients(expr, sp.Symbol(var), x, order, True, None)
        except (_Unsupported, TaylorError):
            return np.full((order + 1, x.size), np.nan)
        out = np.array([np.broadcast_to(np.asarray(c, dtype=complex), x.shape) for c in cs])
    out = np.where(np.abs(out.imag) <= 1e-12 * (1 + np.abs(out.real)), out.real, np.nan)
    out[~np.isfinite(out)] = np.nan
    return out
