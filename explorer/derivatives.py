"""Module 1, "What is calculus?": rise over run, finite differences, the gradient function,
non-differentiable points, the derivative from its definition, the rules step by step, and drills.

Everything here works on the *text* of a function of ``x`` (parsed by the safe parser), so results
are cheap to cache by text.  Nothing here imports streamlit.

Main entry points
-----------------
- ``secant(text, x0, h)``                 -> ``Secant`` (rise, run, secant slope, true f'(x0))
- ``difference_errors(text, x0)``         -> ``DifferenceErrors`` (forward/central error vs h, best h)
- ``gradient_data(text, lo, hi)``         -> ``GradientData`` (f and f' on a grid, break points)
- ``break_points(text, lo, hi)``          -> list of ``BreakPoint`` (left/right limits of f and f')
- ``difference_quotient(text)``           -> ``QuotientResult`` (LaTeX of the quotient, simplified,
                                             and its limit; raises ``symbolic.SymbolicTimeout``)
- ``derivative_steps(expr)``              -> ``Derivation`` (each step names its rule)
- ``random_expression(rng, ...)``, ``differentiate_question(...)``, ``match_question(...)``: drills.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import sympy as sp

from explorer import symbolic
from explorer.expressions import ExpressionError, compile_expression, parse_expression, to_latex

X = sp.Symbol("x")                      # the parser's plain symbol
XR = sp.Symbol("x", real=True)          # for differentiation (|x|' = sign x, not re/im parts)
H = sp.Symbol("h")
EPS = float(np.finfo(float).eps)
VARS = ("x",)

__all__ = [
    "Secant", "DifferenceErrors", "GradientData", "BreakPoint", "QuotientResult", "Step", "Derivation",
    "MatchQuestion", "DiffQuestion", "secant", "difference_errors", "gradient_data", "break_points",
    "difference_quotient", "derivative_steps", "derivative_expression", "derivative_function",
    "random_expression", "differentiate_question", "match_question", "check_derivative_answer",
    "PRESETS", "MATCH_POOL",
]

# The page's presets (label -> text for the parser).
PRESETS: dict[str, str] = {
    "x²": "x^2",
    "x³": "x^3",
    "sin x": "sin(x)",
    "eˣ": "exp(x)",
    "ln x": "ln(x)",
    "|x| (a corner)": "abs(x)",
    "1/x (a pole)": "1/x",
    "sign x (a jump)": "sign(x)",
    "max(x, 0) (ReLU)": "max(x, 0)",
    "sin(x²) (chain)": "sin(x^2)",
    "x·sin x (product)": "x sin(x)",
    "x/(1+x²) (quotient)": "x/(1 + x^2)",
}


# ---------------------------------------------------------------------------------------------
# Helpers
def _real(expr: sp.Expr) -> sp.Expr:
    return expr.xreplace({X: XR})


def _plain(expr: sp.Expr) -> sp.Expr:
    return expr.xreplace({XR: X})


def _no_delta(expr: sp.Expr) -> sp.Expr:
    """Drop Dirac deltas: they are zero away from the jump, and the jump is reported separately."""
    if expr.has(sp.DiracDelta):
        expr = expr.replace(lambda e: isinstance(e, sp.DiracDelta), lambda e: sp.S.Zero)
    return expr


def _diff_text(text: str) -> sp.Expr:
    """Module level (picklable) so that ``symbolic.call`` can run it under a deadline."""
    return _plain(_no_delta(sp.diff(_real(parse_expression(text, VARS)), XR)))


@functools.lru_cache(maxsize=256)
def derivative_expression(text: str) -> sp.Expr | None:
    """f'(x) from sympy (plain symbol x, Dirac deltas dropped); None if sympy ran out of time.

    Typed text is differentiated under the ``symbolic`` deadline; the page's presets and the drill
    functions (known to take milliseconds) are differentiated in-process, so a page's first paint
    never waits for a symbolic worker to start."""
    if text in _KNOWN_QUICK:
        return _diff_text(text)
    try:
        return symbolic.call(_diff_text, text, timeout=1.0)
    except symbolic.SymbolicTimeout:
        return None


@functools.lru_cache(maxsize=256)
def derivative_function(text: str) -> tuple[Callable[[np.ndarray], np.ndarray], bool]:
    """(numpy f', exact?): the compiled symbolic derivative, or a central difference if sympy timed out."""
    d = derivative_expression(text)
    if d is not None:
        return compile_expression(d, VARS), True
    f = compile_expression(text, VARS)
    h = EPS ** (1 / 3)

    def numeric(x):
        x = np.asarray(x, dtype=float)
        return (f(x + h) - f(x - h)) / (2 * h)
    return numeric, False


def _value(fn, x: float) -> float:
    return float(fn(np.array([x], dtype=float))[0])


def sig(a, digits: int = 4):
    """Round to ``digits`` significant figures (keeps charts small on the wire); NaN stays NaN."""
    a = np.asarray(a, dtype=float)
    out = a.copy()
    ok = np.isfinite(a) & (a != 0)
    mag = np.floor(np.log10(np.abs(a[ok])))
    scale = 10.0 ** (digits - 1 - mag)
    out[ok] = np.round(a[ok] * scale) / scale
    return out


def nice(v: float, digits: int = 6) -> str:
    """A number for a sentence: up to ``digits`` significant figures, ∞ for infinities."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "undefined"
    if math.isinf(v):
        return "+∞" if v > 0 else "−∞"
    if v == 0:
        return "0"
    s = f"{v:.{digits}g}"
    if "e" in s:
        m, e = s.split("e")
        return f"{m}×10^{int(e)}"
    return s


def digits_for_step(h: float) -> int:
    """Significant figures needed to see f(x0 + h) differ from f(x0): about 5 + log10(1/h), ≤ 16."""
    return int(min(16, max(6, 5 + math.ceil(-math.log10(abs(h)))))) if h else 16


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def nice_text(v: float, digits: int = 6) -> str:
    """``nice`` for prose: 1.3×10⁻⁹ rather than 1.3×10^-9."""
    s = nice(v, digits)
    if "×10^" in s:
        m, e = s.split("×10^")
        return f"{m}×10{e.translate(_SUPERSCRIPT)}"
    return s


# ---------------------------------------------------------------------------------------------
# 1. Rise over run
@dataclass
class Secant:
    x0: float
    h: float
    f0: float                # f(x0)
    f1: float                # f(x0 + h)
    rise: float
    run: float
    slope: float             # rise / run
    true_slope: float        # f'(x0) (NaN where f is not differentiable or not defined)
    exact: bool              # True: f'(x0) from sympy; False: numeric fallback

    @property
    def error(self) -> float:
        return abs(self.slope - self.true_slope)

    def tangent(self, xs: np.ndarray) -> np.ndarray:
        return self.f0 + self.true_slope * (np.asarray(xs) - self.x0)

    def line(self, xs: np.ndarray) -> np.ndarray:
        return self.f0 + self.slope * (np.asarray(xs) - self.x0)


def secant(text: str, x0: float, h: float, breaks: "Sequence[BreakPoint] | None" = None) -> Secant:
    """The secant of f from x0 to x0 + h.  ``breaks``: the break points, if already known
    (otherwise they are found near x0); f'(x0) is NaN at a break point."""
    f = compile_expression(text, VARS)
    d, exact = derivative_function(text)
    f0, f1 = _value(f, x0), _value(f, x0 + h)
    rise = f1 - f0
    slope = rise / h if h != 0 else float("nan")
    true = _value(d, x0)
    if breaks is None:
        breaks = break_points(text, x0 - 1, x0 + 1)
    if any(abs(b.x - x0) < 1e-6 for b in breaks):
        true = float("nan")
    return Secant(x0, h, f0, f1, rise, h, slope, true, exact)


# ---------------------------------------------------------------------------------------------
# 2. Why not h -> 0 on a computer
@dataclass
class DifferenceErrors:
    hs: np.ndarray
    forward: np.ndarray           # |forward difference - f'(x0)|, NaN where undefined
    central: np.ndarray           # |central difference - f'(x0)|
    best_forward: float           # the h with the smallest forward error (NaN if none)
    best_central: float
    min_forward: float
    min_central: float
    exact_slope: float
    theory_forward: float = math.sqrt(EPS)       # where truncation h|f''|/2 meets round-off 2ε|f|/h
    theory_central: float = EPS ** (1 / 3)

    @property
    def ok(self) -> bool:
        return bool(np.isfinite(self.forward).any() or np.isfinite(self.central).any())

    @property
    def central_truncation_free(self) -> bool:
        """True when the central error never rises above round-off level (third derivative 0)."""
        big = (self.hs >= 1e-3) & np.isfinite(self.central)
        scale = max(1.0, abs(self.exact_slope))
        return bool(big.any() and np.max(self.central[big]) < 1e-9 * scale)


ERROR_FLOOR = 1e-17     # an error of exactly 0 is drawn here on the log axis


def difference_errors(text: str, x0: float, hs: np.ndarray | None = None,
                      breaks: "Sequence[BreakPoint] | None" = None) -> DifferenceErrors:
    """Forward and central difference errors at ``x0`` for h over many decades (float64 arithmetic).

    The reference f'(x0) is sympy's derivative evaluated in float64 (relative error ~1e-16), far
    below the differences' errors, so the V shape of the plot is truncation (right) against
    round-off (left).
    """
    hs = np.logspace(-16, 0, 161) if hs is None else np.asarray(hs, dtype=float)
    f = compile_expression(text, VARS)
    d, _ = derivative_function(text)
    exact = _value(d, x0)
    if breaks is not None and any(abs(b.x - x0) < 1e-6 for b in breaks):
        exact = float("nan")            # no derivative at x0: nothing for the differences to approach
    f0 = _value(f, x0)
    with np.errstate(all="ignore"):
        fwd = (f(x0 + hs) - f0) / hs
        cen = (f(x0 + hs) - f(x0 - hs)) / (2 * hs)
        ef, ec = np.abs(fwd - exact), np.abs(cen - exact)
    ef, ec = np.maximum(ef, ERROR_FLOOR), np.maximum(ec, ERROR_FLOOR)   # NaN stays NaN

    def best(err):
        if not np.isfinite(err).any():
            return float("nan"), float("nan")
        i = int(np.nanargmin(err))
        return float(hs[i]), float(err[i])
    bf, mf = best(ef)
    bc, mc = best(ec)
    return DifferenceErrors(hs, ef, ec, bf, bc, mf, mc, exact)


# ---------------------------------------------------------------------------------------------
# 3. Where f is not differentiable
@dataclass
class BreakPoint:
    x: float
    kind: str               # "pole", "jump", "corner", "cusp", "vertical tangent", "edge", "undefined"
    f_value: float          # f(x) (NaN if undefined)
    f_left: float           # lim f as t -> x-
    f_right: float
    slope_left: float       # lim f'(t) as t -> x-
    slope_right: float
    message: str

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
    return [a for a in out if a.has(X)]


def _zeros(g: Callable, lo: float, hi: float, n: int = 2001) -> list[float]:
    xs = np.linspace(lo, hi, n)
    ys = g(xs)
    found = [float(x) for x, y in zip(xs, ys) if y == 0]
    s = np.sign(ys)
    changes = np.nonzero(np.isfinite(s[:-1]) & np.isfinite(s[1:]) & (s[:-1] * s[1:] < 0))[0]
    if changes.size:
        from scipy.optimize import brentq  # imported on first use: keeps the page's first paint quick
    for i in changes:
        try:
            found.append(float(brentq(lambda t: _value(g, t), xs[i], xs[i + 1], xtol=1e-14)))
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
            if np.isfinite(_value(f, m)) == left_ok:
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
    return float(sig(last, 6))


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
        cands += _zeros(compile_expression(g, VARS), lo, hi)
    # isolated holes of f itself (e.g. a pole that lands on a grid point) and edges of its domain
    cands += _zeros(lambda t: np.where(np.isfinite(f(t)), 1.0, np.nan), lo, hi)
    cands += _domain_edges(f, lo, hi)
    out: list[BreakPoint] = []
    for c in sorted(set(round(z, 9) for z in cands)):
        if not lo - 1e-12 <= c <= hi + 1e-12 or any(abs(c - b.x) < 1e-7 for b in out):
            continue
        bp = _classify(f, d, c)
        if bp is not None:
            out.append(bp)
    return tuple(out)


def _classify(f: Callable, d: Callable, c: float) -> BreakPoint | None:
    fc = _value(f, c)
    fl, fr = side_limit(f, c, -1, fc), side_limit(f, c, +1, fc)
    sl, sr = side_limit(d, c, -1), side_limit(d, c, +1)
    at = f"x = {nice(c)}"
    lim = (f"left limit of f: {nice(fl)}, right limit of f: {nice(fr)}")
    slopes = f"left slope: {nice(sl)}, right slope: {nice(sr)}"
    if math.isnan(fl) and math.isnan(fr):
        return None                                     # nothing defined near c: not a break of a curve
    if math.isinf(fl) or math.isinf(fr):
        return BreakPoint(c, "pole", fc, fl, fr, sl, sr,
                          f"f has a vertical asymptote at {at} ({lim}): f is not defined there, "
                          "so it has no derivative there.")
    if math.isnan(fl) or math.isnan(fr):
        side = "right" if math.isnan(fl) else "left"
        return BreakPoint(c, "edge", fc, fl, fr, sl, sr,
                          f"f is only defined on the {side} of {at} ({lim}; one-sided slope "
                          f"{nice(sr if side == 'right' else sl)}): no two-sided derivative there.")
    if not _same(fl, fr):
        return BreakPoint(c, "jump", fc, fl, fr, sl, sr,
                          f"f jumps at {at} ({lim}): a function that is not continuous "
                          "is not differentiable, since the rise does not shrink with the run.")
    if math.isnan(fc) or not _same(fc, fl):
        return BreakPoint(c, "undefined", fc, fl, fr, sl, sr,
                          f"f is not defined at {at} (f → {nice(fl)} from both sides), "
                          "so it has no derivative there.")
    if math.isinf(sl) and math.isinf(sr):
        kind = "vertical tangent" if sl == sr else "cusp"
        return BreakPoint(c, kind, fc, fl, fr, sl, sr,
                          f"f has a {kind} at {at} ({slopes}): the tangent is vertical, "
                          "its slope is infinite.")
    if math.isinf(sl) or math.isinf(sr):
        return BreakPoint(c, "cusp", fc, fl, fr, sl, sr,
                          f"f has an infinitely steep side at {at} ({slopes}).")
    if math.isnan(sl) or math.isnan(sr) or _same(sl, sr):
        return None                                     # smooth after all (e.g. x·|x|, ln at x=1)
    return BreakPoint(c, "corner", fc, fl, fr, sl, sr,
                      f"f has a corner at {at}: f is continuous (f({nice(c)}) = {nice(fc)}) but "
                      f"the left slope ({nice(sl)}) and the right slope ({nice(sr)}) differ, so there is no single tangent.")


# ---------------------------------------------------------------------------------------------
# 4. The gradient function
@dataclass
class GradientData:
    x: np.ndarray
    f: np.ndarray
    df: np.ndarray
    breaks: tuple[BreakPoint, ...]
    exact: bool
    f_range: tuple[float, float]
    df_range: tuple[float, float]


def _y_range(y: np.ndarray) -> tuple[float, float]:
    fin = y[np.isfinite(y)]
    if fin.size == 0:
        return (-1.0, 1.0)
    lo, hi = np.percentile(fin, [3, 97]) if fin.size > 40 else (fin.min(), fin.max())
    lo, hi = min(lo, fin.min() if fin.min() > lo - 3 * (hi - lo + 1) else lo), \
        max(hi, fin.max() if fin.max() < hi + 3 * (hi - lo + 1) else hi)
    pad = 0.08 * (hi - lo) if hi > lo else 1.0
    return (float(lo - pad), float(hi + pad))


def gradient_data(text: str, lo: float = -3.0, hi: float = 3.0, n: int = 301) -> GradientData:
    """f and f' on an ``n``-point grid, with NaN gaps at break points (so no false vertical lines)."""
    x = np.linspace(lo, hi, n)
    f = compile_expression(text, VARS)(x)
    d, exact = derivative_function(text)
    df = d(x)
    breaks = break_points(text, lo, hi)
    step = (hi - lo) / (n - 1)
    for b in breaks:
        near = np.abs(x - b.x) < 0.51 * step
        df[near] = np.nan
        if b.kind in ("pole", "jump", "undefined"):
            f[near] = np.nan
    for arr in (f, df):
        arr[np.abs(arr) > 1e6] = np.nan
    return GradientData(x, f, df, breaks, exact, _y_range(f), _y_range(df))


# ---------------------------------------------------------------------------------------------
# 5. From the definition
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
    e = _real(parse_expression(text, VARS))
    q = (e.subs(XR, XR + H) - e) / H
    raw = to_latex(_plain(q))
    core = e.as_coeff_Mul()[1]
    if e.is_rational_function(XR):
        simp = sp.factor(sp.cancel(q))
    elif isinstance(core, (sp.sin, sp.cos, sp.exp)) and core.args[0] == XR:
        # the textbook route: sin(x+h) = sin x cos h + cos x sin h, e^(x+h) = e^x e^h
        simp = sp.collect(sp.expand(sp.expand_trig(q)), [sp.sin(XR), sp.cos(XR), sp.exp(XR)])
    else:
        simp = q
    simp_latex = to_latex(_plain(simp))
    if e.has(*_PIECEWISE):
        return QuotientResult(raw, simp_latex, None, None,
                              "f is defined piece by piece, so the limit depends on where x is: "
                              "away from the break points it is the derivative given by the rules "
                              "below; at a break point compare the left and right limits above.")
    lim = sp.limit(q, H, 0)
    if lim.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.Limit, sp.AccumBounds):
        return QuotientResult(raw, simp_latex, None, None, "sympy could not take this limit.")
    lim = _plain(sp.factor(lim) if lim.is_rational_function(XR) else lim)
    return QuotientResult(raw, simp_latex, to_latex(lim), sp.sstr(lim))


