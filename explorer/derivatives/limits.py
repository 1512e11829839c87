"""One-sided limits that the samples cannot settle: does f(x) close in on a value as x → c, or does
it keep swinging (sin(1/x) at 0), or creep (1/ln|x| at 0)?

``unsettled`` looks at f at c ± 10^-4 ... 10^-8 (20 points a decade): values that settle change less
and less on the way in. Where they do not, ``sympy_limits`` asks sympy's ``limit`` (in the symbolic
worker, under a deadline): an ``AccumBounds`` answer means the values oscillate and there is no
limit. When sympy does not answer in time, ``swings`` judges oscillation from the samples alone.
"""
from __future__ import annotations

import functools
import math
from typing import Callable

import numpy as np
import sympy as sp

from explorer import symbolic
from explorer.derivatives.core import VARS, XR, no_delta, real
from explorer.expressions import parse_expression

# c ± 10^-4 ... 10^-8, 20 samples a decade; [20:41] is the decade 10^-5 .. 10^-6, [60:] 10^-7 .. 10^-8
DENSE = 10.0 ** -np.linspace(4, 8, 81)
TIMEOUT = 1.0           # seconds for sympy's limits at one break point (the derivative's budget)

# a limit as sympy answered it, in plain picklable form:
#   ("value", v) | ("inf", ±1.0) | ("oscillates", lo, hi) (lo, hi may be ∓inf: unbounded) | ("unknown",)
Answer = tuple


def _near(fn: Callable, c: float, side: int) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.asarray(fn(c + side * DENSE), dtype=float)


def unsettled(fn: Callable, c: float, side: int) -> bool:
    """True when fn's values on the way to c have not settled: over the last decade (10^-7 .. 10^-8
    from c) they still move by more than 30 % of what they moved over the decade 10^-5 .. 10^-6.
    A value that converges (L + a·d, L + a·√d ...) moves 10 % or less; a swing or a slow creep more."""
    v = _near(fn, c, side)
    if not np.isfinite(v).all():
        return False
    far, near = np.ptp(v[20:41]), np.ptp(v[60:])
    if near <= 1e-9 * (1 + abs(v[-1])):
        return False
    return bool(near > 0.3 * far)


def swings(fn: Callable, c: float, side: int) -> bool:
    """The samples' own verdict (when sympy cannot answer): unsettled and turning back and forth
    (the direction of change flips at least 4 times over the last decade)."""
    v = _near(fn, c, side)
    if not np.isfinite(v).all() or not unsettled(fn, c, side):
        return False
    turns = np.count_nonzero(np.diff(np.sign(np.diff(v[60:]))) != 0)
    return bool(turns >= 4)


def sampled_range(fn: Callable, c: float, side: int) -> tuple[float, float]:
    """The lowest and highest sampled value on the way to c (for "swings between about a and b");
    ∓inf when the swings grow (the last decade swings 10 times wider than the decade 10^-5 .. 10^-6)."""
    v = _near(fn, c, side)
    v = v[np.isfinite(v)]
    if v.size < 2:
        return (-math.inf, math.inf)
    if np.ptp(v[-20:]) > 10 * max(np.ptp(v[:-40]) if v.size > 40 else 0.0, 1e-300):
        return (-math.inf, math.inf)
    return (float(v.min()), float(v.max()))


def exact_point(c: float) -> sp.Expr:
    """c as sympy would write it: an integer, a half, a multiple of π/2, or else a float."""
    if c == round(c):
        return sp.Integer(round(c))
    if 2 * c == round(2 * c):
        return sp.Rational(round(2 * c), 2)
    k = c / (math.pi / 2)
    if abs(k - round(k)) < 1e-9:
        return sp.Integer(round(k)) * sp.pi / 2
    return sp.Float(c)


def _encode(r: sp.Expr) -> Answer:
    if r.has(sp.AccumBounds):
        if isinstance(r, sp.AccumBounds):
            return ("oscillates", float(r.min), float(r.max))
        return ("oscillates", -math.inf, math.inf)        # e.g. oo*sign(AccumBounds(-1, 1)): unbounded
    if r in (sp.oo, -sp.oo):
        return ("inf", 1.0 if r == sp.oo else -1.0)
    if r.has(sp.zoo, sp.nan, sp.Limit) or not r.is_number:
        return ("unknown",)
    v = complex(r)
    if v.imag != 0 or not math.isfinite(v.real):
        return ("unknown",)
    return ("value", v.real)


def _limits_work(text: str, c: float, which: tuple[str, ...]) -> tuple[Answer, ...]:
    """Module level (for ``symbolic.call``). ``which``: "f-", "f+", "d-", "d+" (f or f′, from the
    left or the right)."""
    e = real(parse_expression(text, VARS))
    point = exact_point(c)
    d = None
    out = []
    for w in which:
        if w[0] == "d" and d is None:
            d = no_delta(sp.diff(e, XR))
        g = e if w[0] == "f" else d
        try:
            out.append(_encode(sp.limit(g, XR, point, w[1])))
        except Exception:                      # sympy can fail on odd inputs: no answer, not an error
            out.append(("unknown",))
    return tuple(out)


@functools.lru_cache(maxsize=256)
def sympy_limits(text: str, c: float, which: tuple[str, ...], timeout: float = TIMEOUT) -> dict[str, Answer]:
    """sympy's one-sided limits of f ("f-", "f+") and f′ ("d-", "d+") at c, by key; empty when
    sympy ran out of time or failed."""
    try:
        answers = symbolic.call(_limits_work, text, c, which, timeout=timeout)
    except Exception:              # a timeout or a sympy failure: the samples decide instead
        return {}
    return {w: a for w, a in zip(which, answers) if a[0] != "unknown"}
