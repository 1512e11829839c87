"""The radius of convergence of the Taylor series of f at a: the distance from a to the nearest
complex singularity of f.

Three kinds of answer, each labelled: ``"entire"`` (f has no singularity: R = ∞), ``"exact"`` (the
nearest singularity located: R = its distance from a) and ``"estimate"`` (from the coefficients,
where the structure of f is beyond ``explorer.taylor.singularities``), or ``"unknown"``. The classic
series the page offers carry their reasons in words; any other f is analysed from its expression
in the symbolic worker, within ``TIMEOUT`` seconds."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from explorer.expressions import ExpressionError, parse_expression
from explorer.numbers import nice_text, tex_number
from explorer.symbolic import SymbolicTimeout, call
from explorer.taylor.singularities import Finding, analyse

TIMEOUT = 2.0
KINDS = ("entire", "exact", "estimate", "unknown")


@dataclass
class Radius:
    radius: float                     # math.inf when no singularity limits it; NaN when unknown
    singularities: list[complex]      # the ones that limit it
    reason: str
    known: bool                       # exact (from the singularities of f) rather than an estimate
    kind: str = ""                    # "entire", "exact", "estimate" or "unknown" (from the above if "")

    def __post_init__(self) -> None:
        if not self.kind:
            if math.isnan(self.radius):
                self.kind = "unknown"
            elif not self.known:
                self.kind = "estimate"
            else:
                self.kind = "entire" if math.isinf(self.radius) else "exact"
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        self.known = self.kind in ("entire", "exact")

    def latex(self) -> str | None:
        r"""``R = 1.5``, ``R = \infty`` or ``R \approx 4`` (an estimate); None when not known."""
        if math.isnan(self.radius) or self.kind == "unknown":
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
    """R for the Taylor series of f (typed text) at a: exact from the singularities of f where they
    can be found (the classic series, else the structure of f, in the symbolic worker); else
    estimated from the coefficients ``coeffs`` (labelled an estimate); else unknown."""
    try:
        expr = parse_expression(text, ("x",))
    except ExpressionError:
        return Radius(math.nan, [], "", False)
    a = float(a)
    entry = _classic_table().get(expr)
    if entry is not None:
        return _classic(expr, a, *entry)
    try:
        found = call(analyse, text, a, timeout=TIMEOUT)
    except SymbolicTimeout:
        found, late = None, True
    else:
        late = False
    if found is not None:
        return _from_finding(found, a)
    return estimate_radius(coeffs, late)


def _classic(expr, a: float, sings: list, why: str) -> Radius:
    if not sings:
        return Radius(math.inf, [], why, True, "entire")
    dists = [abs(a - s) for s in sings]
    r = min(dists)
    nearest = [s for s, d in zip(sings, dists) if abs(d - r) < 1e-12]
    if expr == _flat() and a == 0:
        return Radius(math.inf, nearest, "At a = 0 every derivative of e^(−1/x²) is 0: the Taylor series is "
                                          "the zero function. It converges everywhere — to 0, not to f.", True,
                      "exact")
    where = ", ".join(_cfmt(s) for s in nearest)
    return Radius(r, nearest, f"{why} R = distance from a to the nearest singularity ({where}) "
                              f"= {nice_text(r, 4)}.", True, "exact")


_WHAT = {"pole": ("a pole", "poles"), "power": ("a branch point", "branch points"),
         "log": ("a branch point (of a logarithm)", "branch points (of a logarithm)"),
         "singularity": ("a singularity", "singularities"), "mixed": ("a singularity", "singularities")}
_PIECES = (" (On the real line f switches between smooth pieces, through |…|, sign, heaviside, min, max or "
           "an even root of a square. This is the series of the piece f follows at a: it equals f only as "
           "far as f keeps to that piece.)")


def _from_finding(found: Finding, a: float) -> Radius:
    f, piece = ("the piece of f at a", _PIECES) if found.smooth_piece else ("f", "")
    subject = "The piece of f at a" if found.smooth_piece else "f"
    if found.polynomial:
        return Radius(math.inf, [], f"{subject} is a polynomial: its Taylor series is the polynomial "
                                    "itself (every term past its degree is 0), so it converges for every x."
                      + piece, True, "entire")
    if found.entire:
        return Radius(math.inf, [], f"{subject} has no singularity anywhere in the complex plane (it "
                                    "is entire), so its Taylor series converges for every x." + piece, True,
                      "entire")
    pts = list(found.points)
    one, many = _WHAT.get(found.what, _WHAT["singularity"])
    where = ", ".join(_cfmt(s) for s in pts)
    off = (" They are off the real line, invisible in the picture, yet they limit the series on the real "
           "line too." if all(abs(s.imag) > 1e-12 for s in pts) else "")
    if len(pts) == 1:
        off = off.replace("They are", "It is").replace("they limit", "it limits")
        lead = f"The nearest singularity of {f} in the complex plane is {one} at {where}."
    else:
        lead = f"The nearest singularities of {f} in the complex plane are {many} at {where}."
    to = "it" if len(pts) == 1 else "them"
    return Radius(found.radius, pts, f"{lead}{off} R = the distance from a = {_n(a)} to {to} = "
                                     f"{_n(found.radius)}." + piece, True, "exact")


def estimate_radius(coeffs: Sequence[float] | None, late: bool = False) -> Radius:
    """A root-test estimate from the Taylor coefficients c₀…c_N: log|cₖ| ≈ const − k·log R over the
    second half of them (an estimate, labelled so); unknown with too few nonzero coefficients."""
    why = ("the search for the singularities of f took too long" if late else
           "the singularities of f could not be located from its formula")
    if coeffs:
        cs = np.abs(np.asarray(coeffs, dtype=float))
        ks = np.array([k for k in range(max(1, len(cs) // 2), len(cs)) if 1e-300 < cs[k] < 1e300])
        if len(ks) >= 3:
            slope = np.polyfit(ks, np.log(cs[ks]), 1)[0]      # log|c_k| ≈ const − k log R
            if np.isfinite(slope):
                return Radius(float(math.exp(min(-slope, 700.0))), [],
                              f"Estimated from the coefficients ({why}): log|cₖ| falls like −k·log R for "
                              f"large k — an estimate, not a proof.", False, "estimate")
    return Radius(math.nan, [], "", False, "unknown")


@functools.lru_cache(maxsize=1)
def _flat():
    return parse_expression("exp(-1/x^2)", ("x",))


def _cfmt(s: complex) -> str:
    """x = 1.571, x = −1 or x = −1.571 + 1.317i (4 significant figures, true minus signs)."""
    s = complex(s)
    re, im = (0.0 if abs(v) < 1e-12 else v for v in (s.real, s.imag))
    if im == 0:
        return f"x = {_n(re)}"
    imag = ("" if abs(im) == 1 else _n(abs(im))) + "i"
    if re == 0:
        return f"x = {'−' if im < 0 else ''}{imag}"
    return f"x = {_n(re)} {'+' if im > 0 else '−'} {imag}"


def _n(v: float) -> str:
    return nice_text(v, 4).replace("-", "−")
