"""Module 5 drills: one Newton-Raphson step, one gradient-descent step."""
from __future__ import annotations

import random

import sympy as sp

from explorer.expressions import to_latex as tex
from explorer.practice.generators.common import SIGN, X, Y, approx, number_part, nz, point, question, steps, txt
from explorer.practice.questions import Question


def _newton_function(rng: random.Random, difficulty: int) -> tuple[sp.Expr, sp.Expr]:
    """f and a start x₀ where f(x₀) ≠ 0 and f′(x₀) is not near 0."""
    while True:
        if difficulty == 1:
            f = X ** 2 - rng.randint(2, 20)
            x0 = sp.Integer(rng.randint(1, 5))
        elif difficulty == 2:
            f = X ** 3 + nz(rng, -4, 4) * X ** rng.randint(1, 2) + rng.randint(-6, 6)
            x0 = sp.Integer(nz(rng, -3, 3))
        else:
            f = rng.choice([sp.exp(X) - rng.randint(2, 9), X - sp.cos(X), X ** 3 - rng.randint(2, 9) * X - 1,
                            sp.log(X) + X - rng.randint(2, 5)])
            x0 = sp.Rational(rng.randint(1, 6), 2)
        fv, dfv = f.subs(X, x0), sp.diff(f, X).subs(X, x0)
        if dfv != 0 and fv != 0 and abs(float(dfv)) > 0.2:
            return f, x0


def newton(rng: random.Random, difficulty: int) -> Question:
    f, x0 = _newton_function(rng, difficulty)
    df = sp.diff(f, X)
    fv, dfv = f.subs(X, x0), df.subs(X, x0)
    x1 = x0 - fv / dfv
    worked = steps(
        ("Newton-Raphson: follow the tangent to where it crosses zero", r"x_1 = x_0 - \frac{f(x_0)}{f'(x_0)}"),
        ("Derivative (sum and power rules)", r"f'(x) = " + tex(df)),
        (f"Evaluate at x₀ = {x0}", r"f(x_0) = " + tex(fv) + r",\quad f'(x_0) = " + tex(dfv)),
        ("One step", r"x_1 = " + tex(x0) + r" - \frac{" + tex(fv) + "}{" + tex(dfv) + "} = " + tex(x1)
         + ("" if x1.is_Rational else approx(x1))),
    )
    return question("optimisation", "Newton-Raphson step",
                    f"Take ONE Newton-Raphson step towards a root of f, starting from x₀ = {x0}:",
                    "f(x) = " + tex(f), [number_part("x₁ =", x1)], worked, [
                        (*SIGN, [x0 + fv / dfv]),
                        ("the fraction upside down", "The step is f(x₀)/f′(x₀): the function over its "
                         "derivative.", [x0 - dfv / fv]),
                        ("reporting the step, not the new point", "x₁ is x₀ minus the step, not the step itself.",
                         [fv / dfv]),
                    ], function=txt(f))


def descent(rng: random.Random, difficulty: int) -> Question:
    f = sp.Rational(nz(rng, 1, 3)) * X ** 2 + nz(rng, -3, 3) * X * Y + nz(rng, 1, 3) * Y ** 2 + \
        rng.randint(-4, 4) * X
    x0, y0 = point(rng)
    gamma = sp.Rational(1, rng.choice([10, 5, 20, 4]))
    gx, gy = (sp.diff(f, v).subs({X: x0, Y: y0}) for v in (X, Y))
    x1, y1 = x0 - gamma * gx, y0 - gamma * gy
    worked = steps(
        ("Gradient descent: step against the gradient",
         r"\mathbf{x}_1 = \mathbf{x}_0 - \gamma\,\nabla f(\mathbf{x}_0)"),
        ("Gradient", r"\nabla f = \left(" + tex(sp.diff(f, X)) + ",\\ " + tex(sp.diff(f, Y)) + r"\right)"),
        (f"At ({x0}, {y0})", r"\nabla f = (" + tex(gx) + ",\\ " + tex(gy) + ")"),
        (f"Step with γ = {gamma}", r"\mathbf{x}_1 = (" + tex(x1) + ",\\ " + tex(y1) + ")"),
    )
    return question("optimisation", "gradient-descent step",
                    f"Take ONE gradient-descent step with step size γ = {gamma} from (x, y) = ({x0}, {y0}):",
                    "f(x, y) = " + tex(f), [number_part("x₁ =", x1), number_part("y₁ =", y1)], worked, [
                        ("stepping uphill (a sign error)", "Descent moves AGAINST the gradient: subtract γ∇f.",
                         [x0 + gamma * gx, y0 + gamma * gy]),
                        ("forgetting the step size γ", "Multiply the gradient by the step size γ before "
                         "subtracting.", [x0 - gx, y0 - gy]),
                    ])


def make(rng: random.Random, difficulty: int) -> Question:
    return (newton if difficulty < 3 or rng.random() < 0.6 else descent)(rng, difficulty)
