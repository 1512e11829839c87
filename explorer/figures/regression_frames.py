"""Drag frames of the regression page's slope m and intercept c sliders (issue #19): at every
position of one, the other fixed, only what moves: the line and its residual segments on the fit
chart, the hand-picked marker on the χ² landscape (the descent path that starts there is hidden
during the drag and drawn again on release); never the data, the landscape's contour or the
optimum. The same pieces as the figures (``explorer.figures.regression``).

Every position at once (a release recomputes the other slider's frames, a data change both): the
residuals and the line are one numpy array over all positions (positions × points), quantised row
by row in one pass, the marker one rounded vector; no figure per position and no diffing. The
result is the very frames ``spec_frames`` makes from the per-position pieces, number for number
(``tests/unit/test_frames_regression.py`` checks it against ``slider_frames`` over the page's own
figure builders): about 1 ms a set against 15-30 ms. The residuals are 8 bytes a segment a
position as 16-bit steps (66 KB a set at 30 points, 259 KB at the 150 drawn); as ``ax`` values
(``AFFINE``: the segments are a + v·b in the slider's value v, two arrays sent once a set) ~16-23 KB,
and exact."""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from explorer.figures.frames import DIGITS, LONG, encode_rows, spec_frames
from explorer.figures.frames import decode as fr_decode
from explorer.figures.regression import hand_marker, residual_segments, segments_y
from explorer.numbers import round_sig

__all__ = ["hand_frames", "landscape_frames", "SLIDERS"]

SLIDERS = ("m", "c")
# Residual segments as "ax" values (``hand_frames(affine=...)``; the chart code's ``axDecode``):
# ~16 KB a residual frame set instead of 66 (30 points) or 259 (150 drawn).
AFFINE = True


def _check(slider: str) -> None:
    if slider not in SLIDERS:
        raise ValueError(f"slider must be one of {SLIDERS}, not {slider!r}")


def _points(slider: str, other: float, values: Sequence[float]):
    _check(slider)
    return [(float(v), float(other)) if slider == "m" else (float(other), float(v)) for v in values]


def _rounded(a: np.ndarray) -> list:
    """Numbers as ``spec_frames`` writes short arrays: ``DIGITS`` significant figures, None for NaN."""
    return [[float(x) if math.isfinite(x) else None for x in row] for row in round_sig(a, DIGITS)]


def _moves(A: np.ndarray) -> bool:
    """Whether any row differs from the first (NaN equal to NaN), as ``spec_frames`` compares."""
    return not all(np.array_equal(row, A[0], equal_nan=True) for row in A[1:])


def hand_frames(x, y, s, slider: str, other: float, values: Sequence[float], best: bool = False,
                affine: bool | None = None) -> dict:
    """The fit chart's frames for ``slider`` ("m" or "c") at ``values``, the other parameter held
    at ``other``; ``best``: the least-squares line is drawn too (a fourth trace that never moves).
    Trace 1 the residual segments' y (``segments_y``), trace 2 the line's ends, for all positions
    in one array each.

    ``affine``: the residuals travel as ``{"dtype": "ax", "a": 0, "b": 1, "t": v}``, meaning
    shared[0] + v · shared[1] (``_affine``): ~40 bytes a position instead of 8 a residual. Only for
    a chart code that decodes it (as ``decode_affine`` does); None: ``AFFINE``."""
    _check(slider)
    affine = AFFINE if affine is None else affine
    xs, ys, line_x = residual_segments(x, y, s)
    if 3 * len(xs) < LONG or len(values) < 2:     # short residuals travel as numbers: the general path
        rest = [{}] if best else []
        specs = [dict(data=[{}, {"y": segments_y(xs, ys, m, c)}, {"y": m * line_x + c}, *rest])
                 for m, c in _points(slider, other, values)]
        return spec_frames(specs, values)
    v = np.array([float(u) for u in values])[:, None]
    o = float(other)
    m, c = (v, o) if slider == "m" else (o, v)
    seg = np.empty((len(values), len(xs), 3))
    seg[:, :, 0] = ys
    seg[:, :, 1] = m * xs + c                   # the same products and sums as segments_y, per position
    seg[:, :, 2] = np.nan
    seg = seg.reshape(len(values), -1)
    line = m * line_x + c
    moving = [(i, A) for i, A in ((1, seg), (2, line)) if _moves(A)]
    cols = [(_affine(values) if affine else encode_rows(A, constant=False)) if i == 1 else _rounded(A)
            for i, A in moving]
    out = {"values": [float(u) for u in values], "ntraces": 4 if best else 3, "traces": [i for i, _ in moving],
           "paths": ["y"] if moving else [], "steps": [[{"y": col[k]} for col in cols] for k in range(len(values))]}
    if affine and moving and moving[0][0] == 1:
        out["shared"] = _affine_arrays(slider, xs, ys, o)
    return out


