"""Drag frames of the Taylor page's 1D chart (issue #19): Tₙ, the ε band, the radius and the axes
at every position of the ``expansion point a`` and ``order n`` sliders, the other controls fixed.

Only what moves travels: each frame is ``panels_1d`` (the traces and layout entries the sliders
move) at one slider value, and ``explorer.figures.frames.slider_frames`` keeps what differs. f is
never in the frames: for n it does not move; for a (which carries the window a ± w along) the
chart draws f once over every window a can reach (``f_line``), so only the axis ranges move.

The frames of a need Tₖ at 61 expansion points: their coefficients f⁽ᵏ⁾(a)/k! come from one
``derivative_grid`` call over all of them (the float jet), not 61 expansions. The error panel's
curves (|f − Tₙ| and Lagrange's bound, on a log axis) are hidden during a drag (``HIDDEN``); its
ε band, axis range and the ε line move. The release rerun then draws the page's exact figure.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from explorer.expressions import ExpressionError, compile_expression
from explorer.figures.frames import slider_frames
from explorer.figures.taylor import panels_1d
from explorer.taylor import Curves, Radius, derivative_grid, evaluate_polynomial
from explorer.taylor import radius_of_convergence as _radius
from explorer.taylor.presets import PRESETS_1D

NPTS = 121          # points of a window (the page's curves_1d(..., npts=121))
HIDDEN = (2, 3)     # |f − Tₙ| and the bound (log axis): hidden during a drag, drawn again on release


def window_grid(a: float, w: float, npts: int = NPTS) -> np.ndarray:
    """The page's window at a: a − w .. a + w (rounded as the page rounds them), ``npts`` points."""
    return np.linspace(round(a - w, 4), round(a + w, 4), npts)


def f_line(text: str, w: float, a_lo: float, a_hi: float, npts: int = NPTS) -> tuple[np.ndarray, np.ndarray]:
    """f over every window a ∈ [a_lo, a_hi] can show, [a_lo − w, a_hi + w], as densely as a window."""
    lo, hi = round(a_lo - w, 4), round(a_hi + w, 4)
    m = int(math.ceil((hi - lo) / (2 * w) * (npts - 1))) + 1
    x = np.linspace(lo, hi, m)
    return x, _f(text, x)


def _f(text: str, x: np.ndarray) -> np.ndarray:
    try:
        with np.errstate(all="ignore"):
            y = np.asarray(compile_expression(text, ("x",))(x), dtype=float)
    except (ExpressionError, TypeError, ValueError):
        return np.full(x.shape, np.nan)
    return np.broadcast_to(y, x.shape).copy()


def _hide_error_traces(frames: dict) -> dict:
    """The error panel's curves span many decades on a log axis, which the frames' linear 16-bit
    arrays cannot carry: hide them during the drag (the release draws them) rather than draw them wrong."""
    if frames.get("ntraces", 0) <= max(HIDDEN):
        return frames
    old = frames["traces"]
    keep = [i for i in old if i not in HIDDEN]
    idx = sorted(set(keep) | set(HIDDEN))
    steps = []
    for row in frames["steps"]:
        by = dict(zip(old, row))
        steps.append([{"visible": False} if i in HIDDEN else by[i] for i in idx])
    paths = set(frames["paths"]) | {"visible"}
    paths = {p for p in paths if any(p in d for row in steps for d in row)}
    return {**frames, "traces": idx, "paths": sorted(paths), "steps": steps}


def _lean(data: list[dict]) -> list[dict]:
    """The traces a frame needs: f (never moves in a frame) and the hidden error curves as stubs,
    so that comparing 61 figures does not walk their long arrays."""
    return [{} if i == 0 or i in HIDDEN else t for i, t in enumerate(data)]


def n_frames(text: str, a: float, eps: float, w: float, radius: Radius | None, nplay: int,
             values: Sequence[int], line: tuple | None = None) -> dict:
    """Frames of the order slider (a, ε and w fixed): Tₖ for every k in ``values`` on the window
    about a, its coefficients from the float jet at a. The chart offers the orders 0..max(nplay, k)
    at order k; ``radius`` is the page's radius at order ``nplay``: past it, an estimated radius
    (which depends on the order) waits for the release, a known one stays."""
    c = a_curves(text, max(values), w, [a])[0]

    def build(k: float) -> dict:
        k = int(round(k))
        order = max(nplay, k)
        r = radius if (k <= nplay or (radius is not None and radius.known)) else None
        if c is None:
            return {"data": [{}] * 4, "layout": {}}
        data, layout = panels_1d(c, a, k, eps, r, order=order, f_line=line)
        return {"data": _lean(data), "layout": layout}
    return _hide_error_traces(slider_frames(build, values))


def a_curves(text: str, order: int, w: float, values: Sequence[float]) -> list[Curves | None]:
    """For each expansion point a in ``values``: the window a ± w, f, every Tₖ (k ≤ order) and
    |f − Tₖ| (no Lagrange bound: the frames do not draw it). None where f has no Taylor polynomial
    at a (a derivative up to ``order`` is not finite there)."""
    A = np.asarray(values, dtype=float)
    X = np.array([window_grid(a, w) for a in A])
    F = _f(text, X)
    D = derivative_grid(text, A, order)                  # D[k, i] = f⁽ᵏ⁾(A[i])/k!
    T = np.array([evaluate_polynomial([D[j][:, None] for j in range(k + 1)], A[:, None], X)
                  for k in range(order + 1)])            # T[k, i, :]
    with np.errstate(all="ignore"):
        E = np.abs(F[None] - T)
    out = []
    for i in range(len(A)):
        if not np.isfinite(D[:, i]).all():
            out.append(None)
            continue
        bound = np.full((order + 1, X.shape[1]), np.nan)
        e = E[:, i]
        max_err = np.array([np.nanmax(r) if np.isfinite(r).any() else np.nan for r in e])
        out.append(Curves(X[i], F[i], T[:, i], e, bound, max_err))
    return out


def preset_radius(text: str, a: float) -> Radius | None:
    """The radius for a function the page offers (known in words: no symbolic work), else None."""
    return _radius(text, a) if text in PRESETS_1D.values() else None


def a_frames(text: str, n: int, eps: float, w: float, nplay: int, values: Sequence[float],
             line: tuple) -> dict:
    """Frames of the expansion-point slider (n, ε and the window's half-width w fixed): Tₙ, its
    error, the bound, ε and the shapes on the window about each a; f stays (``line`` covers every
    window). The radius of convergence moves with a for the functions the page offers; for a
    typed function (whose radius takes symbolic work) its lines wait for the release."""
    order = max(nplay, n)
    cs = a_curves(text, order, w, values)

    def build(i: float) -> dict:
        i = int(round(i))
        a = float(values[i])
        c = cs[i]
        if c is None:        # no polynomial here: the window and f's range, the moving traces hidden
            x = window_grid(a, w)
            nan = np.full((order + 1, x.size), np.nan)
            data, layout = panels_1d(Curves(x, _f(text, x), nan, nan, nan, nan[:, 0]), a, n, eps, None,
                                     order=order, f_line=line)
            return {"data": _lean(data)[:4], "layout": layout}     # four traces: slider_frames hides them
        data, layout = panels_1d(c, a, n, eps, preset_radius(text, a), order=order, f_line=line)
        return {"data": _lean(data), "layout": layout}
    frames = _hide_error_traces(slider_frames(build, range(len(values))))
    frames["values"] = [float(v) for v in values]
    return frames
