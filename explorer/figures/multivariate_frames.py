"""Drag frames of the multivariate page's point sliders x₀ and y₀ (issue #19).

While x₀ (or y₀) is dragged, three charts follow the point: the 3D surface (the point, the cutting
plane, the slice curve through it, the tangent plane), the contour map (the point, −∇f and the
Hessian's eigenvectors) and the slices chart (the moving slice, its tangent and the point). This
computes, in Python, what those traces draw at every value the slider can take with the other
coordinate fixed, for all positions at once (``explorer.multivariate.sweep``, then numpy arrays of
shape (positions, …) for each moving trace property, as ``explorer.figures.multivariate``'s trace
builders compute them), and writes them in the format of ``explorer.figures.frames``: numbers to
``DIGITS`` significant figures, arrays of ``LONG`` or more numbers as 16-bit steps (``q2``) or one
number and a length (``c``), byte for byte as ``frames.encode`` writes them. A property moves if
its value at some position differs from the first position's; ``visible`` travels for every moving
trace of a chart where some trace is hidden at some position (a hidden stand-in comes back). The
surface, the contour map, its field and the slice along the dragged axis never travel. Tests check
the result against the generic ``frames.slider_frames`` over the page's own figure builders
(tests/unit/test_frames_multivariate.py, tests/app/test_multivariate_frames.py).

One difference from the figure drawn on release, said here so nobody mistakes it for a bug: the 3D
box's z range is the grid's (``multivariate.zlim(grid)``: its robust range and 8 % either side),
which the figure drawn on release widens for a point whose f lies beyond it: frames must not
depend on the dragged slider's own value. Such a point is not drawn during the drag (it would lie
outside the box); on the presets there is none (tests/app/test_multivariate_frames.py).
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from explorer import multivariate as mv
from explorer.figures import multivariate as mf
from explorer.figures.frames import DIGITS, LONG, encode_rows
from explorer.multivariate.sweep import Sweep, sweep
from explorer.multivariate.views import arrows_xy
from explorer.numbers import round_sig

CHARTS = ("surf3d", "fmap", "slices")


def _f32(a) -> np.ndarray:
    """As the figures send it (float32), read back as float64 (what the frame encoder reads)."""
    return np.asarray(a, dtype=np.float32).astype(float)


class _Num:
    """One numeric trace property at every position: ``arr`` (positions, …); where ``alt_mask``
    holds, ``alt`` (positions, …) of another shape instead (a hidden stand-in: one point instead
    of a segment). NaN is a gap (None)."""

    __slots__ = ("arr", "alt", "alt_mask")

    def __init__(self, arr, alt=None, alt_mask=None) -> None:
        self.arr = np.asarray(arr, dtype=float)
        self.alt, self.alt_mask = alt, alt_mask
        if alt_mask is not None and not alt_mask.any():
            self.alt = self.alt_mask = None
        elif alt_mask is not None and alt_mask.all():
            self.arr, self.alt, self.alt_mask = np.asarray(alt, dtype=float), None, None

    def moves(self) -> bool:
        """Whether some position's value differs from the first position's (NaN equals NaN)."""
        variants = [(self.arr, None)] if self.alt_mask is None else [(self.arr, ~self.alt_mask),
                                                                      (np.asarray(self.alt, float), self.alt_mask)]
        first = self.arr[0] if self.alt_mask is None or not self.alt_mask[0] else variants[1][0][0]
        for arr, mask in variants:
            rows = arr if mask is None else arr[mask]
            if rows.shape[1:] != first.shape:
                return True
            if not ((rows == first) | (np.isnan(rows) & np.isnan(first))).all():
                return True
        return False


class _Repeat(_Num):
    """A long array that is one number repeated ``length`` times at each position (``values``, (n,)):
    a 3D slice curve's fixed coordinate. Travels as ``c`` (``frames._constant``)."""

    __slots__ = ("length",)

    def __init__(self, values, length: int) -> None:
        super().__init__(np.asarray(values, dtype=float)[:, None])
        self.length = length


