"""What the multivariate page remembers between reruns, as small classes over a mapping (the page
passes ``st.session_state``; the tests a dict): the point (x₀, y₀) and the window of the surface,
and the map's point and components. Plain logic, no streamlit here."""
from __future__ import annotations

from collections.abc import MutableMapping

from explorer.multivariate.clicks import keep_in_window, point_from_click
from explorer.multivariate.derivatives import Derivatives
from explorer.multivariate.maps import MAP_POINTS, MAP_PRESETS
from explorer.multivariate.point import stationary_point_for_sliders
from explorer.multivariate.presets import preset_view


class PointState:
    """The surface's window (``xmin`` … ``ymax``) and point (``x0``, ``y0``) in ``state``."""

    LAST_F, NO_STATIONARY = "_mv_last_f", "_mv_nostat"

    def __init__(self, state: MutableMapping, keys: tuple[str, str] = ("x0", "y0")):
        self.state, self.keys = state, keys

    def follow_preset(self, text: str) -> None:
        """When the function changes to a preset, move the window and the point to that preset's."""
        view = preset_view(self.state.get(self.LAST_F), text)
        self.state[self.LAST_F] = text
        if view is not None:
            (a, b), (c, d) = view.xr, view.yr
            self.state.update(xmin=a, xmax=b, ymin=c, ymax=d)
            self.set(view.point)

    def set(self, point) -> None:
        self.state[self.keys[0]], self.state[self.keys[1]] = point

    def keep_in_window(self, key: str, lo: float, hi: float, step: float) -> None:
        """A remembered slider value outside a new window moves to its nearest step inside."""
        value = self.state.get(key)
        kept = keep_in_window(value, lo, hi, step)
        if kept != value:
            self.state[key] = kept

    def click(self, xy, xr, yr, step_x: float, step_y: float) -> None:
        """A click on the map (data coordinates, or None) moves the point, snapped to the steps."""
        point = point_from_click(xy, xr, yr, step_x, step_y)
        if point is not None:
            self.set(point)

    def go_to_stationary(self, derivs: Derivatives, start, xr, yr) -> None:
        """Move to the nearest point where ∇f = 0 inside the window, or note that there is none."""
        x0, y0 = (float(self.state.get(k, s)) for k, s in zip(self.keys, start))
        found = stationary_point_for_sliders(derivs, x0, y0, xr, yr)
        if found is None:
            self.state[self.NO_STATIONARY] = True
        else:
            self.set(found)

    def no_stationary_found(self) -> bool:
        """Whether the last jump found nothing (read once)."""
        return bool(self.state.pop(self.NO_STATIONARY, False))


def follow_map_preset(state: MutableMapping, name: str | None) -> None:
    """A map preset chosen: its point (``mx``, ``my``) and its components (``u``, ``v``)."""
    if name in MAP_PRESETS:
        state["mx"], state["my"] = MAP_POINTS[name]
        state["u"], state["v"] = MAP_PRESETS[name]
