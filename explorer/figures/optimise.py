"""Plotly figures for the Optimisation page (no streamlit here): Newton tangents, basin strip,
descent paths on contours and surfaces, f against iteration, Lagrange contours with gradient arrows.

Every figure is written as the plain dicts plotly.js reads and wrapped by ``explorer.fastfig``
(no per-property validation: a slider step rebuilds them in well under a millisecond each);
``tests/unit/test_optimise_figures.py`` runs plotly's full validation over each builder's output."""
from __future__ import annotations

import math

import numpy as np
import pandas  # noqa: F401  - finish importing pandas here: plotly only peeks at sys.modules, and a
#                             half-imported pandas (another thread warming up) breaks its checks
import plotly.graph_objects as go

from explorer.figures import colours as C
from explorer.figures import fastfig
from explorer.expressions import compile_expression
from explorer.numbers import round_sig, round_to_scale, subscript
from explorer.optimise import METHODS, Basins, ConstraintWalk, DescentResult, LagrangePoint, NewtonResult

SIG = 5   # significant figures of the largest value kept in the numbers sent (small JSON)

# Okabe–Ito (figures/colours.py): >= 3:1 on white, apart under colour-vision deficiencies, and a dash each.
METHOD_COLOURS = {"gradient": C.VERMILION, "newton": C.BLUE, "hybrid": C.GREEN,
                  "momentum": C.PURPLE, "adam": C.ORANGE}
METHOD_DASHES = {"gradient": "solid", "newton": "dash", "hybrid": "dot", "momentum": "dashdot", "adam": "longdash"}
ROOT_COLOURS = [C.BLUE, C.VERMILION, C.GREEN, C.ORANGE, C.PURPLE, C.YELLOW]   # neighbours apart for all
FAIL_COLOUR = C.DARK_GREY


def _yrange(y: np.ndarray, include=()):
    fin = y[np.isfinite(y)]
    if not len(fin):
        return [-1, 1]
    lo, hi = np.quantile(fin, 0.03), np.quantile(fin, 0.97)
    vals = [lo, hi, *include]
    lo, hi = min(vals), max(vals)
    pad = 0.15 * (hi - lo or 1.0)
    return [float(lo - pad), float(hi + pad)]


# ---------------------------------------------------------------------------------------------
# Newton-Raphson
MAX_LABELS = 8          # at most this many xₙ labels on the axis
LABEL_SPACING = 0.07    # labels at least this fraction of the x range apart
# legends sit under the chart, at the bottom of the figure (container coordinates): plotly reserves
# the room, so they never cover the title or the x-axis title, in presenter mode too
LEGEND_BELOW = dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0, xanchor="left")


def newton_view(res: NewtonResult, shown: int, window: tuple[float, float]) -> tuple[list, list]:
    """The x and y ranges of the Newton chart, chosen from the iterates drawn (not the whole window).

    x spans x₀ … x_shown (those outside ``window`` pulled in to its edge, where an arrow says where
    they went) with 15 % to spare and at least 5 % of the window's width; y spans f over that range
    (its 3–97 % quantiles, so a pole does not flatten everything), 0 and the f(xₙ) drawn.
    """
    lo, hi = window
    h = res.history[: shown + 1]
    pts = np.clip(h[np.isfinite(h)], lo, hi)
    a, b = (float(pts.min()), float(pts.max())) if len(pts) else (lo, hi)
    span = max(b - a, 0.05 * (hi - lo))
    mid = (a + b) / 2
    a, b = mid - span / 2, mid + span / 2
    xr = [a - 0.15 * span, b + 0.15 * span]
    f = compile_expression(res.f, ("x",))
    ys = f(np.linspace(xr[0], xr[1], 400))
    fx = res.fx[: shown + 1]
    inside = fx[(h[: len(fx)] >= xr[0]) & (h[: len(fx)] <= xr[1]) & np.isfinite(fx)]
    return [float(v) for v in xr], _yrange(ys, include=(0.0, *inside.tolist()))


def newton_curve(res: NewtonResult, shown: int, window: tuple[float, float], n: int = 600):
    """``(xs, f(xs), y range)`` over the Newton chart's view: the curve its audio trace plays."""
    xr, yr = newton_view(res, shown, window)
    xs = np.linspace(xr[0], xr[1], n)
    return xs, np.broadcast_to(np.asarray(compile_expression(res.f, ("x",))(xs), dtype=float), xs.shape), yr


