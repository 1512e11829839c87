"""Drag frames of the regression page's slope m and intercept c sliders (issue #19): at every
position of one, the other fixed, only what moves: the line and its residual segments on the fit
chart, the hand-picked marker on the χ² landscape (the descent path that starts there is hidden
during the drag and drawn again on release); never the data, the landscape's contour or the
optimum. The same pieces as the figures (``explorer.figures.regression``)."""
from __future__ import annotations

from typing import Sequence

from explorer.figures.frames import spec_frames
from explorer.figures.regression import hand_marker, residual_segments, segments_y

__all__ = ["hand_frames", "landscape_frames", "SLIDERS"]

SLIDERS = ("m", "c")


def _points(slider: str, other: float, values: Sequence[float]):
    if slider not in SLIDERS:
        raise ValueError(f"slider must be one of {SLIDERS}, not {slider!r}")
    return [(float(v), float(other)) if slider == "m" else (float(other), float(v)) for v in values]


def hand_frames(x, y, s, slider: str, other: float, values: Sequence[float], best: bool = False) -> dict:
    """The fit chart's frames for ``slider`` ("m" or "c") at ``values``, the other parameter held
    at ``other``; ``best``: the least-squares line is drawn too (a fourth trace that never moves)."""
    xs, ys, line_x = residual_segments(x, y, s)
    rest = [{}] if best else []
    specs = [dict(data=[{}, {"y": segments_y(xs, ys, m, c)}, {"y": m * line_x + c}, *rest])
             for m, c in _points(slider, other, values)]
    return spec_frames(specs, values)


def landscape_frames(slider: str, other: float, values: Sequence[float], path_drawn: bool) -> dict:
    """The χ² landscape's frames: the marker at (m, c) (trace 2 with a descent path drawn, else 1,
    as ``landscape_figure`` draws them). The descent path drawn now starts at the released (m, c):
    during the drag it is hidden (``visible: False`` in every frame) rather than left at the old
    start, and the release draws the descent from the new one (a path in every frame would be
    ~90 KB more a slider at 60 steps, ~340 KB at 300)."""
    n = 4 if path_drawn else 3
    specs = [dict(data=[{}] * (n - 2) + [hand_marker(m, c), {}]) for m, c in _points(slider, other, values)]
    frames = spec_frames(specs, values)
    if path_drawn:
        frames["traces"] = [1, *frames["traces"]]
        frames["paths"] = sorted({*frames["paths"], "visible"})
        frames["steps"] = [[{"visible": False}, *step] for step in frames["steps"]]
    return frames
