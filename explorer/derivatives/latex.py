"""The page's formulas with numbers in them: the secant's rise over run and the one-sided limits
at a break point, as LaTeX."""
from __future__ import annotations

import math

from explorer.derivatives.breaks import BreakPoint
from explorer.derivatives.differences import Secant
from explorer.numbers import nice, tex_number


def tex_value(v: float | None, digits: int = 6) -> str:
    r"""A number for LaTeX: ``tex_number``, with ±∞ written ``\pm\infty`` (one-sided limits at a pole)."""
    if v is not None and math.isinf(v):
        return r"+\infty" if v > 0 else r"-\infty"
    return tex_number(v, digits)


def secant_latex(s: Secant, digits: int) -> str:
    """Rise over run with its numbers (f(x0+h) and f(x0) to ``digits`` figures, so they visibly
    differ), then f'(x0) and the secant's error when f'(x0) exists: a ``gathered`` block."""
    lines = [r"\text{slope of the secant} = \frac{\text{rise}}{\text{run}} = \frac{f(x_0+h)-f(x_0)}{h}"
             rf"= \frac{{{tex_value(s.f1, digits)} - {tex_value(s.f0, digits)}}}{{{tex_value(s.h)}}}"
             rf" = {tex_value(s.slope)}"]
    if math.isfinite(s.true_slope):
        label = "f'(x_0)" if s.exact else r"f'(x_0)\ (\text{numeric})"
        lines.append(rf"{label} = {tex_value(s.true_slope)} \qquad "
                     rf"|\text{{secant}} - f'(x_0)| = {tex_value(s.error)}")
    return r"\begin{gathered}" + r" \\[4pt] ".join(lines) + r"\end{gathered}"


def limits_latex(bp: BreakPoint) -> str:
    """The left and right limits of f and of f′ at a break point: a ``gathered`` block."""
    c = nice(bp.x)
    return (rf"\begin{{gathered}}\lim_{{x\to {c}^-}} f(x) = {tex_value(bp.f_left)},\quad "
            rf"\lim_{{x\to {c}^+}} f(x) = {tex_value(bp.f_right)} \\[4pt] "
            rf"\lim_{{x\to {c}^-}} f'(x) = {tex_value(bp.slope_left)},\quad "
            rf"\lim_{{x\to {c}^+}} f'(x) = {tex_value(bp.slope_right)}\end{{gathered}}")
