"""Marking typed answers (and, later, generating drills).

``check_answer(expected, answer, variables=("x",))`` is True exactly when the two expressions are
mathematically equal: symbolically when sympy can decide quickly, otherwise numerically at many
random points.  It never raises on bad ``answer`` text: it returns False (the page shows the
parser's message from ``explorer.expressions.parse_expression``).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import sympy as sp

from explorer import symbolic
from explorer.expressions import ExpressionError, compile_expression, parse_expression


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
    variables = tuple(variables)
    try:
        a = parse_expression(expected, variables)
        b = parse_expression(answer, variables)
    except (ExpressionError, TypeError):
        return False
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