class _Encoder:
    """Writes columns as ``frames.encode`` writes values: short arrays as lists of numbers rounded
    to ``DIGITS`` significant figures (all rounded by one ``round_sig`` call), long ones as ``c`` or
    ``q2`` (the same long array, met twice, is encoded once)."""

    def __init__(self, long_memo: dict | None = None) -> None:
        self.chunks: list[np.ndarray] = []
        self.size = 0
        self.pending: list = []         # (output list, positions, offset, shape)
        self.long_memo = {} if long_memo is None else long_memo     # shared by a slider's charts

    def _add(self, out: list, rows: np.ndarray, block: np.ndarray) -> None:
        self.chunks.append(block.ravel())
        self.pending.append((out, rows, self.size, block.shape))
        self.size += block.size

    def column(self, col: _Num | list, n: int) -> list:
        """The column's value at each position (numbers filled in by ``finish``)."""
        if not isinstance(col, _Num):
            return list(col)
        out: list = [None] * n
        if isinstance(col, _Repeat):
            v = col.arr[:, 0]
            fin = np.isfinite(v)
            for i in np.flatnonzero(~fin).tolist():
                out[i] = {"dtype": "c", "v": None, "n": col.length}
            keep = np.flatnonzero(fin)
            dicts = [{"dtype": "c", "v": None, "n": col.length} for _ in range(keep.size)]
            for i, d in zip(keep.tolist(), dicts):
                out[i] = d
            self._add(_Values(dicts), np.arange(keep.size), v[keep])
            return out
        if col.alt_mask is None:
            self._variant(out, np.arange(n), col.arr)
        else:
            keep = np.flatnonzero(~col.alt_mask)
            alt = np.flatnonzero(col.alt_mask)
            self._variant(out, keep, col.arr[keep])
            self._variant(out, alt, np.asarray(col.alt, float)[alt])
        return out

    def _variant(self, out: list, rows: np.ndarray, block: np.ndarray) -> None:
        if block.ndim == 2 and block.shape[1] >= LONG:
            self._long(out, rows, block)
        else:
            self._add(out, rows, block)

    def _long(self, out: list, rows: np.ndarray, block: np.ndarray) -> None:
        key = (block.shape, block.tobytes())
        hit = self.long_memo.get(key)
        if hit is not None:
            for i, v in zip(rows.tolist(), hit):
                out[i] = v
            return
        vals = encode_rows(block)
        self.long_memo[key] = vals
        for i, v in zip(rows.tolist(), vals):
            out[i] = v

    def finish(self) -> None:
        """Round every number collected and put the values in place."""
        flat: list = []
        if self.chunks:
            r = round_sig(np.concatenate(self.chunks), DIGITS)
            bad = ~np.isfinite(r)
            flat = np.where(bad, 0.0, r).tolist()
            for j in np.flatnonzero(bad).tolist():
                flat[j] = None
        for out, rows, start, shape in self.pending:
            size = math.prod(shape)
            part = flat[start:start + size]
            if len(shape) == 1:
                vals = part
            else:
                inner = math.prod(shape[1:])
                vals = [part[j:j + inner] for j in range(0, size, inner)]
                if len(shape) == 3:
                    w = shape[2]
                    vals = [[v[j:j + w] for j in range(0, inner, w)] for v in vals]
            for i, v in zip(rows.tolist(), vals):
                out[i] = v


class _Values:
    """The "v" of constant long arrays (``c``), set by ``_Encoder.finish`` as it sets a list item."""

    __slots__ = ("dicts",)

    def __init__(self, dicts: list[dict]) -> None:
        self.dicts = dicts

    def __setitem__(self, i: int, v) -> None:
        self.dicts[i]["v"] = v


def _chart(enc: _Encoder, values, n: int, ntraces: int, moving: list[tuple[int, dict]],
           layout: dict | None = None) -> dict:
    """A chart's frames from its moving traces: [(index, {path: column})], a column being a
    ``_Num``, a list of strings (one a position) or, for "visible", a boolean array."""
    moves = []
    for _, cols in moving:
        moves.append({p: c for p, c in cols.items()
                      if (c.moves() if isinstance(c, _Num) else
                          bool(np.any(c != c[0])) if isinstance(c, np.ndarray) else any(s != c[0] for s in c))})
    hides = any("visible" in m for m in moves)
    columns = []
    for (_, cols), m in zip(moving, moves):
        if hides:
            m["visible"] = cols.get("visible", np.ones(n, bool))
        keys = sorted(m)
        columns.append((keys, [enc.column(m[p].tolist() if isinstance(m[p], np.ndarray) else m[p], n)
                               for p in keys]))
    lay = None
    if layout:          # {path: (column, positions where the path is None)}
        lkeys = sorted(layout)
        lay = (lkeys, [enc.column(layout[p][0], n) for p in lkeys])
    enc.finish()
    if lay is not None:
        for p, col in zip(*lay):
            for i in np.flatnonzero(layout[p][1]).tolist():
                col[i] = None
    per_trace = [[dict(zip(keys, t)) for t in zip(*cols)] if keys else [{} for _ in range(n)]
                 for keys, cols in columns]
    out = {"values": [float(v) for v in values], "ntraces": ntraces, "traces": [i for i, _ in moving],
           "paths": sorted(set().union(*moves)), "steps": [list(row) for row in zip(*per_trace)]}
    if lay is not None:
        out["layout"] = [dict(zip(lay[0], t)) for t in zip(*lay[1])]
    return out


