"""Plotly figures for the regression page (no streamlit here)."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer import regression as rg

MAX_POINTS = 1500       # points drawn in a scatter: the chart never gets the whole file
MAX_SEGMENTS = 150      # residual segments drawn


def _sub(x, y, s=None, max_points=MAX_POINTS):
    idx = rg.subsample(len(x), max_points)
    return np.asarray(x)[idx], np.asarray(y)[idx], None if s is None else np.asarray(s)[idx]


def _r(a, digits=5):
    return rg._round(np.asarray(a, float), digits)


def data_trace(x, y, s=None, name="data"):
    xs, ys, ss = _sub(x, y, s)
    err = dict(type="data", array=_r(ss, 3), visible=True, thickness=1) if ss is not None and len(xs) <= 300 else None
    return go.Scatter(x=_r(xs), y=_r(ys), mode="markers", name=name, error_y=err,
                      marker=dict(size=6 if len(xs) < 300 else 3, color="#1f77b4"))


def hand_fit_figure(x, y, s, m, c, xlabel="x", ylabel="y", best=None):
    fig = go.Figure()
    fig.add_trace(data_trace(x, y, s))
    xs, ys, _ = _sub(x, y, s, MAX_SEGMENTS)
    seg_x = np.column_stack([xs, xs, np.full(len(xs), np.nan)]).ravel()
    seg_y = np.column_stack([ys, m * xs + c, np.full(len(xs), np.nan)]).ravel()
    fig.add_trace(go.Scatter(x=_r(seg_x), y=_r(seg_y), mode="lines", name="residuals",
                             line=dict(color="#d62728", width=1)))
    lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
    line_x = np.array([lo, hi])
    fig.add_trace(go.Scatter(x=line_x, y=_r(m * line_x + c), mode="lines", name="your line",
                             line=dict(color="#ff7f0e", width=3)))
    if best is not None:
        fig.add_trace(go.Scatter(x=line_x, y=_r(best[0] * line_x + best[1]), mode="lines",
                                 name="least squares", line=dict(color="#2ca02c", dash="dash")))
    fig.update_layout(xaxis_title=xlabel, yaxis_title=ylabel, height=420,
                      legend=dict(orientation="h", y=1.12), title="Fit by hand")
    return fig


def landscape_figure(ms, cs, Z, hand, best, path_m=None, path_c=None, xname="m", yname="c",
                     title="χ² landscape"):
    with np.errstate(all="ignore"):
        L = _r(np.log10(np.maximum(np.asarray(Z, float), 1e-300)), 3)
    fig = go.Figure(go.Contour(x=ms, y=cs, z=L, ncontours=25, colorscale="Viridis", reversescale=True,
                               colorbar=dict(title="log₁₀ χ²"), contours=dict(coloring="heatmap"),
                               name="log₁₀ χ²", hoverinfo="skip"))
    if path_m is not None and len(path_m) > 1:
        fig.add_trace(go.Scatter(x=_r(path_m), y=_r(path_c), mode="lines+markers", name="gradient descent",
                                 line=dict(color="white", width=2), marker=dict(size=4, color="white")))
    fig.add_trace(go.Scatter(x=[hand[0]], y=[hand[1]], mode="markers", name="start (your hand pick)",
                             marker=dict(size=13, color="#ff7f0e", symbol="circle", line=dict(color="black", width=1))))
    fig.add_trace(go.Scatter(x=[best[0]], y=[best[1]], mode="markers", name="optimum",
                             marker=dict(size=15, color="#d62728", symbol="x", line=dict(color="white", width=1))))
    fig.update_layout(xaxis_title=xname, yaxis_title=yname, height=420, title=title,
                      legend=dict(orientation="h", y=-0.18))
    fig.update_xaxes(range=[float(ms[0]), float(ms[-1])])
    fig.update_yaxes(range=[float(cs[0]), float(cs[-1])])
    return fig


def model_figure(x, y, s, curves, xlabel="x", ylabel="y"):
    """Data with model curves: ``curves`` = [(name, xs, ys, colour, dash)]."""
    fig = go.Figure(data_trace(x, y, s))
    for name, cx, cy, colour, dash in curves:
        fig.add_trace(go.Scatter(x=_r(cx), y=_r(cy), mode="lines", name=name,
                                 line=dict(color=colour, dash=dash, width=3)))
    fig.update_layout(xaxis_title=xlabel, yaxis_title=ylabel, height=420,
                      legend=dict(orientation="h", y=1.12), title="Data and fitted models")
    return fig


def residual_figure(x, r, normalised: bool, xlabel="x"):
    xs, rs, _ = _sub(x, r)
    fig = go.Figure(go.Scatter(x=_r(xs), y=_r(rs), mode="markers", name="residual",
                               marker=dict(size=6 if len(xs) < 300 else 3, color="#9467bd")))
    fig.add_hline(y=0, line=dict(color="black", width=1))
    if normalised:
        for v in (-2, 2):
            fig.add_hline(y=v, line=dict(color="grey", dash="dot", width=1))
    fig.update_layout(xaxis_title=xlabel, yaxis_title="(y − f(x)) / σ" if normalised else "y − f(x)",
                      height=300, title="Residuals of the library fit", showlegend=False)
    return fig
