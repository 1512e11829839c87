"""Numbers from expressions: a sympy expression (or typed text) -> a safe, cached numpy function."""
from __future__ import annotations

import functools
from typing import Callable, Sequence

import numpy as np
import sympy as sp

from explorer.expressions.parse import check_variables, parse_expression
from explorer.expressions.real_power import real_branch

def _dirac_delta(u, k=0):
    """A derivative of a step: 0 away from the jump, undefined (NaN) at it (sympy's DiracDelta,
    which numpy does not know, comes from differentiating heaviside, sign or max)."""
    u = np.asarray(u, dtype=np.float64)
    return np.where(u == 0, np.nan, 0.0)


_MODULES = [{"DiracDelta": _dirac_delta}, "scipy", "numpy"]


def _nan(*_args) -> float:
    return float("nan")


def _compile(expr: sp.Expr, variables: tuple[str, ...]) -> Callable:
    syms = [sp.Symbol(v) for v in variables]
    try:
        # odd roots of negatives are real (x^(1/3) at −8 is −2), as the parser reads them
        return sp.lambdify(syms, real_branch(expr), modules=_MODULES)
    except Exception:   # nothing numpy can evaluate (e.g. an unevaluated Derivative): undefined
        return _nan


@functools.lru_cache(maxsize=256)
def _compile_text(text: str, variables: tuple[str, ...]) -> Callable:
    return _compile(parse_expression(text, variables), variables)


def compile_expression(f: "str | sp.Expr", variables: Sequence[str] = ("x",)) -> Callable[..., np.ndarray]:
    """A numpy function of ``variables`` for ``f`` (text or sympy expression), cached by text.

    The returned function never raises for domain errors: it returns float64 arrays shaped like the
    broadcast inputs, with NaN wherever the value is undefined, infinite or complex. Powers follow
    the real branch (``real_power``): x^(1/3) at −8 is −2; an even root of a negative is NaN.
    """
    variables = check_variables(variables)
    raw = _compile_text(f, variables) if isinstance(f, str) else _compile_expr_cached(f, variables)

    def safe(*args):
        return _as_real_array(raw, args)

    return safe


@functools.lru_cache(maxsize=256)
def _compile_expr_cached(expr: sp.Expr, variables: tuple[str, ...]) -> Callable:
    return _compile(expr, variables)


def _as_real_array(raw: Callable, args) -> np.ndarray:
    arrays = [np.asarray(a, dtype=np.float64) for a in args]
    shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
    with np.errstate(all="ignore"):
        try:
            out = raw(*arrays)
        except (ArithmeticError, ValueError, TypeError, NameError, AttributeError, RecursionError,
                MemoryError):   # anything numpy cannot evaluate is undefined, never an error box
            return np.full(shape, np.nan)
        out = np.asarray(out)
        if np.iscomplexobj(out):
            out = np.where(np.abs(out.imag) <= 1e-12 * (1 + np.abs(out.real)), out.real, np.nan)
        out = np.broadcast_to(out.astype(np.float64, copy=False), shape).copy()
    out[~np.isfinite(out)] = np.nan
    return out