def legible_labels(xs: np.ndarray, xrange: list, max_labels: int = MAX_LABELS,
                   spacing: float = LABEL_SPACING) -> list[int]:
    """Which of the points xs (x₀, x₁, …) get a label: x₀, then the last, then x₁, x₂, … in turn,
    each only if it is on the chart and at least ``spacing`` of the x range from every label
    taken; at most ``max_labels``."""
    n = len(xs)
    order = [0, n - 1] + list(range(1, n - 1)) if n > 1 else list(range(n))
    gap = spacing * (xrange[1] - xrange[0])
    taken: list[int] = []
    for k in order:
        x = xs[k]
        if len(taken) >= max_labels or not (xrange[0] <= x <= xrange[1]):
            continue
        if all(abs(x - xs[j]) >= gap for j in taken):
            taken.append(k)
    return sorted(taken)


def newton_figure(res: NewtonResult, shown: int, window: tuple[float, float], curve: bool = True) -> go.Figure:
    """``curve=False`` leaves f out (a drag frame: the curve drawn never moves)."""
    h, fx = res.history, res.fx
    shown = max(0, min(shown, len(h) - 1, len(fx)))
    xr, yr = newton_view(res, shown, window)
    # f over the view and as far again either side (a pan or zoom out still finds it), and over every
    # view x₀ can give (the window and 15 % either side) for the drag frames; 5 significant figures
    # each (to the largest value's, a minimum far below it would be drawn as steps), as float32
    w, span = xr[1] - xr[0], window[1] - window[0]
    xs = np.union1d(np.linspace(xr[0] - w, xr[1] + w, 600),
                    np.linspace(window[0] - 0.15 * span, window[1] + 0.15 * span, 400)) if curve else np.zeros(0)
    xs = round_to_scale(xs, SIG).astype(np.float32)            # f at the x sent: each point on the curve
    ys = np.asarray(compile_expression(res.f, ("x",))(xs.astype(float)), dtype=float) * np.ones(len(xs))
    data = [dict(type="scatter", x=xs, y=round_sig(ys, SIG).astype(np.float32), name="f(x)",
                 line=dict(color="#333", width=2))]
    tx, ty, vx, vy = [], [], [], []
    for k in range(shown):
        a, b = h[k], h[k + 1]
        d = b - a
        # the tangent from (x_k, f(x_k)) down to its crossing (x_{k+1}, 0), a little beyond both ends
        tx += [a - 0.15 * d, b + 0.15 * d, None]
        ty += [fx[k] * 1.15, -0.15 * fx[k], None]
        if k + 1 < len(fx):
            vx += [b, b, None]
            vy += [0, fx[k + 1], None]
    data.append(dict(type="scatter", x=round_to_scale(tx, SIG), y=round_to_scale(ty, SIG), mode="lines",
                     name="tangent lines",
                     line=dict(color=C.VERMILION, width=2)))
    data.append(dict(type="scatter", x=round_to_scale(vx, SIG), y=round_to_scale(vy, SIG), mode="lines",
                     name="back up to f",
                     line=dict(color=C.VERMILION, width=1, dash="dot"), showlegend=False))
    px = h[: shown + 1]
    labelled = set(legible_labels(px, xr))
    data.append(dict(type="scatter", x=round_to_scale(px, SIG), y=np.zeros(len(px)), mode="markers+text",
                     name="xₙ on the axis",
                     text=[f"x{subscript(k)}" if k in labelled else "" for k in range(len(px))],
                     textposition="bottom center",
                     marker=dict(color=C.VERMILION, size=9, symbol="x")))
    annotations = []
    for left in (True, False):      # one arrow a side: the first guess thrown off it, and a count
        off = [(k, xk) for k, xk in enumerate(px) if (xk < xr[0] if left else xk > xr[1])]
        if off:
            k, xk = off[0]
            more = f" (and {len(off) - 1} more)" if len(off) > 1 else ""
            annotations.append(dict(x=xr[0] if left else xr[1], y=0, text=f"x{subscript(k)} = {xk:.4g} is off the chart{more}",
                                    showarrow=True, ax=25 if left else -25, ay=-45, arrowcolor=C.VERMILION,
                                    xanchor="left" if left else "right", bgcolor="rgba(255,255,255,0.85)",
                                    font=dict(color="#b71c1c"), arrowhead=2))
    cur = min(shown, len(fx) - 1)
    if cur >= 0:
        data.append(dict(type="scatter", x=[float(h[cur])], y=[float(fx[cur])], mode="markers",
                         name=f"(x{subscript(cur)}, f(x{subscript(cur)}))", marker=dict(color=C.BLUE, size=12)))
    layout = dict(height=450, xaxis=dict(range=xr, title=dict(text="x")),
                  yaxis=dict(range=yr, title=dict(text="f(x)")),
                  legend=LEGEND_BELOW,
                  title=dict(text="Newton-Raphson: follow the tangent to the axis"),
                  shapes=[dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=0, y1=0,
                               line=dict(color=C.GREY, width=1))],
                  annotations=annotations)      # [] when none: a drag frame swaps the list as a whole
    return fastfig.figure(data, layout)