def numeric_quotient(text: str, x: float = 1.0, h: float = 1e-5) -> float:
    """The difference quotient (f(x+h) - f(x))/h in float64: the numeric stand-in for the limit."""
    f = compile_expression(text, VARS)
    return (_value(f, x + h) - _value(f, x)) / h


@functools.lru_cache(maxsize=128)
def difference_quotient(text: str, timeout: float = 1.0) -> QuotientResult:
    """Raises ``symbolic.SymbolicTimeout`` when sympy takes longer than ``timeout`` seconds."""
    return symbolic.call(_quotient_work, text, timeout=timeout)


# ---------------------------------------------------------------------------------------------
# 6. The rules, step by step
@dataclass
class Step:
    rule: str                 # short rule name, e.g. "chain", "power", "product", "sin"
    title: str                # what a learner reads, e.g. "Chain rule, with u = x²"
    latex: str                # the equation of this step
    depth: int                # nesting (0 = the whole function)


@dataclass
class Derivation:
    expr: sp.Expr             # f (plain symbol)
    raw: sp.Expr              # the derivative as the rules assemble it
    result: sp.Expr           # simplified derivative
    steps: list[Step] = field(default_factory=list)
    simplified: bool = True   # False when simplification timed out (result == raw)

    @property
    def rules(self) -> set[str]:
        return {s.rule for s in self.steps}


