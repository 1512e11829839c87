"""The Optimisation page's moving pictures, computed here and played by plotly.js (issues #18, #19).

- ``newton_frames``, ``basin_frames``: Newton-Raphson's tangent steps and the basin strip's x₀ marker at every position
  of the x₀ slider, for the chart to swap in while x₀ is dragged (``explorer.figures.frames``).
  Only the tangents, the iterates, the current point, the view and the arrows move: the curve f is
  drawn once over the whole range the view can take (``figures.optimise.newton_figure``).
- ``step_frames``: the descent paths (map, surface, f against k) at positions of the step-size
  slider γ; the contour map and the surface never travel.
- ``play_frames``, ``newton_play``: the Newton chart with one plotly frame per step and ▶ Play / ‖ Pause buttons,
  so Play runs in the browser (no rerun, no sleeping server) like the Taylor chart's.

Frames for a slider depend on the OTHER controls only; the page caches them keyed by those. A
release recomputes only the sets that depend on its slider, so they are built from what moves
alone, every position at once (``newton_specs``, ``descent_specs``: numpy over all rows, never a
figure per position); ``tests/unit/test_frames_optimisation.py`` checks they are the frames of the
real figure builders.
"""
from __future__ import annotations

import base64
import functools
import math
from typing import Sequence

import numpy as np

from explorer.expressions import compile_expression
from explorer.figures import fastfig
from explorer.figures import frames as F
from explorer.figures import optimise as figs
from explorer.numbers import round_sig
from explorer.numbers import subscript as _sub
from explorer.optimise.descent import METHODS, DescentResult, descend
from explorer.optimise.newton import Basins, NewtonResult, newton_raphson

X0_RANGE = (-10.0, 10.0)     # the x₀ slider (its step 0.01 is far finer than a drag needs)
X0_INSIDE = 50               # at most this many frames across the window, every 1 outside it
# γ from 0.001 to 1 (slider step 0.001): finer where small steps differ most
STEP_VALUES = sorted({0.001, 0.003, 0.01} | set(F.slider_values(0.02, 1.0, 0.04)))
FRAME_PATH = 120             # points of a descent path in a drag frame (the released chart keeps more)
PLAY_MS = 600                # a Play step, in milliseconds
PLAY_MAX = 20                # Play draws x₀ … x₂₀ at most (frame k holds k tangents: the bytes grow as k²)
PLAY_TOP = 84                # px above the plot: the title's row, then the ▶/‖ buttons' row


def x0_values(window: tuple[float, float]) -> list[float]:
    """The x₀ values with a frame: a round step (0.05, 0.1, 0.2, …) giving at most ``X0_INSIDE``
    frames across ``window`` (where the basin strip and the tangents are drawn), 1 apart outside it."""
    lo, hi = max(window[0], X0_RANGE[0]), min(window[1], X0_RANGE[1])
    step = next(s for s in (0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0) if (hi - lo) / s <= X0_INSIDE)
    inside = F.slider_values(lo, hi, step)
    outside = [v for v in F.slider_values(*X0_RANGE, 1.0) if v < lo or v > hi]
    return sorted({v for v in inside + outside if X0_RANGE[0] <= v <= X0_RANGE[1]})


def newton_frames(text: str, n: int, window: tuple[float, float], max_iter: int,
                  values: Sequence[float] | None = None) -> dict:
    """The Newton chart's frames for the x₀ slider: Newton from each value (``x0_values(window)``
    unless given) with ``n`` steps drawn (at most the steps taken) in ``window``. The same frames as
    ``slider_frames`` over ``newton_figure(res, min(n, res.nit), window, curve=False)``, from
    ``newton_specs`` (every position at once, not a figure each)."""
    values = x0_values(window) if values is None else values
    runs = [_newton(text, float(v), max_iter) for v in values]
    return F.spec_frames(newton_specs(runs, [min(n, r.nit) for r in runs], window), values)


@functools.lru_cache(maxsize=2048)
def _newton(text: str, x0: float, max_iter: int) -> NewtonResult:
    """The runs behind a frame set, kept for the next one (a new n or w runs the same starts)."""
    return newton_raphson(text, x0, max_iter)


