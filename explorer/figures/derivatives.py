"""Plotly figures for module 1 (curves only: a few hundred rounded points per curve)."""
from __future__ import annotations

import collections
import math

import numpy as np
import pandas  # noqa: F401  - finish importing pandas here: plotly only peeks at sys.modules, and a
#                             half-imported pandas (another thread importing it) breaks its checks
import plotly.graph_objects as go

import dataclasses

from explorer.figures import fastfig
# Okabe–Ito, ≥ 3:1 on white (colours.py): f blue, secant orange, tangent green dashed, run/rise dark vermilion + markers
from explorer.figures.colours import BLUE, DARK_VERMILION as RED, GREEN, GREY, ORANGE, PURPLE
from explorer.figures.describe import describe
from explorer.figures.frames import encode_rows, slider_values  # noqa: F401  (slider_values: for pages)
from explorer.derivatives import DifferenceErrors, GradientData, Secant, derivative_function
from explorer.numbers import nice, nice_text, round_sig
from explorer.expressions import compile_expression


# Room for the tick labels and axis titles: a margin of its own on every figure, and automargin on
# every axis, so plotly.js widens a margin that is still too small for the labels (a margin sent
# beside the figure by the live chart component overrides the first, never the second).
MARGIN = dict(l=60, r=16, t=40, b=56)
# a legend under the plot sits at the bottom of the figure (yref "container"), below the x title
# whatever the chart's height and font size, and plotly.js grows the bottom margin to fit it
LEGEND_BELOW = dict(orientation="h", yref="container", y=0.0, yanchor="bottom", x=0.0, xanchor="left")