def _d(latex: str) -> str:
    return rf"\frac{{d}}{{dx}}\left[{latex}\right]"


def _L(e: sp.Expr) -> str:
    return to_latex(_plain(e))


# standard derivatives: name -> (rule title, f'(u) as a function of u)
_TABLE: dict[type, tuple[str, Callable[[sp.Expr], sp.Expr]]] = {
    sp.sin: ("sin", lambda u: sp.cos(u)),
    sp.cos: ("cos", lambda u: -sp.sin(u)),
    sp.tan: ("tan", lambda u: 1 + sp.tan(u) ** 2),
    sp.sec: ("sec", lambda u: sp.sec(u) * sp.tan(u)),
    sp.csc: ("csc", lambda u: -sp.csc(u) * sp.cot(u)),
    sp.cot: ("cot", lambda u: -1 - sp.cot(u) ** 2),
    sp.exp: ("exp", lambda u: sp.exp(u)),
    sp.log: ("ln", lambda u: 1 / u),
    sp.asin: ("arcsin", lambda u: 1 / sp.sqrt(1 - u ** 2)),
    sp.acos: ("arccos", lambda u: -1 / sp.sqrt(1 - u ** 2)),
    sp.atan: ("arctan", lambda u: 1 / (1 + u ** 2)),
    sp.sinh: ("sinh", lambda u: sp.cosh(u)),
    sp.cosh: ("cosh", lambda u: sp.sinh(u)),
    sp.tanh: ("tanh", lambda u: 1 - sp.tanh(u) ** 2),
    sp.asinh: ("arsinh", lambda u: 1 / sp.sqrt(u ** 2 + 1)),
    sp.acosh: ("arcosh", lambda u: 1 / (sp.sqrt(u - 1) * sp.sqrt(u + 1))),
    sp.atanh: ("artanh", lambda u: 1 / (1 - u ** 2)),
    sp.erf: ("erf", lambda u: 2 / sp.sqrt(sp.pi) * sp.exp(-u ** 2)),
    sp.Abs: ("abs", lambda u: sp.sign(u)),
    sp.sign: ("sign", lambda u: sp.S.Zero),
    sp.Heaviside: ("heaviside", lambda u: sp.S.Zero),
}

