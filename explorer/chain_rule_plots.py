"""Plotly figures for the chain-rule page (no streamlit here): small, rounded payloads."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explorer.chain_rule import BOX, ChainAt
from explorer.network import LayerLedger


def _r(a, digits: int = 4):
    """Round for the wire (JSON) and turn NaN into None so plotly leaves a gap."""
    a = np.round(np.asarray(a, dtype=float), digits)
    return np.where(np.isfinite(a), a, None).tolist()


def _round_sig(a: np.ndarray, sig: int = 4) -> list:
    a = np.asarray(a, dtype=float)
    out = []
    for v in a.ravel():
        out.append(float(f"{v:.{sig}g}") if np.isfinite(v) else None)
    return np.array(out, dtype=object).reshape(a.shape).tolist()


# ---------------------------------------------------------------------------------------------
# Chain rule on a path
def contour_with_path(g: np.ndarray, Z: np.ndarray, x: np.ndarray, y: np.ndarray, at: ChainAt) -> go.Figure:
    finite = Z[np.isfinite(Z)]
    zmin, zmax = (np.percentile(finite, [2, 98]) if finite.size else (0, 1))
    fig = go.Figure()
    fig.add_trace(go.Contour(x=_r(g, 3), y=_r(g, 3), z=_r(Z, 3), ncontours=18, colorscale="Viridis",
                             zmin=float(zmin), zmax=float(zmax), contours=dict(coloring="heatmap"),
                             colorbar=dict(title="f", thickness=12), hoverinfo="skip", name="f"))
    fig.add_trace(go.Scatter(x=_r(x, 3), y=_r(y, 3), mode="lines", name="path (x(t), y(t))",
                             line=dict(color="white", width=3)))
    fig.add_trace(go.Scatter(x=[at.x], y=[at.y], mode="markers", name="point at t",
                             marker=dict(color="#d62728", size=13, line=dict(color="white", width=2))))
    # the velocity (dx/dt, dy/dt) as an arrow, scaled to a readable length
    speed = float(np.hypot(at.dx_dt, at.dy_dt))
    if np.isfinite(speed) and speed > 0:
        s = 0.8 / speed
        fig.add_annotation(x=at.x + s * at.dx_dt, y=at.y + s * at.dy_dt, ax=at.x, ay=at.y,
                           xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                           arrowhead=3, arrowwidth=2.5, arrowcolor="#d62728", text="")
    fig.update_layout(title="Contour map of f with the path", height=430,
                      legend=dict(orientation="h", y=-0.12),
                      xaxis=dict(title="x", range=[-BOX, BOX]),
                      yaxis=dict(title="y", range=[-BOX, BOX], scaleanchor="x", scaleratio=1))
    return fig


def composed_with_tangent(t: np.ndarray, gvals: np.ndarray, at: ChainAt) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=_r(t, 3), y=_r(gvals), mode="lines", name="f(x(t), y(t))"))
    slope = at.df_dt
    if np.isfinite(slope) and np.isfinite(at.f):
        span = 0.9
        tt = np.array([at.t - span, at.t + span])
        fig.add_trace(go.Scatter(x=_r(tt, 3), y=_r(at.f + slope * (tt - at.t)), mode="lines",
                                 name=f"tangent, slope df/dt = {slope:.4g}",
                                 line=dict(color="#d62728", dash="dash")))
    fig.add_trace(go.Scatter(x=[round(at.t, 4)], y=[None if not np.isfinite(at.f) else round(at.f, 5)],
                             mode="markers", name="t", marker=dict(color="#d62728", size=11)))
    finite = gvals[np.isfinite(gvals)]
    if finite.size:
        lo, hi = float(finite.min()), float(finite.max())
        pad = 0.15 * (hi - lo or 1.0)
        fig.update_yaxes(range=[lo - pad, hi + pad])
    fig.update_layout(title="The composed function g(t) = f(x(t), y(t))", height=430,
                      legend=dict(orientation="h", y=-0.15), xaxis_title="t", yaxis_title="f(x(t), y(t))")
    return fig


# ---------------------------------------------------------------------------------------------
# Backpropagation explorer
def drawing(target_plane: np.ndarray, output_plane: np.ndarray, iteration: int) -> go.Figure:
    fig = go.Figure()
    closed_t = np.vstack([target_plane, target_plane[:1]])
    fig.add_trace(go.Scatter(x=_r(closed_t[:, 0], 3), y=_r(closed_t[:, 1], 3), mode="lines+markers",
                             name="target", line=dict(color="#bbbbbb", width=2),
                             marker=dict(size=4, color="#999999")))
    fig.add_trace(go.Scatter(x=_r(output_plane[:, 0], 3), y=_r(output_plane[:, 1], 3), mode="lines",
                             name="network's drawing", line=dict(color="#d62728", width=3)))
    fig.update_layout(title=f"What the network draws (iteration {iteration})", height=420,
                      legend=dict(orientation="h", y=-0.1),
                      xaxis=dict(range=[-1.05, 1.05], title="output 1"),
                      yaxis=dict(range=[-1.05, 1.05], title="output 2", scaleanchor="x", scaleratio=1))
    return fig


def cost_history(costs: np.ndarray, max_points: int = 400) -> go.Figure:
    costs = np.asarray(costs, dtype=float)
    it = np.arange(costs.size)
    if costs.size > max_points:                          # thin out the history for the wire
        keep = np.unique(np.linspace(0, costs.size - 1, max_points).astype(int))
        it, costs = it[keep], costs[keep]
    fig = go.Figure(go.Scatter(x=it.tolist(), y=_round_sig(costs), mode="lines", name="cost C"))
    fig.update_layout(title="Cost against iteration", height=420, xaxis_title="iteration",
                      yaxis=dict(type="log", title="C (log scale)"), showlegend=False)
    return fig


LEDGER_COLUMNS = [
    ("dC_da", r"∂C/∂a⁽ˡ⁾"),
    ("sigma_prime", "σ′(z⁽ˡ⁾)"),
    ("dC_dz", "∂C/∂z⁽ˡ⁾ = ∂C/∂b⁽ˡ⁾"),
    ("a_prev", "a⁽ˡ⁻¹⁾"),
    ("dC_dW", "∂C/∂W⁽ˡ⁾"),
    ("W", "W⁽ˡ⁾"),
]


def ledger_figure(layers: list[LayerLedger]) -> go.Figure:
    """One row per layer; columns: ∂C/∂a, σ′(z), their product ∂C/∂z, a⁽ˡ⁻¹⁾, ∂C/∂W, W."""
    sup = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    titles = []
    for lay in layers:
        for _, label in LEDGER_COLUMNS:
            titles.append(label.replace("⁽ˡ⁾", f"⁽{str(lay.layer).translate(sup)}⁾")
                          .replace("⁽ˡ⁻¹⁾", f"⁽{str(lay.layer - 1).translate(sup)}⁾"))
    widths = [1, 1, 1, 1, 3, 3]
    fig = make_subplots(rows=len(layers), cols=len(LEDGER_COLUMNS), subplot_titles=titles,
                        column_widths=widths, horizontal_spacing=0.035, vertical_spacing=0.09)
    for r, lay in enumerate(layers, start=1):
        for c, (attr, _) in enumerate(LEDGER_COLUMNS, start=1):
            v = np.asarray(getattr(lay, attr), dtype=float)
            M = v.reshape(-1, 1) if v.ndim == 1 else v
            # diverging colours centred on zero: the sign of each factor matters
            m = float(np.max(np.abs(M))) or 1.0
            text = [[f"{val:.2g}" for val in row] for row in M]
            fig.add_trace(go.Heatmap(z=_round_sig(M), zmin=-m, zmax=m, colorscale="RdBu_r",
                                     showscale=False, text=text, texttemplate="%{text}",
                                     textfont=dict(size=9), xgap=1, ygap=1,
                                     hovertemplate="row %{y}, col %{x}: %{z}<extra></extra>"),
                          row=r, col=c)
            fig.update_xaxes(showticklabels=False, row=r, col=c)
            fig.update_yaxes(showticklabels=False, autorange="reversed", row=r, col=c)
    fig.update_annotations(font_size=12)
    fig.update_layout(height=210 * len(layers) + 40, margin=dict(t=40))
    return fig
