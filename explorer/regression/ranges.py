"""Ranges for sliders and contour windows, kept out of the page: no maths there."""
from __future__ import annotations

import math
from typing import Sequence

from explorer.numbers import round_sig
from explorer.regression.fitting import ModelFit
from explorer.regression.line import LineFit


def _nice(v: float, digits: int = 3) -> float:
    return float(round_sig([v], digits)[0])


def line_ranges(fit: LineFit) -> dict:
    """Slider ranges for m and c around the optimum, and a hand-picked default off the optimum."""
    xm = fit.stats["xm"]
    half_m = max(3 * (fit.sm if math.isfinite(fit.sm) else 0), 0.8 * abs(fit.m), 1e-3)
    m_lo, m_hi = _nice(fit.m - half_m), _nice(fit.m + half_m)
    half_c = max(3 * (fit.sc if math.isfinite(fit.sc) else 0), 0.8 * abs(fit.c), half_m * max(abs(xm), 1.0), 1e-3)
    c_lo, c_hi = _nice(fit.c - half_c), _nice(fit.c + half_c)
    return dict(m=(m_lo, m_hi, _nice((m_hi - m_lo) / 200, 2), _nice(fit.m - 0.55 * half_m)),
                c=(c_lo, c_hi, _nice((c_hi - c_lo) / 200, 2), _nice(fit.c + 0.55 * half_c)))


def param_window(best: float, se: float, others: Sequence[float] = ()) -> tuple[float, float]:
    """A contour window for one parameter: around the best value, wide enough for the others
    (the descent path and its start)."""
    vals = [best] + [v for v in others if math.isfinite(v)]
    lo, hi = min(vals), max(vals)
    width = max(hi - lo, 6 * se if math.isfinite(se) else 0, 0.2 * abs(best), 1e-3)
    pad = 0.15 * width
    if hi - lo < width:
        mid = (hi + lo) / 2
        lo, hi = mid - width / 2, mid + width / 2
    return float(lo - pad), float(hi + pad)



def contour_windows(fit: ModelFit, path, px: str, py: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """The χ² contour's windows over parameters ``px`` and ``py``: around the fit's best values,
    wide enough for a descent ``path`` ((steps + 1, p) array, columns in ``fit.names`` order) from
    its start to its end."""
    i, j = fit.names.index(px), fit.names.index(py)
    return (param_window(fit.params[px], fit.stderr[px], [path[0, i], path[-1, i]]),
            param_window(fit.params[py], fit.stderr[py], [path[0, j], path[-1, j]]))
