"""Plotly figures built from plain dicts, without plotly.py's per-property validation.

Building a figure through ``go.Scatter(...)``, ``fig.add_trace`` and ``make_subplots`` validates
every property on the way in; for a chart with a handful of traces that costs 10-25 ms, which is
most of a slider step's server time. The figure builders in ``explorer/`` instead write the
figure as the dicts plotly.js reads (the same names as plotly.py's keyword arguments) and wrap
them here with validation off. The result is still a ``go.Figure`` (tests and pages read
``fig.data[0].x`` as usual), and ``tests/app/test_figure_json.py`` checks that every chart of
every page passes plotly's full validation, so a misspelt property is caught by a test, not by a
user.

    fig = figure([dict(type="scatter", x=x, y=y, mode="lines")], dict(height=300))
    layout = dict(height=320, **subplots(2, titles=("left", "right")))   # make_subplots(1, 2)
"""
from __future__ import annotations

import base64
import functools
from typing import Sequence

import numpy as np
import orjson

import plotly.colors
import plotly.graph_objects as go
import plotly.io as pio

# plotly's default look (grey plot area, white grid) minus its per-trace-type defaults: every
# trace here sets its own colours, and the trace defaults would add ~4 KB to each figure sent.
LEAN_TEMPLATE = {"layout": pio.templates["plotly"].layout.to_plotly_json()}


def figure(data: Sequence[dict], layout: dict, frames: Sequence[dict] | None = None, *,
           template: dict | None = LEAN_TEMPLATE) -> go.Figure:
    """A ``go.Figure`` from trace dicts (each with its ``type``; "scatter" if missing) and a layout
    dict, built without validation. ``template=None`` leaves the template empty (the chart then
    takes only Streamlit's theme).

    The figure is built lazily: until something reads or changes it through plotly.py
    (``fig.data``, ``fig.update_layout``, ``fig.to_dict()`` ...), it is only the dicts given here,
    and ``figure_json``, ``layout_value`` and ``set_scene_uirevision`` use them as they are. Even
    without validation, plotly.py's ``go.Figure(...)`` costs 0.5-2 ms a figure (it deep-copies
    every property and makes an object per trace): 13% of a slider step on the multivariate page,
    for figures that are only ever sent to the browser."""
    layout = _as_validation_stores(dict(layout))
    layout.setdefault("template", template if template is not None else {})
    spec = {"data": [_as_validation_stores(d if "type" in d else {"type": "scatter", **d}) for d in data],
            "layout": layout}
    fig = _LazyFigure.__new__(_LazyFigure)
    fig.__dict__["_lazy_spec"] = spec
    if frames:
        # plotly.py validates frames even with validation off (~6 ms a frame): keep them as dicts
        # and add them when the figure is serialised
        fig.__dict__["_raw_frames"] = list(frames)
    return fig


class _LazyFigure(go.Figure):
    """A ``go.Figure`` that is only its spec dicts until plotly.py's side of it is first used.

    ``__getattr__`` runs only for an attribute the object does not have yet: the first time plotly
    code looks up one of its internals, the figure is built from the spec (validation off, as
    ``figure`` promises; later updates validated as usual) and the lookup answered. Copies and
    pickles go through ``to_dict`` and come back as ordinary built figures."""

    def __getattr__(self, name: str):
        spec = self.__dict__.pop("_lazy_spec", None)
        if spec is None or name.startswith("__"):
            raise AttributeError(name)
        go.Figure.__init__(self, spec, _validate=False)
        self._validate = True
        self._layout_obj._validate = True
        return getattr(self, name)

    def to_dict(self):
        d = super().to_dict()
        frames = self.__dict__.get("_raw_frames")
        if frames:
            d["frames"] = frames
        return d


def _spec(fig: go.Figure) -> dict | None:
    """The spec dicts of a figure from ``figure`` not built yet, else None."""
    return fig.__dict__.get("_lazy_spec") if isinstance(fig, _LazyFigure) else None


def layout_value(fig: go.Figure, name: str):
    """``fig.layout[name]`` (None if unset), without building a lazy figure."""
    spec = _spec(fig)
    return spec["layout"].get(name) if spec is not None else fig.layout[name]


def set_scene_uirevision(fig: go.Figure, revision: str) -> go.Figure:
    """``fig.update_scenes(uirevision=revision)``, without building a lazy figure."""
    spec = _spec(fig)
    if spec is None:
        return fig.update_scenes(uirevision=revision)
    layout = spec["layout"]
    for key in [k for k in layout if k == "scene" or (k.startswith("scene") and k[5:].isdigit())] or ["scene"]:
        layout[key] = {**(layout.get(key) or {}), "uirevision": revision}
    return fig


def _as_validation_stores(props: dict) -> dict:
    """Two properties as plotly's validation would store them, in ``props`` and the dicts inside it:

    - ``title="f(x)"`` as ``title={"text": "f(x)"}``: a later validated update of the title's font
      (presenter mode) needs the title to be an object, and fails on a bare string;
    - a named colour scale (``"YlOrBr_r"``) as its list of colours: plotly.js knows only a few
      names, some with the opposite orientation to plotly.py's, and draws its default scale for
      any other."""
    for key, value in props.items():
        if isinstance(value, dict):
            _as_validation_stores(value)
        elif key == "title" and isinstance(value, str):
            props[key] = {"text": value}
        elif key == "colorscale" and isinstance(value, str):
            props[key] = _named_colorscale(value)
    return props


