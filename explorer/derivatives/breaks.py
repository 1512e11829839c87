"""Where f is not differentiable: candidate points (zeros of the arguments of |u|, sign, max, ln,
tan, roots ..., holes and edges of the domain), numeric one-sided limits of f and f′, and the kind
of break (pole, jump, corner, cusp, vertical tangent, edge, undefined) in a sentence."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy as sp

from explorer.derivatives.core import VARS, X, derivative_function, value_at
from explorer.derivatives.limits import sampled_range, swings, sympy_limits, unsettled
from explorer.expressions import compile_expression, parse_expression
from explorer.expressions.real_power import RealPower
from explorer.numbers import nice, round_sig


@dataclass
class BreakPoint:
    x: float
    kind: str               # "pole", "jump", "oscillation", "corner", "cusp", "vertical tangent", "edge", "undefined"
    f_value: float          # f(x) (NaN if undefined)
    f_left: float           # lim f as t -> x-
    f_right: float
    slope_left: float       # lim f'(t) as t -> x-
    slope_right: float
    message: str
    # which one-sided limits do not exist because the values oscillate ("f_left", "f_right",
    # "slope_left", "slope_right"; their values are NaN), and the range f swings over near x
    oscillating: tuple[str, ...] = ()
    swing: tuple[float, float] | None = None

    @property
    def continuous(self) -> bool:
        return self.kind in ("corner", "cusp", "vertical tangent")


def _inner_arguments(expr: sp.Expr) -> list[sp.Expr]:
    """Expressions whose zeros are candidate break points of ``expr``."""
    out = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Abs, sp.sign, sp.Heaviside)):
            out.append(node.args[0])
        elif isinstance(node, (sp.Max, sp.Min)):
            a = node.args
            out.extend(a[i] - a[j] for i in range(len(a)) for j in range(i + 1, len(a)))
        elif isinstance(node, sp.log):
            out.append(node.args[0])
        elif isinstance(node, (sp.tan, sp.sec)):
            out.append(sp.cos(node.args[0]))
        elif isinstance(node, (sp.cot, sp.csc)):
            out.append(sp.sin(node.args[0]))
        elif isinstance(node, sp.Pow) and node.exp.is_number and (node.exp.is_negative or not node.exp.is_integer):
            out.append(node.base)
        elif isinstance(node, RealPower):            # x^(p/q), q odd: a real root (cusp or vertical tangent at 0)
            out.append(node.args[0])
    return [a for a in out if a.has(X)]


def zeros(g: Callable, lo: float, hi: float, n: int = 2001) -> list[float]:
    xs = np.linspace(lo, hi, n)
    ys = g(xs)
    found = [float(x) for x, y in zip(xs, ys) if y == 0]
    s = np.sign(ys)
    changes = np.nonzero(np.isfinite(s[:-1]) & np.isfinite(s[1:]) & (s[:-1] * s[1:] < 0))[0]
    if changes.size:
        from scipy.optimize import brentq  # imported on first use: keeps the page's first paint quick
    for i in changes:
        try:
            found.append(float(brentq(lambda t: value_at(g, t), xs[i], xs[i + 1], xtol=1e-14)))
        except ValueError:
            pass
    # a NaN sandwiched between finite values (an isolated hole such as 1/x at a grid point)
    fin = np.isfinite(ys)
    for i in range(1, n - 1):
        if not fin[i] and fin[i - 1] and fin[i + 1]:
            found.append(float(xs[i]))
    # snap to "nice" numbers so that 0 is 0 and pi/2 is pi/2 to the last digit
    snapped = []
    for z in found:
        r = round(z, 9)
        for cand in (round(z), round(z * 2) / 2, round(z / (math.pi / 2)) * math.pi / 2):
            if abs(z - cand) < 1e-9:
                r = float(cand)
                break
        if not any(abs(r - s2) < 1e-7 for s2 in snapped):
            snapped.append(r)
    return sorted(snapped)


def _domain_edges(f: Callable, lo: float, hi: float, n: int = 2001) -> list[float]:
    """Where f switches between defined and undefined (sqrt at 0, arcosh at 1), by bisection."""
    xs = np.linspace(lo, hi, n)
    fin = np.isfinite(f(xs))
    out = []
    for i in np.nonzero(fin[:-1] != fin[1:])[0]:
        a, b = xs[i], xs[i + 1]
        left_ok = fin[i]
        for _ in range(60):
            m = 0.5 * (a + b)
            if np.isfinite(value_at(f, m)) == left_ok:
                a = m
            else:
                b = m
        z = b if left_ok else a
        out.append(round(z) if abs(z - round(z)) < 1e-9 else z)
    return out


def side_limit(fn: Callable, c: float, side: int, target: float | None = None) -> float:
    """Numerical one-sided limit of ``fn`` at ``c`` (side -1: from the left, +1: from the right).

    Evaluates at c ± 10^-3 ... 10^-8; a value that keeps growing in size is reported as ±∞,
    one that settles is returned rounded to 6 significant figures; NaN if undefined on that side.
    A finite ``target`` (the value f(c)) that the values steadily close in on is the limit, even
    when they approach it slowly (|x|^(1/3) at 0).
    """
    ds = 10.0 ** -np.arange(3, 9)
    v = fn(c + side * ds)
    if not np.isfinite(v[-3:]).all():
        return float("nan")
    if target is not None and math.isfinite(target):
        gap = np.abs(v[-4:] - target)
        if gap[-1] < 1e-2 * (1 + abs(target)) and (gap[-1] < 1e-9 or np.all(np.diff(gap) < 0)):
            return float(target)
    a = np.abs(v[-4:])
    growing = bool(np.all(np.diff(a) > 0)) and bool(np.all(np.sign(v[-4:]) == np.sign(v[-1])))
    steps = np.abs(np.diff(v[-4:]))
    if growing and ((a[-1] > 100 and np.all(a[1:] > 1.5 * a[:-1]))           # power-law blow-up
                    or (steps.min() > 0.5 and steps.max() < 2 * steps.min())):  # logarithmic blow-up
        return math.copysign(math.inf, v[-1])
    last = float(v[-1])
    if abs(last - round(last)) < 1e-5:
        return float(round(last))
    return float(round_sig(last, 6))


def _same(a: float, b: float, tol: float = 1e-4) -> bool:
    if math.isnan(a) or math.isnan(b):
        return False
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= tol * (1 + abs(a) + abs(b))


@functools.lru_cache(maxsize=128)
def break_points(text: str, lo: float, hi: float) -> tuple[BreakPoint, ...]:
    """Points in [lo, hi] where f is not differentiable, each with left and right limits."""
    expr = parse_expression(text, VARS)
    f = compile_expression(text, VARS)
    d, _ = derivative_function(text)
    cands: list[float] = []
    for g in _inner_arguments(expr):
        cands += zeros(compile_expression(g, VARS), lo, hi)
    # isolated holes of f itself (e.g. a pole that lands on a grid point) and edges of its domain
    cands += zeros(lambda t: np.where(np.isfinite(f(t)), 1.0, np.nan), lo, hi)
    cands += _domain_edges(f, lo, hi)
    out: list[BreakPoint] = []
    for c in sorted(set(round(z, 9) for z in cands)):
        if not lo - 1e-12 <= c <= hi + 1e-12 or any(abs(c - b.x) < 1e-7 for b in out):
            continue
        bp = _classify(f, d, c, text)
        if bp is not None:
            out.append(bp)
    return tuple(out)


_KEYS = {"f-": "f_left", "f+": "f_right", "d-": "slope_left", "d+": "slope_right"}


def _settle(f: Callable, d: Callable, c: float, text: str, fc: float) -> tuple[dict[str, float], dict[str, tuple]]:
    """The four one-sided limits ("f-", "f+", "d-", "d+") and those that oscillate (key -> the range
    swept). Samples first; where they do not settle, sympy's limit (AccumBounds: oscillation); where
    sympy gives no answer in time, the samples' own verdict on oscillation."""
    fns = {"f": f, "d": d}
    vals = {"f-": side_limit(f, c, -1, fc), "f+": side_limit(f, c, +1, fc),
            "d-": side_limit(d, c, -1), "d+": side_limit(d, c, +1)}
    doubt = tuple(k for k, v in vals.items() if math.isfinite(v) and not (k[0] == "f" and v == fc)
                  and unsettled(fns[k[0]], c, -1 if k[1] == "-" else 1))
    osc: dict[str, tuple] = {}
    if not doubt:
        return vals, osc
    answers = sympy_limits(text, c, doubt)
    for k in doubt:
        side, a = (-1 if k[1] == "-" else 1), answers.get(k)
        if a is None:
            if swings(fns[k[0]], c, side):
                osc[k] = (*sampled_range(fns[k[0]], c, side), False)
        elif a[0] == "oscillates":
            osc[k] = (a[1], a[2], True)
        elif a[0] == "inf":
            vals[k] = math.copysign(math.inf, a[1])
        else:
            v = a[1]
            vals[k] = float(round(v)) if abs(v - round(v)) < 1e-12 else float(round_sig(v, 6))
    for k in osc:
        vals[k] = math.nan
    return vals, osc


