"""Plotly figures for the Taylor page (no streamlit here).

Every figure is written as the plain dicts plotly.js reads and wrapped by ``explorer.fastfig``
without plotly.py's per-property validation (which cost 15-20 ms per figure, and ~0.5 s for the
21 animation frames, on every slider step); ``tests/unit/test_taylor_fastfig.py`` runs plotly's full
validation over each builder's output, so a misspelt property still fails a test.

No plotly template: every trace sets its own colours, and the chart takes Streamlit's theme in the
browser, which is how these figures looked when built through graph_objects inside the app (there
streamlit makes its own, nearly empty, "streamlit" template plotly's default)."""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from explorer.figures import fastfig
from explorer.numbers import round_to_scale, subscript
from explorer.taylor import Curves, Local2D, Radius, eps_intervals

F_COLOUR, T_COLOUR, ERR_COLOUR, BOUND_COLOUR = "#1f4e9c", "#d62728", "#d62728", "#7f7f7f"
BAND_COLOUR = "rgba(44, 160, 44, 0.16)"
# plotly.py's named scales, written out as plotly.py sends them (plotly.js has no "Magma", and its
# own "Blues" is a different scale)
BLUES, MAGMA = get_colorscale("Blues"), get_colorscale("Magma")
ERR_FLOOR = 1e-17
LEGEND_BOX = dict(bgcolor="rgba(255, 255, 255, 0.85)", bordercolor="#bbbbbb", borderwidth=1)
CONTROLS_BELOW = 86     # px from the bottom of the plot to the ▶ button: room for the x ticks and title
TOP_FROM, BOTTOM_TO = 0.46, 0.32      # the panels' domains: a gap between them holds the error legend
# the axis look of Streamlit's chart theme (st.plotly_chart applies it in the browser; the in-place
# chart component applies only its fonts and colours): no vertical grid, no zero lines, and axes
# that make room for their tick labels
AXES_2D = {"layout": {"xaxis": dict(showgrid=False, zeroline=False, automargin=True),
                      "yaxis": dict(automargin=True, zerolinecolor="#eee")}}


def _r(a, sig=4):
    """A list of floats with ``sig`` significant digits (short JSON: 0.1234, not 0.12340000000000001);
    NaN and infinities become None (gaps). Not ``numbers.round_sig``: its scale 10⁻ᵏ is inexact, so
    it can give 489800000.00000006 where this gives 489800000.0 (the float ``f"{v:.4g}"`` reads)."""
    v = np.asarray(a, dtype=float)
    fin = np.isfinite(v) & (v != 0)
    with np.errstate(all="ignore"):
        d = np.where(fin, sig - 1 - np.floor(np.log10(np.abs(np.where(fin, v, 1.0)))), 0).astype(int)
    ok = fin & (np.abs(d) <= 22)               # 10**d is exact: round(v·10^d)/10^d is the shortest float
    p = 10.0 ** np.where(ok, np.abs(d), 0)      # exact powers of ten
    with np.errstate(all="ignore"):
        r = np.where(ok, np.where(d >= 0, np.round(v * p) / p, np.round(v / p) * p), v)
    out = r.tolist()
    for i in ([] if ok.all() else np.nonzero(~ok)[0].tolist()):   # zeros, gaps, tiny or huge values
        x = out[i]
        out[i] = None if not math.isfinite(x) else float(f"{x:.{sig}g}")
    return out


def _f4(values) -> np.ndarray:
    """Numbers (None = a gap) as float32: a typed array of 4 bytes a number on the wire (the 4-5
    significant digits of ``_r`` survive; float64 would send 8 bytes a number). Numbers beyond
    float32's range (an error of 10⁵⁰ far from a) keep float64."""
    a = np.array(values, dtype=float)
    big = np.nanmax(np.abs(a), initial=0.0) if a.size else 0.0
    return a if big >= 1e38 else a.astype(np.float32)


def _clip(y: np.ndarray, lo: float, hi: float) -> np.ndarray:
    span = hi - lo
    y = np.array(y, dtype=float)
    y[(y < lo - 2 * span) | (y > hi + 2 * span)] = np.nan
    return y


def _y_range(f: np.ndarray) -> tuple[float, float]:
    fin = f[np.isfinite(f)]
    if fin.size == 0:
        return -1.0, 1.0
    lo, hi = np.percentile(fin, [2, 98])
    if np.ptp(fin) < 50:
        lo, hi = min(lo, fin.min()), max(hi, fin.max())
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    pad = 0.15 * (hi - lo)
    return float(lo - pad), float(hi + pad)


