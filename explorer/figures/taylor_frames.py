"""Drag frames of the Taylor page's 1D chart (issue #19): Tₙ, the ε band, the radius and the axes
at every position of the ``expansion point a`` and ``order n`` sliders, the other controls fixed.

Only what moves travels. f is never in the frames: for n it does not move; for a (which carries the
window a ± w along) the chart draws f once over every window a can reach (``f_line``), so only the
axis ranges move. The error panel's curves (|f − Tₙ| and Lagrange's bound, on a log axis) are
hidden during a drag (``HIDDEN``); its ε band, axis range and the ε line move. The release rerun
then draws the page's exact figure.

``a_frames`` and ``n_frames`` build the frames straight from one ``Window`` (``prepare``): every Tₖ
(k ≤ 30) on the window about every a (``explorer.taylor.sweep``: one float jet over the 61 points,
numpy over all windows), with the y range of each window. It depends on f and the window's
half-width only, so a release of a, n or ε slices it (a few ms) instead of building 61 or 31
figures and diffing them. ``a_frames_slow`` / ``n_frames_slow`` are that reference path
(``panels_1d`` per value through ``slider_frames``), used where the fast one does not apply (an a
off the slider's grid; most windows without a polynomial) and by the tests.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from explorer.figures.frames import DIGITS, encode_rows, slider_frames
from explorer.figures.taylor import BAND_COLOUR, _title, panels_1d
from explorer.taylor import Curves, Radius, derivative_grid, evaluate_polynomial
from explorer.taylor import radius_of_convergence as _radius
from explorer.numbers import round_sig, subscript
from explorer.taylor.presets import PRESETS_1D
from explorer.taylor.sweep import Sweep, eps_runs, f_values, jet, sweep

NPTS = 121          # points of a window (the page's curves_1d(..., npts=121))
NMAX = 30           # the highest order a frame draws (the order slider's end)
HIDDEN = (2, 3)     # |f − Tₙ| and the bound (log axis): hidden during a drag, drawn again on release


def window_grid(a: float, w: float, npts: int = NPTS) -> np.ndarray:
    """The page's window at a: a − w .. a + w (rounded as the page rounds them), ``npts`` points."""
    return np.linspace(round(a - w, 4), round(a + w, 4), npts)


def f_line(text: str, w: float, a_lo: float, a_hi: float, npts: int = NPTS) -> tuple[np.ndarray, np.ndarray]:
    """f over every window a ∈ [a_lo, a_hi] can show, [a_lo − w, a_hi + w], as densely as a window."""
    lo, hi = round(a_lo - w, 4), round(a_hi + w, 4)
    m = int(math.ceil((hi - lo) / (2 * w) * (npts - 1))) + 1
    x = np.linspace(lo, hi, m)
    return x, f_values(text, x)



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


