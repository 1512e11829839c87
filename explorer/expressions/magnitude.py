"""Bounding the numbers in a typed expression before sympy builds (and evaluates) them.

sympy evaluates while an expression is built: ``exp(-exp(exp(exp(100))))`` makes ``exp.eval`` ask
``evalf`` for a number with about 10^(10^43) digits, and the parse never finishes; ``sign(exp(
exp(exp(100)))-1)`` and ``exp(-exp(1e12))`` end in ``OverflowError`` and ``MemoryError``. So the
builder keeps, beside every constant part of the expression, its value as a float, works out the
value of each operation from the values of its operands *before* asking sympy for it, and refuses
anything beyond ``MAX_MAGNITUDE`` (the app computes in double precision anyway: such a number
could only ever be drawn as "undefined").

``value(expr, memo)`` is the float of a constant sympy expression (``None`` when it has variables
or a kind of node not listed here); ``apply(kind, values)`` is the float of one operation.  Both
raise ``TooLarge`` past the bound and ``NotReal`` when a function is applied outside its real
domain (``acos(2)``, ``sqrt(-3)``, ``ln(-1)``).
"""
from __future__ import annotations

import math
from typing import Callable

import sympy as sp

from explorer.expressions.real_power import RealPower, _numeric

MAX_MAGNITUDE = 1e300  # named as 1e300 in parse.py's message    # about the largest double (1.8e308), with room to multiply by the grid
_SLACK = 1e-12            # rounding tolerance at the edge of a domain (asin(sin(pi/2)) is fine)


class TooLarge(ArithmeticError):
    """A constant part of the expression is beyond ±MAX_MAGNITUDE (or divides by ~0)."""


class NotReal(ArithmeticError):
    """A function is applied outside its real domain."""


def _domain(ok: bool) -> None:
    if not ok:
        raise NotReal


def _sqrt(a: float) -> float:
    _domain(a >= -_SLACK)
    return math.sqrt(max(a, 0.0))


def _log(a: float) -> float:
    _domain(a >= 0)
    # a positive number that underflowed to 0: its log is about -745 or more, never huge
    return math.log(a) if a > 0 else -800.0


def _clamp1(f: Callable[[float], float]) -> Callable[[float], float]:
    def g(a: float) -> float:
        _domain(abs(a) <= 1 + _SLACK)
        return f(max(-1.0, min(1.0, a)))
    return g


def _acosh(a: float) -> float:
    _domain(a >= 1 - _SLACK)
    return math.acosh(max(a, 1.0))


def _atanh(a: float) -> float:
    _domain(abs(a) < 1)
    return math.atanh(a)


def _recip(f: Callable[[float], float]) -> Callable[[float], float]:
    def g(a: float) -> float:
        d = f(a)
        if d == 0:
            raise TooLarge
        return 1 / d
    return g


def _sign(a: float) -> float:
    return float((a > 0) - (a < 0))


def _heaviside(a: float, half: float = 0.5) -> float:
    return 1.0 if a > 0 else 0.0 if a < 0 else half


# sympy class -> the same function on floats
FLOAT_FUNCTIONS: dict[type, Callable[..., float]] = {
    sp.sin: math.sin, sp.cos: math.cos, sp.tan: math.tan,
    sp.sec: _recip(math.cos), sp.csc: _recip(math.sin), sp.cot: _recip(math.tan),
    sp.asin: _clamp1(math.asin), sp.acos: _clamp1(math.acos), sp.atan: math.atan, sp.atan2: math.atan2,
    sp.sinh: math.sinh, sp.cosh: math.cosh, sp.tanh: math.tanh,
    sp.asinh: math.asinh, sp.acosh: _acosh, sp.atanh: _atanh,
    sp.exp: math.exp, sp.log: _log, sp.sqrt: _sqrt, sp.Abs: abs, sp.sign: _sign,
    sp.Heaviside: _heaviside, sp.Min: min, sp.Max: max, sp.erf: math.erf,
}


def checked(v: float) -> float:
    """``v`` if it is a finite number within the bound, else ``TooLarge``."""
    if math.isnan(v):
        raise NotReal
    if math.isinf(v) or abs(v) > MAX_MAGNITUDE:
        raise TooLarge
    return v


def power(base: float, exp: float, rational: tuple[int, int] | None = None) -> float:
    """base**exp on the parser's real branch (``rational`` = (p, q) for an exact exponent p/q)."""
    try:
        if rational is not None and rational[1] % 2 == 1 and rational[1] > 1:
            out = _numeric(base, *rational)
        else:
            out = base ** exp
    except OverflowError:
        raise TooLarge from None
    except ZeroDivisionError:       # 0.0 to a negative power: a base that underflowed to 0
        raise TooLarge from None
    if isinstance(out, complex):
        raise NotReal
    return checked(out)


def apply(kind, values: list[float], rational: tuple[int, int] | None = None) -> float:
    """The float of one operation: kind is '+', '-', '*', '/', '**', 'neg' or a sympy class."""
    try:
        if kind == "+":
            return checked(values[0] + values[1])
        if kind == "-":
            return checked(values[0] - values[1])
        if kind == "neg":
            return -values[0]
        if kind == "*":
            return checked(values[0] * values[1])
        if kind == "/":
            if values[1] == 0:
                raise TooLarge
            return checked(values[0] / values[1])
        if kind == "**":
            return power(values[0], values[1], rational)
        fn = FLOAT_FUNCTIONS.get(kind)
        if fn is None:
            raise KeyError(kind)
        return checked(fn(*values))
    except OverflowError:
        raise TooLarge from None
    except (ValueError, ZeroDivisionError):
        raise NotReal from None


def value(expr: sp.Expr, memo: dict) -> float | None:
    """The float value of a constant expression; None if it has variables or unknown parts."""
    if expr in memo:
        return memo[expr]
    out = _value(expr, memo)
    memo[expr] = out
    return out


def _value(expr: sp.Expr, memo: dict) -> float | None:
    if expr.free_symbols:
        return None
    if expr.is_Number or isinstance(expr, sp.NumberSymbol):
        try:
            return checked(float(expr))
        except OverflowError:
            raise TooLarge from None
        except TypeError:     # zoo, nan: the parser's final check names these
            return None
    if isinstance(expr, RealPower):
        b = value(expr.args[0], memo)
        return None if b is None else power(b, expr.p / expr.q, (expr.p, expr.q))
    args = [value(a, memo) for a in expr.args]
    if any(a is None for a in args):
        return None
    if expr.is_Add or expr.is_Mul:
        acc = args[0]
        for a in args[1:]:
            acc = apply("+" if expr.is_Add else "*", [acc, a])
        return acc
    if expr.is_Pow:
        e = expr.exp
        return power(args[0], args[1], (e.p, e.q) if e.is_Rational else None)
    kind = expr.func
    if kind not in FLOAT_FUNCTIONS:
        return None
    return apply(kind, args)
