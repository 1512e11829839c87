"""Plotly figures for module 1 (curves only: a few hundred rounded points per curve)."""
from __future__ import annotations

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
from explorer.figures.frames import slider_frames, slider_values, spec_frames  # noqa: F401  (slider_values: for pages)
from explorer.derivatives import DifferenceErrors, GradientData, Secant, derivative_function, secant
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
    """Round for the wire (a typed array: ``fastfig.figure_json``); infinities become NaN, a gap
    in the line as null would be."""
    a = round_sig(np.asarray(a, dtype=float), digits)
    return np.where(np.isfinite(a), a, np.nan)


def _r32(a, digits: int = 4) -> np.ndarray:
    """``_r`` as float32 for a long curve: half the bytes of float64 on the wire (a ``f4`` typed
    array), and float32 keeps 7 significant figures, more than the ``digits`` rounded to."""
    with np.errstate(over="ignore", invalid="ignore"):
        b = _r(a, digits).astype(np.float32)
    b[~np.isfinite(b)] = np.nan           # beyond float32 (|v| > 3.4e38): a gap, as for ±∞
    return b


def _run_rise_labels(x0: float, h: float, f0: float, f1: float, shown: bool = True) -> list[dict]:
    """The "run = …" and "rise = …" labels of the triangle; where f gives no triangle (x₀ or x₀ + h
    outside its domain), the same two hidden and empty: two at every x₀, so the x₀ drag frames move
    them item by item ("annotations[0].x") instead of sending the whole list in every frame."""
    x1 = x0 + h
    if not shown:
        return [dict(x=x0, y=0.0, text="", showarrow=False, yshift=-12, font=dict(color=RED), visible=False),
                dict(x=x0, y=0.0, text="", showarrow=False, xanchor="left", xshift=6, font=dict(color=RED),
                     visible=False)]
    return [dict(x=(x0 + x1) / 2, y=f0, text=f"run = {nice_text(h, 3)}", showarrow=False, yshift=-12,
                 font=dict(color=RED), visible=True),
            dict(x=x1, y=(f0 + f1) / 2, text=f"rise = {nice_text(f1 - f0, 3)}", showarrow=False, xanchor="left",
                 xshift=6, font=dict(color=RED), visible=True)]


def secant_figure(x: np.ndarray, y: np.ndarray, s: Secant, y_range: tuple[float, float]) -> go.Figure:
    data = [dict(x=_r32(x), y=_r32(y), mode="lines", name="f(x)", line=dict(color=BLUE, width=3))]
    lo, hi = float(x[0]), float(x[-1])
    xs = np.array([lo, hi])
    big = s.h > 0.02 * (hi - lo)            # a triangle big enough to label
    annotations = _run_rise_labels(s.x0, s.h, s.f0, s.f1, shown=False) if big else []
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
        if big:
            annotations = _run_rise_labels(s.x0, s.h, s.f0, s.f1)
    return _fig(data, dict(height=420, xaxis=dict(title="x"), yaxis=dict(title="f(x)", range=list(y_range)),
                           legend=LEGEND_BELOW, annotations=annotations))


_GAPS = ("pole", "jump", "oscillation", "undefined", "edge")