_TABLE_TEXT = {
    "sin": r"\frac{d}{du}\sin u = \cos u", "cos": r"\frac{d}{du}\cos u = -\sin u",
    "tan": r"\frac{d}{du}\tan u = 1 + \tan^2 u = \sec^2 u", "sec": r"\frac{d}{du}\sec u = \sec u\tan u",
    "csc": r"\frac{d}{du}\csc u = -\csc u\cot u", "cot": r"\frac{d}{du}\cot u = -1-\cot^2 u",
    "exp": r"\frac{d}{du}e^u = e^u", "ln": r"\frac{d}{du}\ln u = \frac{1}{u}",
    "arcsin": r"\frac{d}{du}\arcsin u = \frac{1}{\sqrt{1-u^2}}",
    "arccos": r"\frac{d}{du}\arccos u = -\frac{1}{\sqrt{1-u^2}}",
    "arctan": r"\frac{d}{du}\arctan u = \frac{1}{1+u^2}", "sinh": r"\frac{d}{du}\sinh u = \cosh u",
    "cosh": r"\frac{d}{du}\cosh u = \sinh u", "tanh": r"\frac{d}{du}\tanh u = 1-\tanh^2 u",
    "arsinh": r"\frac{d}{du}\operatorname{arsinh} u = \frac{1}{\sqrt{u^2+1}}",
    "arcosh": r"\frac{d}{du}\operatorname{arcosh} u = \frac{1}{\sqrt{u-1}\sqrt{u+1}}",
    "artanh": r"\frac{d}{du}\operatorname{artanh} u = \frac{1}{1-u^2}",
    "erf": r"\frac{d}{du}\operatorname{erf} u = \frac{2}{\sqrt\pi}e^{-u^2}",
    "abs": r"\frac{d}{du}|u| = \operatorname{sign} u \quad (u \ne 0)",
    "sign": r"\frac{d}{du}\operatorname{sign} u = 0 \quad (u \ne 0)",
    "heaviside": r"\frac{d}{du}H(u) = 0 \quad (u \ne 0)",
}


