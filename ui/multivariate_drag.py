"""The multivariate page's helpers besides its widgets: the window boxes, and the drag frames of
the point sliders x₀ and y₀ (issue #19).

Frames are computed by ``explorer.figures.multivariate_frames`` and cached by the OTHER controls
(the function, the window, the other coordinate, the surface's toggles), so a release of x₀
recomputes only y₀'s frames, and x₀'s are re-sent as the same bytes (a short reference). They are
sent after the charts (``live_chart.send_frames``), so the charts and readings never wait for them.
"""
from __future__ import annotations

import streamlit as st

import ui
from explorer import multivariate as mv
from explorer.figures import multivariate_frames as mff
from explorer.figures.frames import frames_json, slider_values
from ui import live_chart


def ranges(text: str) -> mv.Window:
    """The window boxes: x and y from … to … (an error box when a range is empty)."""
    (a, b), (c, d) = mv.default_range(text)
    # (columns, not a flex row: four boxes in a row would wrap at 1024 px; folded away on a projector)
    boxes, values = [("x from", a, "xmin"), ("x to", b, "xmax"), ("y from", c, "ymin"), ("y to", d, "ymax")], []
    with st.expander("Window: x and y from … to …") if ui.presenting() else st.container():
        for col, (label, default, key) in zip(st.columns(4), boxes):
            with col:
                values.append(ui.number(label, float(default), key=key, min_value=-1000.0, max_value=1000.0, step=0.5))
    win = mv.window(text, *values)
    if not win.valid:
        st.error(mv.window_message(win), icon="⚠️")
    return win


@st.cache_resource(max_entries=64, show_spinner=False)
def _frames(text: str, xr: tuple, yr: tuple, step: float, axis: str, other: float, planes: bool, tangent: bool,
            charts: tuple, _derivs, _grid) -> dict[str, bytes]:
    """{chart: the frames' JSON bytes}: encoded once, so a frame set that comes from the cache is not
    encoded again on every release (~0.5 ms a slider)."""
    values = slider_values((xr if axis == "x0" else yr)[0], (xr if axis == "x0" else yr)[1], step)
    frames = mff.point_frames(text, _derivs, _grid, xr, yr, values, axis=axis, other=other, planes=planes,
                              tangent=tangent, charts=charts)
    return {chart: frames_json(fr) for chart, fr in frames.items()}


def send_point_frames(text: str, derivs, grid, xr: tuple, yr: tuple, steps: tuple, point: tuple,
                      planes: bool, tangent: bool, charts: tuple) -> None:
    """Send the drag frames of x₀ and y₀ (slider steps ``steps``, the point now ``point``) for the
    charts ``charts`` (keys among "surf3d", "fmap", "slices"), drawn earlier in this run."""
    charts = tuple(charts)
    fx = _frames(text, tuple(xr), tuple(yr), steps[0], "x0", float(point[1]), planes, tangent, charts, derivs, grid)
    fy = _frames(text, tuple(xr), tuple(yr), steps[1], "y0", float(point[0]), planes, tangent, charts, derivs, grid)
    for chart in charts:
        live_chart.send_frames(chart, {"x0": fx[chart], "y0": fy[chart]})
