"""Plotly figures built from plain dicts, without plotly.py's per-property validation.

Building a figure through ``go.Scatter(...)``, ``fig.add_trace`` and ``make_subplots`` validates
every property on the way in; for a chart with a handful of traces that costs 10-25 ms, which is
most of a slider step's server time. The figure builders in ``explorer/`` instead write the
figure as the dicts plotly.js reads (the same names as plotly.py's keyword arguments) and wrap
them here with validation off. The result is still a ``go.Figure`` (tests and pages read
``fig.data[0].x`` as usual), and ``tests/test_fastfig.py`` checks that every builder's output
passes plotly's full validation, so a misspelt property is caught by a test, not by a user.

    fig = figure([dict(type="scatter", x=x, y=y, mode="lines")], dict(height=300))
    layout = dict(height=320, **subplots(2, titles=("left", "right")))   # make_subplots(1, 2)
"""
from __future__ import annotations

from typing import Sequence

import plotly.graph_objects as go
import plotly.io as pio

# plotly's default look (grey plot area, white grid) minus its per-trace-type defaults: every
# trace here sets its own colours, and the trace defaults would add ~4 KB to each figure sent.
LEAN_TEMPLATE = {"layout": pio.templates["plotly"].layout.to_plotly_json()}


def figure(data: Sequence[dict], layout: dict, frames: Sequence[dict] | None = None, *,
           template: dict | None = LEAN_TEMPLATE) -> go.Figure:
    """A ``go.Figure`` from trace dicts (each with its ``type``; "scatter" if missing) and a layout
    dict, built without validation. ``template=None`` leaves the template empty (the chart then
    takes only Streamlit's theme)."""
    layout = _titles_as_dicts(dict(layout))
    layout.setdefault("template", template if template is not None else {})
    spec = {"data": [_titles_as_dicts(d if "type" in d else {"type": "scatter", **d}) for d in data],
            "layout": layout}
    fig = go.Figure(spec, _validate=False)
    # later updates (ui.style, presenter mode) go through plotly's normal, validated path
    fig._validate = True
    fig._layout_obj._validate = True
    if frames:
        # plotly.py validates frames even with validation off (~6 ms a frame): keep them as dicts
        # and add them when the figure is serialised
        fig.__class__ = _FramedFigure
        fig._raw_frames = list(frames)
    return fig


def _titles_as_dicts(props: dict) -> dict:
    """``title="f(x)"`` as ``title={"text": "f(x)"}``, in ``props`` and the dicts inside it, as
    plotly's validation would store it: a later validated update of the title's font (presenter
    mode) needs the title to be an object, and fails on a bare string."""
    for key, value in props.items():
        if isinstance(value, dict):
            _titles_as_dicts(value)
        elif key == "title" and isinstance(value, str):
            props[key] = {"text": value}
    return props


class _FramedFigure(go.Figure):
    """A figure whose animation frames are plain dicts, added by ``to_dict`` (``pio.to_json``)."""

    def to_dict(self):
        d = super().to_dict()
        d["frames"] = self._raw_frames
        return d


def subplots(cols: int, *, widths: Sequence[float] | None = None, spacing: float = 0.08,
             titles: Sequence[str] = ()) -> dict:
    """Layout entries for ``cols`` side-by-side panels, as ``make_subplots(1, cols)`` lays them
    out: axes ``xaxis``/``yaxis`` (panel 1), ``xaxis2``/``yaxis2`` (panel 2) ... and the panel
    titles as annotations. Put a trace in panel k with ``**panel(k)``."""
    widths = list(widths or [1.0] * cols)
    free = 1.0 - spacing * (cols - 1)
    total = sum(widths)
    out: dict = {}
    annotations = []
    left = 0.0
    for k in range(1, cols + 1):
        w = free * widths[k - 1] / total
        sx = "" if k == 1 else str(k)
        out[f"xaxis{sx}"] = dict(domain=[left, left + w], anchor=f"y{sx}")
        out[f"yaxis{sx}"] = dict(domain=[0.0, 1.0], anchor=f"x{sx}")
        if k <= len(titles) and titles[k - 1]:
            annotations.append(dict(text=titles[k - 1], x=left + w / 2, y=1.0, xref="paper", yref="paper",
                                    xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=16)))
        left += w + spacing
    if annotations:
        out["annotations"] = annotations
    return out


def panel(k: int) -> dict:
    """The axis references that put a trace in panel ``k`` of ``subplots`` (1-based)."""
    return {} if k == 1 else {"xaxis": f"x{k}", "yaxis": f"y{k}"}


def validate(fig: go.Figure) -> go.Figure:
    """Plotly's full validation of a figure built here (raises ValueError on a bad property)."""
    return go.Figure(fig.to_dict())
