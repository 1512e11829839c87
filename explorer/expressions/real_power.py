"""Powers x^(p/q) with an odd denominator q on the real branch, as a graphing calculator reads them.

The course follows Desmos: an odd root of a negative number is real, (−8)^(1/3) = −2,
(−8)^(2/3) = 4 and x^(4/3) is defined for x < 0; an even root of a negative number (√−1, x^(1/2)
at x < 0) is undefined. sympy's ``x**(1/3)`` is the principal complex branch instead ((−8)^(1/3) =
1 + i√3), so the builder writes x^(p/q) with q odd as ``real_power(x, p, q)``:

- a plain ``Pow`` when the base cannot be negative (x² + 1, eˣ, |x|) or is a number (then the
  value itself: −2 for (−8)^(1/3));
- otherwise ``RealPower[p, q](x)``, a one-argument sympy function with value sgn(x)^p |x|^(p/q).
  Its derivative is (p/q)·x^((p−q)/q) on the same branch (``fdiff``), so ``sp.diff`` and the
  Taylor jets (which treat any one-argument function by its derivative) stay on the real branch;
  LaTeX prints it as the power (∛x, x^{4/3}); numpy, ``math`` and mpmath evaluate it through
  ``_imp_`` (``lambdify`` finds that by itself).

Negative exponents are written 1/x^(|p|/q), so LaTeX puts them in a denominator.  At x = 0 the
value is 0 (p > 0); the derivative of x^(1/3) there is infinite, so it evaluates to ∞ or a
division by zero, which the callers report as undefined.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import sympy as sp


class RealPower(sp.Function):
    """sgn(x)^p |x|^(p/q) for the class's p > 0 and odd q > 1 (one class per pair: ``_power_class``)."""
    p: int = 1
    q: int = 3
    nargs = 1

    def _value(cls, b):
        """sympy's evaluation hook (installed as ``eval`` below: it runs on sympy expressions the
        safe parser built, never on typed text): a number's value, or a plain power where the
        base cannot be negative."""
        if b.is_number and b.is_extended_real:
            if b.is_negative:
                return (-1) ** cls.p * sp.Pow(-b, sp.Rational(cls.p, cls.q))
            if b.is_nonnegative:
                return sp.Pow(b, sp.Rational(cls.p, cls.q))
        if _nonnegative(b):
            return sp.Pow(b, sp.Rational(cls.p, cls.q))
        return None

    eval = classmethod(_value)   # the name sympy's Function calls on construction

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise sp.ArgumentIndexError(self, argindex)
        return sp.Rational(self.p, self.q) * real_power(self.args[0], self.p - self.q, self.q)

    def _eval_power(self, n):
        # (sgn^p |x|^(p/q))^n = sgn^(pn) |x|^(pn/q) for an integer n; 1/x^(a/q) stays a reciprocal
        if n.is_Integer and n > 1:
            return real_power(self.args[0], self.p * int(n), self.q)
        if n.is_Integer and n < -1:
            return 1 / real_power(self.args[0], self.p * int(-n), self.q)
        return None

    def _eval_is_extended_real(self):
        return True if self.args[0].is_extended_real else None

    def _eval_is_nonnegative(self):
        b = self.args[0]
        if b.is_extended_real and self.p % 2 == 0:
            return True
        return b.is_nonnegative

    def _eval_is_zero(self):
        return self.args[0].is_zero

    def _eval_evalf(self, prec):
        b = self.args[0]._eval_evalf(prec)
        if b is None or not b.is_Number:
            return None
        v = self.func(b)
        return None if isinstance(v, RealPower) else v._eval_evalf(prec)

    def as_power(self) -> sp.Pow:
        """The unevaluated power this stands for (for printing)."""
        return sp.Pow(self.args[0], sp.Rational(self.p, self.q), evaluate=False)

    def _latex(self, printer, exp=None):
        s = printer._print(self.as_power())
        return rf"\left({s}\right)^{{{exp}}}" if exp is not None else s

    def _sympystr(self, printer):
        return printer._print(self.as_power())

    def __reduce_ex__(self, protocol):
        return (real_power, (self.args[0], self.p, self.q))


def _nonnegative(b: sp.Expr) -> bool:
    """Can b never be negative, for real values of its symbols?  (x² + 1, eˣ, |x|: yes.)"""
    if b.is_nonnegative:
        return True
    reals = {s: sp.Dummy(real=True) for s in b.free_symbols if not s.is_extended_real}
    return bool(reals) and bool(b.xreplace(reals).is_nonnegative)


def _numeric(b, p: int, q: int):
    """sgn(b)^p |b|^(p/q) for a float, an mpmath number or a numpy array (the ``_imp_``)."""
    e = p / q
    if isinstance(b, (np.ndarray, np.generic)):
        with np.errstate(all="ignore"):
            m = np.abs(b) ** e
            return np.sign(b) * m if p % 2 else m
    m = abs(b) ** e
    if isinstance(m, complex):   # a complex input: not on the real branch
        return math.nan
    return -m if p % 2 and b < 0 else m


@functools.cache
def _power_class(p: int, q: int) -> type:
    """The RealPower class for x^(p/q) (p > 0, q odd > 1), one per pair so ``is``/hash agree."""
    name = f"RealPower_{p}_{q}"
    return type(name, (RealPower,), {"p": p, "q": q, "_imp_": staticmethod(lambda b: _numeric(b, p, q)),
                                     "__module__": __name__})


def real_power(base: sp.Expr, p: int, q: int) -> sp.Expr:
    """base^(p/q) on the real branch (for odd q; any p).  Even q is the caller's business."""
    r = sp.Rational(p, q)
    p, q = r.p, r.q
    if q == 1:
        return sp.Pow(base, p)
    if q % 2 == 0:
        raise ValueError("real_power is for odd denominators; even roots of negatives are undefined")
    if isinstance(base, RealPower):      # an odd root of an odd root is an odd root
        return real_power(base.args[0], base.p * p, base.q * q)
    if p < 0:
        return 1 / _power_class(-p, q)(base)
    return _power_class(p, q)(base)


def real_branch(expr: sp.Expr) -> sp.Expr:
    """``expr`` with every power b^(p/q), q odd, of a base that may be negative put on the real
    branch (for expressions sympy built itself, e.g. ``sp.root(x, 3)``; the parser does it already)."""
    def odd_root(e):
        return (e.is_Pow and e.exp.is_Rational and not e.exp.is_Integer and e.exp.q % 2 == 1
                and not _nonnegative(e.base))
    if not expr.has(sp.Pow):
        return expr
    return expr.replace(odd_root, lambda e: real_power(e.base, e.exp.p, e.exp.q))
