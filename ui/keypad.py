"""Keyboard alternatives to clicking a chart (WCAG 2.5.7): arrow buttons that move a point, and the
Sandpit's aim-and-dip controls. The stepping and clamping live in ``explorer`` (``clicks.nudge``,
``PitSession.nudge``); these only draw the controls.

The four arrows are one segmented control (one element to send on every rerun; each arrow a
button reached with Tab and pressed with Enter or Space) that resets after each press, so the
same arrow can be pressed again and again."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from explorer import sandpit as sb
from explorer.multivariate.clicks import MOVES


def arrow_pad(label: str, key: str, on_move: Callable[[str], None], help: str | None = None) -> None:
    """Four arrow buttons (← ↑ ↓ →) labelled ``label``; a press calls ``on_move(move)`` with the
    move's name ("left", "up", "down", "right")."""
    widget = f"_pad_{key}"

    def pressed() -> None:
        moves = st.session_state.get(widget) or []
        st.session_state[widget] = []
        for move in moves:
            if move in MOVES:
                on_move(move)

    # selection_mode="multi": a toolbar of toggle buttons (Tab reaches the row, ←/→ move between the
    # buttons without pressing them, Enter or Space presses), not a radio group where an arrow key
    # would already select, and so move the point
    st.segmented_control(label, list(MOVES), selection_mode="multi", key=widget,
                         format_func=lambda m: MOVES[m][0], on_change=pressed, help=help, wrap=True)


def dip_controls(session: sb.PitSession, game: sb.Game) -> None:
    """Aim the next dip with two number inputs (or the arrows, 0.25 a press) and dip with a button:
    everything a click on the board does, from the keyboard. The board shows the aim as a crosshair."""
    with st.container(horizontal=True, gap="small"):
        st.number_input("dip at x", 0.0, sb.SIZE, sb.SIZE / 2, session.AIM_STEP, key=session.AIM[0])
        st.number_input("dip at y", 0.0, sb.SIZE, sb.SIZE / 2, session.AIM_STEP, key=session.AIM[1])
    arrow_pad(f"Move the aim by {session.PAD_STEP}", "pit", session.nudge,
              help="Moves the crosshair on the board; then press “Dip here”.")
    st.button("Dip here", key="dip_here", on_click=session.dip_at_aim, disabled=game.over, type="primary",
              help="Dip the stick at (dip at x, dip at y): the crosshair on the board")
