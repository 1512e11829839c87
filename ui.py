"""Streamlit helpers shared by every page: the project's page conventions in one place.

This is the only module outside ``pages/`` that imports streamlit; ``explorer/`` never does.

Conventions (see README.md):
- ``function_input``: a preset picker plus a text box, with a live LaTeX preview and the safe
  parser's message on error; the last valid function stays drawn while the user types.
- presenter mode: ``?present=true`` or the sidebar toggle; ``style`` applies it to every figure.
- state in the URL: ``slider``/``select``/``toggle``/``number`` bind a widget to the query string
  (``bind="query-params"``); an invalid value in a shared link falls back to the default with a
  notice, never an exception.
- ``chart`` / ``chart3d`` draw figures; ``notice`` is the "what to notice" caption under a chart.
"""
from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import streamlit as st
from streamlit.errors import StreamlitValueAboveMaxError, StreamlitValueBelowMinError


PRESENT_KEY = "present"


def _leave_legacy_pages_mode() -> None:  # noqa: D401 - called at the end of this module
    """Make sure the app runs through ``streamlit_app.py``'s ``st.navigation``.

    Streamlit decides at server start that an app with a ``pages/`` folder next to its entry script
    is a legacy (v1) multipage app, and keeps running in that mode (file-name sidebar, pages run
    without the entry script) until ``st.navigation`` is called. If the very first visitor opens a
    deep link such as ``/taylor``, the page runs on its own, ``st.navigation`` is never reached, and
    the whole server would stay in legacy mode. Every page imports this module, so on that first
    run we leave legacy mode and rerun, now through the entry script.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    if PagesManager.uses_pages_directory and get_script_run_ctx() is not None:
        PagesManager.uses_pages_directory = False
        st.rerun()


import plotly.graph_objects as go  # noqa: E402

from explorer import fastfig  # noqa: E402
from explorer.expressions import ExpressionError, parse_expression, to_latex  # noqa: E402


_PRESENTER_CSS = """
<style>
html, body, .stApp, .stMarkdown, .stMarkdown p, .stCaption, label, .stSlider, .stRadio,
[data-testid="stWidgetLabel"] p { font-size: 1.3rem !important; }
.stApp { background: #ffffff; color: #000000; }
.stMarkdown p, .stCaption, [data-testid="stCaptionContainer"] { color: #000000 !important; }
h1 { font-size: 3.2rem !important; } h2 { font-size: 2.4rem !important; } h3 { font-size: 1.9rem !important; }
.katex { font-size: 1.6em !important; }
[data-testid="stToolbarActions"], [data-testid="stMainMenu"], [data-testid="stAppDeployButton"], [data-testid="stDecoration"],
footer, [data-testid="stStatusWidget"] { display: none !important; }
header[data-testid="stHeader"] { background: transparent !important; height: 2.5rem !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding: 12px 28px 40px 28px !important; max-width: 100% !important; }
</style>
"""

# A palette that stays distinct on a washed-out projector.
PRESENTER_COLOURS = ["#0033cc", "#cc0000", "#007a00", "#000000", "#b35900", "#7a00cc"]


# ---------------------------------------------------------------------------------------------
# Presenter mode and the shared sidebar
def sidebar_controls() -> None:
    """The controls every page shares (called once by streamlit_app.py before the page runs)."""
    raw = st.query_params.get(PRESENT_KEY)
    if raw is not None and PRESENT_KEY not in st.session_state:
        st.session_state[PRESENT_KEY] = str(raw).lower() in ("1", "true", "yes", "on")
    with st.sidebar:
        st.toggle("Presenter mode", key=PRESENT_KEY, bind="query-params",
                  help="Big fonts, thick lines, high contrast, no toolbar: for a projector. "
                       "Also ?present=true in the URL.")
    if presenting():
        st.markdown(_PRESENTER_CSS, unsafe_allow_html=True)


def presenting() -> bool:
    return bool(st.session_state.get(PRESENT_KEY, False))


MARGIN = dict(l=10, r=10, t=40, b=10)


def style(fig: go.Figure, height: int | None = None) -> go.Figure:
    """Apply the project's look (and presenter mode, when on) to a figure, in place."""
    if height is not None:
        fig.update_layout(height=int(height * (1.25 if presenting() else 1)))
    fig.update_layout(margin=MARGIN)
    if presenting():
        fig.update_layout(template="simple_white", font=dict(size=22, color="black"),
                          colorway=PRESENTER_COLOURS,
                          legend=dict(font=dict(size=20)))
        fig.update_traces(line=dict(width=5), selector=dict(type="scatter"))
        fig.update_traces(marker=dict(size=14), selector=dict(type="scatter", mode="markers"))
        fig.update_xaxes(linewidth=3, tickfont=dict(size=20), title_font=dict(size=22))
        fig.update_yaxes(linewidth=3, tickfont=dict(size=20), title_font=dict(size=22))
    return fig


def chart(fig: go.Figure, key: str | None = None, **kwargs: Any):
    """Draw a 2D figure (styled) and return what ``st.plotly_chart`` returns."""
    style(fig)
    kwargs.setdefault("config", {"displaylogo": False})
    return st.plotly_chart(fig, key=key, **kwargs)


def chart_live(fig: go.Figure, key: str, **kwargs: Any):
    """Draw a figure that reruns update IN PLACE, so the browser redraws only what changed.

    ``st.plotly_chart`` gives a chart a new identity whenever its figure changes and remounts it
    (a full ``Plotly.newPlot``; a turned 3D camera snaps back even with ``uirevision``). This draws
    through ``plotly3d``: a component with a fixed identity (its key) that updates the same plot
    with ``Plotly.react``. Use it for any chart a slider changes that needs no click events
    (``on_select`` charts stay on ``st.plotly_chart``).
    """
    import plotly3d

    if presenting():
        style(fig)
    # the margin and uirevision travel beside the figure and are merged in the browser: setting them
    # here through plotly.py's validated update_layout would cost ~1.5 ms a chart on every step
    kwargs.setdefault("config", {"displaylogo": False})
    return plotly3d.plotly_chart_3d(fig, key=key, layout={"margin": MARGIN, "uirevision": key}, **kwargs)


def chart3d(fig: go.Figure, key: str, **kwargs: Any):
    """Draw a 3D figure so that a view the user turned survives reruns (see ``chart_live``)."""
    fastfig.set_scene_uirevision(fig, key)
    return chart_live(fig, key=key, **kwargs)


def notice(text: str, before: str = "") -> None:
    """The short "what to notice" caption every chart carries; `before` is a line of the chart's
    own readings shown first, in the same caption (one element fewer to send on every step)."""
    st.caption((f"{before}\n\n" if before else "") + f"👀 **What to notice:** {text}")


def row(gap: str = "medium", vertical_alignment: str = "top"):
    """Controls side by side, sharing the width equally: one flex container, where st.columns
    would send a block per column on every rerun (``gap="small"`` fits four sliders at 1024 px)."""
    return st.container(horizontal=True, gap=gap, vertical_alignment=vertical_alignment)


def display_math(tex: str) -> str:
    """``tex`` as display math inside st.markdown / st.caption text: the ``$$`` on lines of their
    own (on the same line KaTeX sets it inline and small). Several formulas and sentences then
    travel as one element."""
    return f"\n\n$$\n{tex}\n$$\n\n"


def results_table(values: Mapping[str, str]) -> str:
    """Named results as a one-row markdown table (one element, where a row of st.metric is 2n+1)."""
    esc = lambda t: str(t).replace("|", "\\|")
    return ("| " + " | ".join(esc(k) for k in values) + " |\n|" + " --- |" * len(values) + "\n| "
            + " | ".join(f"**{esc(v)}**" for v in values.values()) + " |")


def page_header(title: str, intro: str) -> None:
    st.title(title)
    st.markdown(intro)


# ---------------------------------------------------------------------------------------------
# Widgets bound to the URL, with a notice for invalid values in a shared link
def _url_value(key: str) -> str | None:
    try:
        vals = st.query_params.get_all(key)
    except Exception:  # pragma: no cover - defensive
        return None
    return vals[0] if vals else None


def _bad_link(label: str, raw: str, default: Any) -> None:
    st.warning(f"The link's value for **{label}** ({raw[:40]!r}) is not valid here; "
               f"showing the default ({default}) instead.", icon="🔗")


def slider(label: str, min_value: float, max_value: float, value: float, step: float | None = None,
           *, key: str, **kwargs: Any):
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


# ---------------------------------------------------------------------------------------------
# Function input
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


# Last, once every name above is defined: st.rerun() raises out of this import, and a session that
# imports `ui` at the same moment (several first visitors at once) may be handed this very module
# object. Raised any earlier, that session would find it half-built ("no attribute page_header").
_leave_legacy_pages_mode()
