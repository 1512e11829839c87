"""Widgets bound to the URL (``bind="query-params"``), so a copied link reproduces the view; an
invalid value in a shared link falls back to the default with a notice, never an exception."""
from __future__ import annotations

import math
from typing import Any, Sequence

import streamlit as st
from streamlit.errors import StreamlitValueAboveMaxError, StreamlitValueBelowMinError

from ui.layout import escape
from ui.lecture import take_default

def _url_value(key: str) -> str | None:
    try:
        vals = st.query_params.get_all(key)
    except Exception:  # pragma: no cover - defensive
        return None
    return vals[0] if vals else None


def _bad_link(label: str, raw: str, default: Any) -> None:
    st.warning(f"The link's value for **{label}** ({escape(repr(raw[:40]))}) is not valid here; "
               f"showing the default ({default}) instead.", icon="🔗")


def slider(label: str, min_value: float, max_value: float, value: float, step: float | None = None,
           *, key: str, **kwargs: Any):
    if take_default(key):            # a lecture step put it back to its default: this run's default
        st.session_state[key] = value
    raw = _url_value(key)
    if raw is not None and key not in st.session_state:
        try:
            v = float(raw)
            ok = math.isfinite(v) and min_value <= v <= max_value
        except ValueError:
            ok = False
        if not ok:
            _bad_link(label, raw, value)
    # a range that depends on the data can move away from the value a session holds: keep it inside
    held = st.session_state.get(key)
    if isinstance(held, (int, float)) and not isinstance(held, bool) and not min_value <= held <= max_value:
        st.session_state[key] = type(held)(min(max(held, min_value), max_value))
    fix = f"_{key}_clamped"
    if fix in st.session_state:
        st.session_state[key] = st.session_state.pop(fix)
    try:
        return st.slider(label, min_value, max_value, value, step, key=key, bind="query-params", **kwargs)
    except (StreamlitValueBelowMinError, StreamlitValueAboveMaxError):
        # the browser sent the value it still shows, from before the range moved: clamp and rerun
        held = st.session_state.get(key, value)
        held = held if isinstance(held, (int, float)) and not isinstance(held, bool) else value
        st.session_state[fix] = type(min_value)(min(max(held, min_value), max_value))
        st.rerun()


def select(label: str, options: Sequence[Any], index: int = 0, *, key: str, widget=None, **kwargs: Any):
    """A selectbox (or ``widget=st.radio`` / ``st.segmented_control``) bound to the URL."""
    raw = _url_value(key)
    shown = kwargs.get("format_func", str)    # a bound widget writes the displayed label to the URL
    if raw is not None and key not in st.session_state and raw not in [str(o) for o in options] \
            and raw not in [str(shown(o)) for o in options]:
        _bad_link(label, raw, shown(options[index]))
    widget = widget or st.selectbox
    if widget in (st.segmented_control, st.pills):
        return widget(label, options, default=options[index], key=key, bind="query-params", **kwargs)
    return widget(label, options, index=index, key=key, bind="query-params", **kwargs)


def toggle(label: str, value: bool = False, *, key: str, **kwargs: Any) -> bool:
    return st.toggle(label, value=value, key=key, bind="query-params", **kwargs)


def number(label: str, value: float, *, key: str, min_value=None, max_value=None, **kwargs: Any):
    raw = _url_value(key)
    if raw is not None and key not in st.session_state:
        try:
            v = float(raw)
            ok = math.isfinite(v) and (min_value is None or v >= min_value) and (max_value is None or v <= max_value)
        except ValueError:
            ok = False
        if not ok:
            _bad_link(label, raw, value)
    return st.number_input(label, value=value, min_value=min_value, max_value=max_value, key=key,
                           bind="query-params", **kwargs)
