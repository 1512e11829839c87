"""Calculus Explorer: the entry point (`streamlit run streamlit_app.py`)."""
import streamlit as st

# A presenter link (?present=true) opens with the sidebar folded away: the projector needs the room.
_presenting_link = str(st.query_params.get("present", "")).lower() in ("1", "true", "yes", "on")
st.set_page_config(page_title="Calculus Explorer", page_icon="∂", layout="wide",
                   initial_sidebar_state="collapsed" if _presenting_link else "expanded")

PAGES = [
    st.Page("pages/home.py", title="Course map", icon="🗺️", url_path="home", default=True),
    st.Page("pages/derivatives.py", title="1 · What is calculus?", icon="📈", url_path="derivatives"),
    st.Page("pages/multivariate.py", title="2 · Multivariate calculus", icon="⛰️", url_path="multivariate"),
    st.Page("pages/chain-rule.py", title="3 · Chain rule & neural nets", icon="🔗", url_path="chain-rule"),
    st.Page("pages/taylor.py", title="4 · Taylor series", icon="🎯", url_path="taylor"),
    st.Page("pages/optimisation.py", title="5 · Optimisation", icon="⛳", url_path="optimisation"),
    st.Page("pages/regression.py", title="6 · Regression", icon="📉", url_path="regression"),
    st.Page("pages/practice.py", title="Practice", icon="✍️", url_path="practice"),
]

# Navigation first, before the heavy imports below (sympy, scipy, plotly): on a fresh server the
# first run starts in Streamlit's legacy "pages/ folder" mode, whose file-name sidebar would
# otherwise stay on screen for as long as those imports take.
page = st.navigation(PAGES)

import threading  # noqa: E402

# plotly looks pandas up in sys.modules; import it here, fully, before the warm-up thread below can
# leave a half-imported pandas there for a session thread to trip over.
import pandas  # noqa: E402,F401

import lecture  # noqa: E402
import ui  # noqa: E402
from explorer import warmup  # noqa: E402


@st.cache_resource(show_spinner=False)
def _warm_up_once() -> threading.Thread:
    """Load the rest of the core in the background, once per server process."""
    thread = threading.Thread(target=warmup.warm_up, name="warm-up", daemon=True)
    thread.start()
    return thread


_warm_up_once()

ui.sidebar_controls()
lecture.sidebar(page)
page.run()