def _shapes(x, err_k, eps, a, radius: Radius | None, window):
    shapes = [dict(type="rect", xref="x", yref="y domain", x0=lo, x1=hi, y0=0, y1=1,
                   fillcolor=BAND_COLOUR, line=dict(width=0), layer="below")
              for lo, hi in eps_intervals(x, err_k, eps)]
    shapes.append(dict(type="line", xref="x", yref="y domain", x0=a, x1=a, y0=0, y1=1,
                       line=dict(color="black", width=1, dash="dot")))
    if radius is not None and math.isfinite(radius.radius) and radius.radius > 0:
        dash = "dash" if radius.known else "dot"        # an estimated radius is drawn dotted
        for edge in (a - radius.radius, a + radius.radius):
            if window[0] <= edge <= window[1]:
                for yref in ("y domain", "y2 domain"):
                    shapes.append(dict(type="line", xref="x", yref=yref, x0=edge, x1=edge, y0=0, y1=1,
                                       line=dict(color="#9467bd", width=2, dash=dash)))
    return shapes


def panels_1d(c: Curves, a: float, n: int, eps: float, radius: Radius | None, order: int | None = None,
              f_line: tuple | None = None) -> tuple[list[dict], dict]:
    """What the sliders move in the 1D chart: its five traces (f, Tₙ, |f − Tₙ|, the Lagrange bound,
    ε) and the layout entries that depend on a, n and the window (axis ranges, shapes, title).
    ``figure_1d`` draws these, and ``taylor_frames`` builds the drag frames from them, so a frame
    is the figure the release draws. ``order``: the orders the chart offers (rows of ``c`` beyond
    it are left out of the error axis); ``f_line``: (x, f) to draw f on instead of the window."""
    x = c.x
    window = (float(x[0]), float(x[-1]))
    lo, hi = _y_range(c.f)
    xr = np.round(np.asarray(x, dtype=float), 4).tolist()
    order = len(c.T) - 1 if order is None else order
    fx, fy = (xr, c.f) if f_line is None else f_line
    fx, fy = _f4(fx), _f4(_r(fy, 5))
    # the two stacked panels of make_subplots(rows=2, shared_xaxes=True), written out
    top, bottom = dict(xaxis="x", yaxis="y"), dict(xaxis="x2", yaxis="y2")
    # the curves on the window's evenly spaced grid as x0 + i·dx: a drag frame of a moves one number
    grid = dict(x0=xr[0], dx=(window[1] - window[0]) / (len(x) - 1))
    data = [
        dict(type="scatter", x=fx, y=fy, name="f(x)", line=dict(color=F_COLOUR, width=3), **top),
        dict(type="scatter", **grid, y=_f4(_r(_clip(c.T[n], lo, hi))), name=f"T{subscript(n)}(x)",
             line=dict(color=T_COLOUR, width=3), **top),
        dict(type="scatter", **grid, y=_f4(_r(np.maximum(c.err[n], ERR_FLOOR), 3)), name=f"|f − T{subscript(n)}|",
             line=dict(color=ERR_COLOUR, width=2), showlegend=False, **bottom),
        dict(type="scatter", **grid, y=_f4(_r(c.bound[n], 3)), name=f"Lagrange bound (n = {n})",
             line=dict(color=BOUND_COLOUR, width=2, dash="dash"), legend="legend2", **bottom),
        dict(type="scatter", x=[xr[0], xr[-1]], y=[eps, eps], name="ε", mode="lines",
             line=dict(color="#2ca02c", width=1.5, dash="dot"), legend="legend2", **bottom)]
    errs = c.err[:order + 1]
    finite_err = errs[np.isfinite(errs)]
    top_err = max(10.0, float(np.nanmax(finite_err))) if finite_err.size else 10.0
    layout = dict(xaxis=dict(range=list(window)), yaxis=dict(range=[lo, hi]),
                  xaxis2=dict(range=list(window)), yaxis2=dict(range=[-16, math.log10(top_err) + 0.5]),
                  shapes=_shapes(x, c.err[n], eps, a, radius, window), title=dict(text=_title(n)))
    return data, layout


