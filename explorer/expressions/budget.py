"""A work budget for a typed expression, checked once when it is parsed, before any page starts
expanding, differentiating, simplifying or compiling it.

A short text can stand for an enormous amount of work: ``(x+1)^100*(x+2)^100*(x+3)^100`` is about a
million terms once multiplied out (sympy's ``expand`` took 136 s on it, in the server process, while
every other session waited), ``((x+1)^100)^100`` is ``(x+1)^10000``, and twenty nested ``abs`` make
every derivative and every break-point search branch 2^20 ways (and sympy's evalf recurse past
Python's limit).  So two numbers are bounded, with a message naming the part that is too big:

- ``expanded_terms``: an upper bound on the number of terms of the expression multiplied out
  (a sum adds its terms, a product multiplies them, a power (a+b+...)^n of t terms has at most
  C(n+t-1, t-1)); at most ``MAX_TERMS``;
- ``kink_depth``: how deeply abs, sign, heaviside, min and max are nested; at most ``MAX_KINKS``.
"""
from __future__ import annotations

import math

import sympy as sp

from explorer.expressions.vocabulary import ExpressionError

MAX_TERMS = 1000     # (x+1)^30*(x+2)^30 has 961; (x+1)^100 101; (x+y+1)^30 at most 496
MAX_KINKS = 6        # abs(abs(abs(x)-1)-2) is 3
_KINKS = (sp.Abs, sp.sign, sp.Heaviside, sp.Min, sp.Max)


def _short(expr: sp.Expr) -> str:
    text = sp.sstr(expr).replace("**", "^")
    return text if len(text) <= 60 else text[:57] + "…"


def expanded_terms(expr: sp.Expr, memo: dict | None = None) -> tuple[int, sp.Expr | None]:
    """(an upper bound on the terms of ``expr`` multiplied out, capped at MAX_TERMS + 1; the smallest
    part, possibly inside a function, over the budget, or None)."""
    memo = {} if memo is None else memo
    worst: list = [None]
    cap = MAX_TERMS + 1

    def terms(e: sp.Expr) -> int:
        if e in memo:
            return memo[e]
        if e.is_Atom:
            n = 1
        elif e.is_Add:
            n = min(cap, sum(terms(a) for a in e.args))
        elif e.is_Mul:
            n = 1
            for a in e.args:
                n = min(cap, n * terms(a))
        elif e.is_Pow:
            t = terms(e.base)
            terms(e.exp)
            k = e.exp
            if t > 1 and k.is_Integer:
                k = abs(int(k))
                n = cap if t >= cap or k >= cap else min(cap, math.comb(k + t - 1, t - 1))
            else:
                n = 1 if t == 1 else t
        else:                          # a function: its arguments are multiplied out inside it
            for a in e.args:
                terms(a)
            n = 1
        if n >= cap and worst[0] is None:
            worst[0] = e
        memo[e] = n
        return n

    return terms(expr), worst[0]


def kink_depth(expr: sp.Expr) -> int:
    """How deeply abs, sign, heaviside, min and max are nested in ``expr``."""
    memo: dict = {}

    def depth(e: sp.Expr) -> int:
        if e in memo:
            return memo[e]
        inner = max((depth(a) for a in e.args), default=0)
        memo[e] = d = inner + isinstance(e, _KINKS)
        return d

    return depth(expr)


def check_budget(expr: sp.Expr) -> None:
    """Refuse an expression whose work would be too big, naming what is too big."""
    _, worst = expanded_terms(expr)
    if worst is not None:
        raise ExpressionError(
            f"The expression is too big to work with: multiplied out, {_short(worst)} would have more "
            f"than {MAX_TERMS} terms. Use smaller powers or fewer factors.")
    check_kinks(kink_depth(expr))


def check_kinks(k: int) -> None:
    """Refuse ``k`` nested abs, sign, heaviside, min and max beyond ``MAX_KINKS``."""
    if k > MAX_KINKS:
        raise ExpressionError(
            f"abs, sign, heaviside, min and max are nested {k} deep: at most {MAX_KINKS} are allowed "
            "(each one doubles the pieces the derivative and the break points are worked out on).")