def break_line(xs: np.ndarray, ys: np.ndarray, breaks=(), on_grid: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Put a NaN (a gap in the drawn line) where f is not continuous, so the line never joins the
    two sides of a pole or a jump with a vertical stroke: at each such break point inside the samples
    (``BreakPoint``s), and between two samples where f changes sign with a step far bigger than the
    others (a pole no break point named). ``on_grid``: keep the samples' x (drag frames, where a
    changed x would travel in every frame) and blank the sample nearest each cut instead."""
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
    """A close-up around x₀ whose width follows h, so tiny steps can still be seen; the line breaks
    where f is not continuous (``break_line``). ``points``: samples of f across the window;
    ``on_grid``: breaks blank a sample rather than add one (the drag frames)."""
    if not (math.isfinite(s.f0) and math.isfinite(s.f1)):
        return None
    w = 2.5 * s.h
    xs = np.linspace(s.x0 - w, s.x0 + w + s.h, points)
    xs, ys = break_line(xs, compile_expression(text, ("x",))(xs), breaks, on_grid)
    edge = np.array([-w, w + s.h])
    data = [dict(x=_r32(xs - s.x0, 6), y=_r32(ys - s.f0, 6), mode="lines", name="f", line=dict(color=BLUE, width=3)),
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
    """The error chart's accessible name, description and table (``describe``), with the table's
    series called "forward" and "central": the whole legend formula in each of its ~100 rows was
    half of the chart's bytes on every slider step. {} if the figure cannot be described (the
    chart then describes itself)."""
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
    # one-sided limits at break points: open circles for limits, filled dots for the value
    opened = {1: ([], []), 2: ([], [])}
    filled = ([], [])
    for b in g.breaks:
        for yv, row in ((b.f_left, 1), (b.f_right, 1), (b.slope_left, 2), (b.slope_right, 2)):
            lo, hi = g.f_range if row == 1 else g.df_range
            if math.isfinite(yv) and lo <= yv <= hi:
                opened[row][0].append(b.x)
                opened[row][1].append(yv)
        if math.isfinite(b.f_value) and g.f_range[0] <= b.f_value <= g.f_range[1]:
            filled[0].append(b.x)
            filled[1].append(b.f_value)
    circle = dict(symbol="circle-open", size=11, color="black", line=dict(width=2))
    for row, (xs_, ys_) in opened.items():
        if xs_:
            data.append(dict(x=xs_, y=ys_, mode="markers", name="one-sided limit", marker=circle,
                             yaxis="y" if row == 1 else "y2"))
    if filled[0]:
        data.append(dict(x=filled[0], y=filled[1], mode="markers", name="value f(x)",
                         marker=dict(size=9, color="black")))
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
    return _fig(data, layout)


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


# --- drag frames (issue #19): each chart at every slider position, only what moves -------------
_EMPTY = fastfig.figure([], {}, template=None)


def _ends(g: GradientData) -> GradientData:
    """``g`` with its curves cut to their two end points: the curves never move while a slider is
    dragged, so the frames leave them out; the ends keep the secant's and tangent's extent."""
    return dataclasses.replace(g, x=g.x[[0, -1]], f=g.f[[0, -1]], df=g.df[[0, -1]])


def x0_frames(text: str, g: GradientData, h: float, values) -> dict:
    """Frames of the x₀ slider for the secant and zoom charts (h fixed): {"secant": ..., "zoom": ...}.
    Every position at once (``_secants``, ``_secant_specs``, ``_zoom_specs``): the same frames as
    ``slider_frames`` over ``secant_figure``/``zoom_figure`` (tests/unit/test_frames.py), ~20x faster."""
    x0 = np.asarray(values, dtype=float)
    s = _secants(text, x0, np.full_like(x0, h), g.breaks)
    return {"secant": spec_frames(_secant_specs(s, float(g.x[0]), float(g.x[-1])), values),
            "zoom": spec_frames(_zoom_specs(text, s, g.breaks), values)}


def h_frames(text: str, g: GradientData, x0: float, values, errors: DifferenceErrors | None = None) -> dict:
    """Frames of the h slider (``values`` are log10 h) for the secant, zoom and error charts (x₀ fixed),
    every position at once like ``x0_frames``."""
    hs = np.array([10.0 ** v for v in values], dtype=float)      # as the figure at each value computes h
    s = _secants(text, np.full_like(hs, x0), hs, g.breaks)
    out = {"secant": spec_frames(_secant_specs(s, float(g.x[0]), float(g.x[-1])), values),
           "zoom": spec_frames(_zoom_specs(text, s, g.breaks), values)}
    if errors is not None and errors.ok:
        stub = dataclasses.replace(errors, hs=errors.hs[:2], forward=errors.forward[:2], central=errors.central[:2])
        n = len(errors_figure(stub, float(hs[0])).data)       # the traces never move: only the h marker
        rows = [{}] * n
        out["errors"] = spec_frames(
            [{"data": rows, "layout": {"shapes": [{"x0": h, "x1": h}],
                                       "annotations": [{"x": math.log10(h), "text": f"your h = {nice_text(h, 2)}"}]}}
             for h in hs.tolist()], values)
    return out


# --- the drag frames' fast path: numpy over every slider position at once ----------------------
@dataclasses.dataclass
class _Secants:
    """``Secant`` at many (x₀, h) at once: one array per field."""
    x0: np.ndarray
    h: np.ndarray
    f0: np.ndarray
    f1: np.ndarray
    slope: np.ndarray
    true: np.ndarray


def _secants(text: str, x0: np.ndarray, h: np.ndarray, breaks) -> _Secants:
    """What ``secant(text, x0, h, breaks)`` gives, for arrays of x₀ and h (the same arithmetic)."""
    f = compile_expression(text, ("x",))
    d, _ = derivative_function(text)
    shape = x0.shape
    f0 = np.broadcast_to(np.asarray(f(x0), dtype=float), shape).copy()
    f1 = np.broadcast_to(np.asarray(f(x0 + h), dtype=float), shape).copy()
    true = np.broadcast_to(np.asarray(d(x0), dtype=float), shape).copy()
    with np.errstate(all="ignore"):
        slope = np.where(h != 0, (f1 - f0) / np.where(h != 0, h, 1.0), np.nan)
    for b in breaks:
        true[np.abs(b.x - x0) < 1e-6] = np.nan
    return _Secants(x0, h, f0, f1, slope, true)


def _rows(a: np.ndarray, digits: int) -> list:
    return _r(a, digits).tolist()       # each row of a 2D array, rounded in one call, as lists


def _secant_specs(s: _Secants, lo: float, hi: float) -> list[dict]:
    """What moves in ``secant_figure`` (its curve left out: it never moves), at each position."""
    xs = np.array([lo, hi])
    with np.errstate(all="ignore"):
        line = _rows(s.f0[:, None] + s.slope[:, None] * (xs - s.x0[:, None]), 4)
        tan = _rows(s.f0[:, None] + s.true[:, None] * (xs - s.x0[:, None]), 4)
        x1 = s.x0 + s.h
        tri_x = _rows(np.stack([s.x0, x1, x1], axis=1), 8)
        tri_y = _rows(np.stack([s.f0, s.f0, s.f1], axis=1), 8)
    ends = _r(xs).tolist()
    specs = []
    for k, (x0, h, f0, f1, slope, true) in enumerate(zip(s.x0.tolist(), s.h.tolist(), s.f0.tolist(), s.f1.tolist(),
                                                          s.slope.tolist(), s.true.tolist())):
        data: list[dict] = [{}]
        big = h > 0.02 * (hi - lo)
        annotations = _run_rise_labels(x0, h, f0, f1, shown=False) if big else []
        if math.isfinite(slope) and math.isfinite(f0):
            data.append(dict(x=ends, y=line[k], mode="lines", name=f"secant, slope {nice(slope, 5)}",
                             line=dict(color=ORANGE, width=2)))
        if math.isfinite(true) and math.isfinite(f0):
            data.append(dict(x=ends, y=tan[k], mode="lines", name=f"tangent, slope f′(x₀) = {nice(true, 5)}",
                             line=dict(color=GREEN, width=2, dash="dash")))
        if math.isfinite(f0) and math.isfinite(f1):
            data.append(dict(x=tri_x[k], y=tri_y[k], mode="lines+markers", name="run h, then rise",
                             line=dict(color=RED, width=2), marker=dict(size=8)))
            if big:
                annotations = _run_rise_labels(x0, h, f0, f1)
        specs.append({"data": data, "layout": {"annotations": annotations}})
    return specs


def _zoom_specs(text: str, s: _Secants, breaks) -> list[dict]:
    """What moves in ``zoom_figure(..., points=ZOOM_FRAME_POINTS, on_grid=True)`` at each position (no traces
    where there is no chart, as ``_EMPTY``)."""
    w = 2.5 * s.h
    xs = np.linspace(s.x0 - w, s.x0 + w + s.h, ZOOM_FRAME_POINTS, axis=1)
    with np.errstate(all="ignore"):
        ys = np.asarray(compile_expression(text, ("x",))(xs.ravel()), dtype=float).reshape(xs.shape)
        dy = np.abs(np.diff(ys, axis=1))
        finite = np.isfinite(dy).any(axis=1)
        typical = np.where(finite, np.nanmedian(np.where(finite[:, None], dy, 0.0), axis=1), 0.0)
        flip = ((ys[:, :-1] * ys[:, 1:] < 0) & (dy > 50 * typical[:, None]) & (dy > 0)).any(axis=1)
        cut = [b.x for b in breaks if b.kind in _GAPS]
        for c in cut:
            flip |= (xs[:, 0] < c) & (c < xs[:, -1])
        edge = np.stack([-w, w + s.h], axis=1)
        cx = _r32(xs - s.x0[:, None], 6).tolist()
        cy = _r32(ys - s.f0[:, None], 6).tolist()
        sec, tan = _rows(s.slope[:, None] * edge, 6), _rows(s.true[:, None] * edge, 6)
        ex = _rows(edge, 6)
        tri_x = _rows(np.stack([np.zeros_like(s.h), s.h, s.h], axis=1), 6)
        tri_y = _rows(np.stack([np.zeros_like(s.h), np.zeros_like(s.h), s.f1 - s.f0], axis=1), 6)
    specs = []
    for k, (x0, h, f0, f1, true) in enumerate(zip(s.x0.tolist(), s.h.tolist(), s.f0.tolist(), s.f1.tolist(),
                                                  s.true.tolist())):
        if not (math.isfinite(f0) and math.isfinite(f1)):
            specs.append({"data": [], "layout": {}})
            continue
        if flip[k]:         # a gap in the line: as zoom_figure draws it
            bx, by = break_line(xs[k], ys[k], breaks, on_grid=True)
            cx[k], cy[k] = _r32(bx - x0, 6).tolist(), _r32(by - f0, 6).tolist()
        data = [dict(x=cx[k], y=cy[k], mode="lines", name="f", line=dict(color=BLUE, width=3)),
                dict(x=ex[k], y=sec[k], mode="lines", name="secant", line=dict(color=ORANGE))]
        if math.isfinite(true):
            data.append(dict(x=ex[k], y=tan[k], mode="lines", name="tangent", line=dict(color=GREEN, dash="dash")))
        data.append(dict(x=tri_x[k], y=tri_y[k], mode="lines+markers", name="run, rise",
                         line=dict(color=RED, width=2), marker=dict(size=7)))
        specs.append({"data": data, "layout": {"title": {"text": f"zoomed in: window ≈ {nice_text(6 * h, 2)} wide"}}})
    return specs


def gradient_frames(text: str, g: GradientData, values) -> dict:
    """Frames of the x₀ slider for the f / f′ chart (the point, the tangent and the marker line)."""
    e = _ends(g)

    def build(v: float) -> go.Figure:
        s = secant(text, v, 1e-3, g.breaks)
        return gradient_figure(e, v, s.f0, s.true_slope)
    return slider_frames(build, values)
