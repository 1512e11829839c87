"""Module 1 drills: the sum and power rules, the product rule and the chain rule in one variable."""
from __future__ import annotations

import random

import sympy as sp

from explorer.expressions import to_latex as tex
from explorer.practice.generators.common import CHAIN, SIGN, X, expression_part, nz, question, steps, txt
from explorer.practice.questions import Question, Step

OUTER = [  # name, outer function g(u), its derivative g'(u)
    ("sin", sp.sin, sp.cos),
    ("cos", sp.cos, lambda u: -sp.sin(u)),
    ("exp", sp.exp, sp.exp),
]
COS_SIGN = ("a sign error in the derivative of cos", "d/dx cos x = −sin x (with a minus sign).")


def _d_dx(t: sp.Expr) -> str:
    return r"\frac{d}{dx}\left(" + tex(t) + r"\right)"


def sum_power(rng: random.Random, difficulty: int) -> Question:
    n = rng.randint(2, 4 + difficulty)
    m = rng.randint(1, n - 1) if difficulty == 1 else -rng.randint(1, 3)
    a, b, c = nz(rng, -6, 6), nz(rng, -6, 6), rng.randint(-9, 9)
    terms = [a * X ** n, b * X ** m, sp.Integer(c)]
    if difficulty >= 2:
        terms.append(nz(rng, 1, 4) * sp.sqrt(X))
    f = sp.Add(*terms)
    df = sp.diff(f, X)
    worked = [Step("Sum rule: differentiate term by term", r"\frac{d}{dx}\Big(" + " + ".join(tex(t) for t in terms)
                   + r"\Big) = " + " + ".join(_d_dx(t) for t in terms))]
    for t in terms:
        if t.is_number:
            worked.append(Step("Constant rule: a constant's derivative is 0", _d_dx(t) + " = 0"))
        else:
            coeff, power = t.as_coeff_exponent(X)
            worked.append(Step(f"Power rule: d/dx x^n = n x^(n−1), here n = {power}",
                               _d_dx(t) + " = " + tex(coeff) + r"\cdot " + tex(power) + r"\, " +
                               tex(X ** (power - 1)) + " = " + tex(sp.diff(t, X))))
    worked.append(Step("Add the pieces", r"f'(x) = " + tex(df)))
    wrong_power = sp.Add(*[t.as_coeff_exponent(X)[0] * t.as_coeff_exponent(X)[1] * X ** t.as_coeff_exponent(X)[1]
                           for t in terms if not t.is_number])
    return question("derivatives", "sum and power rules", "Differentiate with respect to x:", "f(x) = " + tex(f),
                    [expression_part("f′(x) =", df)], worked, [
                        ("the power not lowered by one", "The power rule brings the power down AND lowers it by "
                         "one: d/dx xⁿ = n xⁿ⁻¹.", [wrong_power]),
                        ("the constant kept", "A constant term differentiates to 0.", [df + c] if c else [None]),
                        (*SIGN, [-df]),
                    ])


def product(rng: random.Random, difficulty: int) -> Question:
    a, n, b = nz(rng, -5, 5), rng.randint(1, 3 + difficulty), nz(rng, -4, 4)
    name, g, dg = rng.choice(OUTER)
    u = a * X ** n
    v = g(b * X) if difficulty >= 3 else g(X)
    du, dv = sp.diff(u, X), sp.diff(v, X)
    df = du * v + u * dv
    rule_v = (f"Chain rule for v: d/dx {name}({txt(b * X)}) = {name}′({txt(b * X)})·{b}"
              if difficulty >= 3 else f"Derivative of {name}")
    worked = steps(
        ("Product rule: (u v)′ = u′ v + u v′", r"u = " + tex(u) + r",\quad v = " + tex(v)),
        ("Power rule for u", r"u' = " + tex(du)),
        (rule_v, r"v' = " + tex(dv)),
        ("Put together", r"f'(x) = u'v + uv' = " + tex(du) + r"\cdot " + tex(v) + " + " + tex(u) + r"\cdot "
         + tex(dv)),
    )
    one_term = ("only one term of the product rule", "The product rule has two terms: u′v AND uv′.")
    cands = [
        ("the product of the derivatives", "The derivative of a product is NOT the product of the "
         "derivatives: (uv)′ = u′v + uv′.", [du * dv]),
        (*one_term, [du * v]),
        (*one_term, [u * dv]),
        (*SIGN, [du * v - u * dv]),
    ]
    if difficulty >= 3:
        cands.append((*CHAIN, [du * v + u * dv / b]))
    if name == "cos":
        cands.append((*COS_SIGN, [du * v - u * dv]))
    return question("derivatives", "product rule", "Differentiate with respect to x:", "f(x) = " + tex(u * v),
                    [expression_part("f′(x) =", df)], worked, cands)


def chain(rng: random.Random, difficulty: int) -> Question:
    a, b = nz(rng, -5, 5), nz(rng, -6, 6)
    n = rng.randint(2, 2 + difficulty)
    kind = rng.choice(["sin", "cos", "exp", "pow", "ln"][: 3 + (difficulty >= 2) + (difficulty >= 3)])
    inner = a * X ** (2 if difficulty >= 2 else 1) + b
    if kind == "pow":
        g, dg, gname = (lambda u: u ** n), (lambda u: n * u ** (n - 1)), f"u^{n}"
    elif kind == "ln":
        inner = abs(a) * X ** 2 + abs(b)          # positive everywhere: well-posed for every x
        g, dg, gname = sp.log, (lambda u: 1 / u), "ln u"
    else:
        name, g, dg = next(o for o in OUTER if o[0] == kind)
        gname = f"{name} u"
    f = g(inner)
    dinner = sp.diff(inner, X)
    df = dg(inner) * dinner
    u = sp.Symbol("u")
    worked = steps(
        ("Chain rule: (g(u(x)))′ = g′(u)·u′(x)", r"u = " + tex(inner) + r",\quad g(u) = " + tex(g(u))),
        (f"Derivative of the outer function ({gname})", r"g'(u) = " + tex(dg(u))),
        ("Derivative of the inside (power rule)", r"u'(x) = " + tex(dinner)),
        ("Multiply: outer derivative at the inside, times the inside's derivative",
         r"f'(x) = " + tex(dg(inner)) + r"\cdot " + r"\left(" + tex(dinner) + r"\right) = " + tex(df)),
    )
    cands = [(*CHAIN, [dg(inner)]), (*SIGN, [-df])]
    if kind == "cos":
        cands.append((*COS_SIGN, [-df]))
    return question("derivatives", "chain rule", "Differentiate with respect to x:", "f(x) = " + tex(f),
                    [expression_part("f′(x) =", df)], worked, cands)


def make(rng: random.Random, difficulty: int) -> Question:
    makers = {1: [sum_power, sum_power, chain], 2: [sum_power, product, chain],
              3: [product, chain, chain]}[difficulty]
    return rng.choice(makers)(rng, difficulty)
