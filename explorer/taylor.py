"""Taylor series and linearisation: exact coefficients, error curves, bounds, 2D approximations.

How the coefficients are computed (no ``sympy.series``, which can take minutes):
a *jet* evaluator walks the expression tree once and carries, for every sub-expression ``u``, the
truncated power series of ``u(a + t)`` in ``t`` ("Taylor-mode automatic differentiation").  The
elementary functions use the classic recurrences (``w = exp(u)`` gives ``w' = w u'``, ``w = ln u``
gives ``u w' = u'``, sin/cos as a pair, ``u^p`` by ``u w' = p w u'``), every other function ``g``
uses ``w' = g'(u) u'`` with ``g'(u)`` evaluated by the same machinery.  The series are Laurent
series (with a valuation), so removable singularities (sin(x)/x at 0) and flat functions
(e^(−1/x²) at 0, whose series is zero) come out exact too.

The same code runs with floats/numpy arrays in place of exact sympy numbers: evaluated on a grid
of points it gives every derivative f⁽ᵏ⁾(x)/k! on the grid at once — which is what the Lagrange
remainder bound needs.
"""
from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import sympy as sp

from explorer.expressions import ExpressionError, compile_expression, parse_expression, to_latex
from explorer.symbolic import SymbolicTimeout, call

__all__ = [
    "TaylorError", "PRESETS_1D", "PRESETS_2D", "taylor_coefficients", "taylor_polynomial",
    "taylor_polynomial_2d", "numeric_coefficients", "derivative_grid", "expand_1d", "Expansion",
    "curves_1d", "Curves", "eps_intervals", "radius_of_convergence", "Radius", "local_2d", "Local2D",
    "surfaces_2d", "exact_point",
]

X, Y = sp.Symbol("x"), sp.Symbol("y")

PRESETS_1D: dict[str, str] = {
    "eˣ": "exp(x)",
    "sin x": "sin(x)",
    "cos x": "cos(x)",
    "ln(1+x)": "ln(1+x)",
    "1/(1−x)": "1/(1-x)",
    "atan x": "atan(x)",
    "√(1+x)": "sqrt(1+x)",
    "e^(−x²)": "exp(-x^2)",
    "e^(−1/x²) (flat at 0)": "exp(-1/x^2)",
    "1/(1+x²)": "1/(1+x^2)",
}

PRESETS_2D: dict[str, str] = {
    "sin x · cos y": "sin(x)*cos(y)",
    "e^(−(x²+y²))": "exp(-(x^2+y^2))",
    "eˣ sin y": "exp(x)*sin(y)",
    "ln(1 + x² + y²)": "ln(1 + x^2 + y^2)",
    "x³ − 3xy²  (monkey saddle)": "x^3 - 3*x*y^2",
    "sin(xy)": "sin(x*y)",
}


class TaylorError(ValueError):
    """f has no Taylor expansion at that point (undefined, a pole, a corner…); the message says why."""


class _Unsupported(Exception):
    pass


def exact_point(a: Any) -> sp.Expr:
    """A slider's float as the exact number it stands for: 0.7 -> 7/10 (a simple decimal)."""
    if isinstance(a, sp.Basic):
        return a
    if isinstance(a, (int, np.integer)):
        return sp.Integer(int(a))
    a = float(a)
    if not math.isfinite(a):
        raise TaylorError("The expansion point must be a finite number.")
    text = repr(a)
    if "e" in text or "inf" in text or "nan" in text:
        return sp.Rational(a)
    return sp.Rational(text)


# =============================================================================================
# The jet evaluator: truncated Laurent series  t^v * (c0 + c1 t + ... + c_{m-1} t^{m-1}) + O(t^{v+m})
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


def _sign_of(jet: _Jet, c0, what: str):
    if jet.numeric:
        return np.sign(c0)
    if c0 == 0:
        raise TaylorError(f"{what} has a corner or a jump at the expansion point: no Taylor expansion there.")
    return 1 if c0.is_positive else -1 if c0.is_negative else None


