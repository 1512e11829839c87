"""What the multivariate page remembers between reruns, as small classes over a mapping (the page
passes ``st.session_state``; the tests a dict): the point (x₀, y₀) and the window of the surface,
and the map's point and components. Plain logic, no streamlit here."""
from __future__ import annotations

from collections.abc import MutableMapping

from explorer.multivariate.clicks import keep_in_window, nudge, point_from_click
from explorer.multivariate.derivatives import Derivatives
from explorer.multivariate.maps import MAP_POINTS, MAP_PRESETS
from explorer.multivariate.point import stationary_point_for_sliders
from explorer.multivariate.presets import preset_view
from explorer.numbers import nice_text


class PointState:
    """The surface's window (``xmin`` … ``ymax``) and point (``x0``, ``y0``) in ``state``."""

    LAST_F, NO_STATIONARY, SHAPE, MOVED = "_mv_last_f", "_mv_nostat", "_mv_shape_", "_mv_moved"

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
        """Before the slider ``key`` is drawn: a remembered value outside [lo, hi] moves to its nearest
        step inside (noted for ``moved_note``); one inside stays. When the slider's range or step
        changed since the last run, its value is written again even if it stays: the browser meets
        such a slider as a new widget and would otherwise start it at its default, so the slider
        would show one point while f and the charts use another."""
        value = self.state.get(key)
        shape, last = (float(lo), float(hi), float(step)), self.state.get(self.SHAPE + key)
        self.state[self.SHAPE + key] = shape
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return
        kept = keep_in_window(value, lo, hi, step)
        if kept != value or (last is not None and tuple(last) != shape):
            self.state[key] = kept
        if kept != value:
            self.state.setdefault(self.MOVED, {})[key] = (float(value), float(kept))

    def moved_note(self, names: tuple[str, str] = ("x₀", "y₀")) -> str | None:
        """What happened to the point (x₀, y₀) when the window changed (read once), or None."""
        moved = self.state.get(self.MOVED) or {}
        said = []
        for key, name in zip(self.keys, names):
            if key in moved:
                old, new = moved.pop(key)
                said.append(f"{name} was outside the window: it moved from {nice_text(old)} to the nearest "
                            f"value inside, {nice_text(new)}.")
        return " ".join(said) or None

    def click(self, xy, xr, yr, step_x: float, step_y: float) -> None:
        """A click on the map (data coordinates, or None) moves the point, snapped to the steps."""
        point = point_from_click(xy, xr, yr, step_x, step_y)
        if point is not None:
            self.set(point)

    def nudge(self, move: str, xr, yr, step_x: float, step_y: float) -> None:
        """An arrow button (``clicks.MOVES``) moves the point one pad step, inside the window."""
        x, y = (self.state.get(k) for k in self.keys)
        if isinstance(x, (int, float)) and isinstance(y, (int, float)):
            self.set(nudge((x, y), move, xr, yr, step_x, step_y))

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
