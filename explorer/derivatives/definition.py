"""The derivative from its definition: the difference quotient (f(x+h) − f(x))/h, the algebra that
takes h out of its denominator (expand, cancel, divide by h: polynomials, rational functions, the
addition formulas of sin, cos, exp), and its limit as h → 0 (sympy, under a deadline), with a
float64 stand-in for the limit. Where no algebra gets rid of the h, the steps say so."""
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
    simplified: str          # LaTeX of the last form before the limit (the end of ``steps``)
    limit: str | None        # LaTeX of the limit as h -> 0 (None when sympy could not take it)
    limit_text: str | None   # the limit as parser text (for checks)
    note: str = ""
    # the working, one LaTeX right-hand side of "(f(x+h) - f(x))/h =" a line: the quotient with f
    # put in, the numerator expanded, what cancels cancelled, h divided out (as far as the algebra
    # goes); a line with its own left-hand side has its "&=" in it (the numerator's working)
    steps: tuple[str, ...] = ()
    how: str = ""            # one sentence: what the steps do and how the limit is taken


QUOTIENT = r"\frac{f(x+h)-f(x)}{h}"
_PIECEWISE = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min)


def _minus(a: sp.Expr, b: sp.Expr) -> str:
    """LaTeX of a − b as written, before anything cancels."""
    tb = to_latex(plain(b))
    if isinstance(b, sp.Add) or b.could_extract_minus_sign():
        tb = rf"\left({tb}\right)"
    return f"{to_latex(plain(a))} - {tb}"


def _terms(*groups: sp.Expr) -> str:
    """LaTeX of a sum of expanded groups, each group's terms kept (so x^2 - x^2 shows before it cancels)."""
    out = ""
    for g in groups:
        for t in (plain(g).as_ordered_terms() if g != 0 else ()):
            neg = t.could_extract_minus_sign()
            body = to_latex(-t if neg else t)
            out += (" - " if neg else (" + " if out else "")) + body
    return (out.removeprefix(" ") if out.startswith(" - ") else out) or "0"


def _frac(num: str, den: str) -> str:
    return rf"\frac{{{num}}}{{{den}}}"


def _algebra(e: sp.Expr) -> tuple[list[str], str, sp.Expr | None]:
    """The steps (LaTeX) from the quotient to a form with h divided out, a sentence saying what they
    do, and that form (None when the algebra does not get there)."""
    a = e.subs(XR, XR + H)
    if e.is_polynomial(XR):
        n = sp.expand(a - e)
        final = sp.expand(sp.cancel(n / H))
        return ([_frac(_minus(a, e), "h"), _frac(_terms(sp.expand(a), -sp.expand(e)), "h"),
                 _frac(_terms(n), "h"), to_latex(plain(final))],
                "Expand f(x + h), cancel the terms without h, divide by h, then let h → 0: "
                "what is left has no h in a denominator, so h = 0 can be put in.", final)
    if e.is_rational_function(XR):
        p, q = sp.fraction(sp.cancel(sp.together(e)))
        p1, q1 = p.subs(XR, XR + H), q.subs(XR, XR + H)
        den = sp.Mul(H, q1, q)
        n = sp.expand(p1 * q - p * q1)
        final = sp.cancel(n / H) / (q1 * q)
        # the numerator's working on lines of its own: under the long denominator it would not fit
        # a 1024 px column in presenter mode
        return ([_frac(_minus(a, e), "h"), _frac(_minus(p1 * q, p * q1), to_latex(plain(den))),
                 rf"\text{{numerator}} &= {_terms(sp.expand(p1 * q), -sp.expand(p * q1))}",
                 rf"&= {_terms(n)}", rf"{QUOTIENT} &= {_frac(_terms(n), to_latex(plain(den)))}",
                 to_latex(plain(final))],
                "Put the two fractions over one denominator, expand the numerator, cancel, divide by h, "
                "then let h → 0: h = 0 can then be put in.", final)
    k, core = e.as_coeff_Mul()
    if isinstance(core, (sp.sin, sp.cos, sp.exp)) and core.args[0] == XR:
        # the textbook route: sin(x+h) = sin x cos h + cos x sin h, e^(x+h) = e^x e^h
        u = sp.UnevaluatedExpr
        c1, s1, e1 = u((sp.cos(H) - 1) / H), u(sp.sin(H) / H), u((sp.exp(H) - 1) / H)
        grouped = {sp.sin: k * (sp.sin(XR) * c1 + sp.cos(XR) * s1),
                   sp.cos: k * (sp.cos(XR) * c1 - sp.sin(XR) * s1),
                   sp.exp: k * sp.exp(XR) * e1}[type(core)]
        known = (r"$\frac{\sin h}{h} \to 1$ and $\frac{\cos h - 1}{h} \to 0$" if type(core) is not sp.exp
                 else r"$\frac{e^h - 1}{h} \to 1$")
        return ([_frac(_minus(a, e), "h"), _frac(_terms(sp.expand(sp.expand_trig(a)), -e), "h"),
                 to_latex(plain(grouped))],
                ("Use the addition formula (sin(x + h) = sin x cos h + cos x sin h, cos(x + h) = "
                 "cos x cos h − sin x sin h)" if type(core) is not sp.exp else "Split e^(x+h) = eˣ·eʰ")
                + f", group the terms, then let h → 0 using the standard limits {known}.", None)
    return ([_frac(_minus(a, e), "h")],
            "No expanding or cancelling takes the h out of the denominator here, so h = 0 cannot simply "
            "be put in.", None)


def _quotient_work(text: str) -> QuotientResult:
    """Module level (for ``symbolic.call``): the difference quotient, the algebra, and its limit."""
    e = real(parse_expression(text, VARS))
    q = (e.subs(XR, XR + H) - e) / H
    raw = to_latex(plain(q))
    if e.has(*_PIECEWISE):
        return QuotientResult(raw, raw, None, None,
                              "f is defined piece by piece, so the limit depends on where x is: "
                              "away from the break points it is the derivative given by the rules "
                              "below; at a break point compare the left and right limits above.",
                              steps=(_frac(_minus(e.subs(XR, XR + H), e), "h"),))
    steps, how, final = _algebra(e)
    steps = [s for i, s in enumerate(steps) if i == 0 or s != steps[i - 1]]   # a step that changes nothing
    lim = None
    if final is not None:
        # h is out of the denominator: put h = 0 in, and check it against sympy's derivative (a
        # rational identity: cancel decides it, in milliseconds where sympy's limit takes ~0.5 s)
        lim = sp.cancel(final.subs(H, 0))
        if sp.cancel(lim - sp.diff(e, XR)) != 0:        # never show a wrong last step
            lim, steps, how = None, steps[:1], ""
    if lim is None:
        lim = sp.limit(q, H, 0)
    if lim.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.Limit, sp.AccumBounds):
        return QuotientResult(raw, steps[-1], None, None, "sympy could not take this limit.",
                              tuple(steps), how)
    if len(steps) == 1:
        how += " sympy takes this limit directly."
    lim = plain(sp.factor(lim) if lim.is_rational_function(XR) else lim)
    return QuotientResult(raw, steps[-1], to_latex(lim), sp.sstr(lim), steps=tuple(steps), how=how.strip())


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