_P10 = [10.0 ** k for k in range(11)]       # exact: what np.round(a, k) multiplies and divides by
_VIEW_POINTS = 400                          # f's samples behind a view's y range (figs.newton_view)


def _round_rows(a: np.ndarray, n: np.ndarray, digits: int = figs.SIG) -> np.ndarray:
    """``round_to_scale(a[i, :n[i]], digits)`` for every row i at once (its scale: the row's first
    n[i] values), as np.round does it: ``rint(a·10^k) / 10^k``."""
    fin = np.isfinite(a) & (np.arange(a.shape[1]) < n[:, None])
    scale = np.max(np.where(fin, np.abs(a), 0.0), axis=1, initial=0.0)
    k = [min(max(0, digits - 1 - math.floor(math.log10(v))) if v > 0 else digits, 10) for v in scale.tolist()]
    p = np.array([_P10[j] for j in k])[:, None]
    return np.rint(a * p) / p


def _row_quantile(s: np.ndarray, m: np.ndarray, q: float) -> np.ndarray:
    """``np.quantile(row[:m], q)`` (method "linear") of each row of ``s``, sorted, m[i] >= 1 values."""
    vi = (m - 1) * q
    lo = np.floor(vi)
    hi = lo + 1
    top = vi >= m - 1
    lo_i = np.where(top, m - 1, lo).astype(int)
    hi_i = np.where(top, m - 1, hi).astype(int)
    rows = np.arange(len(s))
    a, b = s[rows, lo_i], s[rows, hi_i]
    t = vi - np.where(top, -1.0, lo)            # as numpy's gamma (unused when a == b)
    d = b - a
    return np.where(t >= 0.5, b - d * (1 - t), a + d * t)


def _views(text: str, h: np.ndarray, fx: np.ndarray, window: tuple[float, float]):
    """``figs.newton_view`` of every row at once: row i has the iterates ``h[i, :s[i] + 1]`` and
    their values ``fx[i]`` (NaN beyond); f over every row's x range in one call. (xr, yr) lists."""
    lo, hi = window
    ok = np.isfinite(h)
    pts = np.where(ok, np.clip(h, lo, hi), np.nan)
    some = ok.any(axis=1)
    a = np.where(some, np.min(np.where(ok, pts, np.inf), axis=1), lo)
    b = np.where(some, np.max(np.where(ok, pts, -np.inf), axis=1), hi)
    span = np.maximum(b - a, 0.05 * (hi - lo))
    mid = (a + b) / 2
    a, b = mid - span / 2, mid + span / 2
    x0, x1 = a - 0.15 * span, b + 0.15 * span
    xs = np.linspace(x0, x1, _VIEW_POINTS, axis=1)
    ys = np.broadcast_to(np.asarray(compile_expression(text, ("x",))(xs), dtype=float), xs.shape)
    fin = np.isfinite(ys)
    m = fin.sum(axis=1)
    srt = np.sort(np.where(fin, ys, np.nan), axis=1)
    mm = np.maximum(m, 1)
    q0, q1 = _row_quantile(srt, mm, 0.03), _row_quantile(srt, mm, 0.97)
    inside = (h >= x0[:, None]) & (h <= x1[:, None]) & np.isfinite(fx)
    low = np.min(np.where(inside, fx, np.inf), axis=1, initial=0.0)
    high = np.max(np.where(inside, fx, -np.inf), axis=1, initial=0.0)
    xr = np.stack([x0, x1], axis=1).tolist()
    yr = []
    for i in range(len(h)):
        if not m[i]:
            yr.append([-1, 1])
            continue
        y0, y1 = min(q0[i], q1[i], low[i]), max(q0[i], q1[i], high[i])
        pad = 0.15 * (y1 - y0 or 1.0)
        yr.append([float(y0 - pad), float(y1 + pad)])
    return xr, yr


