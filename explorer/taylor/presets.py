"""The functions the Taylor page offers in its pickers (label -> formula)."""
from __future__ import annotations

PRESETS_1D: dict[str, str] = {
    "eˣ": "exp(x)",
    "sin x": "sin(x)",
    "cos x": "cos(x)",
    "ln(1+x)": "ln(1+x)",
    "1/(1−x)": "1/(1-x)",
    "atan x": "atan(x)",
    "√(1+x)": "sqrt(1+x)",
    "e^(−x²)": "exp(-x^2)",
    "e^(−1/x²) (flat at 0)": "exp(-1/x^2)",
    "1/(1+x²)": "1/(1+x^2)",
}

PRESETS_2D: dict[str, str] = {
    "sin x · cos y": "sin(x)*cos(y)",
    "e^(−(x²+y²))": "exp(-(x^2+y^2))",
    "eˣ sin y": "exp(x)*sin(y)",
    "ln(1 + x² + y²)": "ln(1 + x^2 + y^2)",
    "x³ − 3xy²  (monkey saddle)": "x^3 - 3*x*y^2",
    "sin(xy)": "sin(x*y)",
}