@functools.cache
def _named_colorscale(name: str) -> list:
    return [list(stop) for stop in plotly.colors.get_colorscale(name)]


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


def figure_json(fig: go.Figure) -> str:
    """The figure as the JSON plotly.js reads: what ``plotly.io.to_json(fig, validate=False)``
    gives, several times faster.

    plotly.io deep-copies the whole figure, walks it to turn numpy arrays into typed arrays and
    cleans it for its encoder: 18% of one server process's time under 20 users. This reads the
    figure's own property dicts without copying them, turns the numpy arrays that are property
    values (as plotly.io does) and lists of ``_LONG`` or more numbers into plotly.js typed arrays
    (base64), and lets ``orjson`` encode the rest (measured over the 48 charts of every page, default
    and presenter mode: about 0.1 ms a figure against 0.9 ms for the standard library's C encoder,
    the same figures number for number; like plotly.io, it writes NaN and infinities as null). Animation frames stay plain
    lists. A figure orjson cannot take (an integer beyond 64 bits, a key that is not text) goes
    through plotly.io instead."""
    lazy = _spec(fig)
    spec = _typed_arrays(lazy if lazy is not None else {"data": fig._data, "layout": fig._layout})
    frames = fig.__dict__.get("_raw_frames") or ([] if lazy is not None else [f._props for f in fig._frame_objs])
    if frames:
        # plain lists: plotly.js does not decode typed arrays in animation frames (Plotly.animate
        # hands frame data over as it is), so a frame's curve would come out empty
        spec["frames"] = frames
    try:
        return orjson.dumps(spec, default=_json_default, option=orjson.OPT_SERIALIZE_NUMPY).decode()
    except (TypeError, ValueError):     # orjson.JSONEncodeError is a TypeError
        return pio.to_json(fig, validate=False)


# plotly.io's rules (_plotly_utils.utils.convert_to_base64): arrays under these keys stay lists
_NOT_TYPED = frozenset(("geojson", "layer", "layers", "range"))
_TYPED = {"float64": "f8", "float32": "f4", "int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2",
          "int32": "i4", "uint32": "u4"}


def _typed_arrays(obj):
    """A copy of the dicts and lists in ``obj`` (not of the arrays) with each numpy array that is a
    dict value replaced by its plotly.js typed-array spec, and each long list of numbers too (as
    float64, None as NaN: a gap, as null is)."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if isinstance(v, np.ndarray) and k not in _NOT_TYPED:
                v = _typed_array(v)
            elif isinstance(v, (list, tuple)) and len(v) >= _LONG and k not in _NOT_TYPED:
                a = _numbers(v)
                v = _typed_array(a) if a is not None else _typed_arrays(v)
            elif isinstance(v, (dict, list, tuple)):
                v = _typed_arrays(v)
            out[k] = v
        return out
    if isinstance(obj, (list, tuple)) and obj and isinstance(obj[0], (dict, list, tuple)):
        return [_typed_arrays(v) for v in obj]
    return obj


# A list of numbers this long travels as a typed array: encoding each float as text costs ~0.2 us
# a number, which for the curves of a slider step was the biggest part of the JSON encoding.
_LONG = 16


def _numbers(values) -> np.ndarray | None:
    """``values`` (numbers and None, or rows of them) as a float64 array; None if it is anything
    else (strings, colours, booleans, ragged rows)."""
    first = values[0]
    if isinstance(first, (list, tuple)):
        first = first[0] if first else "not a number"
    if isinstance(first, bool) or not (first is None or isinstance(first, (int, float))):
        return None
    try:
        a = np.array(values, dtype=float)
    except (TypeError, ValueError):
        return None
    return a if a.ndim <= 2 else None


def _typed_array(a: np.ndarray):
    if a.size == 0:
        return a
    if a.dtype.kind in "iu" and a.dtype.itemsize == 8:       # plotly.js has no 64-bit integers
        lo, hi = int(a.min()), int(a.max())
        if not (-2**31 <= lo and hi < 2**31):
            return a
        a = a.astype(np.int32)
    code = _TYPED.get(a.dtype.name)
    if code is None:
        return a
    spec = {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(a)).decode("ascii")}
    if a.ndim > 1:
        spec["shape"] = ", ".join(str(n) for n in a.shape)
    return spec


def _json_default(obj):
    """What orjson cannot encode by itself: numpy arrays it does not take (not contiguous, other
    dtypes), numpy scalars of such dtypes."""
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"not JSON: {type(obj).__name__}")


def grid32(z) -> np.ndarray:
    """A grid that is only drawn (hover off) as 32-bit floats: 7 significant digits and half the
    bytes of a float64 typed array; kept as float64 when a finite value lies outside float32's range."""
    a = np.asarray(z, dtype=float)
    fin = a[np.isfinite(a)]
    if fin.size and float(np.abs(fin).max()) > 1e37:
        return a
    return a.astype(np.float32)
