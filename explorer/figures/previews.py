"""Small static preview figures for the course map (numpy + plotly only: cheap to build)."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer.figures import colours as C  # Okabe–Ito, each >= 3:1 on white


def _small(fig: go.Figure) -> go.Figure:
    fig.update_layout(height=170, margin=dict(l=0, r=0, t=0, b=0), showlegend=False,
                      xaxis=dict(visible=False), yaxis=dict(visible=False),
                      plot_bgcolor="rgba(0,0,0,0)", paper_bgcolor="rgba(0,0,0,0)")
    return fig


def derivatives() -> go.Figure:
    x = np.linspace(-0.2, 2.2, 60)
    x0, h = 0.8, 0.9
    fig = go.Figure([go.Scatter(x=x, y=x ** 2, name="f(x) = x²", line=dict(color=C.BLUE, width=3)),
                     go.Scatter(x=[x0, x0 + h], y=[x0 ** 2, (x0 + h) ** 2], mode="lines+markers",
                                name="secant", line=dict(color=C.VERMILION, width=3)),
                     go.Scatter(x=[x0, x0 + h, x0 + h], y=[x0 ** 2, x0 ** 2, (x0 + h) ** 2],
                                mode="lines", name="run and rise", line=dict(color=C.GREY, dash="dot"))])
    return _small(fig)


def multivariate() -> go.Figure:
    g = np.linspace(-2, 2, 30)
    X, Y = np.meshgrid(g, g)
    fig = go.Figure(go.Contour(x=g, y=g, z=X ** 2 - Y ** 2, showscale=False, colorscale="RdBu",
                                name="f(x, y) = x² − y²"))
    s = np.linspace(-1.6, 1.6, 5)
    SX, SY = np.meshgrid(s, s)
    U, V = -2 * SX * 0.15, 2 * SY * 0.15
    xs = np.column_stack([SX.ravel(), (SX + U).ravel(), np.full(SX.size, np.nan)]).ravel()
    ys = np.column_stack([SY.ravel(), (SY + V).ravel(), np.full(SX.size, np.nan)]).ravel()
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="gradient arrows",
                             line=dict(color="black", width=2)))
    return _small(fig)


def chain_rule() -> go.Figure:
    t = np.linspace(0, 1, 200)
    x = 16 * np.sin(2 * np.pi * t) ** 3 / 20
    y = (13 * np.cos(2 * np.pi * t) - 5 * np.cos(4 * np.pi * t) - 2 * np.cos(6 * np.pi * t)
         - np.cos(8 * np.pi * t)) / 20
    fig = go.Figure(go.Scatter(x=x, y=y, name="the path (x(t), y(t))", line=dict(color=C.VERMILION, width=3)))
    fig.update_yaxes(scaleanchor="x")
    return _small(fig)


def taylor() -> go.Figure:
    x = np.linspace(-6, 6, 200)
    fig = go.Figure([go.Scatter(x=x, y=np.sin(x), name="sin x", line=dict(color=C.BLUE, width=3))])
    for n, c, dash in [(1, C.GREY, "dot"), (3, C.DARK_GREY, "dash"), (7, C.VERMILION, "solid")]:
        k = np.arange(n + 1)
        terms = [((-1) ** (j // 2) * x ** j / np.prod(np.arange(1, j + 1))) if j % 2 else 0 * x for j in k]
        fig.add_trace(go.Scatter(x=x, y=np.sum(terms, axis=0), name=f"Taylor polynomial of order {n}",
                                 line=dict(color=c, width=2, dash=dash)))
    fig.update_yaxes(range=[-2, 2])
    return _small(fig)


def optimisation() -> go.Figure:
    g = np.linspace(-2, 2, 40)
    X, Y = np.meshgrid(g, g)
    fig = go.Figure(go.Contour(x=g, y=g, z=X ** 2 + 6 * Y ** 2, showscale=False, colorscale="Viridis",
                             name="f(x, y) = x² + 6y²"))
    p = np.array([1.8, 1.5]); path = [p.copy()]
    for _ in range(12):
        p = p - 0.12 * np.array([2 * p[0], 12 * p[1]]); path.append(p.copy())
    path = np.array(path)
    fig.add_trace(go.Scatter(x=path[:, 0], y=path[:, 1], mode="lines+markers",
                             name="gradient descent path", line=dict(color="white", width=2), marker=dict(size=5)))
    return _small(fig)


def regression() -> go.Figure:
    rng = np.random.default_rng(1)
    x = np.linspace(0, 10, 18)
    y = 0.8 * x + 1 + rng.normal(0, 1, x.size)
    m, c = np.polyfit(x, y, 1)
    xs = np.column_stack([x, x, np.full_like(x, np.nan)]).ravel()
    ys = np.column_stack([y, m * x + c, np.full_like(x, np.nan)]).ravel()
    fig = go.Figure([go.Scatter(x=xs, y=ys, mode="lines", name="residuals", line=dict(color=C.GREY, width=1)),
                     go.Scatter(x=x, y=y, mode="markers", name="data", marker=dict(size=7, color=C.BLUE)),
                     go.Scatter(x=[0, 10], y=[c, 10 * m + c], mode="lines", name="least-squares line",
                                line=dict(color=C.VERMILION, width=3))])
    return _small(fig)