class _Deriver:
    def __init__(self):
        self.steps: list[Step] = []

    def add(self, rule, title, lhs, rhs_form, result, depth, index=None):
        eq = f"{_d(_L(lhs))} = {rhs_form}"
        res = _L(result)
        if rhs_form != res:
            eq += f" = {res}"
        step = Step(rule, title, eq, depth)
        if index is None:
            self.steps.append(step)
        else:
            self.steps.insert(index, step)

    def d(self, e: sp.Expr, depth: int = 0) -> sp.Expr:
        """Differentiate ``e`` (in XR) by hand-written rules, recording one step per rule."""
        at = len(self.steps)            # the parent step goes before its children

        if not e.has(XR):
            self.add("constant", "Constant rule: a constant does not change", e, "0", sp.S.Zero, depth, at)
            return sp.S.Zero
        if e == XR:
            self.add("power", "Power rule with n = 1", e, "1", sp.S.One, depth, at)
            return sp.S.One

        if isinstance(e, sp.Add):
            terms = list(e.as_ordered_terms())
            parts = [self.d(t, depth + 1) for t in terms]
            res = sp.Add(*parts)
            self.add("sum", "Sum rule: differentiate term by term", e,
                     " + ".join(_d(_L(t)) for t in terms), res, depth, at)
            return res

        if isinstance(e, sp.Mul):
            const = [a for a in e.args if not a.has(XR)]
            rest = [a for a in e.args if a.has(XR)]
            if const:
                c, u = sp.Mul(*const), sp.Mul(*rest)
                du = self.d(u, depth + 1)
                res = c * du
                self.add("constant multiple", f"Constant multiple rule: the factor {_dollar(c)} stays",
                         e, f"{_L(c)}\\,{_d(_L(u))}", res, depth, at)
                return res
            num = [a for a in rest if not (isinstance(a, sp.Pow) and a.exp.is_number and a.exp.is_negative)]
            den = [1 / a for a in rest if a not in num]
            if num and den:
                u, v = sp.Mul(*num), sp.Mul(*den)
                du = self.d(u, depth + 1)
                dv = self.d(v, depth + 1)
                res = (du * v - u * dv) / v ** 2
                self.add("quotient", f"Quotient rule with u = {_dollar(u)}, v = {_dollar(v)}: "
                         r"$(u/v)' = (u'v - uv')/v^2$", e,
                         rf"\frac{{{_d(_L(u))}\cdot {_paren(v)} - {_paren(u)}\cdot {_d(_L(v))}}}{{{_paren(v)}^{{2}}}}",
                         res, depth, at)
                return res
            u, v = rest[0], sp.Mul(*rest[1:])
            du = self.d(u, depth + 1)
            dv = self.d(v, depth + 1)
            res = du * v + u * dv
            self.add("product", f"Product rule with u = {_dollar(u)}, v = {_dollar(v)}: "
                     r"$(uv)' = u'v + uv'$", e,
                     rf"{_d(_L(u))}\cdot {_paren(v)} + {_paren(u)}\cdot {_d(_L(v))}", res, depth, at)
            return res

        if isinstance(e, sp.Pow):
            base, ex = e.args
            if not ex.has(XR):
                outer = ex * base ** (ex - 1)
                what = "square root rule" if ex == sp.S.Half else "power rule"
                if base == XR:
                    self.add("power", f"Power rule: $\\frac{{d}}{{dx}}x^n = n x^{{n-1}}$ with n = {_dollar(ex)}"
                             + (" (√x = x^{1/2})" if ex == sp.S.Half else ""), e, _L(outer), outer, depth, at)
                    return outer
                du = self.d(base, depth + 1)
                res = outer * du
                self.add("chain", f"Chain rule with u = {_dollar(base)} and the {what} "
                         f"for $u^{{{_L(ex)}}}$: $\\frac{{d}}{{dx}}u^n = n u^{{n-1}} \\cdot u'$", e,
                         rf"{_L(outer)}\cdot {_d(_L(base))}", res, depth, at)
                # mark that the power rule is used on the outer function too
                self.steps.insert(at + 1, Step("power", f"Power rule on the outside: n = {_dollar(ex)}",
                                               rf"\frac{{d}}{{du}}u^{{{_L(ex)}}} = {to_latex(ex * sp.Symbol('u') ** (ex - 1))}",
                                               depth + 1))
                return res
            if not base.has(XR):
                # a^u = e^{u ln a}
                du = self.d(ex, depth + 1)
                res = e * sp.log(base) * du
                rule = "exp" if base == sp.E else "exponential"
                title = (r"Exponential rule: $\frac{d}{dx}a^{u} = a^{u}\ln a \cdot u'$ with a = "
                         f"{_dollar(base)}" + ("" if ex == XR else f", chain rule with u = {_dollar(ex)}"))
                form = rf"{_L(e)}\,\ln {_paren(base)}\cdot {_d(_L(ex))}"
                self.add(rule, title, e, form, res, depth, at)
                if ex != XR:
                    self.steps[at].rule = "chain"
                    self.steps.insert(at + 1, Step(rule, "Standard derivative of a^u",
                                                   r"\frac{d}{du}a^u = a^u \ln a", depth + 1))
                return res
            # u^v with both depending on x: u^v = exp(v ln u)
            rewritten = sp.exp(ex * sp.log(base))
            inner = self.d(rewritten, depth + 1)
            res = inner.subs(rewritten, e)
            self.add("rewrite", r"Write $u^v = e^{v\ln u}$, then use the chain and product rules", e,
                     _d(_L(rewritten)), res, depth, at)
            return res

        if isinstance(e, sp.Function) and len(e.args) == 1 and type(e) in _TABLE:
            name, fd = _TABLE[type(e)]
            u = e.args[0]
            outer = fd(u)
            if u == XR:
                self.add(name, f"Standard derivative: ${_TABLE_TEXT[name]}$", e, _L(outer), outer, depth, at)
                return outer
            du = self.d(u, depth + 1)
            res = outer * du
            self.add("chain", f"Chain rule with u = {_dollar(u)}: "
                     r"$\frac{d}{dx}g(u) = g'(u)\cdot u'$", e, rf"{_L(outer)}\cdot {_d(_L(u))}", res, depth, at)
            self.steps.insert(at + 1, Step(name, f"Standard derivative on the outside: ${_TABLE_TEXT[name]}$",
                                           rf"{_TABLE_TEXT[name]}", depth + 1))
            return res

        if isinstance(e, (sp.Max, sp.Min)) and len(e.args) == 2:
            a, b = e.args
            da, db = self.d(a, depth + 1), self.d(b, depth + 1)
            big = isinstance(e, sp.Max)
            res = da * sp.Heaviside(a - b if big else b - a) + db * sp.Heaviside(b - a if big else a - b)
            word = "larger" if big else "smaller"
            self.add("piecewise", f"Piecewise: {'max' if big else 'min'} follows whichever argument is {word}, "
                     "so its derivative is that argument's derivative (H is the step function)",
                     e, _L(res), res, depth, at)
            return res

        # anything else: sympy's derivative, labelled honestly
        res = _no_delta(sp.diff(e, XR))
        self.add("sympy", "No hand rule here: the derivative sympy computes", e, _L(res), res, depth, at)
        return res