def figure_1d(c: Curves, a: float, n: int, eps: float, radius: Radius | None, nplay: int,
              height: int = 640, f_line: tuple | None = None) -> go.Figure:
    """f and Tₙ (top), |f − Tₙ| and the Lagrange bound on a log scale (bottom), ε-band shaded,
    radius of convergence marked, and plotly frames n = 0..nplay with a ▶ button (client-side).
    ``f_line``: (x, f) to draw f on (e.g. wider than the window, so that the drag frames of a,
    which move the window, need not carry f: ``taylor_frames``)."""
    x = c.x
    window = (float(x[0]), float(x[-1]))
    lo, hi = _y_range(c.f)
    data, moving = panels_1d(c, a, n, eps, radius, f_line=f_line)

    def t_y(k):
        return _r(_clip(c.T[k], lo, hi))

    def e_y(k):
        return _r(np.maximum(c.err[k], ERR_FLOOR), 3)

    # ---- client-side animation over the order: one frame per k, a ▶/⏸ menu and a slider
    frames = [dict(name=str(k),
                   data=[dict(type="scatter", y=t_y(k), name=f"T{subscript(k)}(x)"),
                         dict(type="scatter", y=e_y(k), name=f"|f − T{subscript(k)}|"),
                         dict(type="scatter", visible=(k == n))],
                   traces=[1, 2, 3],
                   layout=dict(shapes=_shapes(x, c.err[k], eps, a, radius, window),
                               title=dict(text=_title(k))))
              for k in range(nplay + 1)]
    anim = dict(frame=dict(duration=600, redraw=True), transition=dict(duration=0), fromcurrent=False,
                mode="immediate")
    layout = dict(
        xaxis=dict(anchor="y", domain=[0.0, 1.0], matches="x2", showticklabels=False, **moving["xaxis"]),
        yaxis=dict(anchor="x", domain=[TOP_FROM, 1.0], title=dict(text="y"), **moving["yaxis"]),
        xaxis2=dict(anchor="y2", domain=[0.0, 1.0], title=dict(text="x"), **moving["xaxis2"]),
        yaxis2=dict(anchor="x2", domain=[0.0, BOTTOM_TO], type="log", title=dict(text="|f − Tₙ|"),
                    exponentformat="power", **moving["yaxis2"]),
        shapes=moving["shapes"], height=height, hovermode="x unified",
        # neither legend can cover the title above the plot, nor grow into the chart in presenter
        # mode's big fonts: f and Tₙ (one short row) inside the top panel's top left corner, on a
        # background; the bound and ε in the gap between the panels, right-aligned
        legend=dict(orientation="h", x=0.01, xanchor="left", y=1.0, yanchor="top", **LEGEND_BOX),
        legend2=dict(orientation="h", x=1.0, xanchor="right", y=BOTTOM_TO, yanchor="bottom",
                     bgcolor="rgba(0, 0, 0, 0)"),
        title=dict(x=0.5, xanchor="center", yref="container", y=1.0, yanchor="top",
                   pad=dict(t=8), **moving["title"]),
        # the ▶/‖ buttons, and the animation slider in a row of its own under them, hang a fixed
        # number of pixels below the plot: under the x tick labels and the x title even at
        # presenter mode's sizes (the bottom margin grows to hold them)
        updatemenus=[dict(type="buttons", direction="left", x=0.0, y=0.0, xanchor="left", yanchor="top",
                          showactive=False, pad=dict(t=CONTROLS_BELOW, r=6),
                          buttons=[dict(label="▶ Play n = 0, 1, 2, …", method="animate", args=[None, anim]),
                                   dict(label="‖ Pause", method="animate",
                                        args=[[None], dict(frame=dict(duration=0, redraw=False),
                                                           mode="immediate", transition=dict(duration=0))])])],
        sliders=[dict(active=n, x=0.0, len=1.0, y=0.0, yanchor="top", pad=dict(t=CONTROLS_BELOW + 52),
                      currentvalue=dict(visible=False),         # the title says the order
                      steps=[dict(label=str(k), method="animate",
                                  args=[[str(k)], dict(frame=dict(duration=0, redraw=True), mode="immediate",
                                                       transition=dict(duration=0))])
                             for k in range(nplay + 1)])])
    return fastfig.figure(data, layout, frames, template=AXES_2D)


def _title(k: int) -> str:
    # bold like the themed chart draws a plain title, so that the frames' titles match it
    return f"<b>order n = {k}</b>"


# ---------------------------------------------------------------------------------------------
SURF_COLOURS = {"T0": "#E69F00", "T1": "#CC79A7", "T2": "#009E73"}   # Okabe–Ito: apart under colour-vision deficiency
SURF_NAMES = {"T0": "T₀ (constant)", "T1": "T₁ (tangent plane, J)", "T2": "T₂ (quadratic, J and H)"}


