"""The Optimisation page in a real browser: it draws, a click on the contour map picks the start,
and Play walks the Newton iterations to the end."""
import re

import pytest

from ui import live_chart
from helpers import wait_for_app

pytestmark = pytest.mark.browser


def _slider_value(page, label: str) -> float:
    return float(page.locator(f'input[type="range"][aria-label="{label}"]').input_value())


def _wait_value(page, label, predicate, timeout_ms=60000):
    step = 250
    for _ in range(timeout_ms // step):
        if predicate(_slider_value(page, label)):
            return
        page.wait_for_timeout(step)
    raise AssertionError(f"{label} stayed at {_slider_value(page, label)}")


def test_page_draws_everything_without_exception(page, app_url):
    page.goto(app_url + "optimisation")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=90000)
    page.get_by_text("f along the constraint").first.wait_for(timeout=90000)
    assert page.locator('[data-testid="stException"]').count() == 0
    # in-place charts load plotly.js and draw asynchronously: wait for them all
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 6", timeout=90000)
    assert page.locator(".js-plotly-plot").count() >= 6      # 2D charts (the 3D one has its own frame)
    assert page.locator(".katex").count() >= 5               # formulas typeset
    for title in ("follow the tangent", "Basins", "Paths on the contour map", "How fast f falls",
                  "Contours of f, the constraint"):
        assert page.locator(".js-plotly-plot").filter(has_text=title).count() == 1, title
    # the basin strip shows both real roots of the quiz polynomial
    strip = page.locator(".js-plotly-plot").filter(has_text="Basins")
    assert strip.get_by_text(re.compile(r"root -3\.76")).count() == 1
    assert strip.get_by_text(re.compile(r"root 1\.063")).count() == 1


def test_click_on_the_contour_map_sets_the_start(page, app_url):
    page.goto(app_url + "optimisation")
    wait_for_app(page)
    # the map is an in-place chart (ui.chart_live, element key "p3d-dmap") that reports clicks
    drag = page.locator(f".st-key-{live_chart.element_key('dmap')} .nsewdrag").first
    drag.wait_for(timeout=90000)
    drag.scroll_into_view_if_needed()
    assert (_slider_value(page, "Start x"), _slider_value(page, "Start y")) == (2.0, 1.5)
    area = drag.bounding_box()
    # the plot spans x, y ∈ [−3, 3] (equal scales: the box is square): a click at a quarter of
    # the width and three quarters of the height down is at about (−1.5, −1.5); anywhere counts,
    # not only on a drawn point
    page.mouse.click(area["x"] + 0.25 * area["width"], area["y"] + 0.75 * area["height"])
    _wait_value(page, "Start x", lambda v: v < 0)
    wait_for_app(page)
    assert -1.5 - 0.15 <= _slider_value(page, "Start x") <= -1.5 + 0.15
    assert -1.5 - 0.15 <= _slider_value(page, "Start y") <= -1.5 + 0.15
    # a second click elsewhere moves it again: near (1.5, 0) — the map has grown no wider
    area = drag.bounding_box()
    page.mouse.click(area["x"] + 0.75 * area["width"], area["y"] + 0.5 * area["height"])
    _wait_value(page, "Start x", lambda v: v > 0)
    wait_for_app(page)
    assert 1.35 <= _slider_value(page, "Start x") <= 1.65
    assert -0.15 <= _slider_value(page, "Start y") <= 0.15
    assert "sx=" in page.url                      # the picked start is in the shareable link
    page.get_by_text("Newton −H⁻¹∇f", exact=True).click()
    page.wait_for_function("() => location.search.includes('meth=Newton')")
    wait_for_app(page)
    page.get_by_text("Newton −H⁻¹∇f (", exact=False).first.wait_for()      # the legend names the new path
    assert page.locator('[data-testid="stException"]').count() == 0


def test_play_walks_newton_to_the_end(page, app_url):
    """Play runs in the browser: plotly.js steps through the iterates computed in Python (frames)."""
    page.goto(app_url + "optimisation?nf=x%5E2%20-%202&x0=3")
    wait_for_app(page)
    gd = ".st-key-p3d-newton_plot .live-chart"
    page.wait_for_function(f"() => {{ const g = document.querySelector('{gd}'); return g && g._transitionData "
                           f"&& g._transitionData._frames.length === 7; }}")     # √2 from 3: x₀…x₆
    page.locator(f"{gd} .updatemenu-button").first.click()
    page.wait_for_function(f"() => document.querySelector('{gd}')._fullData[3].x.length === 7", timeout=30000)
    assert page.locator('[data-testid="stException"]').count() == 0
