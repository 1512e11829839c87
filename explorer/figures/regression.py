"""Plotly figures for the regression page (no streamlit here).

Every slider step rebuilds some of these, so they are written as plain dict specs wrapped with
``explorer.fastfig.figure`` (no validation): the same figure as the validated graph_objects calls, built
in well under a millisecond instead of ~8 ms each. Arrays go out as numpy arrays (plotly encodes
them as compact base64 typed arrays); the χ² grids as float32, which halves the largest payload
of a step and is far finer than a colour scale can show.
"""
from __future__ import annotations

import numpy as np
import plotly.colors
import plotly.graph_objects as go
import plotly.io as pio

from explorer.figures import colours as C  # Okabe–Ito, each >= 3:1 on white
from explorer.figures import fastfig
from explorer.numbers import nice_text, round_sig
from explorer.regression.data import subsample
from explorer.regression.models import model_values

MAX_POINTS = 1500       # points drawn in a scatter: the chart never gets the whole file
MAX_SEGMENTS = 150      # residual segments drawn
# A legend under the chart sits at the bottom of the figure's own box (container coordinates):
# plotly then lifts the plot area and its x-axis title above it, at any width and font size. A
# legend placed at a fraction of the plot's height below the axis grew up over the x-axis title
# when it wrapped to two rows (a half column, a phone, presenter mode's fonts).
BOTTOM_LEGEND = dict(orientation="h", yref="container", y=0, yanchor="bottom")


def _sub(x, y, s=None, max_points=MAX_POINTS):
    idx = subsample(len(x), max_points)
    return np.asarray(x, float)[idx], np.asarray(y, float)[idx], None if s is None else np.asarray(s, float)[idx]


# The page draws these through ui.chart_live's component (Plotly.react), whose theme sets fonts and
# colours but not the 2D axis look st.plotly_chart's theme gives, so the axes carry it themselves:
# tick labels that push the margins out, horizontal grid lines only, no zero line. "#000039" is the
# theme's faded-line placeholder (the component swaps in the light or dark theme's colour).
_XAXIS = dict(automargin=True, showgrid=False, zeroline=False, showline=False)
_YAXIS = dict(automargin=True, showgrid=True, gridcolor="#000039", zeroline=False, showline=False)


_TEMPLATES: dict = {}
_TRACE_TYPES = ("scatter", "contour", "heatmap", "bar")      # the only trace types drawn here


def _template() -> dict:
    """The default template (Streamlit's, in the app) as a plain dict, cut to the trace types these
    figures use: the same picture, but no per-figure copy of a validated template object and
    ~1.7 KB less to copy, walk and send per chart (the other types' colour scales)."""
    name = pio.templates.default
    tpl = _TEMPLATES.get(name)
    if tpl is None:
        full = pio.templates[name].to_plotly_json() if name else {}
        tpl = {"layout": full.get("layout", {}),
               "data": {k: v for k, v in full.get("data", {}).items() if k in _TRACE_TYPES}}
        _TEMPLATES[name] = tpl
    return tpl


def _fig(data, layout) -> go.Figure:
    layout["xaxis"] = {**_XAXIS, **layout.get("xaxis", {})}
    layout["yaxis"] = {**_YAXIS, **layout.get("yaxis", {})}
    return fastfig.figure(data, layout, template=_template())


def _title(text):
    return dict(text=text)


def _data_spec(x, y, s=None, name="data"):
    xs, ys, ss = _sub(x, y, s)
    tr = dict(type="scatter", x=xs, y=ys, mode="markers", name=name,
              marker=dict(size=6 if len(xs) < 300 else 3, color=C.BLUE))
    if ss is not None and len(xs) <= 300:
        tr["error_y"] = dict(type="data", array=round_sig(ss, 3), visible=True, thickness=1)
    return tr


def data_trace(x, y, s=None, name="data"):
    return go.Scatter(_data_spec(x, y, s, name))


def residual_segments(x, y, s=None):
    """The drawn residuals' points (at most ``MAX_SEGMENTS``) and the line's ends ``(lo, hi)``:
    ``segments_y`` and ``line_y`` then place the residuals and the line for any (m, c)."""
    xs, ys, _ = _sub(x, y, s, MAX_SEGMENTS)
    return xs, ys, np.array([float(np.nanmin(x)), float(np.nanmax(x))])


def segments_y(xs, ys, m, c):
    """The residual segments' y: from each yᵢ to the line m xᵢ + c, then a break (NaN)."""
    return np.column_stack([ys, m * xs + c, np.full(len(xs), np.nan)]).ravel()