def newton_specs(runs: Sequence[NewtonResult], shown: Sequence[int], window: tuple[float, float]) -> list[dict]:
    """What moves in ``newton_figure(runs[i], shown[i], window, curve=False)``, for every i at once
    (runs of one f; numpy over all rows, the same numbers): {"data": [{} for the curve, the tangents, the lines back
    up to f, the iterates, the current point], "layout": {the x and y ranges, the annotations}}."""
    K = len(runs)
    if not K:
        return []
    nh = np.array([len(r.history) for r in runs])
    nf = np.array([len(r.fx) for r in runs])
    s = np.maximum(0, np.minimum(np.minimum(np.asarray(shown, dtype=int), nh - 1), nf))
    top = int(s.max())
    h = np.full((K, top + 1), np.nan)
    fx = np.full((K, top + 1), np.nan)
    for i, r in enumerate(runs):
        h[i, :s[i] + 1] = r.history[:s[i] + 1]
        j = min(len(r.fx), s[i] + 1)
        fx[i, :j] = r.fx[:j]
    xr, yr = _views(runs[0].f, h, fx, window)
    a, b, f0 = h[:, :top], h[:, 1:], fx[:, :top]
    d = b - a
    gap = np.full_like(a, np.nan)
    tx = _round_rows(np.stack([a - 0.15 * d, b + 0.15 * d, gap], axis=2).reshape(K, -1), 3 * s)
    ty = _round_rows(np.stack([f0 * 1.15, -0.15 * f0, gap], axis=2).reshape(K, -1), 3 * s)
    nb = np.maximum(0, np.minimum(s, nf - 1))              # the lines back up: where f(x_{k+1}) is known
    vx = _round_rows(np.stack([b, b, gap], axis=2).reshape(K, -1), 3 * nb)
    vy = _round_rows(np.stack([np.zeros_like(b), fx[:, 1:], gap], axis=2).reshape(K, -1), 3 * nb)
    px = _round_rows(h, s + 1)
    specs = []
    for i, r in enumerate(runs):
        k = int(s[i])
        pts = h[i, :k + 1]
        labelled = set(figs.legible_labels(pts, xr[i]))
        data = [{},
                dict(type="scatter", x=tx[i, :3 * k], y=ty[i, :3 * k], name="tangent lines"),
                dict(type="scatter", x=vx[i, :3 * nb[i]], y=vy[i, :3 * nb[i]], name="back up to f"),
                dict(type="scatter", x=px[i, :k + 1], y=np.zeros(k + 1), name="xₙ on the axis",
                     text=[_X[j] if j in labelled else "" for j in range(k + 1)])]
        cur = min(k, len(r.fx) - 1)
        if cur >= 0:
            data.append(dict(type="scatter", x=[float(r.history[cur])], y=[float(r.fx[cur])],
                             name=f"({_X[cur]}, f({_X[cur]}))"))
        specs.append({"data": data, "layout": {"xaxis": {"range": xr[i]}, "yaxis": {"range": yr[i]},
                                               "annotations": _offchart(pts, xr[i])}})
    return specs


class _Names(dict):
    """x₀, x₁, …: the iterates' names, made once."""
    def __missing__(self, k: int) -> str:
        self[k] = v = f"x{_sub(k)}"
        return v


_X = _Names()


def _offchart(pts: np.ndarray, xr: list) -> list[dict]:
    """``newton_figure``'s arrows: the first iterate off each side of the view, and how many more."""
    out = []
    for left in (True, False):
        off = np.flatnonzero(pts < xr[0] if left else pts > xr[1])
        if len(off):
            k, xk = int(off[0]), pts[off[0]]
            more = f" (and {len(off) - 1} more)" if len(off) > 1 else ""
            out.append(dict(x=xr[0] if left else xr[1], y=0, text=f"{_X[k]} = {xk:.4g} is off the chart{more}",
                            showarrow=True, ax=25 if left else -25, ay=-45, arrowcolor=figs.C.VERMILION,
                            xanchor="left" if left else "right", bgcolor="rgba(255,255,255,0.85)",
                            font=dict(color="#b71c1c"), arrowhead=2))
    return out


def basin_frames(basins: Basins, window: tuple[float, float], values: Sequence[float] | None = None) -> dict:
    """The basin strip's frames for the x₀ slider: only the "your x₀" marker moves (its last trace;
    the strips and the roots, the same at every value, are left out: the frames of ``basin_figure``)."""
    values = x0_values(window) if values is None else values
    # basin_figure's traces: a strip per root, the failures' strip (if any), the roots, the marker
    still = [{}] * (len(basins.roots) + int((basins.label < 0).any()) + 1)
    return F.spec_frames([{"data": still + [{"x": [float(v)]}]} for v in values], values)