def n_frames_slow(text: str, a: float, eps: float, w: float, radius: Radius | None, nplay: int,
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
    F = f_values(text, X)
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


def a_frames_slow(text: str, n: int, eps: float, w: float, nplay: int, values: Sequence[float],
                  line: tuple | None = None) -> dict:
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
            data, layout = panels_1d(Curves(x, f_values(text, x), nan, nan, nan, nan[:, 0]), a, n, eps, None,
                                     order=order, f_line=line)
            return {"data": _lean(data)[:4], "layout": layout}     # four traces: slider_frames hides them
        data, layout = panels_1d(c, a, n, eps, preset_radius(text, a), order=order, f_line=line)
        return {"data": _lean(data), "layout": layout}
    frames = _hide_error_traces(slider_frames(build, range(len(values))))
    frames["values"] = [float(v) for v in values]
    return frames


# ---- the fast path: every frame set of a state from one sweep ---------------------------------
@dataclass(frozen=True)
class Window:
    """What the frames of one (f, w) need: the sweep over the a slider's positions, each window's
    y range (``_y_range`` of f there), each a's radius, the windows' points rounded (band ends)."""
    s: Sweep
    ylo: np.ndarray
    yhi: np.ndarray
    radii: tuple
    xr: np.ndarray


def radii(text: str, values: Sequence[float]) -> tuple:
    """``preset_radius`` at every a (None for a typed function: its radius waits for the release)."""
    return tuple(preset_radius(text, float(a)) for a in values) if text in PRESETS_1D.values() \
        else (None,) * len(values)


def prepare(text: str, w: float, values: Sequence[float], D: np.ndarray | None = None,
            rad: tuple | None = None) -> Window:
    """The ``Window`` of f and w over the a slider's ``values``; ``D`` = ``jet(text, values, NMAX)``
    and ``rad`` = ``radii(text, values)`` when the caller keeps them (they do not depend on w)."""
    D = jet(text, values, NMAX) if D is None else D
    s = sweep(text, values, w, D, NPTS)
    lo, hi = _y_ranges(s.f)
    return Window(s, lo, hi, radii(text, values) if rad is None else rad, round_sig(s.x, DIGITS))


def _y_ranges(F: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``explorer.figures.taylor._y_range`` of every row at once: the 2nd to 98th percentile of the
    finite values (their whole range if it spans < 50), padded by 15 %; (−1, 1) without any."""
    fin = np.isfinite(F)
    cnt = fin.sum(axis=1)
    srt = np.sort(np.where(fin, F, np.inf), axis=1)          # the finite values first, ascending
    rows = np.arange(len(F))
    last = np.maximum(cnt - 1, 0)
    fmin, fmax = srt[:, 0], srt[rows, last]

    def pct(q):                       # numpy's "linear" percentile, with its own lerp
        v = last * (q / 100.0)
        i = np.floor(v).astype(int)
        j = np.minimum(i + 1, last)
        g = v - i
        a, b = srt[rows, i], srt[rows, j]
        d = b - a
        return np.where(g >= 0.5, b - d * (1 - g), a + d * g)
    with np.errstate(all="ignore"):
        lo, hi = pct(2.0), pct(98.0)
        small = (fmax - fmin) < 50
        lo, hi = np.where(small, np.minimum(lo, fmin), lo), np.where(small, np.maximum(hi, fmax), hi)
        flat = hi - lo < 1e-9
        lo, hi = np.where(flat, lo - 1, lo), np.where(flat, hi + 1, hi)
        pad = 0.15 * (hi - lo)
        lo, hi = lo - pad, hi + pad
    none = cnt == 0
    return np.where(none, -1.0, lo), np.where(none, 1.0, hi)


def _clipped(y: np.ndarray, lo, hi) -> np.ndarray:
    """``panels_1d``'s clip of Tₙ, rows at once: NaN more than two axis spans off the y axis."""
    lo, hi = np.reshape(lo, (-1, 1)), np.reshape(hi, (-1, 1))
    span = hi - lo
    with np.errstate(invalid="ignore"):
        out = (y < lo - 2 * span) | (y > hi + 2 * span)
    return np.where(out, np.nan, y)


# ``panels_1d``'s shapes (``explorer.figures.taylor._shapes``), all but their x as shared templates
_BAND = dict(type="rect", xref="x", yref="y domain", y0=0, y1=1, fillcolor=BAND_COLOUR, line=dict(width=0),
             layer="below")
_A_LINE = dict(type="line", xref="x", yref="y domain", y0=0, y1=1, line=dict(color="black", width=1, dash="dot"))
_R_LINES = {dash: [dict(type="line", xref="x", yref=yref, y0=0, y1=1, line=dict(color="#9467bd", width=2, dash=dash))
                   for yref in ("y domain", "y2 domain")] for dash in ("dash", "dot")}


def _edges(a: float, radius: Radius | None, window: tuple) -> tuple[list[float], str]:
    """The radius of convergence's ends inside the window, and their dash."""
    if radius is None or not math.isfinite(radius.radius) or radius.radius <= 0:
        return [], "dash"
    return ([e for e in (a - radius.radius, a + radius.radius) if window[0] <= e <= window[1]],
            "dash" if radius.known else "dot")


def _shape_list(bands, a_r: float, edges_r: list[float], dash: str) -> list[dict]:
    """The ε band, the line at a and the radius (numbers already rounded), as ``_shapes`` draws them."""
    shapes = [{**_BAND, "x0": lo, "x1": hi} for lo, hi in bands]
    shapes.append({**_A_LINE, "x0": a_r, "x1": a_r})
    for e in edges_r:
        shapes += [{**t, "x0": e, "x1": e} for t in _R_LINES[dash]]
    return shapes


def _rounded(*cols) -> list:
    """Numbers rounded as ``encode`` rounds them, in one call: of one column a list of numbers, of
    several a list of rows (row i = [col[i] for each column])."""
    if len(cols) == 1:
        return round_sig(np.asarray(cols[0], dtype=float), DIGITS).tolist() if len(cols[0]) else []
    return round_sig(np.column_stack(cols), DIGITS).tolist()


def _flat(d: dict, prefix: str, out: dict) -> None:      # {"line": {"width": 0}} -> "line.width"
    for k, v in d.items():
        if isinstance(v, dict):
            _flat(v, f"{prefix}{k}.", out)
        else:
            out[prefix + k] = v


def _assemble(values, steps: list[list[dict]], traces: list[int], layouts: list[dict]) -> dict:
    """The frames dict of ``explorer.figures.frames`` (what ``slider_frames`` gives) from rows
    already encoded: a trace property or layout path the same in every frame is left out (the chart
    keeps the drawn figure's); the shapes item by item when every frame has as many, else whole."""
    for t in range(len(traces)):
        rows = [row[t] for row in steps if row[t].get("visible", True) is not False]
        for p in [p for p in (rows[0] if rows else {}) if p != "visible"]:
            v0 = rows[0][p]
            if all(r.get(p) == v0 for r in rows[1:]):
                for r in rows:
                    r.pop(p, None)
    cols = {k: [lay[k] for lay in layouts] for k in layouts[0] if k != "shapes"}
    shapes = cols.pop("shapes", None) or [lay["shapes"] for lay in layouts]
    if len({len(sh) for sh in shapes}) == 1:       # item by item; a shape alike everywhere stays
        for i in range(len(shapes[0])):
            col = [sh[i] for sh in shapes]
            if any(c != col[0] for c in col[1:]):
                flat = []
                for c in col:
                    _flat(c, f"shapes[{i}].", d := {})
                    flat.append(d)
                cols.update({p: [d.get(p) for d in flat] for p in dict.fromkeys(k for d in flat for k in d)})
    else:
        cols["shapes"] = shapes
    moving = sorted(p for p, col in cols.items() if any(v != col[0] for v in col[1:]))
    out = {"values": [float(v) for v in values], "ntraces": 5, "traces": traces,
           "paths": sorted({p for row in steps for d in row for p in d}), "steps": steps}
    if moving:
        out["layout"] = [{p: cols[p][r] for p in moving} for r in range(len(layouts))]
    return out


def _uses_fast_path(good: np.ndarray) -> bool:
    odd = int(np.count_nonzero(~good))   # slider_frames' usual trace count: 5 (Tₙ drawn) must win
    return 5 * (len(good) - odd) >= 4 * odd and odd < len(good)


def a_frames(text: str, n: int, eps: float, w: float, nplay: int, values: Sequence[float],
             line: tuple | None = None, *, win: Window | None = None) -> dict:
    """Frames of the expansion-point slider (n, ε and the window's half-width w fixed): Tₙ, the ε
    band, the line at a, the radius and the axes on the window about each a; the error curves
    hidden; f stays (``line``, which the chart draws over every window). The radius moves with a for
    the functions the page offers; for a typed function (symbolic work) its lines wait for the
    release. ``win``: the page's ``prepare(text, w, values)``."""
    order = max(nplay, n)
    win = prepare(text, w, values) if win is None and order <= NMAX else win
    if order > NMAX or len(win.s.a) != len(values) or not _uses_fast_path(win.s.ok[order]):
        return a_frames_slow(text, n, eps, w, nplay, values, line)
    s, good = win.s, win.s.ok[order]
    T = encode_rows(_clipped(s.T[n], win.ylo, win.yhi))
    bands = eps_runs(win.xr, np.where(good[:, None], s.err(n), np.nan), eps)
    with np.errstate(divide="ignore"):
        top = np.log10(np.maximum(10.0, np.where(good, s.top[order], -np.inf))) + 0.5
    lo, hi = s.x[:, 0], s.x[:, -1]
    nums = _rounded(np.round(lo, 4), np.round(hi, 4), lo, hi, (hi - lo) / (s.x.shape[1] - 1),
                    win.ylo, win.yhi, top, s.a)
    ends = [_edges(a, win.radii[i] if good[i] else None, window)
            for i, (a, window) in enumerate(zip(s.a.tolist(), zip(lo.tolist(), hi.tolist())))]
    edges = iter(_rounded([e for es, _ in ends for e in es]))
    odd = not good.all()
    steps, layouts = [], []
    for i, (x0, x1, wlo, whi, dx, ylo, yhi, y2, a_r) in enumerate(nums):
        layouts.append({"xaxis.range": [wlo, whi], "xaxis2.range": [wlo, whi], "yaxis.range": [ylo, yhi],
                        "yaxis2.range": [-16, y2],
                        "shapes": _shape_list(bands[i], a_r, [next(edges) for _ in ends[i][0]], ends[i][1])})
        if not good[i]:
            steps.append([{"visible": False} for _ in range(4)])
            continue
        t1, t4 = {"x0": x0, "dx": dx, "y": T[i]}, {"x": [x0, x1]}
        if odd:
            t1["visible"] = t4["visible"] = True
        steps.append([t1, {"visible": False}, {"visible": False}, t4])
    return _assemble(values, steps, [1, 2, 3, 4], layouts)


def n_frames(text: str, a: float, eps: float, w: float, radius: Radius | None, nplay: int,
             values: Sequence[int], line: tuple | None = None, *, win: Window | None = None,
             a_values: Sequence[float] | None = None) -> dict:
    """Frames of the order slider (a, ε and w fixed): Tₖ for every k in ``values`` on the window
    about a. The chart offers the orders 0..max(nplay, k) at order k; ``radius`` is the page's
    radius at order ``nplay``: past it, an estimated radius (which depends on the order) waits for
    the release, a known one stays. ``win``: the page's ``prepare(text, w, a_values)``; an a not
    among its points (or without a polynomial of the highest order) takes the reference path."""
    ks = [int(round(k)) for k in values]
    pts = [float(a)] if win is None and a_values is None else (a_values if win is None else win.s.a.tolist())
    hit = [i for i, v in enumerate(pts) if abs(v - a) <= 1e-9]
    if not hit or max(ks) > NMAX or min(ks) < 0:
        return n_frames_slow(text, a, eps, w, radius, nplay, values, line)
    win = prepare(text, w, pts) if win is None else win
    j, s = hit[0], win.s
    if not s.ok[max(ks), j]:
        return n_frames_slow(text, a, eps, w, radius, nplay, values, line)
    T = encode_rows(_clipped(s.T[ks, j], win.ylo[j], win.yhi[j]))
    with np.errstate(all="ignore"):
        bands = eps_runs(win.xr[j], np.abs(s.f[j][None] - s.T[ks, j]), eps)
    orders = [max(nplay, k) for k in ks]
    y2 = _rounded(np.log10(np.maximum(10.0, s.top[orders, j])) + 0.5)
    window = (float(s.x[j, 0]), float(s.x[j, -1]))
    a_r = _rounded([float(a)])[0]
    shown = {}
    for key in {(k <= nplay or (radius is not None and radius.known)) for k in ks}:
        edges, dash = _edges(float(a), radius if key else None, window)
        shown[key] = (_rounded(edges), dash)
    steps, layouts = [], []
    for r, k in enumerate(ks):
        edges, dash = shown[k <= nplay or (radius is not None and radius.known)]
        layouts.append({"title.text": _title(k), "yaxis2.range": [-16, y2[r]],
                        "shapes": _shape_list(bands[r], a_r, edges, dash)})
        steps.append([{"name": f"T{subscript(k)}(x)", "y": T[r]}, {"visible": False}, {"visible": False}])
    return _assemble(values, steps, [1, 2, 3], layouts)