def hand_fit_figure(x, y, s, m, c, xlabel="x", ylabel="y", best=None):
    xs, ys, line_x = residual_segments(x, y, s)
    seg_x = np.column_stack([xs, xs, np.full(len(xs), np.nan)]).ravel()
    data = [_data_spec(x, y, s),
            dict(type="scatter", x=seg_x, y=segments_y(xs, ys, m, c), mode="lines", name="residuals",
                 line=dict(color=C.DARK_VERMILION, width=1)),
            dict(type="scatter", x=line_x, y=m * line_x + c, mode="lines", name="your line",
                 line=dict(color=C.ORANGE, width=3))]
    if best is not None:
        data.append(dict(type="scatter", x=line_x, y=best[0] * line_x + best[1], mode="lines",
                         name="least squares", line=dict(color=C.GREEN, dash="dash")))
    return _fig(data, dict(xaxis=dict(title=_title(xlabel)), yaxis=dict(title=_title(ylabel)), height=420,
                           legend=dict(orientation="h", y=1.12, x=1, xanchor="right"), title=_title("Fit by hand")))


# The descent path: black dashes (21:1 on a white legend or the yellow floor of the map) with white
# diamonds outlined in black (seen on the dark high-χ² ground and on a dark theme's legend): never
# white on white, and its dash and marker tell it from the start (●) and the optimum (✕) without colour.
DESCENT_LINE = dict(color="#000000", width=2, dash="dash")
DESCENT_MARKER = dict(size=7, symbol="diamond", color="#ffffff", line=dict(color="#000000", width=1.5))


def hand_marker(m, c) -> dict:
    """The landscape's marker at the hand-picked (m, c), where the descent starts."""
    return dict(type="scatter", x=[float(m)], y=[float(c)], mode="markers", name="start (your hand pick)",
                marker=dict(size=13, color=C.ORANGE, symbol="circle", line=dict(color="black", width=1)))


def landscape_figure(ms, cs, Z, hand, best, path_m=None, path_c=None, xname="m", yname="c",
                     title="χ² landscape"):
    with np.errstate(all="ignore"):
        L = np.log10(np.maximum(np.asarray(Z, float), 1e-300)).astype(np.float32)
    data = [dict(type="contour", x=np.asarray(ms, float), y=np.asarray(cs, float), z=L, ncontours=25,
                 colorscale="Viridis", reversescale=True, colorbar=dict(title=_title("log₁₀ χ²")),
                 contours=dict(coloring="heatmap"), name="log₁₀ χ²", hoverinfo="skip")]
    if path_m is not None and len(path_m) > 1:
        data.append(dict(type="scatter", x=np.asarray(path_m, float), y=np.asarray(path_c, float),
                         mode="lines+markers", name="gradient descent", line=DESCENT_LINE, marker=DESCENT_MARKER))
    data.append(hand_marker(*hand))
    data.append(dict(type="scatter", x=[float(best[0])], y=[float(best[1])], mode="markers", name="optimum",
                     marker=dict(size=15, color=C.VERMILION, symbol="x", line=dict(color="white", width=1))))
    return _fig(data, dict(xaxis=dict(title=_title(xname), range=[float(ms[0]), float(ms[-1])]),
                           yaxis=dict(title=_title(yname), range=[float(cs[0]), float(cs[-1])]),
                           height=420, title=_title(title), legend=dict(BOTTOM_LEGEND)))


def parameter_landscape_figure(a, b, Z, best, path, px, py):
    """``landscape_figure`` over two of a model's parameters: ``best`` the fitted values by name
    (in parameter order), ``path`` the descent's (steps + 1, p) history."""
    i, j = list(best).index(px), list(best).index(py)
    return landscape_figure(a, b, Z, (path[0, i], path[0, j]), (best[px], best[py]), path[:, i], path[:, j],
                            px, py, title=f"χ² over ({px}, {py}), the others at their best values")


def model_figure(x, y, s, curves, xlabel="x", ylabel="y"):
    """Data with model curves: ``curves`` = [(name, xs, ys, colour, dash)]."""
    data = [_data_spec(x, y, s)]
    for name, cx, cy, colour, dash in curves:
        data.append(dict(type="scatter", x=np.asarray(cx, float), y=np.asarray(cy, float), mode="lines",
                         name=name, line=dict(color=colour, dash=dash, width=3)))
    return _fig(data, dict(xaxis=dict(title=_title(xlabel)), yaxis=dict(title=_title(ylabel)), height=420,
                           legend=dict(orientation="h", y=1.12, x=1, xanchor="right"), title=_title("Data and fitted models")))


