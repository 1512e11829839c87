"""The radius of convergence: exact for the classic series (the distance from a to the nearest
complex singularity, with the reason in words), a root-test estimate from the coefficients otherwise."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from explorer.expressions import ExpressionError, parse_expression
from explorer.numbers import nice_text, tex_number


@dataclass
class Radius:
    radius: float                     # math.inf for entire functions; NaN when unknown
    singularities: list[complex]      # the ones that limit it
    reason: str
    known: bool                       # from the function's singularities (True) or a root-test estimate

    def latex(self) -> str | None:
        r"""``R = 1.5``, ``R = \infty`` or ``R \approx 4`` (an estimate); None when not known."""
        if math.isnan(self.radius):
            return None
        value = r"\infty" if math.isinf(self.radius) else tex_number(self.radius, 4)
        relation = "=" if self.known else r"\approx"
        return f"R {relation} {value}"


_I = 1j
_CLASSIC = {
    "exp(x)": ([], "eˣ is entire: no singularity anywhere in the complex plane, so the series converges for every x."),
    "sin(x)": ([], "sin is entire: the series converges for every x."),
    "cos(x)": ([], "cos is entire: the series converges for every x."),
    "exp(-x^2)": ([], "e^(−x²) is entire: the series converges for every x (but needs many terms far out)."),
    "ln(1+x)": ([-1], "ln(1+x) has a branch point at x = −1 (ln 0)."),
    "1/(1-x)": ([1], "1/(1−x) has a pole at x = 1."),
    "atan(x)": ([_I, -_I], "atan x has branch points at x = ±i, where its derivative 1/(1+x²) blows up — "
                           "invisible on the real line."),
    "sqrt(1+x)": ([-1], "√(1+x) has a branch point at x = −1."),
    "1/(1+x^2)": ([_I, -_I], "1/(1+x²) is smooth on the whole real line, but it has poles at the complex "
                             "points x = ±i: they limit the radius."),
    "exp(-1/x^2)": ([0], "e^(−1/z²) has an essential singularity at z = 0 (it blows up along the "
                         "imaginary axis)."),
}


@functools.lru_cache(maxsize=1)
def _classic_table() -> dict:
    return {parse_expression(k, ("x",)): v for k, v in _CLASSIC.items()}


def radius_of_convergence(text: str, a: float, coeffs: Sequence[float] | None = None) -> Radius:
    """The radius for the classic series (distance from a to the nearest complex singularity);
    for other functions a root-test estimate from the coefficients (marked as an estimate)."""
    try:
        expr = parse_expression(text, ("x",))
    except ExpressionError:
        return Radius(math.nan, [], "", False)
    entry = _classic_table().get(expr)
    if entry is not None:
        sings, why = entry
        if not sings:
            return Radius(math.inf, [], why, True)
        dists = [abs(a - s) for s in sings]
        r = min(dists)
        nearest = [s for s, d in zip(sings, dists) if abs(d - r) < 1e-12]
        if expr == _flat() and a == 0:
            return Radius(math.inf, nearest, "At a = 0 every derivative of e^(−1/x²) is 0: the Taylor series is "
                                              "the zero function. It converges everywhere — to 0, not to f.", True)
        where = ", ".join(_cfmt(s) for s in nearest)
        return Radius(r, nearest, f"{why} R = distance from a to the nearest singularity ({where}) "
                                  f"= {nice_text(r, 4)}.", True)
    if coeffs:
        cs = np.abs(np.asarray(coeffs, dtype=float))
        ks = np.array([k for k in range(max(1, len(cs) // 2), len(cs)) if cs[k] > 1e-300])
        if len(ks) >= 3:
            slope = np.polyfit(ks, np.log(cs[ks]), 1)[0]      # log|c_k| ≈ const − k log R
            est = math.exp(-slope) if slope < 0 else math.inf
            if np.isfinite(slope):
                return Radius(float(est), [], "Estimated from the coefficients (log|cₖ| falls like −k·log R "
                                              "for large k) — an estimate, not a proof.", False)
    return Radius(math.nan, [], "", False)


@functools.lru_cache(maxsize=1)
def _flat():
    return parse_expression("exp(-1/x^2)", ("x",))


def _cfmt(s: complex) -> str:
    s = complex(s)
    if s.imag == 0:
        return f"x = {s.real:g}"
    return f"x = {s.real:g} {'+' if s.imag > 0 else '−'} {abs(s.imag):g}i".replace("x = 0 + ", "x = ").replace("x = 0 − ", "x = −")
