"""Streamlit helpers shared by every page: the project's page conventions in one place.

The app shell: everything that imports streamlit besides ``pages/`` lives in this package
(``explorer/`` never does). Pages use it as ``import ui`` and call the names below.

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

import streamlit as st

from ui.expression_input import CUSTOM, function_input, last_valid
from ui.layout import (MARGIN, PRESENT_KEY, PRESENTER_COLOURS, chart, chart3d, chart_live, display_math, escape,
                       notice, page_header, presenting, results_table, row, sidebar_controls, style)
from ui.widgets import number, select, slider, toggle

__all__ = ["CUSTOM", "MARGIN", "PRESENT_KEY", "PRESENTER_COLOURS", "chart", "chart3d", "chart_live",
           "display_math", "escape", "function_input", "last_valid", "notice", "number", "page_header", "presenting",
           "results_table", "row", "select", "sidebar_controls", "slider", "style", "toggle"]


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



# Last, once every name above is defined: st.rerun() raises out of this import, and a session that
# imports `ui` at the same moment (several first visitors at once) may be handed this very module
# object. Raised any earlier, that session would find it half-built ("no attribute page_header").
_leave_legacy_pages_mode()
