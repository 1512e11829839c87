"""Compiled scalar bundles shared by the optimisation methods: one call returns f and all the
derivatives a step needs, as plain floats.

Derivatives come from sympy once per function text and are compiled to plain-``math`` scalar code
(with a numpy/scipy fallback for functions ``math`` does not know) and cached by the callers, so a
1,000-step path costs milliseconds.
"""
from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np
import sympy as sp

from explorer.expressions import compile_expression, parse_expression
from explorer.expressions.real_power import real_branch
from explorer.numbers import round_to_scale

# real symbols: then d|x|/dx is sign(x), not an expression in re(x), im(x)
X, Y, LAM = sp.Symbol("x", real=True), sp.Symbol("y", real=True), sp.Symbol("lam", real=True)
_PLAIN = {X: sp.Symbol("x"), Y: sp.Symbol("y")}


def parse(text: str, variables=("x", "y")) -> sp.Expr:
    """The safe parser, with the variables made real symbols for differentiation."""
    e = parse_expression(text, variables)
    return e.xreplace({sp.Symbol("x"): X, sp.Symbol("y"): Y})


def _clean(e: sp.Expr) -> sp.Expr:
    """Derivatives of abs/sign/max leave Derivative(...) or DiracDelta terms: 0 almost everywhere."""
    return ((sp.S.Zero + e).replace(sp.Derivative, lambda *a: sp.S.Zero)
            .replace(sp.DiracDelta, lambda *a: sp.S.Zero))


def vectorised(expr: sp.Expr, variables=("x", "y")) -> Callable[..., np.ndarray]:
    """A numpy function of an expression in the real symbols (NaN where undefined)."""
    return compile_expression(_clean(expr).xreplace(_PLAIN), variables)


class NonFinite(ArithmeticError):
    """A value along the iteration was undefined, infinite or overflowed."""


def scalar_bundle(exprs: Sequence[sp.Expr], syms: Sequence[sp.Symbol]) -> Callable[..., tuple]:
    """A function of floats returning a tuple of floats; raises NonFinite on any domain error."""
    exprs = [real_branch(_clean(e)) for e in exprs]
    probe = tuple(0.3127 + 0.1 * i for i in range(len(syms)))
    fast = None
    try:
        fast = sp.lambdify(syms, exprs, modules="math", cse=True)
        fast(*probe)
    except (ValueError, OverflowError, ZeroDivisionError):
        pass                                # a domain error at the probe point is fine
    except Exception:
        fast = None                         # a function plain math does not know (sign, Heaviside, ...)
    slow = []   # the numpy/scipy fallback, built only when plain math cannot do it

    def run_slow(*args):
        if not slow:
            slow.append(sp.lambdify(syms, exprs, modules=["scipy", "numpy"], cse=True))
        with np.errstate(all="ignore"):
            vals = slow[0](*args)
        out = []
        for v in vals:
            v = complex(v) if np.iscomplexobj(v) else float(v)
            if isinstance(v, complex):
                if abs(v.imag) > 1e-12 * (1 + abs(v.real)):
                    raise NonFinite
                v = v.real
            out.append(v)
        return out

    def call(*args):
        try:
            vals = fast(*args) if fast is not None else run_slow(*args)
        except (ValueError, OverflowError, ZeroDivisionError, TypeError):
            raise NonFinite from None
        if fast is not None:
            if any(isinstance(v, complex) for v in vals):   # e.g. (−2.0)**0.5: an even root of a negative
                raise NonFinite
            out = tuple(float(v) for v in vals)
        else:
            out = tuple(vals)
        for v in out:
            if not math.isfinite(v):
                raise NonFinite
        return out

    return call


def grid(f: str, window: tuple[float, float, float, float], n: int = 60, digits: int = 5):
    """An n×n grid of f(x, y) over ``window`` = (x0, x1, y0, y1) for charts, rounded to ``digits``
    significant figures of its largest value (NaN where undefined)."""
    x0, x1, y0, y1 = window
    xs = np.round(np.linspace(x0, x1, n), 6)
    ys = np.round(np.linspace(y0, y1, n), 6)
    Xg, Yg = np.meshgrid(xs, ys)
    Z = compile_expression(f, ("x", "y"))(Xg, Yg)
    return xs, ys, round_to_scale(Z, digits)
