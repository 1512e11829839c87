"""A "▶ Play as sound" control: a chart's curve as an audio trace (``explorer.audio``).

    audio.play_as_sound(xs, ys, "f(x)", key="newton")

One expander (a keyboard-operable disclosure button; opening it reruns the script, and only an
open one makes and sends the sound) holding the browser's own audio player
(Tab to it, Space to play or pause, arrow keys to seek) and a caption saying how pitch maps. The
WAV is made once per curve (cached by its numbers)."""
from __future__ import annotations

import numpy as np
import streamlit as st

from explorer import audio


@st.cache_data(max_entries=32, show_spinner=False)
def _wav(x: np.ndarray, y: np.ndarray, ylim) -> bytes:
    return audio.wav_bytes(x, y, ylim=ylim)


def play_as_sound(x, y, label: str, key: str, *, ylim=None) -> None:
    """The curve y(x) (arrays; NaN where undefined) played left to right as pitch. ``label`` names
    the curve in the caption (e.g. "f(x)"); ``ylim`` is the y range mapped onto the two octaves
    (default: the curve's own)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ylim = None if ylim is None else (float(ylim[0]), float(ylim[1]))
    box = st.expander(f"▶ Play {label} as sound", key=f"_sound_{key}", on_change="rerun")
    if not box.open:         # closed: no sound is made or sent (a slider step stays cheap)
        return
    with box:
        try:
            st.audio(_wav(x, y, ylim), format="audio/wav")
        except ValueError as err:
            st.info(f"Nothing to play: {err}.")
            return
        st.caption("🔊 " + audio.mapping_text(x, y, ylim=ylim, name=label))
