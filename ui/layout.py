"""Page layout and the look of every chart: presenter mode, chart drawing, captions, rows, tables.

Presenter mode (``?present=true`` or the sidebar toggle): big fonts, thick lines, high contrast,
applied to every figure by ``style``. ``chart_live`` / ``chart3d`` draw through the in-place chart
component (``ui.live_chart``); ``notice`` is the "what to notice" caption under a chart.
"""
from __future__ import annotations

from typing import Any, Mapping

import plotly.graph_objects as go
import streamlit as st

from explorer.figures import fastfig
from explorer.figures.describe import describe

PRESENT_KEY = "present"

_PRESENTER_CSS = """
<style>
html, body, .stApp, .stMarkdown, .stMarkdown p, .stCaption, label, .stSlider, .stRadio,
[data-testid="stWidgetLabel"] p { font-size: 1.3rem !important; }
.stApp { background: #ffffff; color: #000000; }
.stMarkdown p, .stCaption, [data-testid="stCaptionContainer"] { color: #000000 !important; opacity: 1 !important; }
h1 { font-size: 2.4rem !important; padding: 0 0 0.2rem 0 !important; }
h2 { font-size: 2rem !important; padding: 0.4rem 0 0.2rem 0 !important; }
h3 { font-size: 1.6rem !important; padding: 0.3rem 0 0.1rem 0 !important; }
.katex { font-size: 1.6em !important; }
.katex-display > .katex { font-size: 1.35em !important; }
/* the formula box, pickers and number boxes, and the values on the sliders, as big as the labels */
[data-testid="stTextInput"] input, [data-testid="stNumberInput"] input, [data-testid="stSelectbox"] div,
[data-testid="stSliderThumbValue"], [data-testid="stSliderTickBarMin"], [data-testid="stSliderTickBarMax"]
{ font-size: 1.3rem !important; }
[data-testid="stSliderThumbValue"] { font-weight: 700 !important; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.5rem !important; }
[data-testid="stCaptionContainer"] .katex { font-size: 1.3em !important; }
[data-testid="stToolbarActions"], [data-testid="stMainMenu"], [data-testid="stAppDeployButton"], [data-testid="stDecoration"],
footer, [data-testid="stStatusWidget"] { display: none !important; }
header[data-testid="stHeader"] { background: transparent !important; height: 2.5rem !important; }
/* 64 px on the left: the page starts right of Streamlit's sidebar button (») in the top-left corner,
   which stays put while the page scrolls (a page opened on its chart had it over a title); 12 px on
   the right, where presenter mode shows nothing */
.block-container, [data-testid="stMainBlockContainer"] { padding: 2.6rem 12px 40px 64px !important; max-width: 100% !important; }
</style>
"""

# Always on: a display formula wider than its column breaks over lines at its top-level relations and
# operators (KaTeX sets each stretch between them as an unbreakable box) instead of needing a sideways
# scroll; on a phone the chart toolbar, which would sit over the chart's title, is hidden (a double
# tap still resets the view).
#
# Accessibility (WCAG 2.2 AA, checked by tests/browser/test_axe.py): captions in the text colour a
# little faded (Streamlit's own caption grey, #828180 on white, is 3.9:1; this is about 8:1, and follows
# a dark theme too); a wrapped formula's last line no longer overhangs its box by KaTeX's 2 px strut (a
# 2 px sideways scroll made every wrapped formula a scrollable region that a keyboard cannot reach);
# a visible focus ring on every control, drawn on the visible box of the widgets whose focused element
# is a hidden <input> (toggles, checkboxes, radios, pickers, number and text boxes); button and page-link
# labels wrap instead of ending in "…" in a narrow column (Streamlit cuts them to one line).
_SHELL_CSS = """
<style>
.katex-display > .katex, .katex-display > .katex > .katex-html { white-space: normal !important; }
.katex-display > .katex > .katex-html { padding-right: 4px !important; box-sizing: border-box; }
[data-testid="stCaptionContainer"], .stCaption { color: inherit !important; opacity: 0.82; }
a:focus-visible, button:focus-visible, summary:focus-visible, textarea:focus-visible, select:focus-visible,
[role="slider"]:focus-visible, [role="tab"]:focus-visible, [role="button"]:focus-visible,
[role="option"]:focus-visible, [tabindex]:focus-visible,
label:has(> input:focus-visible), label:has(input[type="checkbox"]:focus-visible),
label:has(input[type="radio"]:focus-visible),
[data-baseweb="select"] > div:has(input:focus-visible), [data-baseweb="input"]:has(input:focus-visible),
[data-baseweb="textarea"]:has(textarea:focus-visible)
{ outline: 3px solid #0b57d0 !important; outline-offset: 2px !important; }
[data-testid="stMain"] button [data-testid="stMarkdownContainer"],
[data-testid="stMain"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] span
{ white-space: normal !important; text-overflow: clip !important; overflow: visible !important; }
@media (max-width: 640px) {
  .js-plotly-plot .modebar-container { display: none !important; }
  .katex-display > .katex { font-size: 1.05em !important; }
}
</style>
"""

