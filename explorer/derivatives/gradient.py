"""The gradient function: f and f′ on a grid, with gaps at the break points."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.derivatives.breaks import BreakPoint, break_points
from explorer.derivatives.core import VARS, derivative_function
from explorer.expressions import compile_expression


@dataclass
class GradientData:
    x: np.ndarray
    f: np.ndarray
    df: np.ndarray
    breaks: tuple[BreakPoint, ...]
    exact: bool
    f_range: tuple[float, float]
    df_range: tuple[float, float]


def _y_range(y: np.ndarray) -> tuple[float, float]:
    fin = y[np.isfinite(y)]
    if fin.size == 0:
        return (-1.0, 1.0)
    lo, hi = np.percentile(fin, [3, 97]) if fin.size > 40 else (fin.min(), fin.max())
    lo, hi = min(lo, fin.min() if fin.min() > lo - 3 * (hi - lo + 1) else lo), \
        max(hi, fin.max() if fin.max() < hi + 3 * (hi - lo + 1) else hi)
    pad = 0.08 * (hi - lo) if hi > lo else 1.0
    return (float(lo - pad), float(hi + pad))


def gradient_data(text: str, lo: float = -3.0, hi: float = 3.0, n: int = 301) -> GradientData:
    """f and f' on an ``n``-point grid, with NaN gaps at break points (so no false vertical lines)."""
    x = np.linspace(lo, hi, n)
    f = compile_expression(text, VARS)(x)
    d, exact = derivative_function(text)
    df = d(x)
    breaks = break_points(text, lo, hi)
    step = (hi - lo) / (n - 1)
    for b in breaks:
        near = np.abs(x - b.x) < 0.51 * step
        df[near] = np.nan
        if b.kind in ("pole", "jump", "undefined"):
            f[near] = np.nan
    for arr in (f, df):
        arr[np.abs(arr) > 1e6] = np.nan
    return GradientData(x, f, df, breaks, exact, _y_range(f), _y_range(df))