def _affine_arrays(slider: str, xs, ys, other: float) -> list[list]:
    """[a, b] with segments_y(m, c) = a + t·b exactly (t the slider's value): for m, a = (yᵢ, c, gap)
    and b = (0, xᵢ, 0), a + m·b = c + m xᵢ; for c, a = (yᵢ, m xᵢ, gap) and b = (0, 1, 0). The same
    float sums as ``segments_y`` (a + 0·t is a), so decoded they are the figure's numbers, not 16-bit
    steps. Full precision: they travel once a set."""
    n = len(xs)
    a, b = np.empty((n, 3)), np.zeros((n, 3))
    a[:, 0], a[:, 2] = ys, np.nan
    if slider == "m":
        a[:, 1], b[:, 1] = other, xs
    else:
        a[:, 1], b[:, 1] = other * xs, 1.0
    return [[float(v) if math.isfinite(v) else None for v in arr.ravel()] for arr in (a, b)]


def _affine(values: Sequence[float]) -> list[dict]:
    return [{"dtype": "ax", "a": 0, "b": 1, "t": float(u)} for u in values]


def decode_affine(frames: dict) -> dict:
    """Frames with ``ax`` values as plain frames: what the chart code would decode (``shared[a] +
    t · shared[b]``, None where either is None), then ``frames.decode``."""
    shared = frames.get("shared", [])

    def dec(v):
        if isinstance(v, dict) and v.get("dtype") == "ax":
            a, b = shared[v["a"]], shared[v["b"]]
            return [None if p is None or q is None else p + v["t"] * q for p, q in zip(a, b)]
        if isinstance(v, dict):
            return {k: dec(x) for k, x in v.items() if k != "shared"}
        if isinstance(v, list):
            return [dec(x) for x in v]
        return v
    return fr_decode(dec(frames))


def landscape_frames(slider: str, other: float, values: Sequence[float], path_drawn: bool) -> dict:
    """The χ² landscape's frames: the marker at (m, c) (trace 2 with a descent path drawn, else 1,
    as ``landscape_figure`` draws them; only its x moves with m, its y with c). The descent path
    drawn now starts at the released (m, c): during the drag it is hidden (``visible: False`` in
    every frame) rather than left at the old start, and the release draws the descent from the new
    one (a path in every frame would be ~90 KB more a slider at 60 steps, ~340 KB at 300)."""
    _check(slider)
    n = 4 if path_drawn else 3
    vals = [float(u) for u in values]
    moves = len(set(vals)) > 1
    path = "x" if slider == "m" else "y"
    steps = [[{path: [u]}] if moves else [] for u in _rounded(np.array(vals)[None, :])[0]]
    frames = {"values": vals, "ntraces": n, "traces": [n - 2] if moves else [], "paths": [path] if moves else [],
              "steps": steps}
    if path_drawn:
        frames["traces"] = [1, *frames["traces"]]
        frames["paths"] = sorted({*frames["paths"], "visible"})
        frames["steps"] = [[{"visible": False}, *step] for step in frames["steps"]]
    return frames


def landscape_frames_by_figure(slider: str, other: float, values: Sequence[float], path_drawn: bool) -> dict:
    """``landscape_frames`` the general way (a marker spec per position, diffed by ``spec_frames``):
    the reference the fast one is tested against."""
    n = 4 if path_drawn else 3
    specs = [dict(data=[{}] * (n - 2) + [hand_marker(m, c), {}]) for m, c in _points(slider, other, values)]
    frames = spec_frames(specs, values)
    if path_drawn:
        frames["traces"] = [1, *frames["traces"]]
        frames["paths"] = sorted({*frames["paths"], "visible"})
        frames["steps"] = [[{"visible": False}, *step] for step in frames["steps"]]
    return frames
