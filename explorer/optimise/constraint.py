"""The constraint curve g = 0: its pieces as points in order along each (``contourpy`` finds them
on a grid; they are then spaced evenly and projected onto the curve to 1e-13), and the walk along
it with f, ∇f, ∇g and how parallel the two gradients are."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import sympy as sp
from contourpy import LineType, contour_generator

from explorer.optimise.compiled import X, Y, NonFinite, parse, scalar_bundle, vectorised

GRID = 121            # grid points a side for contourpy (the pieces are then projected onto g = 0)
SEED_ROWS = 81        # the rows a piece's start is read from (the lowest row it crosses, leftmost)
POINTS_PER_DIAGONAL = 400
CLOSEPOLY = 79        # contourpy's code for the last point of a closed line


@dataclass
class Component:
    points: np.ndarray      # (m, 2) ordered along the curve: ∇g points to the right of travel
    closed: bool


@functools.lru_cache(maxsize=32)
def _g_functions(g: str):
    ge = parse(g)
    return vectorised(ge), vectorised(sp.diff(ge, X)), vectorised(sp.diff(ge, Y))


def trace_all(g: str, window) -> tuple[Component, ...]:
    """The pieces of g = 0 in ``window`` = (x0, x1, y0, y1) (and 2 % beyond its edges), at most six,
    in the order a scan of the grid rows from the bottom meets them."""
    return _trace_all(g, tuple(float(v) for v in window))


@functools.lru_cache(maxsize=32)
def _trace_all(g: str, window: tuple[float, float, float, float], max_components: int = 6):
    gv, gx, gy = _g_functions(g)
    x0, x1, y0, y1 = window
    mx, my = 0.02 * (x1 - x0), 0.02 * (y1 - y0)
    xs, ys = np.linspace(x0 - mx, x1 + mx, GRID), np.linspace(y0 - my, y1 + my, GRID)
    G = gv(*np.meshgrid(xs, ys))
    if not np.isfinite(G).any():
        return ()
    lines, codes = contour_generator(xs, ys, G, line_type=LineType.SeparateCode).lines(0.0)
    ds = math.hypot(x1 - x0, y1 - y0) / POINTS_PER_DIAGONAL
    pieces = [_evenly(pts, ds, code[-1] == CLOSEPOLY) for pts, code in zip(lines, codes)]
    if not pieces:
        return ()
    # every piece projected in one vectorised call
    pts, ok = _project(gv, gx, gy, np.vstack(pieces))
    tx, ty = -gy(*pts.T), gx(*pts.T)              # the tangent: travel with ∇g on the right
    rows = np.linspace(y0, y1, SEED_ROWS)
    found = []
    for piece, code in zip(np.split(np.arange(len(pts)), np.cumsum([len(p) for p in pieces])[:-1]), codes):
        piece = piece[ok[piece]]
        if len(piece) < 3:
            continue
        ahead = np.diff(pts[piece], axis=0)
        if np.nansum(ahead[:, 0] * tx[piece[:-1]] + ahead[:, 1] * ty[piece[:-1]]) < 0:
            piece = piece[::-1]
        closed = bool(code[-1] == CLOSEPOLY)
        key, start = _first_crossing(pts[piece], rows)
        if closed and start is not None:
            piece = np.roll(piece, -start)
        found.append((key, Component(pts[piece], closed)))
    found.sort(key=lambda kc: kc[0])
    return tuple(c for _, c in found[:max_components])


def _evenly(pts: np.ndarray, ds: float, closed: bool) -> np.ndarray:
    """Points every ≈ ds along the polyline (a closed one without its repeated first point)."""
    seg = np.hypot(*np.diff(pts, axis=0).T)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    length = s[-1]
    if length == 0:
        return pts[:1]
    m = max(2, int(round(length / ds)))
    t = np.linspace(0.0, length, m + 1)
    if closed:
        t = t[:-1]
    return np.column_stack([np.interp(t, s, pts[:, 0]), np.interp(t, s, pts[:, 1])])


def _project(gv, gx, gy, pts: np.ndarray, iters: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Newton steps along ∇g onto g = 0, and which points it worked for."""
    x, y = pts[:, 0].copy(), pts[:, 1].copy()
    with np.errstate(all="ignore"):
        for _ in range(iters):
            v, a, b = gv(x, y), gx(x, y), gy(x, y)
            n2 = a * a + b * b
            x, y = x - v * a / n2, y - v * b / n2
            if np.nanmax(np.abs(v), initial=0.0) < 1e-13:
                break
    return np.column_stack([x, y]), np.isfinite(x) & np.isfinite(y)


def _first_crossing(pts: np.ndarray, rows: np.ndarray) -> tuple[tuple[float, float], int | None]:
    """(row, x) of the piece's crossing of the lowest grid row, leftmost, and the index of the
    point there: pieces are listed, and closed ones start, where a scan of the rows meets them."""
    lo, hi = np.minimum(pts[:-1, 1], pts[1:, 1]), np.maximum(pts[:-1, 1], pts[1:, 1])
    k = np.searchsorted(rows, lo)                 # the lowest row at or above each segment's foot
    crosses = k < len(rows)
    crosses[crosses] = rows[k[crosses]] <= hi[crosses]
    if crosses.any():
        lowest = k[crosses].min()
        at = np.flatnonzero(crosses & (k == lowest))
        i = at[np.argmin(pts[at, 0])]
        return (float(rows[lowest]), float(pts[i, 0])), int(i)
    return (math.inf, float(pts[0, 0])), None


@functools.lru_cache(maxsize=32)
def _walk_bundle(f: str, g: str):
    fe, ge = parse(f), parse(g)
    return scalar_bundle([fe, sp.diff(fe, X), sp.diff(fe, Y), sp.diff(ge, X), sp.diff(ge, Y)], [X, Y])


def _values(bundle, a: float, b: float) -> tuple[float, ...]:
    try:
        return bundle(float(a), float(b))
    except NonFinite:
        return (np.nan,) * 5


@dataclass
class ConstraintWalk:
    s: np.ndarray            # cumulative arclength (jumps between components are not counted)
    x: np.ndarray
    y: np.ndarray
    f: np.ndarray            # f along the curve
    grad_f: np.ndarray       # (m, 2)
    grad_g: np.ndarray       # (m, 2)
    parallel: np.ndarray     # |cos| of the angle between ∇f and ∇g (1 = parallel)
    component: np.ndarray    # which piece of the curve each point is on
    closed: list[bool]


def constraint_walk(f: str, g: str, window: tuple[float, float, float, float]) -> ConstraintWalk | None:
    """Points in order along g = 0 inside the window with f, ∇f, ∇g and how parallel they are."""
    comps = trace_all(g, window)
    if not comps:
        return None
    pts = np.vstack([c.points for c in comps])
    comp = np.concatenate([np.full(len(c.points), i) for i, c in enumerate(comps)])
    seg = np.hypot(*np.diff(pts, axis=0).T)
    seg[np.diff(comp) != 0] = 0.0
    s = np.concatenate([[0.0], np.cumsum(seg)])
    fb = _walk_bundle(f, g)
    vals = np.array([_values(fb, a, b) for a, b in pts])
    fv, gf, gg = vals[:, 0], vals[:, 1:3], vals[:, 3:5]
    with np.errstate(all="ignore"):
        cos = np.abs(np.sum(gf * gg, axis=1)) / (np.hypot(*gf.T) * np.hypot(*gg.T))
    return ConstraintWalk(s, pts[:, 0], pts[:, 1], fv, gf, gg, np.clip(cos, 0, 1), comp,
                          [c.closed for c in comps])
