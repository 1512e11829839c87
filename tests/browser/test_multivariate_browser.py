"""In a real browser: the multivariate page draws, a click on the contour map moves the point,
a click in the Sandpit dips the stick, and the map view draws."""
import pytest

from helpers import assert_no_exception, wait_for_app

pytestmark = pytest.mark.browser


def _slider_value(page, key):
    return float(page.locator(f".st-key-{key} input[type=range]").first.input_value())


def _click_plot(page, key, fx, fy):
    """Click at fractions (fx from the left, fy from the top) of a plotly chart's plotting area."""
    drag = page.locator(f".st-key-p3d-{key} .js-plotly-plot .nsewdrag").first
    drag.scroll_into_view_if_needed()
    box = drag.bounding_box()
    x, y = box["x"] + fx * box["width"], box["y"] + fy * box["height"]
    page.mouse.move(x, y)
    page.mouse.click(x, y)


def test_click_on_the_contour_map_moves_the_point(page, app_url):
    page.goto(app_url + "multivariate")
    wait_for_app(page)
    page.wait_for_selector(".st-key-p3d-fmap .js-plotly-plot .nsewdrag", timeout=60000)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 3", timeout=60000)
    page.wait_for_selector(".js-plotly-plot .gl-container", state="attached", timeout=60000)   # the 3D surface
    assert_no_exception(page)
    assert (_slider_value(page, "x0"), _slider_value(page, "y0")) == (1.0, 1.0)
    # bowl on [-3, 3]²: a quarter from the left and a quarter from the bottom is (-1.5, -1.5)
    _click_plot(page, "fmap", 0.25, 0.75)
    page.wait_for_function("() => document.querySelector('.st-key-x0 input[type=range]').value != '1'",
                           timeout=30000)
    wait_for_app(page)
    x0, y0 = _slider_value(page, "x0"), _slider_value(page, "y0")
    assert x0 == pytest.approx(-1.5, abs=0.06) and y0 == pytest.approx(-1.5, abs=0.06)   # where clicked, to a step
    assert "x0=" in page.url                      # the clicked point is in the link
    assert_no_exception(page)


def test_sandpit_click_dips_the_stick(page, app_url):
    page.goto(app_url + "multivariate?view=Sandpit&pit=course+intro&seed=3")
    wait_for_app(page)
    page.wait_for_selector(".st-key-p3d-pitboard .js-plotly-plot .nsewdrag", timeout=60000)
    assert_no_exception(page)
    assert page.get_by_text("Dips used: 0 / 25").count() == 1
    _click_plot(page, "pitboard", 0.5, 0.5)
    page.wait_for_selector("text=Dips used: 1 / 25", timeout=30000)
    wait_for_app(page)
    assert page.get_by_text("Depth").count() >= 1
    assert_no_exception(page)


def test_map_view_draws(page, app_url):
    page.goto(app_url + "multivariate?view=Map&map=polar+%E2%86%92+cartesian")
    wait_for_app(page)
    page.wait_for_selector(".st-key-p3d-mapfig .js-plotly-plot .main-svg", timeout=60000)
    assert_no_exception(page)
    assert page.locator(".st-key-p3d-mapfig .scatterlayer .trace").count() >= 7    # grid, square, dx, dy, det, images
    assert page.locator(".st-key-p3d-mapzoom .scatterlayer .trace").count() >= 4   # image, parallelogram, J·dx, J·dy
    # the map with its Jacobian in x and y, and J at the point with the area ratio: two typeset formulas
    assert page.locator(".katex").count() >= 2
    assert page.locator(".katex", has_text="area of image").count() >= 1
    assert page.locator(".katex", has_text="v(x,y)").count() >= 1


def test_narrowing_the_range_past_the_point_keeps_the_page_working(page, app_url):
    """The browser still holds x₀ = −2 when "x from" moves to 0: the point is clamped, no exception."""
    page.goto(app_url + "multivariate?x0=-2")
    wait_for_app(page)
    box = page.get_by_label("x from", exact=True)
    box.fill("0")
    box.press("Enter")
    wait_for_app(page)
    page.wait_for_timeout(500)
    wait_for_app(page)
    assert_no_exception(page)
    thumb = page.locator('[data-testid="stSlider"]').filter(has_text="x₀").locator('[data-testid="stSliderThumbValue"]')
    assert float(thumb.first.inner_text()) >= 0.0