def _grid(arr: np.ndarray, decimals: int | None = None, sig: int | None = None) -> list:
    """A 2D array as nested lists (NaN/inf -> None), rounded to ``decimals`` places, or so that its
    largest value keeps ``sig`` significant digits (short JSON: 0.1234, not 0.12340000000000001)."""
    arr = np.asarray(arr, dtype=float)
    fin = np.isfinite(arr)
    if sig is not None:
        arr = round_to_scale(arr, sig)
    elif decimals is not None:
        arr = np.round(arr, decimals)
    out = arr.astype(object)
    out[~fin] = None
    return out.tolist()


def figure_2d_surfaces(s: dict, loc: Local2D, show: dict[str, bool], height: int = 560) -> go.Figure:
    F = s["f"]
    fin = F[np.isfinite(F)]
    zlo, zhi = (float(fin.min()), float(fin.max())) if fin.size else (-1.0, 1.0)
    span = max(zhi - zlo, 1e-6)
    zlo, zhi = zlo - 0.25 * span, zhi + 0.25 * span
    xs = [round(float(v), 4) for v in s["x"]]
    ys = [round(float(v), 4) for v in s["y"]]

    def z(arr):
        with np.errstate(invalid="ignore"):
            arr = np.where((arr < zlo) | (arr > zhi), np.nan, arr)
        return _grid(arr, sig=4)

    data = [dict(type="surface", x=xs, y=ys, z=z(F), name="f(x, y)", colorscale=BLUES, showscale=False,
                 opacity=0.95, showlegend=True)]
    for key in ("T0", "T1", "T2"):
        if show.get(key):
            col = SURF_COLOURS[key]
            data.append(dict(type="surface", x=xs, y=ys, z=z(s[key]), name=SURF_NAMES[key], opacity=0.55,
                             colorscale=[[0, col], [1, col]], showscale=False, showlegend=True))
    x0, y0 = loc.point
    data.append(dict(type="scatter3d", x=[x0], y=[y0], z=[loc.value_f], mode="markers",
                     name="(x₀, y₀, f(x₀, y₀))", marker=dict(size=6, color="black")))
    layout = dict(height=height,
                  scene=dict(zaxis=dict(range=[zlo, zhi], title=dict(text="z")), xaxis=dict(title=dict(text="x")),
                             yaxis=dict(title=dict(text="y")), aspectmode="cube"),
                  legend=dict(orientation="h", y=1.0, x=0))
    return fastfig.figure(data, layout, template=None)


def figure_2d_error(s: dict, loc: Local2D, which: str, eps: float, height: int = 460) -> go.Figure:
    """log₁₀|f − T| as a heatmap, with the ε contour of T₁ (dashed) and T₂ (solid)."""
    E = s["E1" if which == "T1" else "E2"]
    with np.errstate(all="ignore"):
        L = np.log10(np.maximum(E, 1e-16))
        L1 = np.log10(np.maximum(s["E1"], 1e-16))
        L2 = np.log10(np.maximum(s["E2"], 1e-16))
    xs = [round(float(v), 4) for v in s["x"]]
    ys = [round(float(v), 4) for v in s["y"]]
    le = math.log10(eps)
    data = [dict(type="heatmap", x=xs, y=ys, z=_grid(L, 2), colorscale=MAGMA, reversescale=True, zmin=-8, zmax=1,
                 colorbar=dict(title=dict(text="log₁₀|f − T|")),
                 hovertemplate="x=%{x}<br>y=%{y}<br>log₁₀ error=%{z}<extra></extra>")]
    for lab, arr, dash in (("T₁", L1, "dash"), ("T₂", L2, "solid")):
        data.append(dict(type="contour", x=xs, y=ys, z=_grid(arr, 2), showscale=False,
                         contours=dict(coloring="none", start=le, end=le, size=1), name=f"error of {lab} = ε",
                         line=dict(color="#00e5ff" if lab == "T₂" else "white", width=3, dash=dash),
                         showlegend=True, hoverinfo="skip"))
    data.append(dict(type="scatter", x=[loc.point[0]], y=[loc.point[1]], mode="markers", name="(x₀, y₀)",
                     marker=dict(color="#00e5ff", size=10, symbol="x")))
    layout = dict(height=height, xaxis=dict(title=dict(text="x")),
                  yaxis=dict(title=dict(text="y"), scaleanchor="x"),
                  legend=dict(orientation="h", y=1.08, x=0))
    return fastfig.figure(data, layout, template=AXES_2D)
