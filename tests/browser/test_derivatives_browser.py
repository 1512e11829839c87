"""In a real browser: the derivatives page draws, its sliders write the URL, a shared link restores
the view, and the formulas are typeset."""
import re

import pytest

from helpers import assert_no_exception, wait_for_app

pytestmark = pytest.mark.browser


def test_page_draws_charts_and_formulas(page, app_url):
    page.goto(app_url + "derivatives")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60000)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 6", timeout=60000)
    assert_no_exception(page)
    # the secant, zoom, error and gradient charts carry real curves (plotly drew SVG paths)
    assert page.locator(".js-plotly-plot .scatterlayer path.js-line").count() >= 8
    # the error plot is log-log: plotly writes the axis type into the layout
    types = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')]"
                          ".map(p => p.layout && p.layout.xaxis && p.layout.xaxis.type)")
    assert "log" in types
    assert page.locator(".katex").count() >= 10          # formulas typeset by KaTeX
    assert page.locator(".katex-error").count() == 0      # ... without a parse error (display math in markdown)
    # the error formulas (one aligned block in markdown) are typeset as display math, not inline
    assert page.locator(".katex-display").filter(has_text="truncation").count() == 1
    assert page.get_by_text("What to notice").count() >= 6


def test_slider_step_updates_url_and_secant(page, app_url):
    page.goto(app_url + "derivatives?f=sin(x)")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60000)
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="x₀").get_by_role("slider")
    secant = page.locator(".katex-display").filter(has_text="secant")
    before = secant.first.inner_text()
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => new URLSearchParams(location.search).get('x0') === '1.05'", timeout=30000)
    wait_for_app(page)
    assert_no_exception(page)
    after = secant.first.inner_text()
    assert after != before                                # the rise-over-run numbers moved
    assert "f=sin" in page.url                            # the function stays in the link


def test_shared_link_shows_the_corner(page, app_url):
    page.goto(app_url + "derivatives?f=abs(x)&x0=0&logh=-2")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60000)
    assert_no_exception(page)
    assert page.get_by_text(re.compile("No derivative at x₀ = 0")).count() >= 1
    assert page.get_by_text(re.compile(r"Not differentiable at x = 0")).count() >= 1
    # the h slider shows h on its log scale
    assert page.get_by_text("10^-2.00").count() >= 1