def _dollar(e: sp.Expr) -> str:
    return f"${_L(e)}$"


def _paren(e: sp.Expr) -> str:
    s = _L(e)
    return rf"\left({s}\right)" if isinstance(e, (sp.Add,)) or (isinstance(e, sp.Mul) and e.could_extract_minus_sign()) else s


def _simplify_work(expr: sp.Expr) -> sp.Expr:
    return sp.simplify(expr)


def _tidy(expr: sp.Expr) -> sp.Expr:
    """A cheap tidy-up (pull out common factors) for results too big to ``simplify`` quickly."""
    return sp.factor_terms(expr)


def derivative_steps(f: "str | sp.Expr", timeout: float = 1.0, max_ops: int = 60) -> Derivation:
    """The derivative of ``f`` by the named rules.  ``raw`` is the rules' assembly, ``result`` its
    simplification: ``sympy.simplify`` (under ``timeout``) when ``raw`` has at most ``max_ops``
    operations, otherwise a cheap tidy-up (``simplified`` is False only when sympy timed out)."""
    expr = parse_expression(f, VARS) if isinstance(f, str) else f
    deriver = _Deriver()
    raw = deriver.d(_real(expr))
    raw = _no_delta(raw)
    simplified = True
    try:
        work = _simplify_work if sp.count_ops(raw) <= max_ops else _tidy
        result = symbolic.call(work, raw, timeout=timeout)
        if sp.count_ops(result) > sp.count_ops(raw):
            result = raw
    except symbolic.SymbolicTimeout:
        result, simplified = raw, False
    steps = deriver.steps
    steps.append(Step("simplify", "Tidy up" if simplified else "Result (simplifying took too long)",
                      f"f'(x) = {_L(result)}", 0))
    return Derivation(_plain(expr), _plain(raw), _plain(result), steps, simplified)


