"""f, ∇f and the Hessian H of a typed f(x, y), symbolically (sympy), for real x and y."""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from explorer import symbolic
from explorer.expressions import compile_expression, parse_expression, to_latex
from explorer.multivariate.presets import PRESETS, VARS

X, Y = sp.Symbol("x"), sp.Symbol("y")
_XR, _YR = sp.Symbol("x", real=True), sp.Symbol("y", real=True)


def as_function(expr: sp.Expr):
    """A sympy expression in x, y as a numpy function f(x, y)."""
    return compile_expression(expr, VARS)


@dataclass(frozen=True)
class Derivatives:
    f: sp.Expr
    grad: tuple[sp.Expr, sp.Expr]
    hess: tuple[tuple[sp.Expr, sp.Expr], tuple[sp.Expr, sp.Expr]]

    def latex(self) -> dict[str, str]:
        fx, fy = (to_latex(g) for g in self.grad)
        (a, b), (c, d) = [[to_latex(h) for h in row] for row in self.hess]
        return {
            "f": to_latex(self.f),
            "J": r"J = \begin{bmatrix} \dfrac{\partial f}{\partial x} & \dfrac{\partial f}{\partial y}"
                 r"\end{bmatrix} = \begin{bmatrix} " + fx + " & " + fy + r" \end{bmatrix}",
            "H": r"H = \begin{bmatrix} " + a + " & " + b + r" \\ " + c + " & " + d + r" \end{bmatrix}",
            "fx": fx, "fy": fy,
        }


def d(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """∂expr/∂var for real x and y: |x|' = sign x (with plain symbols sympy would answer with
    re/im parts it cannot evaluate), Dirac deltas at jumps dropped (zero away from the jump)."""
    real = {X: _XR, Y: _YR}
    out = sp.diff(expr.xreplace(real), real[var])
    if out.has(sp.DiracDelta):
        out = out.replace(lambda e: isinstance(e, sp.DiracDelta), lambda e: sp.S.Zero)
    return out.xreplace({_XR: X, _YR: Y})


def derivative_exprs(text: str) -> Derivatives:
    """Module-level (picklable) worker: ∇f and H of the typed f(x, y)."""
    f = parse_expression(text, VARS)
    fx, fy = d(f, X), d(f, Y)
    fxx, fxy, fyy = d(fx, X), d(fx, Y), d(fy, Y)
    return Derivatives(f, (fx, fy), ((fxx, fxy), (fxy, fyy)))


def derivatives(text: str, timeout: float = 5.0) -> Derivatives:
    """∇f and H of ``text`` (raises ``ExpressionError`` or ``symbolic.SymbolicTimeout``).

    The presets are known to be quick and are differentiated directly; typed text goes through
    ``symbolic.call`` under a deadline.
    """
    parse_expression(text, VARS)          # fail fast with the parser's message
    if text in PRESETS.values():
        return derivative_exprs(text)
    return symbolic.call(derivative_exprs, text, timeout=timeout)
