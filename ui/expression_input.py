"""Typed functions: a preset picker plus a text box bound to the URL, a live LaTeX preview and the
safe parser's message on error; the last valid function stays drawn while the user types."""
from __future__ import annotations

from typing import Callable, Mapping, Sequence, TypeVar

import streamlit as st

from explorer.expressions import ExpressionError, parse_expression, to_latex
from ui.layout import escape, presenting
from ui.widgets import _url_value, select

T = TypeVar("T")
R = TypeVar("R")

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
    text, expr = last_valid(valid_key, text, lambda t: parse_expression(t, variables),
                            fallback=presets[default], what="formula", drawing="drawing")
    if text == st.session_state.get(text_key, presets[default]):
        tex = _latex_of(text, tuple(variables))
        shown = f"{label} = {tex}" if len(label) < 12 else tex
        if presenting():    # one inline line, not a display block: the chart must fit on the screen
            st.caption(f"${shown}$")
        else:
            st.latex(shown)
    return text, expr


def last_valid(key: str, value: T, check: Callable[[T], R], *, fallback: T, what: str = "formula",
               drawing: str = "drawing") -> tuple[T, R]:
    """Typed input that may be wrong while the user types: ``check(value)`` (a parser that raises
    ``ExpressionError``/``ValueError`` with a message for a person) either accepts the value,
    which is remembered under ``key``, or the message is shown and the last value that passed
    (else ``fallback``) is used instead, so the page keeps drawing. Returns ``(value, check(value))``
    of the value in use. Nothing typed is lost: the text box keeps what was typed."""
    try:
        result = check(value)
        st.session_state[key] = value
        return value, result
    except (ExpressionError, ValueError) as err:
        st.error(f"**Cannot read that {what}:** {escape(err)}", icon="⚠️")
        last = st.session_state.get(key, fallback)
        shown = " · ".join(f"`{v}`" for v in last) if isinstance(last, tuple) else f"`{last}`"
        st.caption(f"Still {drawing} the last valid {what}: {shown}")
        return last, check(last)
