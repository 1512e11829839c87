"""Plotly figure builders for the multivariate page and the Sandpit (no streamlit here).

Arrays go to plotly as float32 (plotly ships numpy arrays base64-encoded), so a 50×50 surface is
about 10 KB of JSON.
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from explorer import multivariate as mv
from explorer import sandpit as sb
from explorer.multivariate.views import arrows_xy
from explorer.figures import colours as C
from explorer.figures.fastfig import figure, panel, subplots

# Okabe–Ito (explorer/figures/colours.py), each >= 3:1 on white and apart under the common
# colour-vision deficiencies; the two slices also differ by name and panel, the eigenvectors by name.
POINT = C.VERMILION
XCOL, YCOL = C.VERMILION, C.BLUE      # x-slice (y = y0) vermilion, y-slice (x = x0) blue
DIRCOL = C.GREEN
GRADCOL = "#111111"
EIG_NEG, EIG_POS = C.ORANGE, C.SKY    # Hessian eigenvectors: λ < 0 orange, λ ≥ 0 sky blue
BOTTOM = C.ORANGE                     # the Sandpit's bottom (a star / diamond outlined in black)
DU = "D<sub>u</sub>f"      # the directional derivative, as plotly writes a subscript


def _f32(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float32)


def zlim(grid: mv.Grid, extra=()) -> tuple[float, float]:
    """The z range of the 3D box: the grid's robust range (``Grid.zrange``: a pole's spikes left
    out) and 8 % either side, widened to include ``extra`` values (the point's f) that lie beyond
    that but not far beyond (so a point inside it leaves the box as the drag frames draw it)."""
    lo, hi = grid.zrange
    span, pad = hi - lo, 0.08 * (hi - lo or 1.0)
    vals = [v for v in extra if np.isfinite(v) and lo - span <= v <= hi + span and not lo - pad <= v <= hi + pad]
    if vals:
        lo, hi = min(lo, *vals), max(hi, *vals)
        pad = 0.08 * (hi - lo or 1.0)
    return lo - pad, hi + pad


def _inside(z, zlo: float, zhi: float) -> np.ndarray:
    """``z`` with every value outside [zlo, zhi] masked (NaN: a gap), so nothing is drawn outside the
    3D box (plotly draws a surface's values beyond the axis range outside the box)."""
    z = np.asarray(z, float)
    with np.errstate(invalid="ignore"):
        return np.where((z >= zlo) & (z <= zhi), z, np.nan)


SCENE_TICKS = dict(tickfont=dict(size=13), nticks=6)   # explicit: presenter mode's 22 px font would pile them up


def _scene(ztitle: str, zrange=None, z_ratio: float = 0.7) -> dict:
    axes = {name: dict(title=dict(text=title), **SCENE_TICKS)
            for name, title in (("xaxis", "x"), ("yaxis", "y"), ("zaxis", ztitle))}
    if zrange is not None:
        axes["zaxis"]["range"] = list(zrange)
    return dict(**axes, aspectmode="manual", aspectratio=dict(x=1, y=1, z=z_ratio))


def _solid(colour: str) -> list:
    return [[0, colour], [1, colour]]


# ---------------------------------------------------------------------------------------------
# Explore f(x, y)
def surface_figure(grid: mv.Grid, pa: mv.PointAnalysis, sl: mv.Slices | None = None,
                   planes: bool = True, tangent: bool = False, height: int = 520,
                   box: tuple[float, float] | None = None) -> go.Figure:
    """The surface in a box whose z range comes from the grid's robust range; every value outside
    it (near a pole, say) is left out, so nothing is drawn outside the box. ``box`` fixes that z
    range (the drag frames: ``explorer.figures.multivariate_frames``). The number of traces
    depends on ``planes``, ``sl`` and ``tangent`` only (a tangent plane that cannot be drawn here is
    a hidden trace), so frames can be matched trace by trace."""
    zlo, zhi = box if box is not None else zlim(grid, [pa.f])
    data = surface_traces(grid, pa, sl, planes, tangent, (zlo, zhi))
    return figure(data, dict(height=height, showlegend=False, scene=_scene("f", (zlo, zhi))))


def surface_traces(grid: mv.Grid, pa: mv.PointAnalysis, sl: mv.Slices | None, planes: bool, tangent: bool,
                   box: tuple[float, float]) -> list[dict]:
    """The traces of ``surface_figure`` in the z range ``box``."""
    zlo, zhi = box
    data = [dict(type="surface", x=_f32(grid.x), y=_f32(grid.y), z=_f32(_inside(grid.z, zlo, zhi)),
                 colorscale="Viridis", cmin=zlo, cmax=zhi,
                 opacity=0.92, showscale=False, name="f(x, y)",
                 hovertemplate="x=%{x:.2f}<br>y=%{y:.2f}<br>f=%{z:.3g}<extra></extra>",
                 contours=dict(z=dict(show=True, usecolormap=True, project=dict(z=True), width=1)))]
    xr, yr = (float(grid.x[0]), float(grid.x[-1])), (float(grid.y[0]), float(grid.y[-1]))
    if planes:
        for axis, col in (("y", XCOL), ("x", YCOL)):
            if axis == "y":
                px = [[xr[0], xr[1]], [xr[0], xr[1]]]
                py = [[pa.y0, pa.y0], [pa.y0, pa.y0]]
            else:
                px = [[pa.x0, pa.x0], [pa.x0, pa.x0]]
                py = [[yr[0], yr[1]], [yr[0], yr[1]]]
            data.append(dict(type="surface", x=px, y=py, z=[[zlo, zlo], [zhi, zhi]], opacity=0.22,
                             colorscale=_solid(col), showscale=False, hoverinfo="skip",
                             name=f"plane {axis} = {axis}₀"))
    if sl is not None:
        data.append(dict(type="scatter3d", x=_f32(sl.x), y=np.full(len(sl.x), pa.y0, np.float32),
                         z=_f32(_inside(sl.fx_curve, zlo, zhi)), mode="lines",
                         line=dict(color=XCOL, width=6), name="f(x, y₀)", hoverinfo="skip"))
        data.append(dict(type="scatter3d", x=np.full(len(sl.y), pa.x0, np.float32), y=_f32(sl.y),
                         z=_f32(_inside(sl.fy_curve, zlo, zhi)), mode="lines",
                         line=dict(color=YCOL, width=6), name="f(x₀, y)", hoverinfo="skip"))
    inside = bool(np.isfinite(pa.f) and zlo <= pa.f <= zhi)
    if tangent and inside and np.all(np.isfinite(pa.grad)):
        hx, hy = 0.22 * (xr[1] - xr[0]), 0.22 * (yr[1] - yr[0])
        # shrink the plane so its corners stay inside the box: it rises |fx|·hx + |fy|·hy at most
        rise = abs(pa.grad[0]) * hx + abs(pa.grad[1]) * hy
        room = min(zhi - pa.f, pa.f - zlo)
        k = min(1.0, room / rise) if rise > 0 else 1.0
        tx, ty, tz = mv.tangent_plane(pa, k * hx, k * hy)
        data.append(dict(type="surface", x=tx, y=ty, z=tz, opacity=0.65, showscale=False,
                         colorscale=_solid(C.ORANGE), name="tangent plane", hoverinfo="skip"))
    elif tangent:               # not drawable here (off the box, ∇f undefined): a hidden stand-in
        data.append(dict(type="surface", x=[pa.x0, pa.x0], y=[pa.y0, pa.y0], z=[[zlo, zlo], [zlo, zlo]],
                         opacity=0.65, showscale=False, colorscale=_solid(C.ORANGE),
                         name="tangent plane (not drawn here)", hoverinfo="skip", visible=False))
    data.append(dict(type="scatter3d", x=[pa.x0], y=[pa.y0], z=[pa.f if inside else None],
                     mode="markers", marker=dict(size=6, color=POINT, line=dict(width=2, color="white")),
                     name="(x₀, y₀, f)"))
    return data


def contour_figure(grid: mv.Grid, arrows, pa: mv.PointAnalysis, *, theta: float | None = None,
                   eigen: bool = True, height: int = 520) -> go.Figure:
    """The contour map with the gradient field, −∇f and the Hessian's eigenvectors at the point.
    The page draws it with ``ui.chart_live(..., on_click=...)``: a click anywhere moves the point."""
    xr, yr = (float(grid.x[0]), float(grid.x[-1])), (float(grid.y[0]), float(grid.y[-1]))
    data = contour_traces(grid, arrows, pa, theta=theta, eigen=eigen)
    return figure(data, dict(height=height, showlegend=False, dragmode=False, hovermode="closest",
                             xaxis=dict(title=dict(text="x"), range=list(xr), constrain="domain"),
                             yaxis=dict(title=dict(text="y"), range=list(yr), scaleanchor="x", scaleratio=1,
                                        constrain="domain")))


def contour_traces(grid: mv.Grid, arrows, pa: mv.PointAnalysis, *, theta: float | None = None,
                   eigen: bool = True, static: bool = True) -> list[dict]:
    """The traces of ``contour_figure``; ``static=False`` leaves out the first two (the map and
    the field, which never move with the point)."""
    xr, yr = (float(grid.x[0]), float(grid.x[-1])), (float(grid.y[0]), float(grid.y[-1]))
    data = []
    if static:
        zlo, zhi = zlim(grid)
        data += [dict(type="contour", x=_f32(grid.x), y=_f32(grid.y), z=_f32(grid.z), colorscale="Viridis",
                      zmin=zlo, zmax=zhi, ncontours=22, showscale=False,
                      contours=dict(coloring="heatmap", showlines=True), line=dict(width=0.6),
                      hoverinfo="skip", name="f"),
                 dict(x=_f32(arrows[0]), y=_f32(arrows[1]), mode="lines",
                      line=dict(color="rgba(255,255,255,0.85)", width=1.3), hoverinfo="skip", name="∇f field")]
    span = min(xr[1] - xr[0], yr[1] - yr[0])   # equal axes (scaleanchor): data directions are true directions
    # (a fixed number of traces whatever the point: what cannot be drawn here is a hidden stand-in,
    # so the drag frames can be matched trace by trace)
    hidden = dict(x=[pa.x0], y=[pa.y0], mode="lines", hoverinfo="name", visible=False,
                  line=dict(color=EIG_POS, width=3, dash="dot"))
    if eigen and np.all(np.isfinite(pa.eigvecs)):
        L = 0.16 * span
        for k in range(2):
            vx, vy = pa.eigvecs[0, k], pa.eigvecs[1, k]
            n = math.hypot(vx, vy) or 1.0
            data.append(dict(x=[pa.x0 - L * vx / n, pa.x0 + L * vx / n], y=[pa.y0 - L * vy / n, pa.y0 + L * vy / n],
                             mode="lines", hoverinfo="name",
                             line=dict(color=EIG_NEG if pa.eigvals[k] < 0 else EIG_POS, width=3, dash="dot"),
                             name=f"H eigenvector v{k + 1} (λ={pa.eigvals[k]:.3g})"))
    elif eigen:
        data += [dict(hidden, name=f"H eigenvector v{k + 1} (undefined here)") for k in range(2)]
    g = pa.grad
    if np.all(np.isfinite(g)) and np.hypot(*g) > 0:
        L = 0.22 * span
        n = math.hypot(g[0], g[1])
        gx, gy = arrows_xy(pa.x0, pa.y0, -g[0] / n * L, -g[1] / n * L)
        data.append(dict(x=gx, y=gy, mode="lines", line=dict(color=POINT, width=4),
                         name="−∇f (steepest descent)", hoverinfo="name"))
    else:
        data.append(dict(hidden, line=dict(color=POINT, width=4), name="−∇f (none here: ∇f = 0 or undefined)"))
    if theta is not None:
        L = 0.18 * span
        ux, uy = arrows_xy(pa.x0, pa.y0, L * math.cos(theta), L * math.sin(theta))
        data.append(dict(x=ux, y=uy, mode="lines", line=dict(color=DIRCOL, width=3),
                         name="direction u(θ)", hoverinfo="name"))
    data.append(dict(x=[pa.x0], y=[pa.y0], mode="markers", name="(x₀, y₀)",
                     marker=dict(size=13, color=POINT, line=dict(width=2, color="white")),
                     hovertemplate="(x₀, y₀) = (%{x:.2f}, %{y:.2f})<extra></extra>"))
    return data


def slices_figure(sl: mv.Slices, pa: mv.PointAnalysis, height: int = 340) -> go.Figure:
    layout = dict(height=height, showlegend=False,
                  **subplots(2, spacing=0.1, titles=("slice y = y₀:  f(x, y₀), slope ∂f/∂x",
                                                          "slice x = x₀:  f(x₀, y), slope ∂f/∂y")))
    return figure(*slices_traces(sl, pa, layout))


def slices_traces(sl: mv.Slices, pa: mv.PointAnalysis, layout: dict) -> tuple[list[dict], dict]:
    """The traces of ``slices_figure``, and ``layout`` with its axes' titles and y ranges set."""
    data = []
    for col, (t, c, tan, p0, slope, colr, var) in enumerate(
            [(sl.x, sl.fx_curve, sl.tangent_x, pa.x0, pa.grad[0], XCOL, "x"),
             (sl.y, sl.fy_curve, sl.tangent_y, pa.y0, pa.grad[1], YCOL, "y")], start=1):
        ax = panel(col)
        data += [dict(x=_f32(t), y=_f32(c), mode="lines", line=dict(color=colr, width=3), name=f"f along {var}", **ax),
                 # the tangent is a straight line: its two ends draw it (plotly clips it to the axes)
                 dict(x=_f32(t[[0, -1]]), y=_f32(tan[[0, -1]]), mode="lines",
                      line=dict(color="black", width=2, dash="dash"),
                      name=f"tangent, slope {slope:.3g}", **ax),
                 dict(x=[p0], y=[pa.f], mode="markers", marker=dict(size=11, color=POINT), name="point",
                      showlegend=False, **ax)]
        sx = "" if col == 1 else str(col)
        layout[f"xaxis{sx}"]["title"] = dict(text=var)
        finite = c[np.isfinite(c)]
        if finite.size:
            lo, hi = float(finite.min()), float(finite.max())
            pad = 0.1 * (hi - lo or 1)
            layout[f"yaxis{sx}"]["range"] = [lo - pad, hi + pad]
    return data, layout


def directional_figure(grad, theta: float, height: int = 320) -> go.Figure:
    """Left: ∇f (scaled to length 1), the unit vector u(θ) and the projection ∇f·u; right: Dᵤf(θ)."""
    layout = dict(height=height, showlegend=False,
                  **subplots(2, widths=[0.3, 0.7], spacing=0.08,
                             titles=("u(θ) and ∇f/|∇f| at the point", f"{DU} = ∇f · u for every θ")))
    gn = float(np.hypot(*grad))
    c = np.linspace(0, 2 * math.pi, 73)
    data = [dict(x=_f32(np.cos(c)), y=_f32(np.sin(c)), mode="lines", line=dict(color=C.GREY, width=1),
                 hoverinfo="skip")]
    ux, uy = math.cos(theta), math.sin(theta)
    if np.isfinite(gn) and gn > 0:
        gx, gy = grad[0] / gn, grad[1] / gn
        ax, ay = arrows_xy(0, 0, gx, gy)
        data.append(dict(x=ax, y=ay, mode="lines", line=dict(color=GRADCOL, width=3), name="∇f/|∇f|"))
        p = gx * ux + gy * uy          # the projection of the unit gradient onto u
        data.append(dict(x=[gx, p * ux], y=[gy, p * uy], mode="lines", line=dict(color=C.GREY, dash="dot"),
                         hoverinfo="skip"))
    ax, ay = arrows_xy(0, 0, ux, uy)
    data.append(dict(x=ax, y=ay, mode="lines", line=dict(color=DIRCOL, width=3), name="u(θ)"))
    layout["xaxis"].update(range=[-1.25, 1.25], visible=False)
    layout["yaxis"].update(range=[-1.25, 1.25], visible=False, scaleanchor="x", scaleratio=1)
    t = np.linspace(0, 2 * math.pi, 181)
    d = grad[0] * np.cos(t) + grad[1] * np.sin(t)
    right = panel(2)
    data.append(dict(x=_f32(np.degrees(t)), y=_f32(d), mode="lines", name=f"{DU}(θ)",
                     line=dict(color=DIRCOL, width=3), **right))
    if np.isfinite(gn):
        best = math.degrees(mv.steepest_angle(grad))
        data.append(dict(x=[0, 360], y=[gn, gn], mode="lines", line=dict(color=C.GREY, dash="dot"), name="|∇f|",
                         **right))
        data.append(dict(x=[best], y=[gn], mode="markers", marker=dict(size=12, symbol="star", color="black"),
                         name="largest: along ∇f", **right))
    data.append(dict(x=[math.degrees(theta)], y=[mv.directional_derivative(grad, theta)], mode="markers",
                     marker=dict(size=13, color=DIRCOL, line=dict(width=2, color="black")), name="your θ", **right))
    layout["xaxis2"].update(title=dict(text="θ (degrees)"), range=[0, 360], dtick=45)
    layout["yaxis2"].update(title=dict(text=DU))
    return figure(data, layout)


# ---------------------------------------------------------------------------------------------
# Maps R² → R²
def map_figure(mg: mv.MapGrid, sq: mv.SquareImage, shade, point, height: int = 440) -> go.Figure:
    """Left: the domain's grid and a small square; right: their images, shaded by det J."""
    layout = dict(height=height, showlegend=False,
                  **subplots(2, spacing=0.1, titles=("domain (x, y)", "image (u, v), shaded by det J")))
    right = panel(2)
    h = float(sq.square[0].max() - sq.square[0].min())
    ex, ey = arrows_xy([point[0], point[0]], [point[1], point[1]], [h, 0], [0, h], head=0.35)
    su, sv, sd = shade
    finite = sd[np.isfinite(sd)]
    m = float(np.max(np.abs(finite))) if finite.size else 1.0
    m = m if m > 0 else 1.0
    data = [dict(x=_f32(mg.x), y=_f32(mg.y), mode="lines", line=dict(color=C.GREY, width=1), hoverinfo="skip",
                 name="grid"),
            dict(x=_f32(sq.square[0]), y=_f32(sq.square[1]), fill="toself", mode="lines",
                 line=dict(color=POINT, width=2), fillcolor="rgba(213,94,0,0.35)", name="square"),
            dict(x=ex[:6], y=ey[:6], mode="lines", line=dict(color=XCOL, width=3), name="dx"),
            dict(x=ex[6:], y=ey[6:], mode="lines", line=dict(color=YCOL, width=3), name="dy"),
            # RdBu: det < 0 (orientation flipped) red, det > 0 (kept) blue, pale near det = 0
            dict(x=_f32(su), y=_f32(sv), mode="markers", name="det J",
                 marker=dict(size=8, color=_f32(sd), colorscale="RdBu", cmin=-m, cmax=m, opacity=0.35,
                             showscale=False),
                 hovertemplate="det J = %{marker.color:.3g}<extra></extra>", **right),
            dict(x=_f32(mg.u), y=_f32(mg.v), mode="lines", line=dict(color="#555", width=1), hoverinfo="skip",
                 name="image of grid", **right),
            dict(x=_f32(sq.image[0]), y=_f32(sq.image[1]), fill="toself", mode="lines",
                 line=dict(color=POINT, width=2), fillcolor="rgba(213,94,0,0.5)", name="image of square", **right)]
    layout["xaxis"].update(title=dict(text="x"), constrain="domain")
    layout["yaxis"].update(title=dict(text="y"), scaleanchor="x", scaleratio=1, constrain="domain")
    layout["xaxis2"].update(title=dict(text="u"), constrain="domain")
    layout["yaxis2"].update(title=dict(text="v"), scaleanchor="x2", scaleratio=1, constrain="domain")
    return figure(data, layout)


def square_zoom_figure(sq: mv.SquareImage, height: int = 380) -> go.Figure:
    """Close up: the true image of the small square against the parallelogram J·(dx, dy)."""
    p = sq.parallelogram
    ax, ay = arrows_xy([p[0, 0], p[0, 0]], [p[1, 0], p[1, 0]], sq.edges[0], sq.edges[1], head=0.3)
    data = [dict(x=_f32(sq.image[0]), y=_f32(sq.image[1]), fill="toself", mode="lines",
                 line=dict(color=POINT, width=2), fillcolor="rgba(213,94,0,0.35)", name="image of the square"),
            dict(x=_f32(p[0]), y=_f32(p[1]), mode="lines", line=dict(color="black", width=2, dash="dash"),
                 name="parallelogram J·(dx, dy)"),
            dict(x=ax[:6], y=ay[:6], mode="lines", line=dict(color=XCOL, width=3), name="J·dx"),
            dict(x=ax[6:], y=ay[6:], mode="lines", line=dict(color=YCOL, width=3), name="J·dy")]
    return figure(data, dict(height=height, title=dict(text="zoom: image of the square vs J·(dx, dy)"),
                             legend=dict(orientation="h", y=-0.15),
                             xaxis=dict(title=dict(text="u"), constrain="domain"),
                             yaxis=dict(title=dict(text="v"), scaleanchor="x", scaleratio=1, constrain="domain")))


# ---------------------------------------------------------------------------------------------
# Sandpit
SAND = "#e8d3a2"


def pit_board(game: sb.Game, pit: sb.Pit | None = None, minima: sb.Minima | None = None,
              height: int = 560, aim: tuple[float, float] | None = None) -> go.Figure:
    """The square seen from above: dips (depth labels, −∇f arrows in gradient mode); contours, the
    bottom and the local minima once revealed. The page draws it with ``ui.chart_live(...,
    on_click=...)``: a click anywhere on the sand dips the stick there. ``aim`` (the keyboard's
    "dip at x, y" inputs) is drawn as an open crosshair while the game is on."""
    data = []
    if game.revealed and pit is not None:
        g = np.linspace(0, sb.SIZE, 61)
        Z = pit.value(*np.meshgrid(g, g))
        data.append(dict(type="contour", x=_f32(g), y=_f32(g), z=_f32(-Z), colorscale="Cividis_r", ncontours=20,
                         colorbar=dict(title=dict(text="depth")), hoverinfo="skip", name="depth"))
    if game.dips:
        dx = np.array([d.x for d in game.dips])
        dy = np.array([d.y for d in game.dips])
        depth = np.array([d.depth for d in game.dips])
        if game.mode == "gradient":
            gx = np.array([d.grad[0] for d in game.dips])
            gy = np.array([d.grad[1] for d in game.dips])
            n = np.hypot(gx, gy)
            scale = np.where(n > 0, 0.45 * np.sqrt(n / max(n.max(), 1e-12)) / np.where(n > 0, n, 1), 0)
            ax, ay = arrows_xy(dx, dy, -gx * scale, -gy * scale)
            data.append(dict(x=_f32(ax), y=_f32(ay), mode="lines", line=dict(color="#7a0000", width=2.5),
                             name="−∇f at each dip", hoverinfo="skip"))
        data.append(dict(x=dx, y=dy, mode="markers+text", text=[f"{v:.2f}" for v in depth],
                         textposition="top center", name="dips",
                         marker=dict(size=11, color=np.arange(len(dx)), colorscale="Greys", cmin=-3,
                                     cmax=len(dx), line=dict(width=1.5, color="black")),
                         hovertemplate="dip %{customdata[0]}: (%{x:.2f}, %{y:.2f})<br>depth %{customdata[1]:.3f}"
                                       "<extra></extra>",
                         customdata=np.stack([np.arange(1, len(dx) + 1), depth], axis=1)))
    if game.revealed and minima is not None:
        loc = minima.traps          # true local minima (∇f = 0, H positive definite) besides the bottom
        if loc:
            data.append(dict(x=[m[0] for m in loc], y=[m[1] for m in loc], mode="markers",
                             marker=dict(symbol="x", size=12, color=C.VERMILION), name="local minima"))
        data.append(dict(x=[minima.global_min[0]], y=[minima.global_min[1]], mode="markers",
                         marker=dict(symbol="star", size=20, color=BOTTOM, line=dict(width=2, color="black")),
                         name="the bottom"))
    if aim is not None and not game.over:
        data.append(dict(x=[aim[0]], y=[aim[1]], mode="markers", name="aim of “Dip here”",
                         marker=dict(symbol="cross-thin-open", size=22, color="#222", line=dict(width=2, color="#222")),
                         hovertemplate="“Dip here” aims at (%{x:.2f}, %{y:.2f})<extra></extra>"))
    axis = dict(range=[-0.1, sb.SIZE + 0.1], showgrid=False, zeroline=False, dtick=1, constrain="domain")
    return figure(data, dict(height=height, plot_bgcolor=SAND, dragmode=False, hovermode="closest",
                             showlegend=game.revealed, legend=dict(orientation="h", y=1.02, yanchor="bottom"),
                             xaxis=dict(title=dict(text="x"), **axis),
                             yaxis=dict(title=dict(text="y"), scaleanchor="x", scaleratio=1, **axis)))


def pit_3d(pit: sb.Pit, game: sb.Game, minima: sb.Minima, n: int = 50, height: int = 520) -> go.Figure:
    g = np.linspace(0, sb.SIZE, n)
    Z = np.round(pit.value(*np.meshgrid(g, g)), 4)
    data = [dict(type="surface", x=_f32(g), y=_f32(g), z=_f32(Z), colorscale="Cividis", showscale=False,
                 opacity=0.9, name="the pit",
                 hovertemplate="(%{x:.2f}, %{y:.2f})<br>depth %{customdata:.3f}<extra></extra>",
                 customdata=_f32(-Z))]
    top = float(np.max(Z)) + 0.1 * float(np.ptp(Z) or 1)
    if game.dips:
        xs = np.array([d.x for d in game.dips])
        ys = np.array([d.y for d in game.dips])
        zs = -np.array([d.depth for d in game.dips])
        nan = np.full_like(xs, np.nan)
        data.append(dict(type="scatter3d", x=np.stack([xs, xs, nan], 1).ravel(), y=np.stack([ys, ys, nan], 1).ravel(),
                         z=np.stack([np.full_like(zs, top), zs, nan], 1).ravel(), mode="lines",
                         line=dict(color="black", width=3), name="sticks", hoverinfo="skip"))
        data.append(dict(type="scatter3d", x=xs, y=ys, z=zs, mode="markers", marker=dict(size=4, color="black"),
                         name="dips"))
    gx, gy = minima.global_min
    data.append(dict(type="scatter3d", x=[gx], y=[gy], z=[minima.global_value], mode="markers",
                     marker=dict(size=7, color=BOTTOM, symbol="diamond", line=dict(width=2, color="black")),
                     name="the bottom"))
    return figure(data, dict(height=height, showlegend=False, scene=_scene("f (height)", z_ratio=0.6)))
