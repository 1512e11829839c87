"""Numbers for people and for the wire: significant figures, numbers in sentences and in LaTeX,
sub- and superscripts. Every page and figure builder rounds and prints numbers through here.

Two kinds of rounding:
- ``round_sig(a, 4)``: each value to 4 significant figures (1234.5 → 1235, 0.0012345 → 0.001235);
  right for data spanning decades (log axes, errors).
- ``round_to_scale(a, 4)``: every value to the same number of decimals, chosen so that the largest
  finite value keeps 4 significant figures; right for a curve or a surface drawn on a linear axis
  (its small values are small on the chart too). Both keep NaN and ±∞ as they are.
"""
from __future__ import annotations

import math

import numpy as np

__all__ = ["round_sig", "round_to_scale", "nice", "nice_text", "tex_number", "subscript",
           "superscript"]

_SUB = str.maketrans("-0123456789", "₋₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def round_sig(a, digits: int = 4) -> np.ndarray:
    """Each value rounded to ``digits`` significant figures; 0, NaN and ±∞ stay as they are."""
    a = np.asarray(a, dtype=float)
    flat = a.reshape(-1)
    mag = np.abs(flat)
    ok = (mag > 0) & (mag < np.inf)           # finite and not 0 (NaN compares False)
    if flat.size and ok.all():                # the usual case: no picking out
        x = flat
    elif ok.any():
        x, mag = flat[ok], mag[ok]
    else:
        return a.copy()
    k = digits - 1 - np.floor(np.log10(mag))    # decimals to keep (negative: tens...)
    # divide or multiply by an EXACT power of ten (10.0**-k is not exact), so the result is the
    # float that f"{v:.{digits}g}" reads as
    lo, hi = k.min(), k.max()
    if 0 <= lo and hi <= 22:                    # decimals only (the usual case): one branch, no overflow
        p = 10.0 ** k
        rounded = np.rint(x * p) / p            # (np.round's own rint)
    else:
        far = np.abs(k) > 22
        with np.errstate(over="ignore", invalid="ignore"):
            p = 10.0 ** np.abs(k)
            rounded = np.where(k >= 0, np.rint(x * p) / p, np.rint(x / p) * p)
        # powers of ten beyond 1e22 are not exact floats: there (very large or tiny values) read
        # the digits as text
        if far.any():
            rounded[far] = [float(f"{v:.{digits}g}") for v in x[far]]
    if x is flat:
        return rounded.reshape(a.shape)
    out = flat.copy()
    out[ok] = rounded
    return out.reshape(a.shape)


def round_to_scale(a, digits: int = 4, max_decimals: int = 10) -> np.ndarray:
    """All values to the decimals that give the largest finite |value| ``digits`` significant
    figures (at most ``max_decimals``; never fewer than 0)."""
    a = np.asarray(a, dtype=float)
    finite = a[np.isfinite(a)]
    scale = float(np.max(np.abs(finite))) if finite.size else 0.0
    if scale == 0.0:
        return np.round(a, min(digits, max_decimals))
    places = max(0, digits - 1 - int(math.floor(math.log10(scale))))
    return np.round(a, min(places, max_decimals))


def _mantissa_exponent(v: float, digits: int) -> tuple[str, int | None]:
    s = f"{v:.{digits}g}"
    if "e" in s:
        m, e = s.split("e")
        return m, int(e)
    return ("0" if s in ("-0", "0") else s), None


def nice(v: float | None, digits: int = 6) -> str:
    """A number for plain text: up to ``digits`` significant figures, ``1.3×10^-9`` for tiny and
    huge values, ``undefined`` for None/NaN, ``+∞``/``−∞``."""
    if v is None or (isinstance(v, (float, np.floating)) and math.isnan(v)):
        return "undefined"
    v = float(v)
    if math.isinf(v):
        return "+∞" if v > 0 else "−∞"
    m, e = _mantissa_exponent(v, digits)
    return m if e is None else f"{m}×10^{e}"


def nice_text(v: float | None, digits: int = 6) -> str:
    """``nice`` for prose: 1.3×10⁻⁹ rather than 1.3×10^-9."""
    s = nice(v, digits)
    if "×10^" in s:
        m, e = s.split("×10^")
        return f"{m}×10{e.translate(_SUP)}"
    return s


def tex_number(v: float | None, digits: int = 4) -> str:
    r"""A number as LaTeX: ``1.3 \times 10^{-9}``; ``\text{undefined}`` for None, NaN and ±∞."""
    if v is None or not math.isfinite(float(v)):
        return r"\text{undefined}"
    m, e = _mantissa_exponent(float(v), digits)
    return m if e is None else rf"{m} \times 10^{{{e}}}"


def subscript(n: int | str) -> str:
    """x₁₂: an index as unicode subscript digits."""
    return str(n).translate(_SUB)


def superscript(n: int | str) -> str:
    """a⁽¹²⁾, x⁻²: an exponent as unicode superscript digits."""
    return str(n).translate(_SUP)