def _runs(x: np.ndarray, mask: np.ndarray) -> tuple[list, list]:
    """The stretches of ``x`` where ``mask`` holds, as filled boxes (one polygon per stretch, None
    between them), each stretch reaching half-way to its neighbours so the strip has no holes."""
    if not mask.any():
        return [], []
    edges = np.concatenate([[x[0]], (x[1:] + x[:-1]) / 2, [x[-1]]])
    m = np.concatenate([[False], mask, [False]]).astype(int)
    starts = np.flatnonzero(np.diff(m) == 1)
    ends = np.flatnonzero(np.diff(m) == -1)
    xs, ys = [], []
    for a, b in zip(round_to_scale(edges[starts], SIG).tolist(), round_to_scale(edges[ends], SIG).tolist()):
        xs += [a, b, b, a, a, None]
        ys += [-0.25, -0.25, 0.25, 0.25, -0.25, None]
    return xs, ys


def basin_figure(b: Basins, x0: float) -> go.Figure:
    """The basin strip: each run of starting points that reach the same root is one filled box
    (a few numbers per stretch instead of one marker per starting point: light to send and to draw)."""
    data = []
    for i, r in enumerate(b.roots):
        xs, ys = _runs(b.x0, b.label == i)
        col = ROOT_COLOURS[i % len(ROOT_COLOURS)]
        data.append(dict(type="scatter", x=xs, y=ys, mode="lines", fill="toself", fillcolor=col,
                         name=f"→ root {r:.4g}", hoveron="fills", line=dict(width=1, color=col)))
    m = b.label < 0
    if m.any():
        xs, ys = _runs(b.x0, m)
        data.append(dict(type="scatter", x=xs, y=ys, mode="lines", fill="toself", fillcolor=FAIL_COLOUR,
                         name="fails", hoveron="fills", line=dict(width=1, color=FAIL_COLOUR)))
    inside = b.roots[(b.roots >= b.x0[0]) & (b.roots <= b.x0[-1])]
    data.append(dict(type="scatter", x=round_to_scale(inside, SIG), y=np.full(len(inside), 0.6), mode="markers",
                     name="roots",
                     marker=dict(symbol="triangle-down", size=13, color="black")))
    data.append(dict(type="scatter", x=[float(x0)], y=[-0.6], mode="markers", name="your x₀",
                     marker=dict(symbol="triangle-up", size=13, color=C.VERMILION)))
    layout = dict(height=250, yaxis=dict(visible=False, range=[-1, 1]),
                  xaxis=dict(range=[float(b.x0[0]), float(b.x0[-1])], title=dict(text="starting point x₀")),
                  legend=LEGEND_BELOW,
                  title=dict(text="Basins: where Newton goes from each x₀"))
    return fastfig.figure(data, layout)


# ---------------------------------------------------------------------------------------------
# Descent
def _thin(path: np.ndarray, keep: int = 400) -> np.ndarray:
    if len(path) <= keep:
        return path
    idx = np.unique(np.concatenate([np.arange(100), np.linspace(100, len(path) - 1, keep - 100).astype(int)]))
    return path[idx]


