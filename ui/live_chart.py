"""The in-place chart component: every live chart of the app is drawn through it, so a rerun
updates the plot instead of remounting it, and a view the user turned (3D camera, zoom) stays put.

``st.plotly_chart`` gives a chart a new identity whenever its figure changes, so the browser
remounts it and a 3D camera the learner turned snaps back, even with plotly's ``uirevision``.
``live_chart`` instead mounts a small ``st.components.v2`` component (in the main document,
no iframe, no shadow root) with a FIXED identity (its key) and hands it the new figure on every
rerun; its JavaScript (``ui/live_chart_js/live_chart.js``) updates the same plot div in place with
``Plotly.react``, so ``uirevision`` does its job.

plotly.js itself is the file the plotly Python package ships (``plotly/package_data/plotly.min.js``,
no CDN, no network); the app server serves it as a static component asset and the browser loads it
once per document (each rerun then sends only the figure's JSON). The chart applies Streamlit's
plotly theme like ``st.plotly_chart(theme="streamlit")`` does.

Use it through ``ui.chart3d(fig, key=...)`` (which also applies presenter-mode styling).

Shared meta (issues #19, #20), all optional::

    live_chart(fig, key, label="f and f′", description="f(x) = x² on −3…3 ...",
               table={"columns": ["x", "f(x)"], "rows": [[0, 0], [1, 1]]},
               frames={"x0": slider_frames(build, values)},    # explorer.figures.frames
               camera={"eye": {...}}, camera_rev=3)

``reveal`` (presenter mode): if this is the page's first chart, the browser scrolls it into view
once drawn (``revealMainChart`` in the JavaScript).

``label`` is the chart's accessible name (a wrapper with role="figure"), ``description`` a sentence
read after it (aria-describedby, visually hidden), ``table`` a native "Show as table" disclosure
(text only, never HTML). ``camera`` is applied to every 3D scene when ``camera_rev`` changes (view
buttons); otherwise the learner's view stays. ``frames`` maps a slider's key to its drag frames:
each set travels as its own small hidden element (``lf-<chart>-<slider>``), which Streamlit re-sends
as a short reference when its bytes did not change (``send_frames`` sends them later in the run), and the chart code swaps them in
while that slider (``.st-key-<slider> input[type=range]``) is dragged, before its value reaches the
server: at most once per animation frame (intermediate values dropped, an unchanged frame skipped),
with ``Plotly.restyle`` of the moving traces only and the layout touched only where it changes
(``drawWanted`` in the JavaScript); the release rerun draws the exact figure as before.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go

from explorer.figures.fastfig import figure_json, layout_value
from explorer.figures.frames import frames_json

HERE = Path(__file__).resolve().parent
# Only the small loader travels with every chart message; it imports live_chart_js/live_chart.js (the
# chart code) once per browser document from the app server, like plotly.js.
JS = (HERE / "live_chart_js" / "loader.js").read_text(encoding="utf-8")
PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"
PLOTLY_FILE = "plotly.min.js"
COMPONENT_NAME = "live_chart"
ASSET_NAME = "plotlyjs"          # registered by declare_component as "ui.live_chart.plotlyjs"
ASSET_FULL_NAME = f"{__name__}.{ASSET_NAME}"
MODULE_NAME = "module"           # the folder live_chart_js/, registered as "ui.live_chart.module"
MODULE_FULL_NAME = f"{__name__}.{MODULE_NAME}"
MODULE_FILE = "live_chart.js"
DEFAULT_HEIGHT = 450             # plotly.js's default, as st.plotly_chart uses
DEFAULT_CONTENT_WIDTH = 700

_component = None


def _mount():
    """The component's mount function (registered lazily, once per process)."""
    global _component
    if _component is None:
        import streamlit as st
        _component = st.components.v2.component(COMPONENT_NAME, js=JS, isolate_styles=False)
    return _component


def _ensure_asset_route() -> None:
    """Serve plotly.min.js at ``component/ui.live_chart.plotlyjs/plotly.min.js`` on this runtime."""
    from streamlit.runtime import Runtime
    if not Runtime.exists():
        return
    registry = Runtime.instance().component_registry
    if registry.get_component_path(ASSET_FULL_NAME) is None:
        from streamlit.components.v1 import declare_component
        declare_component(ASSET_NAME, path=str(PLOTLY_DIR))
    if registry.get_component_path(MODULE_FULL_NAME) is None:
        from streamlit.components.v1 import declare_component
        declare_component(MODULE_NAME, path=str(HERE / "live_chart_js"))


def asset_path() -> str:
    """The URL path of plotly.js relative to the app's base URL."""
    return f"component/{ASSET_FULL_NAME}/{PLOTLY_FILE}"


def module_path() -> str:
    """The URL path of the chart code (live_chart_js/live_chart.js) relative to the app's base URL."""
    return f"component/{MODULE_FULL_NAME}/{MODULE_FILE}"


def _base_path() -> str:
    from streamlit import config
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/" if base else "/"


