"""LaTeX for expressions, written as the course writes them."""
from __future__ import annotations

import sympy as sp


def to_latex(expr: sp.Expr) -> str:
    """LaTeX for an expression, with ``log`` written as ``ln`` as the course does.  A power on the
    real branch (``real_power.RealPower``) prints as the power it stands for: ∛x, x^{4/3}."""
    return sp.latex(expr, ln_notation=True)
