"""Points on the sliders' grid: a slider step for a window, a clicked point snapped to it, and a
remembered value kept inside a new window. (``explorer.optimise`` uses ``point_from_click`` too.)"""
from __future__ import annotations

import math


def snap(value: float, lo: float, hi: float, step: float) -> float:
    """A clicked coordinate clamped to [lo, hi] and rounded to the slider's step."""
    v = min(max(float(value), lo), hi)
    k = round((v - lo) / step)
    return float(round(min(max(lo + k * step, lo), hi), 6))


def nice_step(span: float, parts: int = 120) -> float:
    """A slider step of 1, 2 or 5 × 10ᵏ giving about ``parts`` steps (at most) across ``span``."""
    raw = span / parts
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return float(m * mag)
    return float(10 * mag)


def keep_in_window(value: float | None, lo: float, hi: float, step: float) -> float | None:
    """A slider's remembered value: as it is inside [lo, hi] (or None), else snapped into it."""
    if value is None or lo <= value <= hi:
        return value
    return snap(value, lo, hi, step)


def point_from_click(xy, xr, yr, step_x: float, step_y: float | None = None):
    """Where a click on the map puts the point: (x, y) snapped to the sliders' steps and clamped
    to the window; None for no click (or a non-finite one)."""
    if xy is None:
        return None
    try:
        x, y = float(xy[0]), float(xy[1])
    except (TypeError, ValueError, IndexError):
        return None
    if not (math.isfinite(x) and math.isfinite(y)):
        return None
    return snap(x, *xr, step_x), snap(y, *yr, step_x if step_y is None else step_y)
