"""The symbols of module 1 and f′ of a typed function: exact from sympy (under a deadline), or a
central difference when sympy runs out of time. Every other module of the package builds on these."""
from __future__ import annotations

import functools
from typing import Callable

import numpy as np
import sympy as sp

from explorer import symbolic
from explorer.derivatives.presets import MATCH_POOL, PRESETS
from explorer.expressions import compile_expression, parse_expression

X = sp.Symbol("x")                      # the parser's plain symbol
XR = sp.Symbol("x", real=True)          # for differentiation (|x|' = sign x, not re/im parts)
H = sp.Symbol("h")
EPS = float(np.finfo(float).eps)
VARS = ("x",)

# presets and drill functions: known to differentiate in milliseconds, so done in-process
_KNOWN_QUICK = frozenset(PRESETS.values()) | frozenset(MATCH_POOL)


def real(expr: sp.Expr) -> sp.Expr:
    """x as a real symbol (for differentiation)."""
    return expr.xreplace({X: XR})


def plain(expr: sp.Expr) -> sp.Expr:
    """Back to the parser's plain x."""
    return expr.xreplace({XR: X})


def no_delta(expr: sp.Expr) -> sp.Expr:
    """Drop Dirac deltas: they are zero away from the jump, and the jump is reported separately."""
    if expr.has(sp.DiracDelta):
        expr = expr.replace(lambda e: isinstance(e, sp.DiracDelta), lambda e: sp.S.Zero)
    return expr


def value_at(fn, x: float) -> float:
    """A compiled (vectorised) function at one point, as a float."""
    return float(fn(np.array([x], dtype=float))[0])


def _diff_text(text: str) -> sp.Expr:
    """Module level (picklable) so that ``symbolic.call`` can run it under a deadline."""
    return plain(no_delta(sp.diff(real(parse_expression(text, VARS)), XR)))


@functools.lru_cache(maxsize=256)
def derivative_expression(text: str) -> sp.Expr | None:
    """f'(x) from sympy (plain symbol x, Dirac deltas dropped); None if sympy ran out of time.

    Typed text is differentiated under the ``symbolic`` deadline; the page's presets and the drill
    functions (known to take milliseconds) are differentiated in-process, so a page's first paint
    never waits for a symbolic worker to start."""
    if text in _KNOWN_QUICK:
        return _diff_text(text)
    try:
        return symbolic.call(_diff_text, text, timeout=1.0)
    except symbolic.SymbolicTimeout:
        return None


@functools.lru_cache(maxsize=256)
def derivative_function(text: str) -> tuple[Callable[[np.ndarray], np.ndarray], bool]:
    """(numpy f', exact?): the compiled symbolic derivative, or a central difference if sympy timed out."""
    d = derivative_expression(text)
    if d is not None:
        return compile_expression(d, VARS), True
    f = compile_expression(text, VARS)
    h = EPS ** (1 / 3)

    def numeric(x):
        x = np.asarray(x, dtype=float)
        return (f(x + h) - f(x - h)) / (2 * h)
    return numeric, False