def _fig(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain dicts (``explorer.fastfig``), with an empty template: Streamlit applies
    its theme in the browser, and the default template would add ~6 KB to every slider step.
    Every axis gets ``automargin`` and the figure ``MARGIN`` (see there)."""
    layout = dict(layout)
    layout.setdefault("margin", dict(MARGIN))
    for key in [k for k in layout if k.startswith(("xaxis", "yaxis"))] or ["xaxis", "yaxis"]:
        layout[key] = {**layout.get(key, {}), "automargin": True}
    return fastfig.figure(data, layout, template=None)


def _r(a, digits: int = 4) -> np.ndarray:
    """Round for the wire (a typed array: ``fastfig.figure_json``); ±∞ become NaN, a gap in the line."""
    a = round_sig(np.asarray(a, dtype=float), digits)
    return np.where(np.isfinite(a), a, np.nan)


def _r32(a, digits: int = 4) -> np.ndarray:
    """``_r`` as float32 for a long curve: half the bytes of float64 (float32 keeps 7 figures, > digits)."""
    with np.errstate(over="ignore", invalid="ignore"):
        b = _r(a, digits).astype(np.float32)
    b[~np.isfinite(b)] = np.nan           # beyond float32 (|v| > 3.4e38): a gap, as for ±∞
    return b


def _run_rise_labels(x0: float, h: float, f0: float, f1: float, shown: bool = True) -> list[dict]:
    """The "run = …" and "rise = …" labels of the triangle; where f gives none, the same two hidden and
    empty, so the x₀ drag frames move them item by item ("annotations[0].x"), not the whole list."""
    x1, none = x0 + h, dict(x=x0, y=0.0, text="")
    run = dict(x=(x0 + x1) / 2, y=f0, text=f"run = {nice_text(h, 3)}") if shown else none
    rise = dict(x=x1, y=(f0 + f1) / 2, text=f"rise = {nice_text(f1 - f0, 3)}") if shown else none
    return [dict(run, showarrow=False, yshift=-12, font=dict(color=RED), visible=bool(shown)),
            dict(rise, showarrow=False, xanchor="left", xshift=6, font=dict(color=RED), visible=bool(shown))]


def secant_figure(x: np.ndarray, y: np.ndarray, s: Secant, y_range: tuple[float, float]) -> go.Figure:
    data = [dict(x=_r32(x), y=_r32(y), mode="lines", name="f(x)", line=dict(color=BLUE, width=3))]
    lo, hi = float(x[0]), float(x[-1])
    xs = np.array([lo, hi])
    big = s.h > 0.02 * (hi - lo)            # a triangle big enough to label
    if math.isfinite(s.slope) and math.isfinite(s.f0):
        data.append(dict(x=_r(xs), y=_r(s.line(xs)), mode="lines", name=f"secant, slope {nice(s.slope, 5)}",
                         line=dict(color=ORANGE, width=2)))
    if math.isfinite(s.true_slope) and math.isfinite(s.f0):
        data.append(dict(x=_r(xs), y=_r(s.tangent(xs)), mode="lines",
                         name=f"tangent, slope f′(x₀) = {nice(s.true_slope, 5)}",
                         line=dict(color=GREEN, width=2, dash="dash")))
    if math.isfinite(s.f0) and math.isfinite(s.f1):
        x0, x1 = s.x0, s.x0 + s.h
        # the rise/run triangle: run along the bottom, rise up the side
        data.append(dict(x=_r([x0, x1, x1], 8), y=_r([s.f0, s.f0, s.f1], 8), mode="lines+markers",
                         name="run h, then rise", line=dict(color=RED, width=2), marker=dict(size=8)))
    labels = _run_rise_labels(s.x0, s.h, s.f0, s.f1, math.isfinite(s.f0) and math.isfinite(s.f1)) if big else []
    return _fig(data, dict(height=420, xaxis=dict(title="x"), yaxis=dict(title="f(x)", range=list(y_range)),
                           legend=LEGEND_BELOW, annotations=labels))


_GAPS = ("pole", "jump", "oscillation", "undefined", "edge")


def break_line(xs: np.ndarray, ys: np.ndarray, breaks=(), on_grid: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A NaN (a gap in the line) where f is not continuous, so no vertical stroke joins the sides of a
    pole or jump: at each break point inside the samples, and between two samples where f changes sign
    with a step far bigger than the others (a pole no break point named). ``on_grid``: keep the samples'
    x (drag frames, where a changed x would travel in every frame); blank the sample nearest a cut."""
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    cut = [b.x for b in breaks if b.kind in _GAPS and xs[0] < b.x < xs[-1]]
    with np.errstate(invalid="ignore", over="ignore"):
        dy = np.abs(np.diff(ys))
        typical = np.nanmedian(dy) if np.isfinite(dy).any() else 0.0
        flip = (ys[:-1] * ys[1:] < 0) & (dy > 50 * typical) & (dy > 0)
    cut += [0.5 * (xs[i] + xs[i + 1]) for i in np.nonzero(flip)[0]
            if not any(xs[i] <= c <= xs[i + 1] for c in cut)]       # a break point there cuts it already
    if not cut:
        return xs, ys
    cut = sorted(cut)
    at = np.searchsorted(xs, cut)
    if on_grid:         # the segment across the cut ends at the blanked sample: it is not drawn
        near = np.where(np.abs(xs[at] - cut) <= np.abs(cut - xs[at - 1]), at, at - 1)
        ys = ys.copy()
        ys[near] = np.nan
        return xs, ys
    return np.insert(xs, at, cut), np.insert(ys, at, np.nan)


ZOOM_POINTS = 81           # samples of f in the close-up
ZOOM_FRAME_POINTS = 41     # ... in its drag frames: every other one (a picture in motion; half the bytes)


def zoom_figure(text: str, s: Secant, breaks=(), points: int = ZOOM_POINTS,
                on_grid: bool = False) -> go.Figure | None:
    """A close-up around x₀ whose width follows h, so tiny steps can still be seen; the line breaks where
    f is not continuous (``break_line``; ``on_grid``: as there); ``points``: samples of f in the window."""
    if not (math.isfinite(s.f0) and math.isfinite(s.f1)):
        return None
    w = 2.5 * s.h; u = np.linspace(-w, w + s.h, points)      # u = x − x₀
    xs, ys = break_line(s.x0 + u, compile_expression(text, ("x",))(s.x0 + u), breaks, on_grid)
    edge, rel = np.array([-w, w + s.h]), u if on_grid else xs - s.x0     # on_grid: the same u at every x₀
    data = [dict(x=_r32(rel, 6), y=_r32(ys - s.f0, 6), mode="lines", name="f", line=dict(color=BLUE, width=3)),
            dict(x=_r(edge, 6), y=_r(s.slope * edge, 6), mode="lines", name="secant", line=dict(color=ORANGE))]
    if math.isfinite(s.true_slope):
        data.append(dict(x=_r(edge, 6), y=_r(s.true_slope * edge, 6), mode="lines", name="tangent",
                         line=dict(color=GREEN, dash="dash")))
    data.append(dict(x=_r([0, s.h, s.h], 6), y=_r([0, 0, s.rise], 6), mode="lines+markers", name="run, rise",
                     line=dict(color=RED, width=2), marker=dict(size=7)))
    return _fig(data, dict(height=420, showlegend=False, xaxis=dict(title="x − x₀"),
                           yaxis=dict(title="f(x) − f(x₀)"),
                           title=dict(text=f"zoomed in: window ≈ {nice_text(6 * s.h, 2)} wide", font=dict(size=13))))


def errors_figure(e: DifferenceErrors, h: float) -> go.Figure:
    hs = _r32(e.hs, 4)
    data = [dict(x=hs, y=_r32(e.forward, 3), mode="lines", name="forward (f(x₀+h) − f(x₀))/h",
                 line=dict(color=ORANGE, width=2)),
            dict(x=hs, y=_r32(e.central, 3), mode="lines", name="central (f(x₀+h) − f(x₀−h))/2h",
                 line=dict(color=PURPLE, width=2))]
    for best, err, colour, name in ((e.best_forward, e.min_forward, ORANGE, "best forward h"),
                                    (e.best_central, e.min_central, PURPLE, "best central h")):
        if math.isfinite(best):
            data.append(dict(x=[best], y=[err], mode="markers", name=f"{name} ≈ {nice_text(best, 2)}",
                             marker=dict(color=colour, size=12, symbol="star")))
    layout = dict(
        height=420, legend=LEGEND_BELOW,
        xaxis=dict(type="log", title="step h", exponentformat="power"),
        yaxis=dict(type="log", title="|difference quotient − f′(x₀)|", exponentformat="power"),
        shapes=[dict(type="line", xref="x", yref="paper", x0=h, x1=h, y0=0, y1=1,
                     line=dict(color=RED, dash="dot"))],
        annotations=[dict(x=math.log10(h), xref="x", yref="paper", y=1.0, yanchor="bottom", showarrow=False,
                          text=f"your h = {nice_text(h, 2)}", font=dict(color=RED))])
    return _fig(data, layout)


def errors_words(fig: go.Figure) -> dict:
    """The error chart's accessible name, description and table (``describe``), with the table's series
    called "forward" and "central" (the legend formula in ~100 rows was half the chart's bytes); {} if
    the figure cannot be described (the chart then describes itself)."""
    try:
        label, description, table = describe(fig)
    except Exception:  # noqa: BLE001 - words must never stop a chart from drawing
        return {}
    short = {"forward (f(x₀+h) − f(x₀))/h": "forward", "central (f(x₀+h) − f(x₀−h))/2h": "central"}
    if table and table.get("rows"):
        table = {**table, "rows": [[short.get(r[0], r[0]), *r[1:]] if r else r for r in table["rows"]]}
    return {"label": label, "description": description, "table": table}


def gradient_figure(g: GradientData, x0: float, fx0: float, slope: float) -> go.Figure:
    """f above f′ on a shared x axis (two y axes in one figure)."""
    xr = _r32(g.x)
    data = [dict(x=xr, y=_r32(g.f), mode="lines", name="f", line=dict(color=BLUE, width=3)),
            dict(x=xr, y=_r32(g.df), mode="lines", name="f′", line=dict(color=GREEN, width=3), yaxis="y2")]
    if math.isfinite(fx0):
        if math.isfinite(slope):
            xs = np.array([x0 - 0.6, x0 + 0.6])
            data.append(dict(x=_r(xs), y=_r(fx0 + slope * (xs - x0)), mode="lines", name="tangent at x₀",
                             line=dict(color=RED, width=2)))
        data.append(dict(x=[x0], y=[fx0], mode="markers", name="(x₀, f(x₀))", marker=dict(color=RED, size=10)))
    if math.isfinite(slope):
        data.append(dict(x=[x0], y=[slope], mode="markers", name="(x₀, f′(x₀))",
                         marker=dict(color=RED, size=10), yaxis="y2"))
    title = "f′(x): the slope of f" + ("" if g.exact else " (numeric)")
    layout = dict(
        height=560, showlegend=False,
        xaxis=dict(title="x", anchor="y2"),
        yaxis=dict(domain=[0.56, 1.0], range=list(g.f_range), title="f(x)"),
        yaxis2=dict(domain=[0.0, 0.44], range=list(g.df_range), title="f′(x)", anchor="x"),
        shapes=[dict(type="line", xref="x", yref="paper", x0=x0, x1=x0, y0=0, y1=1,
                     line=dict(color=RED, dash="dot", width=1))],
        annotations=[dict(text="f(x)", xref="paper", yref="paper", x=0.0, xanchor="left", y=1.02, showarrow=False),
                     dict(text=title, xref="paper", yref="paper", x=0.0, xanchor="left", y=0.46, showarrow=False)])
    return _fig(data + _break_marks(g), layout)


def _break_marks(g: GradientData) -> list[dict]:
    """One-sided limits at break points: open circles for limits, filled dots for the value."""
    data, opened, filled = [], {1: ([], []), 2: ([], [])}, ([], [])
    for b in g.breaks:
        for yv, row in ((b.f_left, 1), (b.f_right, 1), (b.slope_left, 2), (b.slope_right, 2)):
            lo, hi = g.f_range if row == 1 else g.df_range
            if math.isfinite(yv) and lo <= yv <= hi:
                opened[row][0].append(b.x); opened[row][1].append(yv)
        if math.isfinite(b.f_value) and g.f_range[0] <= b.f_value <= g.f_range[1]:
            filled[0].append(b.x); filled[1].append(b.f_value)
    circle = dict(symbol="circle-open", size=11, color="black", line=dict(width=2))
    for row, (xs_, ys_) in opened.items():
        if xs_:
            data.append(dict(x=xs_, y=ys_, mode="markers", name="one-sided limit", marker=circle,
                             yaxis="y" if row == 1 else "y2"))
    if filled[0]:
        data.append(dict(x=filled[0], y=filled[1], mode="markers", name="value f(x)",
                         marker=dict(size=9, color="black")))
    return data


def small_curve(x: np.ndarray, y: np.ndarray, title: str, colour: str = GREEN) -> go.Figure:
    y = np.asarray(y, dtype=float)
    fin = y[np.isfinite(y)]
    yaxis = {}
    if fin.size:
        lo, hi = float(np.percentile(fin, 2)), float(np.percentile(fin, 98))
        pad = 0.1 * (hi - lo) if hi > lo else 1.0
        yaxis = dict(range=[lo - pad, hi + pad])
    return _fig([dict(x=_r32(x, 3), y=_r32(y, 3), mode="lines", line=dict(color=colour, width=3))],
                dict(height=230, title=dict(text=title), showlegend=False, yaxis=yaxis,
                     shapes=[dict(type="line", xref="paper", yref="y", x0=0, x1=1, y0=0, y1=0,
                                  line=dict(color=GREY, width=1))]))


# --- drag frames (issue #19): every slider position at once (numpy), only what moves -------------
_EMPTY = fastfig.figure([], {}, template=None)
_Secants = collections.namedtuple("_Secants", "x0 h f0 f1 slope true")      # ``Secant`` at many (x₀, h): arrays


def _ends(g: GradientData) -> GradientData:
    """``g`` with its curves cut to their two end points (the frames leave them out: they never move)."""
    return dataclasses.replace(g, x=g.x[[0, -1]], f=g.f[[0, -1]], df=g.df[[0, -1]])


def x0_frames(text: str, g: GradientData, h: float, values) -> dict:
    """Frames of the x₀ slider for the secant and zoom charts (h fixed): {"secant": ..., "zoom": ...},
    the same as ``slider_frames`` over ``secant_figure``/``zoom_figure`` (tests/unit/test_frames*.py)."""
    x0 = np.asarray(values, dtype=float)
    return _charts(text, g, _secants(text, x0, np.full_like(x0, h), g.breaks), values)


def h_frames(text: str, g: GradientData, x0: float, values, errors: DifferenceErrors | None = None) -> dict:
    """Frames of the h slider (``values`` are log10 h) for the secant, zoom and error charts (x₀ fixed)."""
    hs = np.array([10.0 ** v for v in values], dtype=float)      # as the figure at each value computes h
    out = _charts(text, g, _secants(text, np.full_like(hs, x0), hs, g.breaks), values)
    if errors is not None and errors.ok:        # only the h marker moves, over errors_figure's traces
        n, hl = 2 + math.isfinite(errors.best_forward) + math.isfinite(errors.best_central), hs.tolist()
        out["errors"] = _frames(values, [(None, {})] * n, {
            "shapes[0].x0": hs, "shapes[0].x1": hs, "annotations[0].x": np.array([math.log10(h) for h in hl]),
            "annotations[0].text": [f"your h = {nice_text(h, 2)}" for h in hl]})
    return out


def _charts(text: str, g: GradientData, s: _Secants, values) -> dict:
    return {"secant": _frames(values, *_secant_cols(s, float(g.x[0]), float(g.x[-1]))),
            "zoom": _frames(values, *_zoom_cols(text, s, g.breaks))}


def _secants(text: str, x0: np.ndarray, h: np.ndarray, breaks) -> _Secants:
    """What ``secant(text, x0, h, breaks)`` gives, for arrays of x₀ and h (the same arithmetic)."""
    f, (d, _) = compile_expression(text, ("x",)), derivative_function(text)
    f0, f1, true = (np.broadcast_to(np.asarray(v, dtype=float), x0.shape).copy() for v in (f(x0), f(x0 + h), d(x0)))
    with np.errstate(all="ignore"):
        slope = np.where(h != 0, (f1 - f0) / np.where(h != 0, h, 1.0), np.nan)
    for b in breaks:
        true[np.abs(b.x - x0) < 1e-6] = np.nan
    return _Secants(x0, h, f0, f1, slope, true)


def _secant_cols(s: _Secants, lo: float, hi: float) -> tuple[list, dict]:
    """What moves in ``secant_figure`` (not its curve: it never moves), column by column (``_frames``)."""
    xs, x1, ok0, ok1 = np.array([lo, hi]), s.x0 + s.h, np.isfinite(s.f0), np.isfinite(s.f1)
    with np.errstate(all="ignore"):
        line, tan = (_r(s.f0[:, None] + m[:, None] * (xs - s.x0[:, None])) for m in (s.slope, s.true))
        tri, mid = _r(np.stack([s.x0, x1, x1, s.f0, s.f0, s.f1], axis=1), 8), (s.f0 + s.f1) / 2
    big = s.h > 0.02 * (hi - lo); shown, f0, f1 = (ok0 & ok1 & big).tolist(), s.f0.tolist(), s.f1.tolist()
    sec, tng = ([f"{what}{nice(v, 5)}" for v in m.tolist()] for what, m in (("secant, slope ", s.slope),
                                                                           ("tangent, slope f′(x₀) = ", s.true)))
    traces = [(None, {}), (np.isfinite(s.slope) & ok0, {"y": line, "name": sec}),
              (np.isfinite(s.true) & ok0, {"y": tan, "name": tng}), (ok0 & ok1, {"x": tri[:, :3], "y": tri[:, 3:]})]
    if not big.all():           # a triangle to label at some positions: the whole list moves (spec_frames)
        return traces, {"annotations": [[_num(d) for d in _run_rise_labels(*a, w)] if b else [] for *a, w, b in
                                        zip(s.x0.tolist(), s.h.tolist(), f0, f1, shown, big)]} if big.any() else {}
    return traces, {    # two labels at every position (hidden where f gives no triangle): item by item
        "annotations[0].x": np.where(shown, (s.x0 + x1) / 2, s.x0), "annotations[0].y": np.where(shown, s.f0, 0.0),
        "annotations[1].x": np.where(shown, x1, s.x0), "annotations[1].y": np.where(shown, mid, 0.0),
        "annotations[0].visible": shown, "annotations[1].visible": shown,
        "annotations[0].text": [f"run = {nice_text(h, 3)}" if w else "" for h, w in zip(s.h.tolist(), shown)],
        "annotations[1].text": [f"rise = {nice_text(b - a, 3)}" if w else "" for a, b, w in zip(f0, f1, shown)]}


def _zoom_cols(text: str, s: _Secants, breaks) -> tuple[list, dict]:
    """What moves in ``zoom_figure(..., points=ZOOM_FRAME_POINTS, on_grid=True)`` (nothing: ``_EMPTY``)."""
    w, zero, chart = 2.5 * s.h, np.zeros_like(s.h), np.isfinite(s.f0) & np.isfinite(s.f1)
    u = np.linspace(-w, w + s.h, ZOOM_FRAME_POINTS, axis=1); xs = s.x0[:, None] + u
    with np.errstate(all="ignore"):             # where break_line would cut the row (vectorised)
        ys = np.asarray(compile_expression(text, ("x",))(xs.ravel()), dtype=float).reshape(xs.shape)
        dy = np.abs(np.diff(ys, axis=1))
        mid = (np.isfinite(dy).sum(axis=1)[:, None] - [[1, 0]]) // 2      # NaN sort last: nanmedian by rows
        typical = np.where(mid[:, 0] >= 0, np.take_along_axis(np.sort(dy, axis=1), mid, 1).sum(axis=1) / 2, 0.0)
        flip = ((ys[:, :-1] * ys[:, 1:] < 0) & (dy > 50 * typical[:, None]) & (dy > 0)).any(axis=1)
        for c in [b.x for b in breaks if b.kind in _GAPS]:
            flip |= (xs[:, 0] < c) & (c < xs[:, -1])
        for k in np.nonzero(flip)[0]:
            ys[k] = break_line(xs[k], ys[k], breaks, on_grid=True)[1]
        edge, tri = np.stack([-w, w + s.h], axis=1), np.stack([zero, s.h, s.h, zero, zero, s.f1 - s.f0], axis=1)
        curve = {"x": _r32(u, 6).astype(float), "y": _r32(ys - s.f0[:, None], 6).astype(float)}
        traces = [(chart, curve), (chart, {"x": _r(edge, 6), "y": _r(s.slope[:, None] * edge, 6)}),
                  (chart & np.isfinite(s.true), {"x": _r(edge, 6), "y": _r(s.true[:, None] * edge, 6)}),
                  (chart, {"x": _r(tri[:, :3], 6), "y": _r(tri[:, 3:], 6)})]
    return traces, {"title.text": [f"zoomed in: window ≈ {nice_text(6 * h, 2)} wide" if c else None
                                   for h, c in zip(s.h.tolist(), chart.tolist())]}


def _frames(values, traces: list, layout: dict) -> dict:
    """``spec_frames`` byte for byte, from columns (a value a position: 2D array = lists of numbers, 1D =
    numbers, list = as it is): ``traces`` [(drawn where: bools, None = always; {path: column})], ``layout``
    {path: column}. What moves is hidden where other traces than the usual ones are drawn."""
    m = len(values)
    drawn = np.array([np.ones(m, bool) if w is None else w for w, _ in traces]).reshape(len(traces), m)
    counts = drawn.sum(axis=0).tolist()
    n = max(set(counts), key=lambda c: (counts.count(c) * c, c))       # the usual number (spec_frames)
    base = drawn[:, counts.index(n)]
    odd = (drawn != base[:, None]).any(axis=0).tolist()
    live, reg = [t for d, (_, t) in zip(base, traces) if d], np.nonzero(~np.array(odd))[0]
    moving = {i: sorted(p for p, c in t.items() if _moves(c, reg)) for i, t in enumerate(live)}
    idx = [i for i in moving if moving[i]]
    enc, shown = {(i, p): _encoded(live[i][p]) for i in idx for p in moving[i]}, {"visible": True} if any(odd) else {}
    out = {"values": [float(v) for v in values], "ntraces": n, "traces": idx,
           "paths": sorted({p for i in idx for p in moving[i]} | set(shown) if idx else ()),
           "steps": [[{"visible": False}] * len(idx) if odd[k] else
                     [{**{p: enc[i, p][k] for p in moving[i]}, **shown} for i in idx] for k in range(m)]}
    if lay := {p: _encoded(c) for p, c in sorted(layout.items()) if _moves(c, reg)}:
        out["layout"] = [{p: v[k] for p, v in lay.items()} for k in range(m)]
    return out


def _moves(c, at: np.ndarray) -> bool:      # differs between the positions ``at`` (NaN = NaN: frames._same)
    if isinstance(c, np.ndarray):
        return not ((c[at] == c[at[0]]) | (np.isnan(c[at]) & np.isnan(c[at[0]]))).all()
    return any(c[k] != c[at[0]] for k in at.tolist())


def _encoded(c) -> list:
    """A column as spec_frames encodes it: numbers to 5 figures (None: gap), 8+ as {"dtype": "c"} or "q2"."""
    if not isinstance(c, np.ndarray):
        return list(c)                      # texts, flags: as they are
    if c.ndim == 1 or c.shape[1] < 8:
        r = round_sig(c, 5)
        return r.tolist() if np.isfinite(r).all() else np.where(np.isfinite(r), r, None).tolist()
    return encode_rows(c)


def _num(d: dict) -> dict:        # a label's numbers as a frame writes them (f"{v:.5g}" = round_sig(v, 5))
    return {k: float(f"{v:.5g}") if type(v) is float else v for k, v in d.items()}


def gradient_frames(text: str, g: GradientData, values) -> dict:
    """Frames of the x₀ slider for the f / f′ chart: ``slider_frames`` over ``gradient_figure``, at once."""
    x0 = np.asarray(values, dtype=float)
    s = _secants(text, x0, np.full_like(x0, 1e-3), g.breaks)
    ok, xs, one = np.isfinite(s.f0), x0[:, None] + np.array([-0.6, 0.6]), x0[:, None]
    with np.errstate(all="ignore"):
        tan = _r(s.f0[:, None] + s.true[:, None] * (xs - one))
    traces = [(None, {}), (None, {}), (ok & np.isfinite(s.true), {"x": _r(xs), "y": tan}),
              (ok, {"x": one, "y": s.f0[:, None]}), (np.isfinite(s.true), {"x": one, "y": s.true[:, None]})]
    traces += [(None, {})] * len(_break_marks(g))       # the open circles and dots never move
    return _frames(values, traces, {"shapes[0].x0": x0, "shapes[0].x1": x0})