def _hidden(visible: np.ndarray) -> np.ndarray:
    return np.asarray(visible, bool)


def _window(grid: mv.Grid):
    return (float(grid.x[0]), float(grid.x[-1])), (float(grid.y[0]), float(grid.y[-1]))


def _surface(s: Sweep, axis: str, grid: mv.Grid, planes: bool, tangent: bool, values, memo: dict) -> dict:
    """``mf.surface_traces`` at every position: the moving plane, the moving slice curve, the
    tangent plane (or its hidden stand-in), the point."""
    n = len(s)
    zlo, zhi = mf.zlim(grid)
    xr, yr = _window(grid)
    x0, y0, f = s.x0, s.y0, s.f
    two = np.ones((1, 2, 2))
    moving = []
    first_curve = 1 + 2 * planes
    if planes:          # the cutting plane across the dragged axis: x = x₀ (trace 2) or y = y₀ (1)
        moving.append((2, {"x": _Num(x0[:, None, None] * two)}) if axis == "x0"
                      else (1, {"y": _Num(y0[:, None, None] * two)}))
    with np.errstate(invalid="ignore"):
        if axis == "x0":        # the slice x = x₀ (f along y) moves
            curve = {"x": _Repeat(_f32(x0), len(s.y)),
                     "z": _Num(_f32(np.where((s.fy_curve >= zlo) & (s.fy_curve <= zhi), s.fy_curve, np.nan)))}
            moving.append((first_curve + 1, curve))
        else:
            curve = {"y": _Repeat(_f32(y0), len(s.x)),
                     "z": _Num(_f32(np.where((s.fx_curve >= zlo) & (s.fx_curve <= zhi), s.fx_curve, np.nan)))}
            moving.append((first_curve, curve))
        inside = np.isfinite(f) & (zlo <= f) & (zhi >= f)
    index = first_curve + 2
    if tangent:
        ok = inside & np.isfinite(s.grad).all(axis=1)
        hx, hy = 0.22 * (xr[1] - xr[0]), 0.22 * (yr[1] - yr[0])
        g0, g1 = s.grad[:, 0], s.grad[:, 1]
        with np.errstate(all="ignore"):
            rise = np.abs(g0) * hx + np.abs(g1) * hy
            room = np.minimum(zhi - f, f - zlo)
            k = np.where(rise > 0, np.minimum(1.0, room / np.where(rise > 0, rise, 1.0)), 1.0)
            half_x, half_y = k * hx, k * hy
            xs = np.stack([x0 - half_x, x0 + half_x], axis=1)
            ys = np.stack([y0 - half_y, y0 + half_y], axis=1)
            # views.tangent_plane: z = f + fx (X − x₀) + fy (Y − y₀) on meshgrid(xs, ys)
            z = (f[:, None, None] + g0[:, None, None] * (xs[:, None, :] - x0[:, None, None])
                 + g1[:, None, None] * (ys[:, :, None] - y0[:, None, None]))
        hid = ~ok
        xs = np.where(hid[:, None], np.stack([x0, x0], axis=1), xs)
        ys = np.where(hid[:, None], np.stack([y0, y0], axis=1), ys)
        z = np.where(hid[:, None, None], zlo, z)
        moving.append((index, {"x": _Num(xs), "y": _Num(ys), "z": _Num(z),
                               "name": ["tangent plane" if v else "tangent plane (not drawn here)" for v in ok.tolist()],
                               "visible": _hidden(ok)}))
        index += 1
    moving.append((index, {"x": _Num(x0[:, None]), "y": _Num(y0[:, None]),
                           "z": _Num(np.where(inside, f, np.nan)[:, None])}))
    return _chart(_Encoder(memo), values, n, index + 1, moving)


