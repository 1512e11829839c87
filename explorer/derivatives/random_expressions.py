"""Random functions of x built from the course's pieces: the test that checks ``derivative_steps``
against sympy differentiates hundreds of them."""
from __future__ import annotations

import numpy as np
import sympy as sp

from explorer.derivatives.core import VARS, X
from explorer.expressions import parse_expression


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

