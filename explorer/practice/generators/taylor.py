"""Module 4 drills: one Taylor coefficient c_k = f⁽ᵏ⁾(x₀) / k!."""
from __future__ import annotations

import math
import random

import sympy as sp

from explorer.expressions import to_latex as tex
from explorer.practice.generators.common import SIGN, X, number_part, nz, question, steps, txt
from explorer.practice.questions import Question


def _function(rng: random.Random, difficulty: int) -> tuple[sp.Expr, int, int]:
    """f, the centre x₀ and the order k asked for."""
    a = nz(rng, -3, 3)
    if difficulty == 1:
        x0 = rng.randint(-2, 2)
        f = sum(nz(rng, -4, 4) * X ** p for p in range(rng.randint(3, 4), -1, -1))
        return f, x0, rng.randint(1, 3)
    if difficulty == 2:
        f = rng.choice([sp.exp(a * X), sp.sin(a * X), sp.cos(a * X), (1 + a * X) ** rng.randint(3, 5)])
        return f, 0, rng.randint(2, 5)
    kind = rng.choice(["ln", "geo", "exp1"])
    x0, f = {"ln": (0, sp.log(1 + a * X)), "geo": (0, 1 / (1 - a * X)), "exp1": (1, sp.exp(a * X))}[kind]
    return f, x0, rng.randint(2, 5)


def coefficient(rng: random.Random, difficulty: int) -> Question:
    f, x0, k = _function(rng, difficulty)
    dk = sp.diff(f, X, k)
    at = dk.subs(X, x0)
    coeff = at / sp.factorial(k)
    k_fact = math.factorial(k)
    about = f"x₀ = {x0}"
    worked = steps(
        ("Taylor series: f(x) = Σ c_k (x − x₀)^k with c_k = f⁽ᵏ⁾(x₀) / k!", r"c_k = \frac{f^{(k)}(x_0)}{k!}"),
        (f"Differentiate {k} times", r"f^{(" + str(k) + r")}(x) = " + tex(dk)),
        (f"Evaluate at {about}", r"f^{(" + str(k) + r")}(" + str(x0) + ") = " + tex(at)),
        (f"Divide by {k}! = {k_fact}", r"c_" + str(k) + r" = \frac{" + tex(at) + "}{" + str(k_fact) + "} = "
         + tex(coeff)),
    )
    return question("taylor", "Taylor coefficient",
                    f"Find the coefficient c_{k} of (x − x₀)^{k} in the Taylor series of f about {about}:",
                    "f(x) = " + tex(f), [number_part(f"c_{k} =", coeff)], worked, [
                        ("forgetting the 1/k!", f"The coefficient is the k-th derivative DIVIDED by k! (here "
                         f"{k}! = {k_fact}).", [at]),
                        ("dividing by k instead of k!", f"Divide by k! = {k_fact}, not by k = {k}.", [at / k]),
                        (*SIGN, [-coeff]),
                        ("the wrong order", f"c_{k} multiplies (x − x₀)^{k}: use the {k}-th derivative.",
                         [sp.diff(f, X, k - 1).subs(X, x0) / sp.factorial(k - 1)]),
                    ], function=txt(f))


make = coefficient
