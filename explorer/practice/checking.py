"""Checking typed answers: an expression against the expected one (symbolically when sympy decides
quickly, otherwise numerically at many random points), and a number by significant figures.
``check_answer`` never raises on bad text; ``check_number`` / ``mark_number`` raise
``ExpressionError`` with the parser's message so the page can show it.

A number is right when it is exactly the answer (``1/7``, ``e^2/2``, ``pi``), or when it rounds to
the same value as the exact answer at the stated number of significant figures (3 unless a part
says otherwise): π to 3 s.f. is 3.14, so 3.14 and 3.1416 are right, 3.16 and 3.1 are not. Rounding
is exact decimal arithmetic, halves away from zero (0.1235 to 3 s.f. is 0.124), as taught in school."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Sequence

import numpy as np
import sympy as sp

from explorer import symbolic
from explorer.expressions import ExpressionError, compile_expression, parse_expression
from explorer.numbers import superscript

SIG_FIGS = 3             # a decimal answer is marked to this many significant figures


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


@dataclass(frozen=True)
class NumberMark:
    """A typed number marked against the exact answer at ``sig_figs`` significant figures."""
    correct: bool
    exact: bool              # the typed value is exactly the answer
    sig_figs: int
    rounded: str             # the exact answer to ``sig_figs`` s.f., as text ("3.14", "1.23×10⁻⁵")
    answer_rounded: str      # the typed value to ``sig_figs`` s.f., as text


def mark_number(expected: "str | sp.Expr", answer: str, sig_figs: int = SIG_FIGS) -> NumberMark:
    """Mark a typed number (or constant expression such as ``e^2/2``) against ``expected``: right
    when exactly equal, or when both round to the same value at ``sig_figs`` significant figures.
    Raises ``ExpressionError`` (with the parser's message) for text that is not a number."""
    want = parse_expression(expected, ()) if isinstance(expected, str) else as_sympy(expected)
    got = parse_expression(answer, ())
    w, g = _decimal(want), _decimal(got)
    if not g.is_finite():
        raise ExpressionError("That is not a finite number.")
    exact = want == got or abs(w - g) <= abs(w) * Decimal("1e-40") or (w == 0 and g == 0)
    w_round = round_sig_exact(w, sig_figs)
    correct = exact or round_sig_exact(g, sig_figs) == w_round
    return NumberMark(bool(correct), bool(exact), sig_figs, sig_fig_text(w_round, sig_figs),
                      sig_fig_text(round_sig_exact(g, sig_figs), sig_figs))


def check_number(expected: "str | sp.Expr", answer: str, sig_figs: int = SIG_FIGS) -> bool:
    """Whether the typed number is right (``mark_number``)."""
    return mark_number(expected, answer, sig_figs).correct


def _decimal(v: sp.Expr) -> Decimal:
    """The value of a parsed constant as a Decimal: exact for typed decimals and fractions, 50
    significant digits otherwise."""
    if isinstance(v, sp.Float):             # a long typed decimal: the digits typed, not binary noise
        return Decimal(repr(float(v)))
    try:
        n = sp.N(v, 50)
        if not n.is_real or not n.is_Number:
            raise TypeError
        return Decimal(str(n)) if not isinstance(n, sp.Integer) else Decimal(int(n))
    except (TypeError, ValueError, ArithmeticError):
        raise ExpressionError("That is not a single real number.") from None


def round_sig_exact(v: Decimal, sig_figs: int) -> Decimal:
    """``v`` to ``sig_figs`` significant figures, halves away from zero, in exact decimal arithmetic."""
    if v == 0 or not v.is_finite():
        return v
    quantum = Decimal(1).scaleb(v.adjusted() - sig_figs + 1)
    out = v.quantize(quantum, rounding=ROUND_HALF_UP)
    if out.adjusted() > v.adjusted():       # 9.996 -> 10.00: keep sig_figs digits (10.0)
        out = out.quantize(quantum.scaleb(1), rounding=ROUND_HALF_UP)
    return out


def sig_fig_text(v: Decimal, sig_figs: int) -> str:
    """A value rounded to ``sig_figs`` s.f. as text with exactly that many digits: 3.14, 0.143, 1.30,
    2.00; powers of ten outside 10⁻⁴ … 10^sig_figs (1.23×10⁻⁵, 4.57×10⁶), as %g would."""
    if v == 0:
        return "0"
    exponent = v.adjusted()
    if -4 <= exponent < sig_figs:
        return f"{v:f}"
    digits = f"{v.scaleb(-exponent):f}"
    return f"{digits}×10{superscript(exponent)}"
