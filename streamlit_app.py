"""Calculus Explorer: the entry point (`streamlit run streamlit_app.py`)."""
import streamlit as st

from explorer import course  # the page registry: plain data, cheap to import

# A presenter link (?present=true) opens with the sidebar folded away: the projector needs the room;
# otherwise "auto" (open on a wide screen, folded on a phone, where it would open over the page).
# Decided once, on the session's first run: Streamlit applies initial_sidebar_state whenever it
# changes, so computing it on every run folded the sidebar (and the lecture controls with it) the
# moment presenter mode was switched on from the sidebar.
if "_sidebar_start" not in st.session_state:
    _presenting_link = str(st.query_params.get("present", "")).lower() in ("1", "true", "yes", "on")
    st.session_state["_sidebar_start"] = "collapsed" if _presenting_link else "auto"
st.set_page_config(page_title="Calculus Explorer", page_icon="∂", layout="wide",
                   initial_sidebar_state=st.session_state["_sidebar_start"])

PAGES = [st.Page(p.file, title=p.title, icon=p.icon, url_path=p.url_path, default=p.url_path == "home")
         for p in course.PAGES]

# Navigation first, before the heavy imports below (sympy, scipy, plotly): on a fresh server the
# first run starts in Streamlit's legacy "pages/ folder" mode, whose file-name sidebar would
# otherwise stay on screen for as long as those imports take.
page = st.navigation(PAGES)

import threading  # noqa: E402

# plotly looks pandas up in sys.modules; import it here, fully, before the warm-up thread below can
# leave a half-imported pandas there for a session thread to trip over.
import pandas  # noqa: E402,F401

from ui import lecture, tcp, widgets  # noqa: E402
import ui  # noqa: E402
from explorer import warmup  # noqa: E402

# Without this, each slider step's messages after the first waited up to 40 ms in the kernel
# (Nagle's algorithm against the browser's delayed ACK): see ui/tcp.py. Once per process.
tcp.send_at_once()


@st.cache_resource(show_spinner=False)
def _warm_up_once() -> threading.Thread:
    """Load the rest of the core in the background, once per server process."""
    thread = threading.Thread(target=warmup.warm_up, name="warm-up", daemon=True)
    thread.start()
    return thread


_warm_up_once()

ui.sidebar_controls()
lecture.unknown_page(page)
lecture.sidebar(page)
# one notice above the page for everything a link asked for and did not get (ui.widgets): the
# lecture link's problems, then each bad widget value as the page meets it, then unknown parameters
widgets.notice_slot()
page.run()
widgets.flush_notices(page=getattr(page, "url_path", "") or "home")
