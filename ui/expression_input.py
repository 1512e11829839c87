"""Typed functions: a preset picker plus a text box bound to the URL, a live LaTeX preview and the
safe parser's message on error; the last valid function stays drawn while the user types."""
from __future__ import annotations

from typing import Mapping, Sequence

import streamlit as st

from explorer.expressions import ExpressionError, parse_expression, to_latex
from ui.widgets import _url_value, select

CUSTOM = "✏️ Type your own"


@st.cache_data(max_entries=256, show_spinner=False)
def _latex_of(text: str, variables: tuple[str, ...]) -> str:
    return to_latex(parse_expression(text, variables))


def function_input(label: str, presets: Mapping[str, str], *, key: str,
                   variables: Sequence[str] = ("x",), default: str | None = None,
                   help: str | None = None):
    """Preset picker + text box bound to the URL, LaTeX preview, friendly errors.

    Returns ``(text, expr)`` for the last *valid* function: while the typed text is invalid the
    error is shown and the previous valid function stays in use, so the charts keep drawing.
    """
    names = list(presets)
    default = default or names[0]
    text_key, preset_key, valid_key = f"{key}", f"{key}_preset", f"_{key}_last_valid"

    def preset_changed():
        choice = st.session_state[preset_key]
        if choice in presets:
            st.session_state[text_key] = presets[choice]

    def text_changed():
        typed = st.session_state[text_key]
        match = next((n for n, t in presets.items() if t == typed), None)
        st.session_state[preset_key] = match or CUSTOM

    raw_text = _url_value(text_key)
    if preset_key not in st.session_state and raw_text is not None:
        # a shared link with a typed function: show it as "type your own" unless it is a preset
        st.session_state[preset_key] = next((n for n, t in presets.items() if t == raw_text), CUSTOM)

    options = names + [CUSTOM]
    c1, c2 = st.columns([1, 2])
    with c1:
        select(f"{label}: preset", options, index=names.index(default), key=preset_key,
               on_change=preset_changed)
    with c2:
        st.text_input(f"{label}: formula in {', '.join(variables)}", value=presets[default],
                      key=text_key, bind="query-params", on_change=text_changed, max_chars=500,
                      help=help or "Type with ^ or ** for powers, implicit multiplication (2x, x(x+1)), "
                                   "sin, cos, tan, exp, ln, log, sqrt, abs, pi, e …")
    text = st.session_state.get(text_key, presets[default])
    try:
        expr = parse_expression(text, variables)
        st.session_state[valid_key] = text
        tex = _latex_of(text, tuple(variables))
        st.latex(f"{label} = {tex}" if len(label) < 12 else tex)
        return text, expr
    except ExpressionError as err:
        st.error(f"**Cannot read that formula:** {err}", icon="⚠️")
        last = st.session_state.get(valid_key, presets[default])
        st.caption(f"Still drawing the last valid formula: `{last}`")
        return last, parse_expression(last, variables)