def _contour(s: Sweep, grid: mv.Grid, values, memo: dict) -> dict:
    """``mf.contour_traces`` (no θ, eigenvectors on) at every position: the Hessian's eigenvectors,
    −∇f and the point (the map and the field, traces 0 and 1, never move)."""
    n = len(s)
    xr, yr = _window(grid)
    span = min(xr[1] - xr[0], yr[1] - yr[0])
    x0, y0 = s.x0, s.y0
    one = (x0[:, None], y0[:, None])          # a hidden stand-in: the point alone
    moving = []
    ok = np.isfinite(s.eigvecs).all(axis=(1, 2))
    L = 0.16 * span
    for k in range(2):
        vx, vy = s.eigvecs[:, 0, k], s.eigvecs[:, 1, k]
        with np.errstate(all="ignore"):
            nn = np.hypot(vx, vy)
            nn = np.where(nn == 0, 1.0, nn)
            ex = np.stack([x0 - L * vx / nn, x0 + L * vx / nn], axis=1)
            ey = np.stack([y0 - L * vy / nn, y0 + L * vy / nn], axis=1)
        lam = s.eigvals[:, k].tolist()
        moving.append((2 + k, {
            "x": _Num(ex, one[0], ~ok), "y": _Num(ey, one[1], ~ok),
            "line.color": [mf.EIG_NEG if good and lv < 0 else mf.EIG_POS for good, lv in zip(ok.tolist(), lam)],
            "name": [f"H eigenvector v{k + 1} (λ={lv:.3g})" if good else f"H eigenvector v{k + 1} (undefined here)"
                     for good, lv in zip(ok.tolist(), lam)],
            "visible": _hidden(ok)}))
    g0, g1 = s.grad[:, 0], s.grad[:, 1]
    with np.errstate(all="ignore"):
        gn = np.hypot(g0, g1)
        good = np.isfinite(s.grad).all(axis=1) & (gn > 0)
        L = 0.22 * span
        safe = np.where(good, gn, 1.0)
        ax, ay = arrows_xy(x0, y0, -g0 / safe * L, -g1 / safe * L)
    moving.append((4, {"x": _Num(ax.reshape(n, 6), one[0], ~good), "y": _Num(ay.reshape(n, 6), one[1], ~good),
                       "name": ["−∇f (steepest descent)" if v else "−∇f (none here: ∇f = 0 or undefined)"
                                for v in good.tolist()],
                       "visible": _hidden(good)}))
    moving.append((5, {"x": _Num(x0[:, None]), "y": _Num(y0[:, None])}))
    return _chart(_Encoder(memo), values, n, 6, moving)


def _slices(s: Sweep, axis: str, values, memo: dict) -> dict:
    """``mf.slices_traces`` at every position: both tangents and points, the slice across the
    dragged axis, and that panel's y range (the slice along the dragged axis never moves)."""
    n = len(s)
    tx, ty = s.tangent_ends()
    f = s.f[:, None]
    moving = []
    for col, (curve, tan, p0, slope) in enumerate([(s.fx_curve, tx, s.x0, s.grad[:, 0]),
                                                    (s.fy_curve, ty, s.y0, s.grad[:, 1])]):
        base = 3 * col
        if (axis == "x0") == (col == 1):       # the slice across the dragged axis moves
            moving.append((base, {"y": _Num(_f32(curve))}))
        moving.append((base + 1, {"y": _Num(_f32(tan)), "name": [f"tangent, slope {g:.3g}" for g in slope.tolist()]}))
        moving.append((base + 2, {"x": _Num(p0[:, None]), "y": _Num(f)}))
    # the moving panel's y range: the slice's finite extremes and 10 % either side
    curve = s.fy_curve if axis == "x0" else s.fx_curve
    fin = np.isfinite(curve)
    lo = np.where(fin, curve, np.inf).min(axis=1)
    hi = np.where(fin, curve, -np.inf).max(axis=1)
    with np.errstate(invalid="ignore"):
        pad = 0.1 * np.where(hi - lo == 0, 1.0, hi - lo)
        rng = np.stack([lo - pad, hi + pad], axis=1)
    some = fin.any(axis=1)
    path = f"{'yaxis2' if axis == 'x0' else 'yaxis'}.range"
    return _chart(_Encoder(memo), values, n, 6, moving, {path: (_Num(rng), ~some)})


def point_frames(text: str, derivs: mv.Derivatives, grid: mv.Grid, xr, yr, values: Sequence[float], *,
                 axis: str, other: float, planes: bool = True, tangent: bool = False,
                 charts: Sequence[str] = CHARTS) -> dict[str, dict]:
    """The frames of the slider ``axis`` ("x0" or "y0") taking ``values``, the other coordinate
    fixed at ``other``, for each chart of ``charts``: {"surf3d": ..., "fmap": ..., "slices": ...}.
    ``planes`` and ``tangent`` are the surface's toggles, as the page draws it."""
    s = sweep(text, derivs, xr, yr, axis, values, other)
    memo: dict = {}         # the slice curve in the 3D chart and in the slices chart: encoded once
    build = {"surf3d": lambda: _surface(s, axis, grid, planes, tangent, values, memo),
             "fmap": lambda: _contour(s, grid, values, memo),
             "slices": lambda: _slices(s, axis, values, memo)}
    with np.errstate(all="ignore"):      # (overflow to float32 is a gap, as in the figures drawn)
        return {c: build[c]() for c in charts}