def step_frames(text: str, start: tuple[float, float], methods: Sequence[str], iters: int, bounds,
                grid, window, values: Sequence[float] | None = None) -> dict:
    """{"dmap", "dsurf", "dvals": frames} for the step slider γ: each method's path from ``start``
    run at every γ of ``values`` (paths thinned to ``FRAME_PATH`` points). By default
    ``STEP_VALUES``, every other one in a race of several methods (the bytes grow with the paths).
    The frames of ``descent_contour``, ``descent_surface`` and ``descent_values`` (``keep=FRAME_PATH``)
    built from what moves only (``descent_specs``): the map and the surface never enter the build."""
    values = (STEP_VALUES if len(methods) == 1 else STEP_VALUES[::2]) if values is None else values
    # Newton's step −H⁻¹∇f has no γ: one run serves every value (the same object: it never moves)
    fixed = {m: descend(text, start, m, 0.1, int(iters), bounds=bounds) for m in methods if m == "newton"}
    runs = [[fixed.get(m) or descend(text, start, m, float(v), int(iters), bounds=bounds) for m in methods]
            for v in values]
    specs = descent_specs(runs, grid, window, FRAME_PATH)
    return {k: F.spec_frames([sp[k] for sp in specs], values) for k in ("dmap", "dsurf", "dvals")}


def descent_specs(runs: Sequence[Sequence[DescentResult]], grid, window, keep: int) -> list[dict]:
    """For each list of runs (one a slider value), what moves in ``descent_contour(grid, runs,
    window, keep=keep)``, ``descent_surface(..., keep=keep)`` and ``descent_values(runs, keep=keep)``:
    {"dmap": spec, "dsurf": spec, "dvals": spec}, the paths only ({} for the map, the surface and
    the start marker, which stay). Every run's numbers are rounded in one numpy call over all of
    them; a run met again (the same object) gives the same arrays."""
    Z = grid[2]
    fin = Z[np.isfinite(Z)]
    lift = figs.SURFACE_LIFT * ((float(fin.max()) - float(fin.min())) if len(fin) else 2)
    uniq = list({id(r): r for rs in runs for r in rs}.values())
    parts = {}
    if uniq:
        paths = [figs._thin(r.history, keep) for r in uniq]
        n = np.array([len(p) for p in paths])
        P = np.full((len(uniq), int(n.max()), 3), np.nan)           # x, y; then the surface's z
        S = np.full_like(P, np.nan)
        ns = np.zeros(len(uniq), dtype=int)
        for i, (r, p) in enumerate(zip(uniq, paths)):
            P[i, :len(p), :2] = p
            if len(r.values) == len(r.history):                      # a path on the surface
                v = figs._thin(r.values[:, None], keep)[:, 0]
                m = (p[:, 0] >= window[0]) & (p[:, 0] <= window[1]) & (p[:, 1] >= window[2]) & (p[:, 1] <= window[3])
                ns[i] = k = int(m.sum())
                S[i, :k, 0], S[i, :k, 1], S[i, :k, 2] = p[m, 0], p[m, 1], v[m] + lift
        px, py = _round_rows(P[..., 0], n), _round_rows(P[..., 1], n)
        ends = _round_rows(np.stack([P[np.arange(len(n)), n - 1, 0], P[np.arange(len(n)), n - 1, 1]]).T.reshape(-1, 1),
                           np.ones(2 * len(n), dtype=int))[:, 0].reshape(-1, 2).tolist()
        sx, sy, sz = (_round_rows(S[..., j], ns) for j in range(3))
        for i, r in enumerate(uniq):
            k = ns[i]
            parts[id(r)] = (dict(x=px[i, :n[i]], y=py[i, :n[i]], name=f"{METHODS[r.method]} ({r.nit} steps)"),
                            dict(x=[ends[i][0]], y=[ends[i][1]]),
                            dict(x=sx[i, :k], y=sy[i, :k], z=sz[i, :k]) if len(r.values) == len(r.history) else None)
    # f − (lowest f of the value's runs) against k, thinned as descent_values thins it
    gaps, ks = [], []
    for rs in runs:
        lows = [np.nanmin(r.values) for r in rs if len(r.values)]
        low = min(lows) if lows else 0.0
        for r in rs:
            gap = r.values - low
            k = np.arange(len(gap))
            m = np.isfinite(gap) & (gap > 0)
            k, gap = k[m], gap[m]
            if len(k) > keep:
                idx = _geom(len(k), keep)
                k, gap = k[idx], gap[idx]
            ks.append(k)
            gaps.append(gap)
    cut = np.cumsum([len(g) for g in gaps])[:-1]
    rounded = np.split(round_sig(np.concatenate(gaps), 4), cut) if gaps else []
    out, j = [], 0
    for rs in runs:
        dmap, dsurf, dvals = [{}], [{}], []
        for r in rs:
            path, end, surf = parts[id(r)]
            dmap += [path, end]
            if surf is not None:
                dsurf.append(surf)
            dvals.append(dict(x=ks[j], y=_log_axis(rounded[j])))
            j += 1
        out.append({"dmap": {"data": dmap + ([{}] if rs else [])}, "dsurf": {"data": dsurf}, "dvals": {"data": dvals}})
    return out