def _size(value: Any, fig_value: Any, default: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and value > 0:
        return int(value)
    if isinstance(fig_value, (int, float)) and fig_value > 0:
        return int(fig_value)
    return default


def _text(v: Any) -> str | None:
    return None if v is None else str(v)


def _table(table: Any) -> dict | None:
    """``{"columns": [...], "rows": [[...], ...]}`` as text cells (numbers through str), or None."""
    if not isinstance(table, dict) or not table.get("columns"):
        return None
    cols = [str(c) for c in table["columns"]]
    rows = [[("" if c is None else str(c)) for c in row] for row in table.get("rows", [])]
    return {"columns": cols, "rows": rows, "caption": _text(table.get("caption"))}


def payload(fig: go.Figure, key: str, *, config: dict | None = None, width: Any = "stretch",
            height: Any = "content", theme: str | None = "streamlit",
            click: bool = False, layout: dict | None = None, label: str | None = None,
            description: str | None = None, table: dict | None = None, camera: dict | None = None,
            camera_rev: Any = None, reveal: bool = False) -> tuple[bytes, int, int | None]:
    """The bytes the component receives: a line of options, then the figure's JSON.

    Returns ``(data, height_px, width_px_or_None)``; ``None`` width means "fill the container".
    ``layout``: entries the browser merges into the figure's layout (e.g. margin, uirevision).
    """
    h = _size(height if not isinstance(height, str) else None, layout_value(fig, "height"), DEFAULT_HEIGHT)
    w = None
    if width == "content":
        w = _size(None, layout_value(fig, "width"), DEFAULT_CONTENT_WIDTH)
    elif isinstance(width, (int, float)) and not isinstance(width, bool) and width > 0:
        w = int(width)
    meta = dict(key=str(key), height=h, width=w, config=config or {}, theme=theme or None,
                asset=asset_path(), fallback=_base_path() + asset_path(),
                module=module_path(), moduleFallback=_base_path() + module_path(), click=bool(click),
                layout=layout or {}, label=_text(label), description=_text(description), table=_table(table),
                camera=camera if isinstance(camera, dict) else None,
                cameraRev=_text(camera_rev) if camera is not None else None, reveal=bool(reveal))
    spec = figure_json(fig)
    return (json.dumps(meta, separators=(",", ":")) + "\n" + spec).encode("utf-8"), h, w


def element_key(key: str) -> str:
    """The Streamlit element key of the chart with this key (its CSS class is ``st-key-<this>``)."""
    return "p3d-" + str(key).replace("__", "_-")


def clicked_point(key: str) -> tuple[float, float] | None:
    """Inside an ``on_click`` callback: the (x, y) in data coordinates where the user clicked."""
    import streamlit as st
    state = st.session_state.get(element_key(key))
    value = getattr(state, "click", None)
    if value is None and isinstance(state, dict):
        value = state.get("click")
    try:
        x, y = float(value["x"]), float(value["y"])
    except (TypeError, KeyError, ValueError):
        return None
    return (x, y) if x == x and y == y and abs(x) < 1e300 and abs(y) < 1e300 else None


def frames_key(key: str, slider: str) -> str:
    """The element key of the hidden element carrying the drag frames of ``slider`` for chart ``key``."""
    return f"lf-{element_key(key)}-{slider}"


def frames_payload(key: str, slider: str, frames: dict | bytes) -> bytes:
    """A line of options, then the frames' JSON (``explorer.figures.frames``); deterministic."""
    meta = dict(kind="frames", chart=str(key), slider=str(slider), module=module_path(),
                moduleFallback=_base_path() + module_path())
    body = frames if isinstance(frames, (bytes, bytearray)) else frames_json(frames)
    return json.dumps(meta, separators=(",", ":"), sort_keys=True).encode("utf-8") + b"\n" + bytes(body)


def live_chart(fig: go.Figure, key: str, *, config: dict | None = None,
                    width: Any = "stretch", height: Any = "content",
                    use_container_width: bool | None = None, theme: str | None = "streamlit",
                    on_click=None, layout: dict | None = None, label: str | None = None,
                    description: str | None = None, table: dict | None = None,
                    frames: dict | None = None, camera: dict | None = None, camera_rev: Any = None,
                    reveal: bool = False, **_ignored: Any):
    """Draw ``fig`` so that a camera the user turned survives reruns (same API as st.plotly_chart,
    minus selections). ``key`` is required: it is the chart's identity across reruns.

    ``on_click``: a callback run when the user clicks the plotting area of a 2D chart; inside it,
    ``clicked_point(key)`` gives the clicked (x, y) in data coordinates (anywhere on the plot, not
    only on a drawn point). ``label``, ``description``, ``table``, ``frames``, ``camera`` and
    ``camera_rev``: see the module docstring."""
    if key is None or str(key) == "":
        raise ValueError("live_chart needs a key: it is what keeps the chart's identity")
    if use_container_width is not None:
        width = "stretch" if use_container_width else "content"
    layout = dict(layout or {})
    if layout_value(fig, "uirevision") is None:
        layout.setdefault("uirevision", str(key))
    frames = {str(k): v for k, v in (frames or {}).items() if v}
    data, h, w = payload(fig, key, config=config, width=width, height=height, theme=theme,
                         click=on_click is not None, layout=layout, label=label, description=description,
                         table=table, camera=camera, camera_rev=camera_rev, reveal=reveal)
    _ensure_asset_route()
    # A fixed identity: the element id depends on the key only, never on the figure.
    events = {"on_click_change": on_click} if on_click is not None else {}
    # with a table under the plot the element grows to its content (a fixed height would scroll)
    out = _mount()(key=element_key(key), data=data, width=w if w else "stretch",
                   height="content" if _table(table) else h, **events)
    send_frames(key, frames)
    return out


def send_frames(key: str, frames: dict | None) -> None:
    """Send drag frames for the chart ``key`` (drawn by ``live_chart`` in the same run) apart from
    it: called after the page's charts and numbers, a frame set that has to be recomputed on this
    rerun no longer holds them up. Each set is a hidden element of its own (``frames_key``)."""
    for slider, fr in (frames or {}).items():
        if fr:
            _ensure_asset_route()
            _mount()(key=frames_key(key, slider), data=frames_payload(key, slider, fr), height="content")
