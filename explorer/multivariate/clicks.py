"""Points on the sliders' grid: a slider step for a window, a clicked point snapped to it, a
remembered value kept inside a new window, and the keyboard's alternative to a click: arrow buttons
moving a point one coarse step (WCAG 2.5.7). (``explorer.optimise`` and the Sandpit use these too.)"""
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


# the arrow buttons, in the order drawn: move -> (label, (dx, dy))
MOVES = {"left": ("← Left", (-1, 0)), "up": ("↑ Up", (0, 1)), "down": ("↓ Down", (0, -1)),
         "right": ("→ Right", (1, 0))}
PAD_PARTS = 20          # an arrow button moves about 1/20 of the window


def pad_step(lo: float, hi: float, step: float, parts: int = PAD_PARTS) -> float:
    """How far an arrow button moves along an axis of [lo, hi]: a 1, 2 or 5 × 10ᵏ about
    1/``parts`` of it, and at least one slider step."""
    return max(float(step), nice_step(hi - lo, parts))


def nudge(point, move: str, xr, yr, step_x: float, step_y: float | None = None,
          pad: tuple[float, float] | None = None) -> tuple[float, float]:
    """The point after pressing the arrow button ``move`` (a key of ``MOVES``): one pad step
    (``pad``, default ``pad_step`` of each axis) that way, snapped to the sliders' steps and
    kept inside the window (at an edge it stays)."""
    step_y = step_x if step_y is None else step_y
    kx, ky = pad or (pad_step(*xr, step_x), pad_step(*yr, step_y))
    dx, dy = MOVES[move][1]
    return snap(float(point[0]) + dx * kx, *xr, step_x), snap(float(point[1]) + dy * ky, *yr, step_y)


def pad_label(xr, yr, step_x: float, step_y: float | None = None, what: str = "the point") -> str:
    """The arrow buttons' label, saying how far a press moves."""
    from explorer.numbers import nice_text
    kx = pad_step(*xr, step_x)
    ky = pad_step(*yr, step_x if step_y is None else step_y)
    by = nice_text(kx) if kx == ky else f"{nice_text(kx)} in x, {nice_text(ky)} in y"
    return f"Move {what} by {by} (keyboard: Tab, then ←/→ and Enter)"