def _same_derivative(a: sp.Expr, b: sp.Expr) -> bool:
    return sp.simplify(a - b) == 0


def equals_sympy_diff(der: Derivation, timeout: float = 1.0) -> bool:
    """Does the derivation's result equal ``sympy.diff`` of f?  Symbolically when sympy decides
    within ``timeout``, otherwise numerically at 400 points (where both are defined)."""
    ref = _plain(_no_delta(sp.diff(_real(der.expr), XR)))
    for cand in (der.result, der.raw):
        d = _real(cand) - _real(ref)
        if d == 0 or sp.expand(d) == 0:
            return True
    try:
        if symbolic.call(_same_derivative, _real(der.result), _real(ref), timeout=timeout):
            return True
    except symbolic.SymbolicTimeout:
        pass
    rng = np.random.default_rng(1)
    xs = rng.uniform(-3, 3, 400)
    a, b = compile_expression(der.result, VARS)(xs), compile_expression(ref, VARS)(xs)
    both = np.isfinite(a) & np.isfinite(b)
    if both.sum() < 20 and (np.isfinite(a) == np.isfinite(b)).all():
        return True                       # defined almost nowhere on [-3, 3]: nothing to tell apart
    return bool(both.sum() >= 20 and np.allclose(a[both], b[both], rtol=1e-7, atol=1e-9))


@functools.lru_cache(maxsize=256)
def derivative_steps_cached(text: str) -> Derivation:
    return derivative_steps(text)


# ---------------------------------------------------------------------------------------------
# 7. Drills
_ATOMS = ["x", "x^2", "x^3", "x^4", "1/x", "sqrt(x)", "sin(x)", "cos(x)", "exp(x)", "ln(x)"]
_OUTER = ["sin", "cos", "exp", "ln", "sqrt", "square", "cube"]
_EXTRA_OUTER = ["tan", "atan", "sinh", "cosh", "tanh", "abs", "recip", "asin", "erf"]


def random_expression(rng: np.random.Generator, depth: int = 2, extra: bool = False) -> sp.Expr:
    """A random function of x built from the course's pieces (sum, constant multiple, product,
    quotient, chain); ``extra`` adds less common functions (tan, arctan, sinh, |u|, ...)."""
    x = X
    if depth <= 0 or rng.random() < 0.25:
        return parse_expression(str(rng.choice(_ATOMS)), VARS)
    kind = rng.choice(["sum", "const", "product", "quotient", "chain", "chain"])
    a = random_expression(rng, depth - 1, extra)
    if kind == "const":
        return int(rng.choice([2, 3, 5, -1, -2, 4])) * a
    if kind == "chain":
        outer = str(rng.choice(_OUTER + (_EXTRA_OUTER if extra else [])))
        inner = a if a != x else parse_expression(str(rng.choice(["x^2", "2x", "x^2 + 1", "3x - 1"])), VARS)
        table = {"sin": sp.sin, "cos": sp.cos, "exp": sp.exp, "ln": lambda u: sp.log(u ** 2 + 1),
                 "sqrt": lambda u: sp.sqrt(u ** 2 + 1), "square": lambda u: u ** 2, "cube": lambda u: u ** 3,
                 "tan": sp.tan, "atan": sp.atan, "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh,
                 "abs": sp.Abs, "recip": lambda u: 1 / (u ** 2 + 1), "asin": lambda u: sp.asin(u / (u ** 2 + 2)),
                 "erf": sp.erf}
        return table[outer](inner)
    b = random_expression(rng, depth - 1, extra)
    if kind == "sum":
        return a + b
    if kind == "product":
        return a * b
    den = b if b.has(x) and not b.is_constant() else x
    return a / (den + 2) if rng.random() < 0.5 else a / den


