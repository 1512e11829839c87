"""The page's formulas with numbers in them: the secant's rise over run and the one-sided limits
at a break point, as LaTeX."""
from __future__ import annotations

import math

from explorer.derivatives.breaks import BreakPoint
from explorer.derivatives.definition import QUOTIENT, QuotientResult
from explorer.derivatives.differences import Secant
from explorer.numbers import nice, tex_number


def tex_value(v: float | None, digits: int = 6) -> str:
    r"""A number for LaTeX: ``tex_number``, with ±∞ written ``\pm\infty`` (one-sided limits at a pole)."""
    if v is not None and math.isinf(v):
        return r"+\infty" if v > 0 else r"-\infty"
    return tex_number(v, digits)


def secant_latex(s: Secant, digits: int) -> str:
    """Rise over run with its numbers (f(x0+h) and f(x0) to ``digits`` figures, so they visibly
    differ), then f'(x0) and the secant's error when f'(x0) exists: an ``aligned`` block, one
    equation a line (narrow enough for a 1024 px screen in presenter mode)."""
    lines = [r"\text{slope of the secant} &= \frac{\text{rise}}{\text{run}} = \frac{f(x_0+h)-f(x_0)}{h}",
             rf"&= \frac{{{tex_value(s.f1, digits)} - {tex_value(s.f0, digits)}}}{{{tex_value(s.h)}}}"
             rf" = {tex_value(s.slope)}"]
    if math.isfinite(s.true_slope):
        label = "f'(x_0)" if s.exact else r"f'(x_0)\ (\text{numeric})"
        lines += [rf"{label} &= {tex_value(s.true_slope)}",
                  rf"|\text{{secant}} - f'(x_0)| &= {tex_value(s.error)}"]
    return r"\begin{aligned}" + r" \\[4pt] ".join(lines) + r"\end{aligned}"


def _limit(c: str, side: str, name: str, value: float, oscillates: bool) -> str:
    lim = rf"\lim_{{x\to {c}^{side}}} {name}(x)"
    if oscillates:
        return lim + r"\ \text{does not exist (oscillates)}"
    return f"{lim} = {tex_value(value)}"


def limits_latex(bp: BreakPoint) -> str:
    """The left and right limits of f and of f′ at a break point: a ``gathered`` block, two limits a
    line, or one a line where a limit does not exist because the values oscillate."""
    c = nice(bp.x)
    osc = set(bp.oscillating)
    parts = [_limit(c, "-", "f", bp.f_left, "f_left" in osc), _limit(c, "+", "f", bp.f_right, "f_right" in osc),
             _limit(c, "-", "f'", bp.slope_left, "slope_left" in osc),
             _limit(c, "+", "f'", bp.slope_right, "slope_right" in osc)]
    lines = parts if osc else [rf"{parts[0]},\quad {parts[1]}", rf"{parts[2]},\quad {parts[3]}"]
    return r"\begin{gathered}" + r" \\[4pt] ".join(lines) + r"\end{gathered}"


def definition_latex(q: QuotientResult) -> str:
    """The working from the definition, one step a line (an ``aligned`` block, so a long working
    grows down the page rather than across it), ending at the limit when sympy took it."""
    steps = list(q.steps) or [q.quotient]
    lines = [rf"{QUOTIENT} &= {steps[0]}"] + [s if "&=" in s else rf"&= {s}" for s in steps[1:]]
    if q.limit is not None:
        lines += [rf"f'(x) &= \lim_{{h\to 0}}\left({steps[-1]}\right)", rf"&= {q.limit}"]
    return r"\begin{aligned}" + r" \\[4pt] ".join(lines) + r"\end{aligned}"