def _evaluate(expr: sp.Expr, env: dict, jet: _Jet) -> _S:
    memo: dict = {}

    def ev(e, env2=None, jet2=None):
        if env2 is not None:               # a sub-evaluation (g'(u) of a generic function)
            return _evaluate(e, env2, jet2)
        if e in memo:
            return memo[e]
        jet.tick()
        r = _node(e)
        memo[e] = r
        return r

    def _node(e):
        if e in env:
            return env[e]
        if not e.free_symbols or not (e.free_symbols & set(env)):
            if e.free_symbols:
                raise _Unsupported(f"unexpected symbols {e.free_symbols}")
            return jet.const(e)
        if e.is_Add:
            out = None
            for arg in e.args:
                s = ev(arg)
                out = s if out is None else jet.add(out, s)
            return out
        if e.is_Mul:
            coeff, rest = e.as_coeff_Mul()
            out = None
            for arg in (rest.args if rest.is_Mul else (rest,)):
                s = ev(arg)
                out = s if out is None else jet.mul(out, s)
            return out if coeff == 1 else jet.scale(out, coeff if not jet.numeric else float(coeff))
        if e.is_Pow:
            base, ex = e.args
            if not (ex.free_symbols & set(env)):
                if jet.numeric:
                    if ex.is_Integer:
                        return jet.powint(ev(base), int(ex))
                    return jet.pow(ev(base), float(ex))
                return jet.pow(ev(base), ex)
            if not (base.free_symbols & set(env)):      # c^u = exp(u ln c)
                return jet.exp(jet.mul(ev(ex), jet.const(sp.log(base))))
            return jet.exp(jet.mul(ev(ex), jet.log(ev(base))))
        if isinstance(e, sp.exp):
            return jet.exp(ev(e.args[0]))
        if isinstance(e, sp.log):
            return jet.log(ev(e.args[0]))
        if isinstance(e, (sp.sin, sp.cos)):
            s, c = jet.sincos(ev(e.args[0]))
            return s if isinstance(e, sp.sin) else c
        if isinstance(e, (sp.sinh, sp.cosh)):
            s, c = jet.sincos(ev(e.args[0]), hyperbolic=True)
            return s if isinstance(e, sp.sinh) else c
        if isinstance(e, sp.Abs):
            s = jet.norm(ev(e.args[0]))
            c0 = jet.plain(s)[0] if jet.numeric else (s.c[0] if s.v == 0 and s.c else sp.S.Zero)
            sg = _sign_of(jet, c0, "|…|")
            if sg is None:
                raise _Unsupported("sign unknown")
            return jet.scale(s, sg) if not jet.numeric else _S(s.v, [sg * c for c in s.c])
        if isinstance(e, (sp.sign, sp.Heaviside)):
            arg = e.args[0]
            s = jet.norm(ev(arg))
            c0 = jet.plain(s)[0] if jet.numeric else (s.c[0] if s.v == 0 and s.c else sp.S.Zero)
            sg = _sign_of(jet, c0, e.func.__name__)
            if jet.numeric:
                val = sg if isinstance(e, sp.sign) else (sg + 1) / 2
                return _S(0, [val] + [0.0 * c0] * (jet.L - 1))
            return jet.const(sp.Integer(sg) if isinstance(e, sp.sign) else sp.Integer((sg + 1) // 2))
        if isinstance(e, (sp.Min, sp.Max)):
            parts = [ev(a) for a in e.args]
            if jet.numeric:
                vals = np.array([np.broadcast_to(jet.plain(p)[0], np.shape(jet.plain(parts[0])[0]))
                                 for p in parts], dtype=float)
                idx = np.argmin(vals, axis=0) if isinstance(e, sp.Min) else np.argmax(vals, axis=0)
                L = min(len(jet.plain(p)) for p in parts)
                coeffs = [np.choose(idx, [np.broadcast_to(jet.plain(p)[k], idx.shape) for p in parts])
                          for k in range(L)]
                return _S(0, coeffs)
            vals = [jet.plain(p)[0] for p in parts]
            best = min(vals) if isinstance(e, sp.Min) else max(vals)
            if not best.is_number or sum(1 for v in vals if v == best) > 1:
                raise TaylorError("min/max has a corner at the expansion point: no Taylor expansion there.")
            return parts[vals.index(best)]
        if isinstance(e, sp.atan2):
            yv, xv = jet.plain(ev(e.args[0])), jet.plain(ev(e.args[1]))
            L = min(len(yv), len(xv))
            yv, xv = yv[:L], xv[:L]
            if jet.numeric:
                w0 = np.arctan2(yv[0], xv[0])
            else:
                w0 = jet.check_value(sp.atan2(yv[0], xv[0]))
                if xv[0] == 0 and yv[0] == 0:
                    raise TaylorError("atan2(0, 0) is undefined at the expansion point.")
            num = jet.add(_S(0, jet.plain_mul(xv, jet.deriv(yv) + [jet.zero])),
                          jet.scale(_S(0, jet.plain_mul(yv, jet.deriv(xv) + [jet.zero])), -1))
            den = jet.add(jet.mul(_S(0, xv), _S(0, xv)), jet.mul(_S(0, yv), _S(0, yv)))
            dw = jet.plain(jet.mul(num, jet.recip(den)))
            return jet.norm(_S(0, jet.integrate(w0, dw[:L - 1])))
        if isinstance(e, sp.Function) and len(e.args) == 1:
            return jet.generic(e.func, ev(e.args[0]), ev)
        raise _Unsupported(f"no series rule for {type(e).__name__}")

    return ev(expr)


def _jet_coefficients(expr: sp.Expr, var: sp.Symbol, a, order: int, numeric: bool,
                      deadline: float | None) -> list:
    """Coefficients c_0..c_order of f(a + t) (exact, or floats/arrays when ``numeric``)."""
    for extra in (2, 6, 14, 30):
        L = order + 1 + extra
        jet = _Jet(L, numeric, deadline)
        if numeric:
            x0 = np.asarray(a, dtype=float)
            leaf = _S(0, [x0, np.ones_like(x0)] + [np.zeros_like(x0)] * (L - 2))
        else:
            leaf = jet.norm(_S(0, [a, sp.S.One] + [sp.S.Zero] * (L - 2)))
        res = jet.norm(_evaluate(expr, {var: leaf}, jet))
        if res.v < 0:
            raise TaylorError("The function has a pole (it blows up) at the expansion point.")
        if res.prec >= order + 1:
            coeffs = jet.plain(res)[:order + 1]
            if not numeric:
                coeffs = [jet.check_value(c) for c in coeffs]
            return coeffs
    raise TaylorError("Too much cancellation at this point to find the coefficients.")


# =============================================================================================
# Public one-variable API
@functools.lru_cache(maxsize=256)
def _coefficients_cached(expr: sp.Expr, var: sp.Symbol, a: sp.Expr, order: int, budget: float) -> tuple:
    deadline = time.monotonic() + budget if budget else None
    try:
        return tuple(_jet_coefficients(expr, var, a, order, False, deadline))
    except _Unsupported as err:
        raise TaylorError(f"No exact series rule for part of this function ({err}).") from None
    except (ZeroDivisionError, RecursionError) as err:
        raise TaylorError(f"The exact coefficients could not be computed ({type(err).__name__}).") from None


def _as_expr(f: "str | sp.Expr", var: str) -> sp.Expr:
    if isinstance(f, sp.Basic):
        return f
    return parse_expression(f, (var,))


def taylor_coefficients(f: "str | sp.Expr", a: float, order: int, var: str = "x",
                        budget: float | None = None) -> list[sp.Expr]:
    """Exact c_k = f⁽ᵏ⁾(a)/k! for k = 0..order; ``budget`` seconds (raises SymbolicTimeout)."""
    expr = _as_expr(f, var)
    order = int(order)
    if order < 0:
        raise ValueError("order must be >= 0")
    return list(_coefficients_cached(expr, sp.Symbol(var), exact_point(a), order, float(budget or 0)))


def taylor_polynomial(f: str, a: float, order: int, var: str = "x") -> sp.Expr:
    """Tₙ(x) = Σ f⁽ᵏ⁾(a)/k! (x − a)ᵏ, exact in the coefficients (raises TaylorError if none exists)."""
    a_ex = exact_point(a)
    coeffs = taylor_coefficients(f, a_ex, order, var)
    v = sp.Symbol(var)
    return sp.Add(*[c * (v - a_ex) ** k for k, c in enumerate(coeffs)])


def _mp_value(expr, var):
    import mpmath
    fn = sp.lambdify(sp.Symbol(var), expr, modules="mpmath")

    def f(t):
        try:
            out = fn(t)
            return mpmath.mpf(out) if not isinstance(out, mpmath.mpc) else out.real
        except (ZeroDivisionError, ValueError, OverflowError):
            return mpmath.nan
    return f


def numeric_coefficients(f: "str | sp.Expr", a: float, order: int, var: str = "x", dps: int = 40) -> list[float]:
    """c_k by high-precision numerical differentiation (mpmath.taylor): the fallback."""
    import mpmath
    expr = _as_expr(f, var)
    with mpmath.workdps(dps):
        fm = _mp_value(expr, var)
        a_mp = mpmath.mpf(str(float(a)))
        singular = not mpmath.isfinite(fm(a_mp))
        cs = mpmath.taylor(fm, a_mp, int(order), singular=singular)
        return [float(c) for c in cs]


def derivative_grid(f: "str | sp.Expr", x: np.ndarray, order: int, var: str = "x") -> np.ndarray:
    """Array (order+1, len(x)) of f⁽ᵏ⁾(x)/k! at every grid point (float jet); NaN where undefined."""
    expr = _as_expr(f, var)
    x = np.asarray(x, dtype=float)
    with np.errstate(all="ignore"):
        try:
            cs = _jet_coefficients(expr, sp.Symbol(var), x, order, True, None)
        except (_Unsupported, TaylorError):
            return np.full((order + 1, x.size), np.nan)
        out = np.array([np.broadcast_to(np.asarray(c, dtype=complex), x.shape) for c in cs])
    out = np.where(np.abs(out.imag) <= 1e-12 * (1 + np.abs(out.real)), out.real, np.nan)
    out[~np.isfinite(out)] = np.nan
    return out


@dataclass
class Expansion:
    """The Taylor expansion of f at a to order n, as the page shows it."""
    text: str
    a: float
    n: int
    coeffs: list[float]                 # c_k as floats (always present when ok)
    exact: list[sp.Expr] | None         # exact c_k, or None (numeric fallback / failure)
    ok: bool = True
    message: str | None = None          # a learner-facing note (fallback, why no series…)

    def latex_terms(self, max_terms: int = 60) -> list[tuple[int, str, str, float]]:
        """(k, LaTeX of f⁽ᵏ⁾(a), LaTeX of c_k, c_k) for k = 0..n."""
        rows = []
        for k, c in enumerate(self.coeffs[:max_terms]):
            if self.exact is not None:
                ck = self.exact[k]
                # (no nsimplify: on an exact Rational it costs ~15 ms and can invent irrational powers)
                rows.append((k, to_latex(ck * sp.factorial(k)), to_latex(ck), c))
            else:
                rows.append((k, _fmt(c * math.factorial(k)), _fmt(c), c))
        return rows

    def polynomial_latex(self, var: str = "x", max_terms: int = 12) -> str:
        a_ex = exact_point(self.a)
        shift = sp.Symbol(var) - a_ex if a_ex != 0 else sp.Symbol(var)
        base = to_latex(shift)
        base = base if a_ex == 0 else rf"\left({base}\right)"
        parts = []
        for k, c in enumerate(self.coeffs):
            if (self.exact is not None and self.exact[k] == 0) or (self.exact is None and abs(c) < 1e-15):
                continue
            cl = to_latex(self.exact[k]) if self.exact is not None else _fmt(c)
            if len(cl) > 40:
                cl = _fmt(c)
            power = "" if k == 0 else base if k == 1 else f"{base}^{{{k}}}"
            if k == 0:
                parts.append(cl)
            else:
                parts.append(power if cl == "1" else f"-{power}" if cl == "-1" else rf"{cl}\,{power}")
            if len(parts) >= max_terms:
                parts.append(r"\cdots")
                break
        if not parts:
            return "0"
        out = parts[0]
        for p in parts[1:]:
            out += p if p.startswith("-") else "+" + p
        return out


def _fmt(v: float) -> str:
    if v == 0 or not math.isfinite(v):
        return "0" if v == 0 else r"\text{undefined}"
    s = f"{v:.6g}"
    if "e" in s:
        m, e = s.split("e")
        return rf"{m}\times 10^{{{int(e)}}}"
    return s


def _exact_worker(text: str, a: str, n: int, budget: float) -> list:
    return taylor_coefficients(text, sp.Rational(a), n, budget=budget)


def expand_1d(text: str, a: float, n: int, timeout: float = 1.0) -> Expansion:
    """Exact coefficients within ``timeout`` seconds, else numeric ones (mpmath), with a message."""
    a_ex = exact_point(a)
    try:
        try:   # in-process first: the presets take well under 0.3 s; the jet checks its own deadline
            exact = taylor_coefficients(text, a_ex, int(n), budget=min(0.4, timeout))
        except SymbolicTimeout:  # a hard one: give it the full time in a worker that can be killed
            exact = call(_exact_worker, text, str(a_ex), int(n), float(timeout), timeout=timeout + 0.5)
        floats = [float(sp.N(c, 20)) for c in exact]
        return Expansion(text, float(a), int(n), floats, exact)
    except TaylorError as err:
        return Expansion(text, float(a), int(n), [], None, ok=False, message=str(err))
    except SymbolicTimeout:
        note = "Sympy took too long for the exact derivatives — showing numeric ones (mpmath, 40 digits) instead."
    except ExpressionError:
        raise
    except Exception as err:  # an unexpected sympy failure: fall back, say so
        note = f"The exact derivatives failed ({type(err).__name__}) — showing numeric ones instead."
    try:
        floats = numeric_coefficients(text, float(a), int(n))
        if not all(math.isfinite(c) for c in floats):
            raise ValueError
        return Expansion(text, float(a), int(n), floats, None, message=note)
    except Exception:
        return Expansion(text, float(a), int(n), [], None, ok=False,
                         message="No Taylor expansion could be computed at this point.")


# =============================================================================================
# Curves, errors, bounds
def _round_sig(arr: np.ndarray, sig: int = 4) -> np.ndarray:
    """Round to ``sig`` significant digits (smaller JSON); NaN stays NaN."""
    arr = np.asarray(arr, dtype=float)
    with np.errstate(all="ignore"):
        mag = np.where((arr == 0) | ~np.isfinite(arr), 1.0, 10.0 ** (np.floor(np.log10(np.abs(arr))) - (sig - 1)))
        return np.where(np.isfinite(arr), np.round(arr / mag) * mag, np.nan)


def evaluate_polynomial(coeffs: Sequence[float], a: float, x: np.ndarray) -> np.ndarray:
    """Σ c_k (x − a)ᵏ by Horner's rule."""
    t = np.asarray(x, dtype=float) - a
    out = np.zeros_like(t)
    with np.errstate(all="ignore"):
        for c in reversed(list(coeffs)):
            out = out * t + c
    return out


@dataclass
class Curves:
    x: np.ndarray
    f: np.ndarray
    T: np.ndarray            # (nmax+1, len(x)): T_0..T_nmax
    err: np.ndarray          # |f − T_k|
    bound: np.ndarray        # Lagrange bound for each k (NaN where not computable)
    max_err: np.ndarray      # largest |f − T_k| on the window (NaN-aware)


def curves_1d(text: str, exp: Expansion, window: tuple[float, float], npts: int = 201,
              fine: int = 4) -> Curves:
    """f, every Tₖ (k ≤ n), |f − Tₖ| and the Lagrange bound on a grid of the window."""
    lo, hi = window
    x = np.linspace(lo, hi, npts)
    f = compile_expression(text, ("x",))(x)
    n = len(exp.coeffs) - 1
    T = np.array([evaluate_polynomial(exp.coeffs[:k + 1], exp.a, x) for k in range(n + 1)])
    with np.errstate(all="ignore"):
        err = np.abs(f[None, :] - T)
    max_err = np.array([np.nanmax(e) if np.isfinite(e).any() else np.nan for e in err])
    bound = lagrange_bound(text, exp.a, n, x, fine=fine)
    return Curves(x, f, T, err, bound, max_err)


def lagrange_bound(text: str, a: float, n: int, x: np.ndarray, fine: int = 4) -> np.ndarray:
    """(max |f⁽ᵏ⁺¹⁾| between a and x)/(k+1)! · |x − a|ᵏ⁺¹ for k = 0..n, shape (n+1, len(x)).

    The maximum is taken over a grid ``fine`` times denser than ``x`` (plus a itself); NaN where f
    is undefined somewhere between a and x (the theorem does not apply there).
    """
    x = np.asarray(x, dtype=float)
    xf = np.union1d(np.linspace(min(x.min(), a), max(x.max(), a), fine * len(x)), np.append(x, a))
    d = derivative_grid(text, xf, n + 1)                # d[k] = f^(k)/k!
    fvals = compile_expression(text, ("x",))(xf)
    ia = int(np.searchsorted(xf, a))
    out = np.full((n + 1, len(x)), np.nan)
    bad = ~np.isfinite(fvals)
    for k in range(n + 1):
        g = np.abs(d[k + 1])
        M = np.full_like(g, np.nan)
        # outward from a: running max (ignoring isolated NaN derivatives where f itself is fine)
        right = np.fmax.accumulate(g[ia:])
        right[np.cumsum(bad[ia:]) > 0] = np.nan
        left = np.fmax.accumulate(g[:ia + 1][::-1])
        left[np.cumsum(bad[:ia + 1][::-1]) > 0] = np.nan
        M[ia:] = right
        M[:ia + 1] = left[::-1]
        Mx = np.interp(x, xf, M)          # xf contains every x, so this picks the exact value
        Mx[~np.isfinite(np.interp(x, xf, np.where(np.isfinite(M), 0.0, np.nan)))] = np.nan
        with np.errstate(all="ignore"):
            out[k] = Mx * np.abs(x - a) ** (k + 1)
    return out


def eps_intervals(x: np.ndarray, err: np.ndarray, eps: float) -> list[tuple[float, float]]:
    """Maximal runs of grid points where err < eps, as (x_start, x_end)."""
    ok = np.isfinite(err) & (err < eps)
    out = []
    i, N = 0, len(x)
    while i < N:
        if ok[i]:
            j = i
            while j + 1 < N and ok[j + 1]:
                j += 1
            out.append((float(x[i]), float(x[j])))
            i = j + 1
        else:
            i += 1
    return out


# =============================================================================================
# Radius of convergence
@dataclass
class Radius:
    radius: float                     # math.inf for entire functions; NaN when unknown
    singularities: list[complex]      # the ones that limit it
    reason: str
    known: bool                       # from the function's singularities (True) or a root-test estimate


_I = 1j
_CLASSIC = {
    "exp(x)": ([], "eˣ is entire: no singularity anywhere in the complex plane, so the series converges for every x."),
    "sin(x)": ([], "sin is entire: the series converges for every x."),
    "cos(x)": ([], "cos is entire: the series converges for every x."),
    "exp(-x^2)": ([], "e^(−x²) is entire: the series converges for every x (but needs many terms far out)."),
    "ln(1+x)": ([-1], "ln(1+x) has a branch point at x = −1 (ln 0)."),
    "1/(1-x)": ([1], "1/(1−x) has a pole at x = 1."),
    "atan(x)": ([_I, -_I], "atan x has branch points at x = ±i, where its derivative 1/(1+x²) blows up — "
                           "invisible on the real line."),
    "sqrt(1+x)": ([-1], "√(1+x) has a branch point at x = −1."),
    "1/(1+x^2)": ([_I, -_I], "1/(1+x²) is smooth on the whole real line, but it has poles at the complex "
                             "points x = ±i: they limit the radius."),
    "exp(-1/x^2)": ([0], "e^(−1/z²) has an essential singularity at z = 0 (it blows up along the "
                         "imaginary axis)."),
}


@functools.lru_cache(maxsize=1)
def _classic_table() -> dict:
    return {parse_expression(k, ("x",)): v for k, v in _CLASSIC.items()}


def radius_of_convergence(text: str, a: float, coeffs: Sequence[float] | None = None) -> Radius:
    """The radius for the classic series (distance from a to the nearest complex singularity);
    for other functions a root-test estimate from the coefficients (marked as an estimate)."""
    try:
        expr = parse_expression(text, ("x",))
    except ExpressionError:
        return Radius(math.nan, [], "", False)
    entry = _classic_table().get(expr)
    if entry is not None:
        sings, why = entry
        if not sings:
            return Radius(math.inf, [], why, True)
        dists = [abs(a - s) for s in sings]
        r = min(dists)
        nearest = [s for s, d in zip(sings, dists) if abs(d - r) < 1e-12]
        if expr == _flat() and a == 0:
            return Radius(math.inf, nearest, "At a = 0 every derivative of e^(−1/x²) is 0: the Taylor series is "
                                              "the zero function. It converges everywhere — to 0, not to f.", True)
        where = ", ".join(_cfmt(s) for s in nearest)
        return Radius(r, nearest, f"{why} R = distance from a to the nearest singularity ({where}) "
                                  f"= {r:.4g}.", True)
    if coeffs:
        cs = np.abs(np.asarray(coeffs, dtype=float))
        ks = np.array([k for k in range(max(1, len(cs) // 2), len(cs)) if cs[k] > 1e-300])
        if len(ks) >= 3:
            slope = np.polyfit(ks, np.log(cs[ks]), 1)[0]      # log|c_k| ≈ const − k log R
            est = math.exp(-slope) if slope < 0 else math.inf
            if np.isfinite(slope):
                return Radius(float(est), [], "Estimated from the coefficients (log|cₖ| falls like −k·log R "
                                              "for large k) — an estimate, not a proof.", False)
    return Radius(math.nan, [], "", False)


@functools.lru_cache(maxsize=1)
def _flat():
    return parse_expression("exp(-1/x^2)", ("x",))


def _cfmt(s: complex) -> str:
    s = complex(s)
    if s.imag == 0:
        return f"x = {s.real:g}"
    return f"x = {s.real:g} {'+' if s.imag > 0 else '−'} {abs(s.imag):g}i".replace("x = 0 + ", "x = ").replace("x = 0 − ", "x = −")


# =============================================================================================
# Two variables
def _exact_pair(point) -> tuple[sp.Expr, sp.Expr]:
    return exact_point(point[0]), exact_point(point[1])


@functools.lru_cache(maxsize=256)
def _derivs_2d(expr: sp.Expr, x0: sp.Expr, y0: sp.Expr, order: int) -> dict:
    """{(i, j): ∂^(i+j) f / ∂xⁱ ∂yʲ at (x0, y0)} for i + j ≤ order (exact)."""
    out = {}
    row = expr
    for i in range(order + 1):
        d = row
        for j in range(order + 1 - i):
            val = d.subs({X: x0, Y: y0})
            if val.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or val.has(sp.I):
                raise TaylorError("f or one of its derivatives is not defined at (x₀, y₀).")
            out[(i, j)] = sp.nsimplify(val) if val.is_Float else val
            d = d.diff(Y)
        row = row.diff(X)
    return out


def taylor_polynomial_2d(f: str, point: tuple[float, float], order: int) -> sp.Expr:
    """Σ_{i+j≤order} ∂ⁱ⁺ʲf(x₀,y₀)/(i! j!) (x−x₀)ⁱ (y−y₀)ʲ, exact, in the symbols x and y."""
    expr = f if isinstance(f, sp.Basic) else parse_expression(f, ("x", "y"))
    x0, y0 = _exact_pair(point)
    d = _derivs_2d(expr, x0, y0, int(order))
    return sp.Add(*[c / (sp.factorial(i) * sp.factorial(j)) * (X - x0) ** i * (Y - y0) ** j
                    for (i, j), c in d.items()])


@dataclass
class Local2D:
    """Value, Jacobian (gradient row) and Hessian at (x₀, y₀), exact and as floats."""
    point: tuple[float, float]
    value: sp.Expr
    J: sp.Matrix
    H: sp.Matrix
    value_f: float
    J_f: np.ndarray
    H_f: np.ndarray
    ok: bool = True
    message: str | None = None

    def latex(self) -> dict[str, str]:
        x0, y0 = _exact_pair(self.point)
        dx = to_latex(X - x0)
        dy = to_latex(Y - y0)
        J = _mat_latex(self.J)
        H = _mat_latex(self.H)
        v = to_latex(self.value)
        return {
            "T0": rf"T_0(x,y) = f(x_0,y_0) = {v}",
            "T1": rf"T_1 = f(\mathbf{{x}}_0) + J\,\Delta\mathbf{{x}} = {v} + {J}"
                  rf"\begin{{pmatrix}}{dx}\\ {dy}\end{{pmatrix}}",
            "T2": rf"T_2 = T_1 + \tfrac12\,\Delta\mathbf{{x}}^{{\mathsf T}} H\,\Delta\mathbf{{x}},\quad H = {H}",
            "J": rf"J = \begin{{pmatrix}}\partial_x f & \partial_y f\end{{pmatrix}}_{{(x_0,y_0)}} = {J}",
        }


def _mat_latex(M: sp.Matrix) -> str:
    rows = []
    for i in range(M.rows):
        cells = []
        for j in range(M.cols):
            e = M[i, j]
            s = to_latex(e)
            if len(s) > 28:
                s = _fmt(float(sp.N(e)))
            cells.append(s)
        rows.append(" & ".join(cells))
    return r"\begin{pmatrix}" + r"\\ ".join(rows) + r"\end{pmatrix}"


def _local_worker(text: str, x0: str, y0: str) -> dict:
    expr = parse_expression(text, ("x", "y"))
    return _derivs_2d(expr, sp.Rational(x0), sp.Rational(y0), 2)


def local_2d(text: str, point: tuple[float, float], timeout: float = 1.5) -> Local2D:
    x0, y0 = _exact_pair(point)
    try:
        expr = parse_expression(text, ("x", "y"))
        if sp.count_ops(expr) <= 40:      # small: second derivatives are instant, skip the worker
            d = _derivs_2d(expr, x0, y0, 2)
        else:
            d = call(_local_worker, text, str(x0), str(y0), timeout=timeout)
    except (TaylorError, SymbolicTimeout) as err:
        msg = str(err) if isinstance(err, TaylorError) else "The exact derivatives took too long."
        nan = sp.nan
        return Local2D(tuple(map(float, point)), nan, sp.Matrix([[nan, nan]]), sp.Matrix([[nan, nan], [nan, nan]]),
                       math.nan, np.full(2, np.nan), np.full((2, 2), np.nan), ok=False, message=msg)
    J = sp.Matrix([[d[(1, 0)], d[(0, 1)]]])
    H = sp.Matrix([[d[(2, 0)], d[(1, 1)]], [d[(1, 1)], d[(0, 2)]]])
    return Local2D(tuple(map(float, point)), d[(0, 0)], J, H, float(sp.N(d[(0, 0)])),
                   np.array([float(sp.N(v)) for v in J], dtype=float),
                   np.array([[float(sp.N(H[i, j])) for j in range(2)] for i in range(2)], dtype=float))


def surfaces_2d(text: str, loc: Local2D, radius: float, n: int = 40) -> dict[str, np.ndarray]:
    """f, T0, T1, T2 and |f − T1|, |f − T2| on an n×n grid around (x₀, y₀)."""
    x0, y0 = loc.point
    xs = np.linspace(x0 - radius, x0 + radius, n)
    ys = np.linspace(y0 - radius, y0 + radius, n)
    Xg, Yg = np.meshgrid(xs, ys)
    F = compile_expression(text, ("x", "y"))(Xg, Yg)
    dX, dY = Xg - x0, Yg - y0
    T0 = np.full_like(F, loc.value_f)
    T1 = T0 + loc.J_f[0] * dX + loc.J_f[1] * dY
    H = loc.H_f
    T2 = T1 + 0.5 * (H[0, 0] * dX ** 2 + 2 * H[0, 1] * dX * dY + H[1, 1] * dY ** 2)
    with np.errstate(all="ignore"):
        return {"x": xs, "y": ys, "f": F, "T0": T0, "T1": T1, "T2": T2,
                "E1": np.abs(F - T1), "E2": np.abs(F - T2)}


def share_below(s: dict, eps: float) -> dict[str, float]:
    """Share of the grid where |f − T₁| < ε ("E1") and |f − T₂| < ε ("E2")."""
    return {k: float(np.mean(np.isfinite(s[k]) & (s[k] < eps))) for k in ("E1", "E2")}
