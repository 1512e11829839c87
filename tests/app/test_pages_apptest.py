"""Every page runs with its defaults, with no exception, through streamlit's AppTest."""
import pytest

from helpers import run_page
from explorer import course

PAGES = [p.file for p in course.PAGES if p.url_path != "practice"]   # practice draws no chart: its own AppTest


@pytest.mark.parametrize("path", PAGES)
def test_page_runs_with_defaults(path):
    at = run_page(path)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "every page has a title"
    # a chart is st.plotly_chart, or the in-place plotly component behind ui.chart3d
    charts = len(at.get("plotly_chart")) + len(at.get("bidi_component"))
    assert charts >= 1, "every page draws at least one chart"


def test_presenter_mode_from_url():
    at = run_page("pages/home.py", {"present": "1"})
    assert at.session_state["present"] is True
    assert not at.exception


def test_bad_function_keeps_last_valid_and_explains():
    at = run_page("pages/derivatives.py")
    at.text_input(key="f").input("x^2 + (").run()
    assert not at.exception
    assert any("never closed" in e.value for e in at.error)
    assert [c for c in at.get("bidi_component") if str(c.key) == "p3d-secant"], "the chart stays drawn"
    assert at.text_input(key="f").value == "x^2 + (", "nothing the user typed is lost"


def test_invalid_url_value_falls_back_with_notice():
    at = run_page("pages/derivatives.py", {"f": "x^^^"})
    assert not at.exception
    assert at.error, "the bad formula from the link is explained"