# The Okabe–Ito palette (Okabe & Ito 2008), whose colours stay apart under the common colour-vision
# deficiencies (protanopia, deuteranopia, tritanopia), with its light colours darkened, hue kept, to at
# least 3:1 against white (WCAG 1.4.11, graphics): orange #E69F00 → #BD8200, sky blue #56B4E9 →
# #4795C1, yellow #F0E442 → #97902A, reddish purple #CC79A7 → #BD709A. The default colour order of
# every live chart whose builder sets none (most builders set their own: see README, Accessibility).
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#BD709A", "#BD8200", "#4795C1", "#97902A", "#000000"]

# Presenter mode: the same palette in an order that keeps the first colours the most distinct on a
# washed-out projector (blue, vermilion, bluish green, black), all >= 3.4:1 against white.
PRESENTER_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#000000", "#BD8200", "#BD709A"]


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
    # st.html of <style> alone goes to the page's event container: no element, no gap in the page
    st.html(_SHELL_CSS + (_PRESENTER_CSS if presenting() else ""))


def presenting() -> bool:
    return bool(st.session_state.get(PRESENT_KEY, False))


MARGIN = dict(l=10, r=10, t=40, b=10)


def _margin(fig: go.Figure) -> dict:
    """The house margin, with whatever the figure's builder set on top of it (a builder knows what
    its axis labels and legend need)."""
    own = fastfig.layout_value(fig, "margin")
    if hasattr(own, "to_plotly_json"):
        own = own.to_plotly_json()
    return {**MARGIN, **{k: v for k, v in (own or {}).items() if v is not None}}


def style(fig: go.Figure, height: int | None = None) -> go.Figure:
    """Apply the project's look (and presenter mode, when on) to a figure, in place."""
    if height is not None:
        fig.update_layout(height=int(height * (1.25 if presenting() else 1)))
    fig.update_layout(margin=_margin(fig))
    if presenting():
        fig.update_layout(template="simple_white", font=dict(size=22, color="black"),
                          colorway=PRESENTER_COLOURS,
                          legend=dict(font=dict(size=20)))
        fig.update_traces(line=dict(width=5), selector=dict(type="scatter"))
        fig.update_traces(marker=dict(size=14), selector=dict(type="scatter", mode="markers"))
        fig.update_xaxes(linewidth=3, tickfont=dict(size=20), title_font=dict(size=22))
        fig.update_yaxes(linewidth=3, tickfont=dict(size=20), title_font=dict(size=22))
    return fig


def chart(fig: go.Figure, key: str, **kwargs: Any):
    """Draw a 2D figure that no slider drags (a quiz picture, a course-map preview): styled like
    every chart, with its accessible name and generated description: ``chart_live`` itself."""
    return chart_live(fig, key=key, **kwargs)


def chart_live(fig: go.Figure, key: str, **kwargs: Any):
    """Draw a figure that reruns update IN PLACE, so the browser redraws only what changed.

    ``st.plotly_chart`` gives a chart a new identity whenever its figure changes and remounts it
    (a full ``Plotly.newPlot``; a turned 3D camera snaps back even with ``uirevision``). This draws
    through ``ui.live_chart``: a component with a fixed identity (its key) that updates the same plot
    with ``Plotly.react``. Use it for any chart a slider changes that needs no click events
    (``on_select`` charts stay on ``st.plotly_chart``).
    """
    from ui import live_chart as component

    if presenting():
        style(fig)
        kwargs.setdefault("reveal", True)    # on a projector the page opens on its first chart
    # the chart's accessible name, its description and its data as a table, from its own numbers,
    # unless the page gave its own (about 0.2 ms a chart: explorer.figures.describe)
    if not {"label", "description", "table"} <= kwargs.keys():
        for name, value in zip(("label", "description", "table"), _describe(fig)):
            kwargs.setdefault(name, value)
    # the margin, uirevision and default colour order travel beside the figure and are merged in the
    # browser: setting them here through plotly.py's validated update_layout would cost ~1.5 ms a
    # chart on every step
    layout = {"margin": _margin(fig), "uirevision": key}
    if fastfig.layout_value(fig, "colorway") is None:
        layout["colorway"] = OKABE_ITO
    kwargs.setdefault("config", {"displaylogo": False})
    return component.live_chart(fig, key=key, layout=layout, **kwargs)


def _describe(fig: go.Figure) -> tuple[str | None, str | None, dict | None]:
    """``describe(fig)``; a figure it cannot read still draws, without the words (never an error)."""
    try:
        return describe(fig)
    except Exception:  # noqa: BLE001 - a description must never stop a chart from drawing
        return None, None, None


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


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]()<>$~|#!{}"})


def escape(text: object) -> str:
    """Text a visitor typed or linked, made inert inside markdown: no bold, links, images, HTML
    or maths, shown exactly as typed."""
    return str(text).translate(_MARKDOWN_SPECIAL)


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
    """The page's title and introduction; in presenter mode the introduction folds away (one click
    opens it), so that the page's main chart starts on the first screen of a 1024×768 projector."""
    st.title(title)
    if presenting():
        with st.expander("About this page"):
            st.markdown(intro)
    else:
        st.markdown(intro)
