"""Truncated power series and their arithmetic: the *jet* behind every Taylor coefficient.

A series ``t^v * (c0 + c1 t + ... + c_{m-1} t^{m-1}) + O(t^{v+m})`` is a ``_S`` (a Laurent series
with a valuation, so removable singularities and flat functions come out exact). ``_Jet`` adds,
multiplies and inverts them and applies the elementary functions by their classic recurrences
(``w = exp(u)`` gives ``w' = w u'``, ``w = ln u`` gives ``u w' = u'``, sin/cos as a pair, ``u^p``
by ``u w' = p w u'``; any other ``g`` by ``w' = g'(u) u'``). The coefficients are exact sympy
numbers, or floats/numpy arrays when ``numeric`` (every derivative on a grid at once).
"""
from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass

import numpy as np
import sympy as sp

from explorer.symbolic import SymbolicTimeout


class TaylorError(ValueError):
    """f has no Taylor expansion at that point (undefined, a pole, a corner…); the message says why."""


class _Unsupported(Exception):
    pass


@dataclass
class _S:
    v: int
    c: list

    @property
    def prec(self) -> int:
        return self.v + len(self.c)


class _Jet:
    def __init__(self, length: int, numeric: bool, deadline: float | None):
        self.L = length
        self.numeric = numeric
        self.deadline = deadline
        self.zero = 0.0 if numeric else sp.S.Zero
        self.one = 1.0 if numeric else sp.S.One

    # ------------------------------------------------------------------ helpers
    def tick(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise SymbolicTimeout("the exact derivatives took too long")

    def simp(self, c):
        if self.numeric or c.is_Number or not _needs_expand(c):
            return c
        return sp.expand(c)

    def is_zero(self, c) -> bool:
        if self.numeric:
            return False
        return c == 0

    def norm(self, s: _S) -> _S:
        if self.numeric:
            return s
        c, v = list(s.c), s.v
        while c and self.is_zero(c[0]):
            c.pop(0)
            v += 1
        return _S(v, c)

    def const(self, value) -> _S:
        if self.numeric:
            value = complex(value)
            value = value.real if abs(value.imag) <= 1e-15 * (1 + abs(value.real)) else math.nan
        if not self.numeric and value == 0:
            return _S(self.L, [])
        return _S(0, [value] + [self.zero] * (self.L - 1))

    def plain(self, s: _S, why: str = "") -> list:
        """Absolute coefficients c_0..c_{prec-1} of an analytic series (valuation >= 0)."""
        s = self.norm(s)
        if s.v < 0:
            raise TaylorError(why or "The function has a pole (it blows up) at the expansion point.")
        return [self.zero] * s.v + list(s.c)

    def check_value(self, w0):
        if self.numeric:
            return w0
        if w0.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise TaylorError("The function is not defined at the expansion point.")
        if w0.has(sp.I) or w0.is_real is False:
            raise TaylorError("The function has no real value at the expansion point.")
        return w0

    # ------------------------------------------------------------------ arithmetic
    def add(self, a: _S, b: _S) -> _S:
        p = min(a.prec, b.prec)
        v = min(a.v, b.v)
        out = []
        for k in range(v, p):
            ia, ib = k - a.v, k - b.v
            x = a.c[ia] if 0 <= ia < len(a.c) else None
            y = b.c[ib] if 0 <= ib < len(b.c) else None
            if x is None:
                out.append(y)
            elif y is None:
                out.append(x)
            else:
                out.append(self.simp(x + y))
        return self.norm(_S(v, out)) if v < p else _S(p, [])

    def scale(self, a: _S, k) -> _S:
        if not self.numeric and k == 0:
            return _S(self.L, [])
        return _S(a.v, [self.simp(k * c) for c in a.c])

    def mul(self, a: _S, b: _S) -> _S:
        a, b = self.norm(a), self.norm(b)
        m = min(len(a.c), len(b.c))
        out = []
        for k in range(m):
            self.tick()
            terms = [a.c[i] * b.c[k - i] for i in range(k + 1)
                     if not (self.is_zero(a.c[i]) or self.is_zero(b.c[k - i]))]
            out.append(self.simp(sp.Add(*terms)) if not self.numeric else sum(terms, 0.0 * a.c[0]))
        return self.norm(_S(a.v + b.v, out))

    def recip(self, a: _S) -> _S:
        a = self.norm(a)
        if not a.c:
            raise TaylorError("Division by zero at the expansion point.")
        c = a.c
        inv0 = self.simp(1 / c[0])
        w = [inv0]
        for k in range(1, len(c)):
            self.tick()
            s = [c[j] * w[k - j] for j in range(1, k + 1) if not self.is_zero(c[j])]
            tot = sp.Add(*s) if not self.numeric else sum(s, 0.0 * inv0)
            w.append(self.simp(-inv0 * tot))
        return _S(-a.v, w)

    def powint(self, a: _S, n: int) -> _S:
        if n < 0:
            return self.recip(self.powint(a, -n))
        result = self.const(self.one)
        base = a
        while n:
            if n & 1:
                result = self.mul(result, base)
            n >>= 1
            if n:
                base = self.mul(base, base)
        return result

    @staticmethod
    def deriv(u: list) -> list:
        return [k * u[k] for k in range(1, len(u))]

    def integrate(self, w0, dw: list) -> list:
        """w with w(0) = w0 and w' = dw (plain coefficient lists)."""
        return [w0] + [self.simp(dw[k] / (k + 1)) for k in range(len(dw))]

    def plain_mul(self, a: list, b: list) -> list:
        return self.plain(self.mul(_S(0, a), _S(0, b)))

    # ------------------------------------------------------------------ elementary functions
    def exp(self, s: _S) -> _S:
        s = self.norm(s)
        if s.v < 0:
            lead = s.c[0]
            negative = (lead < 0) if self.numeric else bool(lead.is_negative)
            if s.v % 2 == 0 and negative:        # e^(-1/t^2)-like: flat, every derivative is 0
                return _S(self.L, [])
            raise TaylorError("The function is not defined (or blows up) at the expansion point.")
        u = self.plain(s)
        w0 = self.check_value(sp.exp(u[0]) if not self.numeric else np.exp(u[0]))
        w = [w0]
        for k in range(1, len(u)):
            self.tick()
            terms = [j * u[j] * w[k - j] for j in range(1, k + 1) if not self.is_zero(u[j])]
            tot = sp.Add(*terms) if not self.numeric else sum(terms, 0.0 * w0)
            w.append(self.simp(tot / k))
        return self.norm(_S(0, w))

    def log(self, s: _S) -> _S:
        u = self.plain(s, "ln has no Taylor expansion at a point where its argument is infinite.")
        u0 = u[0]
        if not self.numeric:
            if u0 == 0:
                raise TaylorError("ln(0) is undefined: ln has no Taylor expansion where its argument is 0.")
            if u0.is_negative:
                raise TaylorError("ln of a negative number is not real at the expansion point.")
        w0 = self.check_value(sp.log(u0) if not self.numeric else np.log(u0))
        dw = self.plain_mul(self.deriv(u), self.plain(self.recip(_S(0, u))))
        return self.norm(_S(0, self.integrate(w0, dw[:len(u) - 1])))

    def pow(self, s: _S, p) -> _S:
        if not self.numeric and p.is_Integer:
            return self.powint(s, int(p))
        s = self.norm(s)
        if not self.numeric and s.v != 0:
            if s.v > 0 and p.is_positive and not s.c:
                return _S(self.L, [])
            raise TaylorError("A non-integer power has no Taylor expansion where its base is 0.")
        u = s.c
        u0 = u[0]
        if not self.numeric and u0.is_negative:
            raise TaylorError("A non-integer power of a negative number is not real at the expansion point.")
        w0 = self.check_value(u0 ** p if not self.numeric else np.power(u0, p))
        w = [w0]
        inv0 = self.simp(1 / u0)
        for k in range(1, len(u)):
            self.tick()
            terms = [(p * j - (k - j)) * u[j] * w[k - j] for j in range(1, k + 1) if not self.is_zero(u[j])]
            tot = sp.Add(*terms) if not self.numeric else sum(terms, 0.0 * w0)
            w.append(self.simp(tot * inv0 / k))
        return self.norm(_S(0, w))

    def sincos(self, s: _S, hyperbolic: bool = False):
        u = self.plain(s, "sin/cos of something infinite has no Taylor expansion.")
        if self.numeric:
            s0, c0 = (np.sinh(u[0]), np.cosh(u[0])) if hyperbolic else (np.sin(u[0]), np.cos(u[0]))
        else:
            s0, c0 = (sp.sinh(u[0]), sp.cosh(u[0])) if hyperbolic else (sp.sin(u[0]), sp.cos(u[0]))
        sgn = 1 if hyperbolic else -1
        S, C = [s0], [c0]
        for k in range(1, len(u)):
            self.tick()
            ts = [j * u[j] * C[k - j] for j in range(1, k + 1) if not self.is_zero(u[j])]
            tc = [j * u[j] * S[k - j] for j in range(1, k + 1) if not self.is_zero(u[j])]
            if self.numeric:
                S.append(sum(ts, 0.0 * s0) / k)
                C.append(sgn * sum(tc, 0.0 * c0) / k)
            else:
                S.append(self.simp(sp.Add(*ts) / k))
                C.append(self.simp(sgn * sp.Add(*tc) / k))
        return self.norm(_S(0, S)), self.norm(_S(0, C))

    def generic(self, fn, s: _S, ev) -> _S:
        """w = g(u): w(0) = g(u0), w' = g'(u) u' with g'(u) evaluated as a series by ``ev``."""
        u = self.plain(s, f"{fn.__name__} has no Taylor expansion where its argument is infinite.")
        d = sp.Dummy("u")
        try:
            gprime = fn(d).diff(d)
        except Exception as err:  # pragma: no cover - sympy knows every whitelisted function
            raise _Unsupported(str(err)) from None
        w0 = self.check_value(fn(u[0]) if not self.numeric else _numeric_fn(fn)(u[0]))
        if len(u) == 1:
            return self.norm(_S(0, [w0]))
        sub = _Jet(len(u) - 1, self.numeric, self.deadline)
        g = sub.plain(ev(gprime, {d: _S(0, u[:len(u) - 1])}, sub))
        dw = self.plain_mul(self.deriv(u), g)
        return self.norm(_S(0, self.integrate(w0, dw[:len(u) - 1])))


def _has_sum_inside(e) -> bool:
    if e.is_Add:
        return True
    if e.is_Pow:
        return e.base.is_Add or _has_sum_inside(e.base)
    if e.is_Mul:
        return any(_has_sum_inside(f) for f in e.args)
    return False


def _needs_expand(c) -> bool:
    """Is ``c`` a product of sums (that expand would multiply out)?  Sums of such are checked termwise."""
    if c.is_Add:
        return any(t.is_Mul and any(_has_sum_inside(f) for f in t.args) or
                   (t.is_Pow and _has_sum_inside(t.base)) for t in c.args)
    if c.is_Mul:
        return any(_has_sum_inside(f) for f in c.args)
    if c.is_Pow:
        return _has_sum_inside(c.base)
    return False


@functools.lru_cache(maxsize=64)
def _numeric_fn(fn):
    d = sp.Dummy("u")
    return sp.lambdify(d, fn(d), modules=["scipy", "numpy"])