@functools.lru_cache(maxsize=256)
def _geom(n: int, keep: int) -> np.ndarray:
    """``descent_values``'s thinning of n points to about ``keep``: denser at the start."""
    return np.unique(np.geomspace(1, n, keep).astype(int) - 1)


def _log_axis(y: np.ndarray):
    """Values for a log axis, as a frame carries them: a long array as a plotly.js typed array
    (float32, or float64 beyond its range), since 16-bit steps between the extremes (``F._quantised``)
    would flatten the small values (1e-17 next to 6.25 became -3e-5, which a log axis drops)."""
    if len(y) < F.LONG:
        return y
    big = np.abs(y[np.isfinite(y) & (y != 0)])
    code = "f4" if not len(big) or (big.min() >= 1e-37 and big.max() <= 1e37) else "f8"
    return {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(y, dtype="<" + code).tobytes()).decode("ascii")}


def play_frames(res: NewtonResult, window: tuple[float, float]) -> list[dict]:
    """One plotly frame per step k = 0…(the steps taken, at most ``PLAY_MAX``): the tangents, iterates and point of
    ``newton_figure(res, k, window)`` and its view (they do not depend on the steps drawn now)."""
    ks = list(range(max(0, min(res.nit, len(res.fx), PLAY_MAX)) + 1))
    return [dict(name=str(k), data=s["data"][1:], traces=list(range(1, len(s["data"]))),
                 layout=dict(xaxis=dict(range=s["layout"]["xaxis"]["range"]),
                             yaxis=dict(range=s["layout"]["yaxis"]["range"]),
                             annotations=s["layout"]["annotations"]))
            for k, s in zip(ks, newton_specs([res] * len(ks), ks, window))]


def newton_play(res: NewtonResult, shown: int, window: tuple[float, float], frames: list[dict]):
    """The Newton chart with ``shown`` steps drawn, and ▶ Play / ‖ Pause buttons above the plot that
    play ``frames`` (``play_frames``) in the browser: the steps one by one, ``PLAY_MS`` each."""
    spec = fastfig._spec(figs.newton_figure(res, shown, window))
    if not frames or any(len(f["data"]) != len(spec["data"]) - 1 for f in frames):
        return fastfig.figure(spec["data"], spec["layout"])      # a step without its point: no Play
    anim = dict(frame=dict(duration=PLAY_MS, redraw=True), transition=dict(duration=0), fromcurrent=False,
                mode="immediate")
    pause = dict(frame=dict(duration=0, redraw=False), mode="immediate", transition=dict(duration=0))
    # the buttons in a row of their own between the title and the plot, at the right: below the
    # chart's toolbar (which would take their clicks) and clear of the title at any width
    layout = dict(spec["layout"], margin=dict(t=PLAY_TOP))
    layout["updatemenus"] = [dict(
        type="buttons", direction="left", x=1.0, xanchor="right", y=1.0, yanchor="bottom",
        showactive=False, pad=dict(b=6),
        buttons=[dict(label=f"▶ Play x₀ … x{_sub(len(frames) - 1)}", method="animate", args=[None, anim]),
                 dict(label="‖ Pause", method="animate", args=[[None], pause])])]
    return fastfig.figure(spec["data"], layout, frames)