def residual_table_figure(res, xlabel="x"):
    """``residual_figure`` of a residual table (``regression.residual_table``): residual/σ when
    the table has σ, else the residuals themselves."""
    normalised = "residual/sigma" in res
    return residual_figure(res["x"].to_numpy(), res["residual/sigma" if normalised else "residual"].to_numpy(),
                           normalised, xlabel)


def fit_and_descent_curves(model: str, names, fit_params, descent_params, x, n: int = 300):
    """``model_figure``'s curves for the library fit (green) and the steepest descent's end
    (orange, dashed) over the span of ``x``."""
    xs = np.linspace(float(np.nanmin(x)), float(np.nanmax(x)), n)
    return [("library fit", xs, model_values(model, names, fit_params, xs), C.GREEN, "solid"),
            ("steepest descent", xs, model_values(model, names, descent_params, xs), C.ORANGE, "dash")]


def _hline(y, **line):
    return dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=y, y1=y, line=line)


def residual_figure(x, r, normalised: bool, xlabel="x"):
    xs, rs, _ = _sub(x, r)
    shapes = [_hline(0, color="black", width=1)]
    if normalised:
        shapes += [_hline(v, color=C.GREY, dash="dot", width=1) for v in (-2, 2)]
    data = [dict(type="scatter", x=xs, y=rs, mode="markers", name="residual",
                 marker=dict(size=6 if len(xs) < 300 else 3, color=C.PURPLE))]
    return _fig(data, dict(xaxis=dict(title=_title(xlabel)),
                           yaxis=dict(title=_title("(y − f(x)) / σ" if normalised else "y − f(x)")),
                           shapes=shapes, height=300, title=_title("Residuals of the library fit"),
                           showlegend=False))


# Bands, diagnostics and comparisons of a fit (issue 21). Meaning never rides on colour alone: each
# band has its own dash pattern and a legend label saying what it bounds.
BAND_STYLE = {"confidence": ("dash", C.GREEN, "where the true curve lies"),
              "prediction": ("dot", C.GREY, "where a new point lies")}


def band_spec(xs, lower, upper, kind: str, level: float) -> list[dict]:
    """One band as two boundary lines (upper, then lower filled up to it), one legend entry."""
    dash, colour, meaning = BAND_STYLE[kind]
    name = f"{level * 100:g} % {kind} band ({meaning})"
    line = dict(color=colour, dash=dash, width=1.5)
    return [dict(type="scatter", x=np.asarray(xs, float), y=np.asarray(upper, float), mode="lines",
                 name=name, legendgroup=kind, line=line, hoverinfo="skip"),
            dict(type="scatter", x=np.asarray(xs, float), y=np.asarray(lower, float), mode="lines",
                 name=name, legendgroup=kind, showlegend=False, line=line, hoverinfo="skip",
                 fill="tonexty", fillcolor="rgba(0,158,115,0.10)" if kind == "confidence" else "rgba(118,118,118,0.08)")]


def fit_curve(fit, x, n: int = 300):
    """The fitted curve over the span of ``x``: (xs, f(xs))."""
    xs = np.linspace(float(np.nanmin(x)), float(np.nanmax(x)), n)
    return xs, fit.values(xs)


def fit_band_figure(x, y, s, fit, level: float = 0.95, xlabel="x", ylabel="y", extra_curves=(), title=None):
    """Data, the fitted curve and its confidence and prediction bands at ``level`` (``fit.band``,
    the delta method), plus ``extra_curves`` = [(name, xs, ys, colour, dash)] (the descent's end)."""
    xs, ys = fit_curve(fit, x)
    data = []
    for kind in ("prediction", "confidence"):           # the wide band first: the narrow one on top
        lo, hi = fit.band(xs, level=level, kind=kind)
        if np.all(np.isfinite(lo)) and np.all(np.isfinite(hi)):
            data += band_spec(xs, lo, hi, kind, level)
    data.append(_data_spec(x, y, s))
    data.append(dict(type="scatter", x=xs, y=ys, mode="lines", name="library fit",
                     line=dict(color=C.GREEN, dash="solid", width=3)))
    for name, cx, cy, colour, dash in extra_curves:
        data.append(dict(type="scatter", x=np.asarray(cx, float), y=np.asarray(cy, float), mode="lines",
                         name=name, line=dict(color=colour, dash=dash, width=3)))
    return _fig(data, dict(xaxis=dict(title=_title(xlabel)), yaxis=dict(title=_title(ylabel)), height=460,
                           legend=dict(BOTTOM_LEGEND), title=_title(title or "Data, fit and bands")))


