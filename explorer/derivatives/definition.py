"""The derivative from its definition: the difference quotient (f(x+h) − f(x))/h, a simplified
form, and its limit as h → 0 (sympy, under a deadline), with a float64 stand-in for the limit."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp

from explorer import symbolic
from explorer.derivatives.core import VARS, XR, H, plain, real, value_at
from explorer.expressions import compile_expression, parse_expression, to_latex


@dataclass
class QuotientResult:
    quotient: str            # LaTeX of (f(x+h) - f(x))/h
    simplified: str          # LaTeX of a simplified form
    limit: str | None        # LaTeX of the limit as h -> 0 (None when sympy could not take it)
    limit_text: str | None   # the limit as parser text (for checks)
    note: str = ""


_PIECEWISE = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min)


def _quotient_work(text: str) -> QuotientResult:
    """Module level (for ``symbolic.call``): the difference quotient, simplified, and its limit."""
    e = real(parse_expression(text, VARS))
    q = (e.subs(XR, XR + H) - e) / H
    raw = to_latex(plain(q))
    core = e.as_coeff_Mul()[1]
    if e.is_rational_function(XR):
        simp = sp.factor(sp.cancel(q))
    elif isinstance(core, (sp.sin, sp.cos, sp.exp)) and core.args[0] == XR:
        # the textbook route: sin(x+h) = sin x cos h + cos x sin h, e^(x+h) = e^x e^h
        simp = sp.collect(sp.expand(sp.expand_trig(q)), [sp.sin(XR), sp.cos(XR), sp.exp(XR)])
    else:
        simp = q
    simp_latex = to_latex(plain(simp))
    if e.has(*_PIECEWISE):
        return QuotientResult(raw, simp_latex, None, None,
                              "f is defined piece by piece, so the limit depends on where x is: "
                              "away from the break points it is the derivative given by the rules "
                              "below; at a break point compare the left and right limits above.")
    lim = sp.limit(q, H, 0)
    if lim.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.Limit, sp.AccumBounds):
        return QuotientResult(raw, simp_latex, None, None, "sympy could not take this limit.")
    lim = plain(sp.factor(lim) if lim.is_rational_function(XR) else lim)
    return QuotientResult(raw, simp_latex, to_latex(lim), sp.sstr(lim))


def numeric_quotient(text: str, x: float = 1.0, h: float = 1e-5) -> float:
    """The difference quotient (f(x+h) - f(x))/h in float64: the numeric stand-in for the limit."""
    f = compile_expression(text, VARS)
    return (value_at(f, x + h) - value_at(f, x)) / h


@functools.lru_cache(maxsize=128)
def difference_quotient(text: str, timeout: float = 1.0) -> QuotientResult:
    """Raises ``symbolic.SymbolicTimeout`` when sympy takes longer than ``timeout`` seconds."""
    return symbolic.call(_quotient_work, text, timeout=timeout)


@dataclass
class QuotientAttempt:
    result: QuotientResult | None
    why: str | None = None   # "timeout", or the name of the error sympy raised


def try_difference_quotient(text: str) -> QuotientAttempt:
    """``difference_quotient`` that answers instead of raising: a timeout is an answer too, and a
    sympy failure on an odd input is named, so the page keeps working."""
    try:
        return QuotientAttempt(difference_quotient(text))
    except symbolic.SymbolicTimeout:
        return QuotientAttempt(None, "timeout")
    except Exception as err:    # sympy can fail on odd inputs: say so, keep the page working
        return QuotientAttempt(None, type(err).__name__)