def _oscillation(c: float, fc: float, vals: dict, osc: dict, sl: float, sr: float) -> BreakPoint:
    """f has no limit on one side of c (or both): its values keep swinging."""
    at = f"x = {nice(c)}"
    fo = [k for k in ("f-", "f+") if k in osc]
    lo = min(osc[k][0] for k in fo)
    hi = max(osc[k][1] for k in fo)
    exact = all(osc[k][2] for k in fo)
    where = ("from either side" if len(fo) == 2 else
             "from the left" if fo == ["f-"] else "from the right")
    if math.isinf(lo) or math.isinf(hi):
        sweep = "keeps swinging, ever wider (without bound),"
    else:
        sweep = f"keeps swinging between {'' if exact else 'about '}{nice(lo, 3)} and {nice(hi, 3)}"
    other = ""
    if len(fo) == 1:
        k = "f+" if fo == ["f-"] else "f-"
        other = (f" (from the {'right' if k == 'f+' else 'left'} f → {nice(vals[k])})"
                 if not math.isnan(vals[k]) else "")
    msg = (f"f oscillates at {at}: as x approaches {nice(c)} {where}, f(x) {sweep} and never settles "
           f"on one value{other}, so f has no limit there{'' if len(fo) == 2 else ' from that side'}: "
           "not a jump, since there is no limit to jump from. Without a limit f is not continuous at {at}, so it is not differentiable there.")
    return BreakPoint(c, "oscillation", fc, vals["f-"], vals["f+"], sl, sr, msg,
                      oscillating=tuple(_KEYS[k] for k in _KEYS if k in osc), swing=(lo, hi))


