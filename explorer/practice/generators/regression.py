"""Module 6 drills: the least-squares line through five integer points, worked exactly."""
from __future__ import annotations

import random
from fractions import Fraction
from typing import Sequence

from explorer.expressions import to_latex as tex
from explorer.practice.checking import as_sympy
from explorer.practice.generators.common import SIGN, approx, number_part, nz, question, steps
from explorer.practice.questions import Question


def _sums(xs: Sequence[int], ys: Sequence[int]) -> tuple[Fraction, Fraction, Fraction, Fraction, Fraction]:
    """x̄, ȳ, Σ(xᵢ − x̄)², Σ(xᵢ − x̄)(yᵢ − ȳ), Σ(yᵢ − ȳ)², exactly."""
    n = len(xs)
    xbar, ybar = Fraction(sum(xs), n), Fraction(sum(ys), n)
    sxx = sum((Fraction(x) - xbar) ** 2 for x in xs)
    sxy = sum((Fraction(x) - xbar) * (Fraction(y) - ybar) for x, y in zip(xs, ys))
    syy = sum((Fraction(y) - ybar) ** 2 for y in ys)
    return xbar, ybar, sxx, sxy, syy


def least_squares_line(xs: Sequence[int], ys: Sequence[int]) -> tuple[Fraction, Fraction]:
    """Exact slope and intercept of the least-squares line through integer points (hand-written: the
    formula IS the lesson; tests check it against scipy.stats.linregress)."""
    xbar, ybar, sxx, sxy, _ = _sums(xs, ys)
    if sxx == 0:
        raise ValueError("all x equal: the slope is undefined")
    m = sxy / sxx
    return m, ybar - m * xbar


def _points(rng: random.Random, difficulty: int) -> tuple[list[int], list[int]]:
    if difficulty == 1:
        xs = [1, 2, 3, 4, 5]
    else:
        while True:
            xs = sorted(rng.sample(range(-3 if difficulty == 3 else 0, 9), 5))
            if len(set(xs)) > 1:
                break
    m_true, c_true = nz(rng, -3, 3), rng.randint(-5, 5)
    noise = 1 if difficulty == 1 else 2 + difficulty
    return xs, [m_true * x + c_true + rng.randint(-noise, noise) for x in xs]


def line(rng: random.Random, difficulty: int) -> Question:
    xs, ys = _points(rng, difficulty)
    m, c = least_squares_line(xs, ys)
    xbar, ybar, sxx, sxy, syy = _sums(xs, ys)
    ex = lambda q: tex(as_sympy(q))   # exact fractions in LaTeX
    worked = steps(
        ("Least squares minimises χ² = Σ (yᵢ − (m xᵢ + c))²; setting ∂χ²/∂m = ∂χ²/∂c = 0 gives",
         r"m = \frac{\sum (x_i-\bar x)(y_i-\bar y)}{\sum (x_i-\bar x)^2},\qquad c = \bar y - m\,\bar x"),
        ("Means", r"\bar x = " + ex(xbar) + r",\quad \bar y = " + ex(ybar)),
        ("Sums of deviations", r"\sum (x_i-\bar x)(y_i-\bar y) = " + ex(sxy) + r",\quad \sum (x_i-\bar x)^2 = "
         + ex(sxx)),
        ("Slope and intercept", r"m = " + ex(m) + approx(m) + r",\quad c = " + ex(c) + approx(c)),
    )
    cands = [(*SIGN, [-m, None]),
             ("c = ȳ + m x̄ (a sign error)", "The line passes through (x̄, ȳ): c = ȳ − m x̄.", [None, ybar + m * xbar]),
             ("slope and intercept swapped", "m is the slope (rise per unit x), c the value at x = 0.", [c, m])]
    if syy != 0:
        cands.append(("regressing x on y", "The slope divides by Σ(xᵢ − x̄)², the spread of x, not of y.",
                      [sxy / syy, None]))
    table = ", ".join(f"({x}, {y})" for x, y in zip(xs, ys))
    return question("regression", "least-squares line",
                    f"Fit the least-squares line y = m x + c to the five points {table}:",
                    r"(x_i, y_i) = " + r",\ ".join(f"({x},{y})" for x, y in zip(xs, ys)),
                    [number_part("slope m =", m), number_part("intercept c =", c)], worked, cands,
                    points=tuple(zip(xs, ys)))


make = line
