"""Drag frames of the multivariate page's point sliders x₀ and y₀ (issue #19).

While x₀ (or y₀) is dragged, three charts follow the point: the 3D surface (the point, the cutting
plane, the slice curve through it, the tangent plane), the contour map (the point, −∇f and the
Hessian's eigenvectors) and the slices chart (the moving slice, its tangent and the point). This
computes, in Python, the traces of those charts at every value the slider can take with the other
coordinate fixed (``explorer.multivariate.sweep``: all positions at once), through the page's own
trace builders, and keeps only the traces that move, in the format of
``explorer.figures.frames`` (``slider_frames`` finds what moves by comparing whole figures, which
took about 1 s a slider here; the moving traces are known, so they are picked directly, and a test
checks the result against ``slider_frames``). The surface, the contour map, its field and the slice
along the dragged axis never travel.

One difference from the figure drawn on release, said here so nobody mistakes it for a bug: the 3D
box's z range is the grid's (``multivariate.zlim(grid)``: its robust range and 8 % either side),
which the figure drawn on release widens for a point whose f lies beyond it: frames must not
depend on the dragged slider's own value. Such a point is not drawn during the drag (it would lie
outside the box); on the presets there is none (tests/app/test_multivariate_frames.py).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from explorer import multivariate as mv
from explorer.figures import multivariate as mf
from explorer.figures.frames import DIGITS, _MISSING, _Numbers, _encode, _fill, _flatten, _same
from explorer.multivariate.sweep import sweep

CHARTS = ("surf3d", "fmap", "slices")
_PATHS = ("x", "y", "z", "name", "visible", "line.color")
_SLICE_AXES = {"xaxis": {}, "yaxis": {}, "xaxis2": {}, "yaxis2": {}}


def _stub(grid: mv.Grid) -> mv.Grid:
    """The grid cut to its four corners: all the trace builders read of it besides the surface."""
    return mv.Grid(grid.x[[0, -1]], grid.y[[0, -1]], np.zeros((2, 2)))


def _pack(values, rows: list[list[dict]], moving: list[int], ntraces: int,
          layouts: list[dict] | None = None) -> dict:
    """Frames in ``explorer.figures.frames``' format from each value's traces (``rows``): the
    traces ``moving``, their paths among ``_PATHS`` (``visible`` always, so a hidden stand-in comes
    back), numbers rounded and long arrays quantised as ``slider_frames`` does."""
    numbers = _Numbers()
    flat = [[_flatten(row[i]) for i in moving] for row in rows]
    # a trace's path moves if its value at some position differs from the first position's
    moves = [{p for p in _PATHS if any(not _same(fr[j].get(p, _MISSING), flat[0][j].get(p, _MISSING))
                                       for fr in flat[1:])} for j in range(len(moving))]
    hides = any("visible" in m for m in moves)
    paths = sorted(set().union(*moves))
    steps = [[{p: (_encode(t.get(p), numbers) if p != "visible" else t.get(p, True) is not False)
               for p in sorted(m | ({"visible"} if hides else set()))} for t, m in zip(fr, moves)] for fr in flat]
    out = {"values": [float(v) for v in values], "ntraces": ntraces, "traces": list(moving), "paths": paths,
           "steps": steps}
    if layouts is not None:
        out["layout"] = [{p: _encode(v, numbers) for p, v in lay.items()} for lay in layouts]
    return _fill(out, numbers.rounded(DIGITS))


def _surface(pts: list, axis: str, stub: mv.Grid, box, planes: bool, tangent: bool, values) -> dict:
    rows = [mf.surface_traces(stub, pa, sl, planes, tangent, box) for pa, sl in pts]
    n = len(rows[0])
    # fixed: the surface, and the plane and the slice curve along the dragged axis (y = y₀ while x₀ moves)
    still = {0}
    if planes:
        still.add(1 if axis == "x0" else 2)
    first_curve = 1 + 2 * planes
    still.add(first_curve if axis == "x0" else first_curve + 1)
    return _pack(values, rows, [i for i in range(n) if i not in still], n)


def _contour(pts: list, stub: mv.Grid, values) -> dict:
    # the map and the field (traces 0 and 1) never move: not even built
    rows = [[{}, {}] + mf.contour_traces(stub, None, pa, static=False) for pa, _ in pts]
    n = len(rows[0])
    return _pack(values, rows, list(range(2, n)), n)


def _slices(pts: list, axis: str, values) -> dict:
    rows, layouts = [], []
    moving_axis = "yaxis2" if axis == "x0" else "yaxis"
    for pa, sl in pts:
        data, lay = mf.slices_traces(sl, pa, {k: {} for k in _SLICE_AXES})
        rows.append(data)
        layouts.append({f"{moving_axis}.range": lay[moving_axis].get("range")})
    still = 0 if axis == "x0" else 3            # the curve along the dragged axis
    return _pack(values, rows, [i for i in range(len(rows[0])) if i != still], len(rows[0]), layouts)


def point_frames(text: str, derivs: mv.Derivatives, grid: mv.Grid, xr, yr, values: Sequence[float], *,
                 axis: str, other: float, planes: bool = True, tangent: bool = False,
                 charts: Sequence[str] = CHARTS) -> dict[str, dict]:
    """The frames of the slider ``axis`` ("x0" or "y0") taking ``values``, the other coordinate
    fixed at ``other``, for each chart of ``charts``: {"surf3d": ..., "fmap": ..., "slices": ...}.
    ``planes`` and ``tangent`` are the surface's toggles, as the page draws it."""
    s = sweep(text, derivs, xr, yr, axis, values, other)
    pts = [s.point(i) for i in range(len(s))]
    stub = _stub(grid)
    build = {"surf3d": lambda: _surface(pts, axis, stub, mf.zlim(grid), planes, tangent, values),
             "fmap": lambda: _contour(pts, stub, values),
             "slices": lambda: _slices(pts, axis, values)}
    with np.errstate(all="ignore"):      # (overflow to float32 is a gap, as in the figures drawn)
        return {c: build[c]() for c in charts}