def _classify(f: Callable, d: Callable, c: float, text: str) -> BreakPoint | None:
    fc = value_at(f, c)
    vals, osc = _settle(f, d, c, text, fc)
    fl, fr, sl, sr = vals["f-"], vals["f+"], vals["d-"], vals["d+"]
    at = f"x = {nice(c)}"
    lim = (f"left limit of f: {nice(fl)}, right limit of f: {nice(fr)}")
    slopes = f"left slope: {nice(sl)}, right slope: {nice(sr)}"
    if "f-" in osc or "f+" in osc:
        return _oscillation(c, fc, vals, osc, sl, sr)
    oscillating = tuple(_KEYS[k] for k in _KEYS if k in osc)    # f settles, f′ swings (x·sin(1/x) at 0)
    make = functools.partial(BreakPoint, oscillating=oscillating)
    if math.isnan(fl) and math.isnan(fr):
        return None                                     # nothing defined near c: not a break of a curve
    if math.isinf(fl) or math.isinf(fr):
        return make(c, "pole", fc, fl, fr, sl, sr,
                          f"f has a vertical asymptote at {at} ({lim}): f is not defined there, "
                          "so it has no derivative there.")
    if math.isnan(fl) or math.isnan(fr):
        side = "right" if math.isnan(fl) else "left"
        return make(c, "edge", fc, fl, fr, sl, sr,
                          f"f is only defined on the {side} of {at} ({lim}; one-sided slope "
                          f"{nice(sr if side == 'right' else sl)}): no two-sided derivative there.")
    if not _same(fl, fr):
        return make(c, "jump", fc, fl, fr, sl, sr,
                          f"f jumps at {at} ({lim}): a function that is not continuous "
                          "is not differentiable, since the rise does not shrink with the run.")
    if math.isnan(fc) or not _same(fc, fl):
        fill = f"setting f({nice(c)}) = {nice(fl)} would fill the gap and make f continuous there"
        return make(c, "undefined", fc, fl, fr, sl, sr,
                    f"f is not defined at {at} (f → {nice(fl)} from both sides: {fill}), "
                    "so it has no derivative there." if math.isnan(fc) else
                    f"f({nice(c)}) = {nice(fc)}, but f → {nice(fl)} from both sides (a removable "
                    f"discontinuity: {fill}), so it has no derivative there.")
    if math.isinf(sl) and math.isinf(sr):
        kind = "vertical tangent" if sl == sr else "cusp"
        return make(c, kind, fc, fl, fr, sl, sr,
                          f"f has a {kind} at {at} ({slopes}): the tangent is vertical, "
                          "its slope is infinite.")
    if math.isinf(sl) or math.isinf(sr):
        return make(c, "cusp", fc, fl, fr, sl, sr,
                          f"f has an infinitely steep side at {at} ({slopes}).")
    if math.isnan(sl) or math.isnan(sr) or _same(sl, sr):
        return None                                     # smooth after all (e.g. x·|x|, ln at x=1)
    return make(c, "corner", fc, fl, fr, sl, sr,
                      f"f has a corner at {at}: f is continuous (f({nice(c)}) = {nice(fc)}) but "
                      f"the left slope ({nice(sl)}) and the right slope ({nice(sr)}) differ, so there is no single tangent.")