def descent_contour(grid, runs: list[DescentResult], window, newton_marks: bool = True,
                    keep: int = 400) -> go.Figure:
    """The contour map with the paths (each thinned to ``keep`` points). It is drawn with ``ui.chart_live(..., on_click=...)``: a
    click anywhere on the plotting area picks the start (see ``optimise.start_from_click``)."""
    xs, ys, Z = grid
    # shade and space the contours by log(1 + f − min f): deep narrow valleys (Rosenbrock,
    # Himmelblau) stay visible next to the steep walls
    with np.errstate(all="ignore"):
        shade = round_to_scale(np.log1p(Z - np.nanmin(Z)), 4) if np.isfinite(Z).any() else Z
    data = [dict(type="contour", x=xs, y=ys, z=fastfig.grid32(shade), ncontours=30, colorscale="Viridis", showscale=False,
                 contours=dict(coloring="heatmap", showlines=True), hoverinfo="skip",
                 name="f", opacity=0.85)]
    for r in runs:
        p = _thin(r.history, keep)
        col = METHOD_COLOURS.get(r.method, "#000")
        data.append(dict(type="scatter", x=round_to_scale(p[:, 0], SIG), y=round_to_scale(p[:, 1], SIG),
                         mode="lines+markers",
                         name=f"{METHODS[r.method]} ({r.nit} steps)",
                         line=dict(color=col, width=2, dash=METHOD_DASHES.get(r.method, "solid")), marker=dict(size=4, color=col)))
        data.append(dict(type="scatter", x=[float(round_to_scale(p[-1, 0], SIG))],
                         y=[float(round_to_scale(p[-1, 1], SIG))],
                         mode="markers", showlegend=False,
                         marker=dict(size=12, color=col, symbol="x"), hoverinfo="skip"))
    if runs:
        s = runs[0].history[0]
        data.append(dict(type="scatter", x=[float(s[0])], y=[float(s[1])], mode="markers", name="start",
                         marker=dict(size=14, color="white", line=dict(color="black", width=2))))
    layout = dict(height=520,
                  xaxis=dict(range=[float(window[0]), float(window[1])], title=dict(text="x"), constrain="domain"),
                  yaxis=dict(range=[float(window[2]), float(window[3])], title=dict(text="y"),
                             scaleanchor="x", scaleratio=1),
                  legend=dict(orientation="h", y=-0.22), dragmode="pan",
                  title=dict(text="Paths on the contour map (click to choose a start)<br>"
                                  "<sup>contours spaced on a log scale of f − min f</sup>"))
    return fastfig.figure(data, layout)


SURFACE_LIFT = 0.02     # paths ride this fraction of the z range above the surface


def surface_camera(window, start) -> dict:
    """A camera that looks down at the surface from the side opposite the start, so a path that
    runs downhill from the start lies on the slopes facing the viewer (from the default corner view
    the Bowl's path ran up the near wall, whose underside hid it)."""
    cx, cy = (window[0] + window[1]) / 2, (window[2] + window[3]) / 2
    ux, uy = (start[0] - cx) / (window[1] - window[0]), (start[1] - cy) / (window[3] - window[2])
    n = float(np.hypot(ux, uy))
    if n < 1e-9:
        ux, uy, n = -1.0, -1.0, float(np.hypot(1.0, 1.0))      # a start in the middle: any side
    # turned 40° off the line through the start, so the path is seen from the side, not end-on
    c, s = math.cos(math.radians(40)), math.sin(math.radians(40))
    ex, ey = -(c * ux - s * uy) / n, -(s * ux + c * uy) / n
    return dict(eye=dict(x=1.6 * ex, y=1.6 * ey, z=1.3))


