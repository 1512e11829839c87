"""Checking typed answers: an expression against the expected one (symbolically when sympy decides
quickly, otherwise numerically at many random points), and a number within a relative tolerance.
Neither raises on bad expression text in ``check_answer``; ``check_number`` raises
``ExpressionError`` with the parser's message so the page can show it."""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

import numpy as np
import sympy as sp

from explorer import symbolic
from explorer.expressions import ExpressionError, compile_expression, parse_expression

NUMBER_REL_TOL = 0.006   # a decimal rounded to 3 significant figures is accepted


def as_sympy(v: "sp.Expr | int | Fraction") -> sp.Expr:
    """A sympy object for one of our own generated values (never user text)."""
    if isinstance(v, sp.Basic):
        return v
    if isinstance(v, Fraction):
        return sp.Rational(v.numerator, v.denominator)
    if isinstance(v, int):
        return sp.Integer(v)
    raise TypeError(f"unexpected value {v!r}")


def _simplifies_to_zero(diff: sp.Expr) -> bool:
    return sp.simplify(diff) == 0


def _numerically_equal(a: sp.Expr, b: sp.Expr, variables: tuple[str, ...], seed: int = 0) -> bool:
    rng = np.random.default_rng(seed)
    pts = [rng.uniform(-3, 3, 400) for _ in variables]
    fa, fb = compile_expression(a, variables)(*pts), compile_expression(b, variables)(*pts)
    both = np.isfinite(fa) & np.isfinite(fb)
    if both.sum() < 20 or (np.isfinite(fa) != np.isfinite(fb)).mean() > 0.05:
        return False
    return bool(np.allclose(fa[both], fb[both], rtol=1e-8, atol=1e-9))


def check_answer(expected: str, answer: str, variables: Sequence[str] = ("x",)) -> bool:
    """True exactly when ``answer`` is mathematically equal to ``expected`` (never raises on bad text)."""
    variables = tuple(variables)
    try:
        a = parse_expression(expected, variables)
        b = parse_expression(answer, variables)
    except (ExpressionError, TypeError):
        return False
    try:
        diff = sp.expand(a - b) if sp.count_ops(a - b) < 200 else a - b
        if diff == 0:
            return True
        if not diff.free_symbols:
            try:
                return abs(complex(sp.N(diff, 30))) < 1e-12
            except (TypeError, ValueError):
                return False
        try:
            if symbolic.call(_simplifies_to_zero, diff, timeout=1.0):
                return True
        except symbolic.SymbolicTimeout:
            pass
        return _numerically_equal(a, b, variables)
    except Exception:  # noqa: BLE001 - an odd answer must never break the page; it is just not equal
        return False


def check_number(expected: "str | sp.Expr", answer: str, rel_tol: float = NUMBER_REL_TOL) -> bool:
    """True when the typed number (or constant expression such as ``e^2/2``) matches ``expected``:
    exactly, or within ``rel_tol`` relative error (so a decimal to 3 significant figures passes).
    Raises ``ExpressionError`` (with the parser's message) for text that is not a number."""
    want = parse_expression(expected, ()) if isinstance(expected, str) else as_sympy(expected)
    got = parse_expression(answer, ())
    try:
        w, g = float(sp.N(want, 20)), float(sp.N(got, 20))
    except (TypeError, ValueError):
        raise ExpressionError("That is not a single real number.") from None
    if not math.isfinite(g):
        raise ExpressionError("That is not a finite number.")
    return abs(w - g) <= rel_tol * abs(w) + 1e-9