def comparison_figure(x, y, s, fits, xlabel="x", ylabel="y"):
    """Two (or more) fits of the same data: ``fits`` = [(label, fit)], solid, then dashed, dotted."""
    styles = [(C.GREEN, "solid"), (C.VERMILION, "dash"), (C.PURPLE, "dot")]
    data = [_data_spec(x, y, s)]
    for (label, fit), (colour, dash) in zip(fits, styles):
        xs, ys = fit_curve(fit, x)
        data.append(dict(type="scatter", x=xs, y=ys, mode="lines", name=label,
                         line=dict(color=colour, dash=dash, width=3)))
    return _fig(data, dict(xaxis=dict(title=_title(xlabel)), yaxis=dict(title=_title(ylabel)), height=420,
                           legend=dict(BOTTOM_LEGEND), title=_title("Two models, the same data")))


def _text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with an "rgb(r, g, b)" background (WCAG: one of
    them always reaches at least 4.58:1)."""
    def lum(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (float(v) for v in background[background.index("(") + 1:-1].split(","))
    L = 0.2126 * lum(r) + 0.7152 * lum(g) + 0.0722 * lum(b)
    return "black" if (L + 0.05) / 0.05 >= 1.05 / (L + 0.05) else "white"


def correlation_figure(corr):
    """The parameters' correlation matrix (a square DataFrame) as a heat map with the numbers
    printed in every cell (cividis: readable with any colour vision; the numbers carry it all),
    each in black or white, whichever contrasts more with its cell."""
    names = [str(c) for c in corr.columns]
    z = np.asarray(corr, float)
    text = [[nice_text(v, 3) if np.isfinite(v) else "—" for v in row] for row in z]
    notes = []
    for i, row in enumerate(z):
        for j, v in enumerate(row):
            cell = plotly.colors.sample_colorscale("Cividis", [(v + 1) / 2])[0] if np.isfinite(v) else "rgb(255, 255, 255)"
            notes.append(dict(x=names[j], y=names[i], text=text[i][j], showarrow=False,
                              font=dict(size=14, color=_text_colour(cell))))
    data = [dict(type="heatmap", x=names, y=names, z=np.round(z, 4), zmin=-1, zmax=1, colorscale="Cividis",
                 text=text, colorbar=dict(title=_title("correlation")),
                 hovertemplate="corr(%{y}, %{x}) = %{text}<extra></extra>")]
    return _fig(data, dict(xaxis=dict(side="bottom", showgrid=False), height=min(180 + 70 * len(names), 560),
                           yaxis=dict(autorange="reversed", showgrid=False, scaleanchor="x"), annotations=notes,
                           title=_title("Correlation of the fitted parameters")))


def normalised_residuals(fit, sigma=None):
    """Residuals divided by σᵢ (given) or by s = √(χ²/dof) (estimated from the scatter): a good
    model's are roughly a standard normal sample. Returns (values, axis label)."""
    r = np.asarray(fit.residuals, float)
    if sigma is not None:
        return r / np.asarray(sigma, float), "(y − f(x)) / σ"
    s = float(np.sqrt(fit.reduced_chi2)) if np.isfinite(fit.reduced_chi2) and fit.reduced_chi2 > 0 else float("nan")
    return r / s, "(y − f(x)) / s,  s = √(χ²/dof)"


def residual_histogram_figure(values, label: str, bins: int | None = None):
    """A histogram of normalised residuals with the standard normal curve they should follow."""
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    if bins is None:
        bins = int(np.clip(np.sqrt(max(v.size, 1)), 5, 40))
    counts, edges = np.histogram(v, bins=bins) if v.size else (np.zeros(1), np.array([-1.0, 1.0]))
    centres, width = (edges[:-1] + edges[1:]) / 2, float(edges[1] - edges[0])
    gx = np.linspace(min(-3.5, float(edges[0])), max(3.5, float(edges[-1])), 200)
    gauss = v.size * width * np.exp(-gx ** 2 / 2) / np.sqrt(2 * np.pi)
    data = [dict(type="bar", x=centres, y=counts, width=width * 0.95, name="residuals",
                 marker=dict(color=C.PURPLE)),
            dict(type="scatter", x=gx, y=round_sig(gauss, 4), mode="lines", name="standard normal (expected)",
                 line=dict(color="black", dash="dash", width=2))]
    return _fig(data, dict(xaxis=dict(title=_title(label)), yaxis=dict(title=_title("count")), height=300,
                           bargap=0.02, legend=dict(BOTTOM_LEGEND),
                           title=_title("Normalised residuals")))