def descent_surface(grid, runs: list[DescentResult], window, keep: int = 300) -> go.Figure:
    xs, ys, Z = grid
    fin = Z[np.isfinite(Z)]
    zr = [float(fin.min()), float(fin.max())] if len(fin) else [-1, 1]
    data = [dict(type="surface", x=xs, y=ys, z=fastfig.grid32(Z), colorscale="Viridis", showscale=False, opacity=0.8,
                 name="f", hoverinfo="skip")]
    lift = SURFACE_LIFT * (zr[1] - zr[0])       # just above the surface, so it is not hidden in it
    for r in runs:
        p = _thin(r.history, keep)
        v = _thin(r.values[:, None], keep)[:, 0] if len(r.values) == len(r.history) else None
        if v is None:
            continue
        m = (p[:, 0] >= window[0]) & (p[:, 0] <= window[1]) & (p[:, 1] >= window[2]) & (p[:, 1] <= window[3])
        col = METHOD_COLOURS.get(r.method, "#000")
        data.append(dict(type="scatter3d", x=round_to_scale(p[m, 0], SIG), y=round_to_scale(p[m, 1], SIG),
                         z=round_to_scale(v[m] + lift, SIG),
                         mode="lines+markers", name=METHODS[r.method], line=dict(color=col, width=7, dash=METHOD_DASHES.get(r.method, "solid")),
                         marker=dict(size=4, color=col, line=dict(color="white", width=1))))
    scene = dict(xaxis=dict(title=dict(text="x")), yaxis=dict(title=dict(text="y")),
                 zaxis=dict(title=dict(text="f"), range=[zr[0], zr[1] + 2 * lift]), aspectmode="cube")
    if runs:
        scene["camera"] = surface_camera(window, runs[0].history[0])
    layout = dict(height=520, scene=scene, title=dict(text="The same paths on the surface"), showlegend=False)
    return fastfig.figure(data, layout)


def descent_values(runs: list[DescentResult], keep: int = 600) -> go.Figure:
    """f(x_k) − (lowest f reached by any run) on a log scale, against k (``keep`` points a run)."""
    lows = [np.nanmin(r.values) for r in runs if len(r.values)]
    low = min(lows) if lows else 0.0
    data = []
    for r in runs:
        gap = r.values - low
        k = np.arange(len(gap))
        m = np.isfinite(gap) & (gap > 0)
        k, gap = k[m], gap[m]
        if len(k) > keep:
            idx = np.unique(np.geomspace(1, len(k), keep).astype(int) - 1)
            k, gap = k[idx], gap[idx]
        line = dict(color=METHOD_COLOURS.get(r.method, "#000"), width=2, dash=METHOD_DASHES.get(r.method, "solid"))
        data.append(dict(type="scatter", x=k, y=round_sig(gap, 4), mode="lines", name=METHODS[r.method], line=line))
    layout = dict(height=360,
                  yaxis=dict(type="log", title=dict(text="f(xₖ) − lowest f reached"), exponentformat="power"),
                  xaxis=dict(title=dict(text="iteration k")), legend=dict(orientation="h", y=-0.3),
                  title=dict(text="How fast f falls (log scale)"))
    return fastfig.figure(data, layout)