@dataclass
class DiffQuestion:
    text: str            # f as parser text
    latex: str
    answer: str          # f' as parser text (simplified)
    answer_latex: str


def _nice_enough(e: sp.Expr) -> bool:
    return e.has(X) and 2 <= sp.count_ops(e) <= 9 and not e.has(sp.zoo, sp.nan)


def differentiate_question(seed: int, previous: str | None = None) -> DiffQuestion:
    """A "differentiate this" question from ``seed``; never the same f as ``previous``."""
    rng = np.random.default_rng(seed)
    for _ in range(200):
        e = random_expression(rng, depth=2)
        text = sp.sstr(e)
        if not _nice_enough(e) or text == previous:
            continue
        der = derivative_steps(text)
        ans = sp.sstr(der.result)
        try:
            parse_expression(ans, VARS)
        except ExpressionError:
            continue
        return DiffQuestion(text, to_latex(e), ans, to_latex(der.result))
    fallback = "x^3" if previous != "x**3" else "sin(x^2)"
    e = parse_expression(fallback, VARS)
    d = derivative_steps(fallback).result
    return DiffQuestion(sp.sstr(e), to_latex(e), sp.sstr(d), to_latex(d))


def check_derivative_answer(question: DiffQuestion, answer: str) -> bool:
    from explorer.practice import check_answer
    return check_answer(question.answer, answer, VARS)


# match-the-graph: f -> its derivative is one of the candidates
MATCH_POOL: list[str] = ["x^2", "x^3", "x^3 - 3x", "sin(x)", "cos(x)", "exp(x)", "-x^2", "abs(x)",
              "1/(1 + x^2)", "x exp(-x^2)", "x^4 - 4x^2", "sin(2x)", "exp(-x^2)", "2x - x^2/2"]


@dataclass
class MatchQuestion:
    f_text: str
    options: list[str]     # candidate f' texts
    correct: int           # index of the true f'
    labels: list[str]      # "A", "B", ...


def _distinct(a: str, b: str) -> bool:
    xs = np.linspace(-2.9, 2.9, 59)
    ya, yb = compile_expression(a, VARS)(xs), compile_expression(b, VARS)(xs)
    ok = np.isfinite(ya) & np.isfinite(yb)
    return ok.sum() < 10 or float(np.max(np.abs(ya[ok] - yb[ok]))) > 0.3


def match_question(seed: int, previous: str | None = None, n_options: int = 4) -> MatchQuestion:
    """Pick f from ``MATCH_POOL`` (never ``previous``) and ``n_options`` candidate graphs of f'."""
    rng = np.random.default_rng(seed)
    pool = [p for p in MATCH_POOL if p != previous]
    f_text = str(rng.choice(pool))
    right = sp.sstr(derivative_expression(f_text))
    distractors = [f_text, sp.sstr(-parse_expression(right, VARS))]
    distractors += [sp.sstr(derivative_expression(p)) for p in rng.permutation(MATCH_POOL) if p != f_text]
    chosen = [right]
    for cand in distractors:
        if len(chosen) == n_options:
            break
        if all(_distinct(cand, c) for c in chosen):
            chosen.append(cand)
    order = rng.permutation(len(chosen))
    options = [chosen[i] for i in order]
    return MatchQuestion(f_text, options, int(np.nonzero(order == 0)[0][0]),
                         [chr(ord("A") + i) for i in range(len(options))])


def candidate_note(text: str, lo: float = -3.0, hi: float = 3.0) -> str:
    """A "what to notice" line for a candidate f′ graph: where it is zero (f flat) and its sign."""
    zs = [z for z in _zeros(compile_expression(text, VARS), lo, hi) if lo < z < hi]
    if not zs:
        x = np.linspace(lo, hi, 61)
        y = compile_expression(text, VARS)(x)
        sign = "positive" if np.nanmin(y) > 0 else "negative" if np.nanmax(y) < 0 else "never zero"
        return f"never zero here ({sign}): f would have no flat spot on this window."
    shown = ", ".join(nice(z, 3) for z in zs[:4]) + (" …" if len(zs) > 4 else "")
    return f"zero at x ≈ {shown}: f would be flat exactly there."


def curve(text: str, lo: float = -3.0, hi: float = 3.0, n: int = 241, clip: float = 1e3):
    """x and f(x) on a grid for drawing (NaN where undefined or beyond ±clip)."""
    x = np.linspace(lo, hi, n)
    y = compile_expression(text, VARS)(x)
    y[np.abs(y) > clip] = np.nan
    return x, y


_KNOWN_QUICK = frozenset(PRESETS.values()) | frozenset(MATCH_POOL)
