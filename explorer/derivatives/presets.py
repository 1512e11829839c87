"""The functions module 1 offers: the page's presets, the match-the-graph pool, and a curve of
one of them on a grid for drawing."""
from __future__ import annotations

import numpy as np

from explorer.expressions import compile_expression

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

# match-the-graph: f -> its derivative is one of the candidates
MATCH_POOL: list[str] = ["x^2", "x^3", "x^3 - 3x", "sin(x)", "cos(x)", "exp(x)", "-x^2", "abs(x)",
                         "1/(1 + x^2)", "x exp(-x^2)", "x^4 - 4x^2", "sin(2x)", "exp(-x^2)", "2x - x^2/2"]


def curve(text: str, lo: float = -3.0, hi: float = 3.0, n: int = 241, clip: float = 1e3):
    """x and f(x) on a grid for drawing (NaN where undefined or beyond ±clip)."""
    x = np.linspace(lo, hi, n)
    y = compile_expression(text, ("x",))(x)
    y[np.abs(y) > clip] = np.nan
    return x, y