# ---------------------------------------------------------------------------------------------
# Lagrange multipliers
def lagrange_figure(fgrid, ggrid, walk: ConstraintWalk | None, idx: int, points: list[LagrangePoint],
                    window) -> go.Figure:
    xs, ys, F = fgrid
    G = ggrid[2] if ggrid is not None else None
    data = [dict(type="contour", x=xs, y=ys, z=F, ncontours=25, colorscale=C.VIRIDIS_DARK, showscale=False,
                 contours=dict(coloring="lines"), line=dict(width=1.5), name="contours of f",
                 hoverinfo="skip", showlegend=True)]
    if walk is not None and len(walk.x):
        # the traced curve g = 0 (exact to 1e-13, and far fewer numbers than a second grid)
        cx, cy = [], []
        for c in np.unique(walk.component):
            m = walk.component == c
            cx += round_to_scale(walk.x[m], SIG).tolist() + [None]
            cy += round_to_scale(walk.y[m], SIG).tolist() + [None]
        data.append(dict(type="scatter", x=cx, y=cy, mode="lines", line=dict(color=C.VERMILION, width=3),
                         name="g(x, y) = 0", hoverinfo="skip"))
    elif G is not None:
        data.append(dict(type="contour", x=xs, y=ys, z=G, contours=dict(start=0, end=0, size=1, coloring="none"),
                         line=dict(color=C.VERMILION, width=3), showscale=False, name="g(x, y) = 0",
                         hoverinfo="skip", showlegend=True))
    for kind, sym, col in (("max", "triangle-up", C.GREEN), ("min", "triangle-down", C.PURPLE),
                           ("other", "circle", C.DARK_GREY)):
        pts = [p for p in points if p.kind == kind]
        if pts:
            data.append(dict(type="scatter", x=[float(p.x) for p in pts], y=[float(p.y) for p in pts],
                             mode="markers", name=f"solution ({kind})",
                             marker=dict(size=13, symbol=sym, color=col, line=dict(color="black", width=1)),
                             hovertemplate="(%{x:.4f}, %{y:.4f})<extra></extra>"))
    annotations = []
    if walk is not None and len(walk.x):
        i = int(np.clip(idx, 0, len(walk.x) - 1))
        px, py = float(walk.x[i]), float(walk.y[i])
        data.append(dict(type="scatter", x=[px], y=[py], mode="markers", name="moving point",
                         marker=dict(size=14, color=C.ORANGE, line=dict(color="black", width=1.5))))
        L = 0.12 * max(window[1] - window[0], window[3] - window[2])
        for vec, col, label in ((walk.grad_f[i], C.BLUE, "∇f"), (walk.grad_g[i], C.VERMILION, "∇g")):
            n = float(np.hypot(*vec))
            if not np.isfinite(n) or n == 0:
                continue
            ex, ey = px + L * float(vec[0]) / n, py + L * float(vec[1]) / n
            annotations.append(dict(x=ex, y=ey, ax=px, ay=py, xref="x", yref="y", axref="x", ayref="y",
                                    showarrow=True, arrowhead=3, arrowsize=1.3, arrowwidth=3, arrowcolor=col,
                                    text=""))
            annotations.append(dict(x=px + 1.22 * (ex - px), y=py + 1.22 * (ey - py), text=f"<b>{label}</b>",
                                    showarrow=False, font=dict(color={C.VERMILION: C.DARK_VERMILION}.get(col, col), size=17)))
    layout = dict(height=520,
                  xaxis=dict(range=[float(window[0]), float(window[1])], title=dict(text="x"), constrain="domain"),
                  yaxis=dict(range=[float(window[2]), float(window[3])], title=dict(text="y"),
                             scaleanchor="x", scaleratio=1),
                  legend=dict(orientation="h", y=-0.22),
                  title=dict(text="Contours of f, the constraint g = 0, and the two gradients"))
    if annotations:
        layout["annotations"] = annotations
    return fastfig.figure(data, layout)


def along_figure(walk: ConstraintWalk, idx: int, points: list[LagrangePoint]) -> go.Figure:
    s, f = walk.s, walk.f
    # separate pieces of the curve are drawn as separate lines
    xs_, fs_ = [], []
    for c in np.unique(walk.component):
        m = walk.component == c
        xs_ += round_to_scale(s[m], SIG).tolist() + [None]
        fs_ += round_to_scale(f[m], SIG).tolist() + [None]
    data = [dict(type="scatter", x=xs_, y=fs_, mode="lines", name="f along g = 0", line=dict(color=C.BLUE))]
    # the solutions, located on the traced curve
    for p in points:
        d = np.hypot(walk.x - p.x, walk.y - p.y)
        j = int(np.nanargmin(d))
        if d[j] < 0.05 * (np.ptp(walk.x) + np.ptp(walk.y) + 1e-9):
            data.append(dict(type="scatter", x=[float(s[j])], y=[float(p.f)], mode="markers", showlegend=False,
                             marker=dict(size=12, symbol="triangle-up" if p.kind == "max" else
                                         "triangle-down" if p.kind == "min" else "circle",
                                         color=C.GREEN if p.kind == "max" else C.PURPLE),
                             hovertemplate=f"{p.kind}: f = {p.f:.5g}<extra></extra>"))
    i = int(np.clip(idx, 0, len(s) - 1))
    data.append(dict(type="scatter", x=[float(s[i])], y=[float(f[i])], mode="markers", name="moving point",
                     marker=dict(size=14, color=C.ORANGE, line=dict(color="black", width=1.5))))
    layout = dict(height=330, xaxis=dict(title=dict(text="distance along the constraint")),
                  yaxis=dict(title=dict(text="f")), showlegend=False,
                  title=dict(text="f along the constraint"))
    return fastfig.figure(data, layout)
