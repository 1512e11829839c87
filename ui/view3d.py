"""Buttons that turn a 3D chart without a drag (WCAG 2.5.7): standard views and 15° steps.

    cam, rev = view3d.view_buttons("surf3d")
    ui.chart3d(fig, key="surf3d", camera=cam, camera_rev=rev)

The buttons are one segmented control (one element to send on every rerun, each option a
keyboard-operable button); a press computes the new camera in ``explorer.multivariate.camera``
and bumps ``rev``, and the chart component applies ``camera`` whenever ``rev`` changes (so
pressing "Top" again after a drag turns the view back to the top). The control resets after each
press, so the same button can be pressed again."""
from __future__ import annotations

import streamlit as st

from explorer.multivariate import camera

LABEL = "Turn the 3D view"


def state_key(key: str) -> str:
    return f"_view3d_{key}"


def view_buttons(key: str, fig_camera: dict | None = None) -> tuple[dict | None, int]:
    """Draw the row of view buttons for the 3D chart ``key``; ``fig_camera`` is the camera the
    figure itself sets (its "Default" view), if any. Returns ``(camera, rev)``: the camera the last
    press chose (None before any) and how many presses there have been."""
    widget, kept = f"_view3d_btn_{key}", state_key(key)

    def pressed() -> None:
        for action in st.session_state.get(widget) or []:
            if action in camera.BUTTONS:
                cam, rev = st.session_state.get(kept, (None, 0))
                st.session_state[kept] = (camera.apply(action, cam, fig_camera), rev + 1)
        st.session_state[widget] = []          # ready for the same button again

    # multi: a toolbar (arrow keys move between buttons, Enter/Space presses), not a radio group
    st.segmented_control(LABEL, camera.BUTTONS, selection_mode="multi", key=widget, on_change=pressed,
                         help=camera.HELP, label_visibility="collapsed", wrap=True)
    return st.session_state.get(kept, (None, 0))
