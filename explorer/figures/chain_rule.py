"""Plotly figures for the chain-rule page (no streamlit here): small, rounded payloads, built as
plain dicts (``explorer.fastfig``)."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer.figures import colours as C  # Okabe–Ito, each >= 3:1 on white
from explorer.figures import fastfig
from explorer.chain_rule import BOX, ChainAt
from explorer.network import LayerLedger
from explorer.numbers import nice_text, superscript


def _f32(a) -> np.ndarray:
    """For the wire: float32 arrays travel as compact base64 (and validate ~15× faster than lists).

    NaN stays NaN, which plotly draws as a gap.
    """
    return np.asarray(a, dtype=float).astype(np.float32)


# A legend under a chart sits at the bottom of the figure's own box (container coordinates): plotly
# lifts the plot and its x-axis title above it at any width and font size (at a fraction of the plot
# height below the axis it grew up over the x-axis title when it wrapped: half columns, phones,
# presenter mode's fonts; tests/browser/test_chart_geometry.py).
BOTTOM_LEGEND = dict(orientation="h", yref="container", y=0, yanchor="bottom")


# ---------------------------------------------------------------------------------------------
# Chain rule on a path
def path_point(at: ChainAt) -> dict:
    """The point (x(t), y(t)) on the contour map (it moves with t: also a drag frame's trace)."""
    return dict(type="scatter", x=[at.x], y=[at.y], mode="markers", name="point at t",
                marker=dict(color=C.VERMILION, size=13, line=dict(color="white", width=2)))


def velocity_arrow(at: ChainAt) -> list[dict]:
    """The velocity (dx/dt, dy/dt) as an arrow scaled to a readable length (none where it is 0 or
    undefined): the contour map's annotations."""
    speed = float(np.hypot(at.dx_dt, at.dy_dt))
    if not (np.isfinite(speed) and speed > 0):
        return []
    s = 0.8 / speed
    return [dict(x=at.x + s * at.dx_dt, y=at.y + s * at.dy_dt, ax=at.x, ay=at.y,
                 xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                 arrowhead=3, arrowwidth=2.5, arrowcolor=C.VERMILION, text="")]


TANGENT_SPAN = 0.9      # the dashed tangent reaches this far either side of t


def tangent_and_point(at: ChainAt) -> list[dict]:
    """The dashed tangent (slope df/dt; left out where it is undefined) and the point at t on g(t)."""
    data = []
    slope = at.df_dt
    if np.isfinite(slope) and np.isfinite(at.f):
        tt = np.array([at.t - TANGENT_SPAN, at.t + TANGENT_SPAN])
        data.append(dict(type="scatter", x=_f32(tt), y=_f32(at.f + slope * (tt - at.t)), mode="lines",
                         name=f"tangent, slope df/dt = {nice_text(slope, 4)}",
                         line=dict(color=C.VERMILION, dash="dash")))
    data.append(dict(type="scatter", x=[round(at.t, 4)], y=[None if not np.isfinite(at.f) else round(at.f, 5)],
                     mode="markers", name="t", marker=dict(color=C.VERMILION, size=11)))
    return data


def contour_with_path(g: np.ndarray, Z: np.ndarray, x: np.ndarray, y: np.ndarray, at: ChainAt) -> go.Figure:
    finite = Z[np.isfinite(Z)]
    zmin, zmax = (np.percentile(finite, [2, 98]) if finite.size else (0, 1))
    data = [dict(type="contour", x=_f32(g), y=_f32(g), z=_f32(Z), ncontours=18, colorscale="Viridis",
                 zmin=float(zmin), zmax=float(zmax), contours=dict(coloring="heatmap"),
                 colorbar=dict(title=dict(text="f"), thickness=12), hoverinfo="skip", name="f"),
            dict(type="scatter", x=_f32(x), y=_f32(y), mode="lines", name="path (x(t), y(t))",
                 line=dict(color="white", width=3)),
            path_point(at)]
    return fastfig.figure(data, dict(
        title=dict(text="Contour map of f with the path"), height=430, annotations=velocity_arrow(at),
        legend=dict(BOTTOM_LEGEND),
        xaxis=dict(title=dict(text="x"), range=[-BOX, BOX]),
        yaxis=dict(title=dict(text="y"), range=[-BOX, BOX], scaleanchor="x", scaleratio=1)))


def composed_with_tangent(t: np.ndarray, gvals: np.ndarray, at: ChainAt) -> go.Figure:
    data = [dict(type="scatter", x=_f32(t), y=_f32(gvals), mode="lines", name="f(x(t), y(t))"),
            *tangent_and_point(at)]
    yaxis = dict(title=dict(text="f(x(t), y(t))"))
    finite = gvals[np.isfinite(gvals)]
    if finite.size:
        lo, hi = float(finite.min()), float(finite.max())
        pad = 0.15 * (hi - lo or 1.0)
        yaxis["range"] = [lo - pad, hi + pad]
    return fastfig.figure(data, dict(
        title=dict(text="The composed function g(t) = f(x(t), y(t))"), height=430,
        legend=dict(BOTTOM_LEGEND), xaxis=dict(title=dict(text="t")), yaxis=yaxis))


# ---------------------------------------------------------------------------------------------
# Backpropagation explorer
#: below this spread (in the plane's units, the box is 2.1 wide) the drawing is marked, not just drawn
SMALL_DRAWING = 0.05


def drawing(target_plane: np.ndarray, output_plane: np.ndarray, iteration: int) -> go.Figure:
    """The target and the network's drawing. An untrained network maps every t to almost the same
    point, a curve a few thousandths wide: it is then drawn as dots with a ring around them and a
    note giving its true size, rather than as a speck a reader cannot find."""
    closed_t = np.vstack([target_plane, target_plane[:1]])
    out = np.asarray(output_plane, dtype=float)
    data = [dict(type="scatter", x=_f32(closed_t[:, 0]), y=_f32(closed_t[:, 1]), mode="lines+markers",
                 name="target", line=dict(color=C.GREY, width=2), marker=dict(size=4, color=C.DARK_GREY)),
            dict(type="scatter", x=_f32(out[:, 0]), y=_f32(out[:, 1]), mode="lines",
                 name="network's drawing", line=dict(color=C.VERMILION, width=3))]
    annotations = []
    finite = out[np.isfinite(out).all(axis=1)]
    spread = finite.max(axis=0) - finite.min(axis=0) if len(finite) else np.zeros(2)
    if len(finite) and spread.max() < SMALL_DRAWING:
        cx, cy = (float(v) for v in finite.mean(axis=0))
        data[1].update(mode="lines+markers", marker=dict(size=7, color=C.VERMILION))
        data.append(dict(type="scatter", x=[cx], y=[cy], mode="markers", hoverinfo="skip",
                         name=f"the whole drawing: {nice_text(spread[0], 2)} × {nice_text(spread[1], 2)}",
                         marker=dict(size=26, symbol="circle-open", color=C.VERMILION, line=dict(width=2))))
        annotations.append(dict(x=cx, y=cy, xref="x", yref="y", ax=(-60 if cx > 0 else 60),
                                ay=(50 if cy > 0 else -50), showarrow=True, arrowhead=2, arrowcolor=C.VERMILION,
                                text=("untrained: every t lands at<br>almost the same point" if iteration == 0
                                      else "every t lands at<br>almost the same point"),
                                font=dict(color="#a01c1c", size=13), bgcolor="rgba(255,255,255,0.85)"))
    title = ("Untrained network (iteration 0)" if iteration == 0
             else f"What the network draws (iteration {iteration:,})")
    return fastfig.figure(data, dict(
        title=dict(text=title), height=420, annotations=annotations,
        legend=dict(BOTTOM_LEGEND),
        xaxis=dict(range=[-1.05, 1.05], title=dict(text="output 1")),
        yaxis=dict(range=[-1.05, 1.05], title=dict(text="output 2"), scaleanchor="x", scaleratio=1)))


def cost_history(costs: np.ndarray, max_points: int = 400) -> go.Figure:
    """The cost against the iteration, from iteration 0, on a log scale. Markers while the history
    is short (a single point in "lines" mode draws nothing); the x axis always starts at 0 and
    spans at least 10 iterations."""
    costs = np.asarray(costs, dtype=float)
    last = max(costs.size - 1, 0)
    it = np.arange(costs.size)
    if costs.size > max_points:                          # thin out the history for the wire
        keep = np.unique(np.linspace(0, costs.size - 1, max_points).astype(int))
        it, costs = it[keep], costs[keep]
    short = costs.size <= 20
    trace = dict(type="scatter", x=it.tolist(), y=_f32(costs), mode="lines+markers" if short else "lines",
                 name="cost C", line=dict(color=C.BLUE, width=2.5))
    if short:
        trace["marker"] = dict(size=10 if costs.size == 1 else 6, color=C.BLUE)
    yaxis = dict(type="log", title=dict(text="C (log scale)"))
    finite = costs[np.isfinite(costs) & (costs > 0)]
    if finite.size and finite.max() <= 10 * finite.min():   # a flat history: a decade each side
        mid = float(np.log10(np.sqrt(finite.min() * finite.max())))
        yaxis["range"] = [mid - 1, mid + 1]
    title = ("Starting cost: not trained yet" if last == 0
             else f"Cost against iteration ({last:,} so far)")
    return fastfig.figure([trace], dict(title=dict(text=title), height=420,
                                        xaxis=dict(title=dict(text="iteration"), range=[0, max(10, last)]),
                                        yaxis=yaxis, showlegend=False))


def ledger_figure(layers: list[LayerLedger]) -> go.Figure:
    """All factors of every layer on one canvas (one heatmap trace: fast to build and to send).

    Each layer is a band:  ∂C/∂a⁽ˡ⁾ | σ′(z⁽ˡ⁾) | ∂C/∂z⁽ˡ⁾ | ∂C/∂W⁽ˡ⁾ (with the row a⁽ˡ⁻¹⁾ above it,
    so the outer product ∂C/∂z · a⁽ˡ⁻¹⁾ᵀ reads like a multiplication table) | W⁽ˡ⁾.
    Colour is each value relative to the largest magnitude in its own block (red +, blue −);
    the printed number is the value itself.
    """
    GAP, LABEL = 2, 2
    width = max(3 + 2 * lay.W.shape[1] for lay in layers) + 6 * GAP
    rows_z, rows_t, annotations = [], [], []

    def put(block_rows, col0, M, label=None, label_row=None):
        m = float(np.nanmax(np.abs(M))) if M.size else 0.0
        m = m or 1.0
        for i, row in enumerate(M):
            for j, v in enumerate(row):
                block_rows[i][0][col0 + j] = v / m
                block_rows[i][1][col0 + j] = f"{v:.2g}"
        if label:
            annotations.append(dict(x=col0 + (M.shape[1] - 1) / 2, y=label_row, text=label,
                                    showarrow=False, font=dict(size=12), yanchor="middle"))

    top = 0
    for lay in layers:
        n, k = lay.W.shape
        l = lay.layer
        band = [[[np.nan] * width, [""] * width] for _ in range(LABEL + 1 + 1 + n)]
        r0 = LABEL + 2                               # first row of the n-tall blocks
        label_row = top + LABEL - 1
        body = band[r0:]
        col = 0
        for attr, lab in (("dC_da", f"∂C/∂a{superscript(l)}"), ("sigma_prime", f"σ′(z{superscript(l)})"),
                          ("dC_dz", f"∂C/∂z{superscript(l)} = ∂C/∂b{superscript(l)}")):
            put(body, col, np.asarray(getattr(lay, attr)).reshape(-1, 1), lab, label_row)
            col += 1 + GAP
        col += 1
        put(band[LABEL:LABEL + 1], col, np.asarray(lay.a_prev).reshape(1, -1))
        put(body, col, np.asarray(lay.dC_dW), f"a{superscript(l - 1)} above, ∂C/∂W{superscript(l)} below", label_row)
        col += k + GAP
        put(body, col, np.asarray(lay.W), f"W{superscript(l)}", label_row)
        for r in band:
            rows_z.append(r[0])
            rows_t.append(r[1])
        annotations.append(dict(x=-0.5, y=top + r0 + (n - 1) / 2, text=f"<b>layer {l}</b>", showarrow=False,
                                xanchor="right", font=dict(size=13)))
        top += len(band)
    Z = np.array(rows_z, dtype=float)
    return fastfig.figure(
        [dict(type="heatmap", z=_f32(Z), text=rows_t, texttemplate="%{text}", textfont=dict(size=10),
              colorscale="RdBu_r", zmin=-1, zmax=1, showscale=False, xgap=2, ygap=2,
              hovertemplate="%{text}<extra></extra>")],
        dict(annotations=annotations, height=22 * top + 60,
             xaxis=dict(visible=False, range=[-3.5, width]),
             yaxis=dict(visible=False, autorange="reversed"),
             plot_bgcolor="rgba(0,0,0,0)"))
