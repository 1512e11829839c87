"""LaTeX for expressions, written as the course writes them."""
from __future__ import annotations

import sympy as sp


def to_latex(expr: sp.Expr) -> str:
    """LaTeX for an expression, with ``log`` written as ``ln`` as the course does."""
    return sp.latex(expr, ln_notation=True)
