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


def _reading(page):
    """The (x₀, y₀) the results box reads, from its KaTeX annotation."""
    import re
    tex = page.locator('.katex annotation').filter(has_text="f(x_0, y_0) = f(").first.text_content()
    m = re.search(r"f\(x_0, y_0\) = f\(([-\d.]+), ([-\d.]+)\)", tex)
    return float(m.group(1)), float(m.group(2))


def _thumb(page, key):
    """The value the slider shows on its thumb."""
    return float(page.locator(f'.st-key-{key} [data-testid="stSliderThumbValue"]').first.inner_text())


def _type_window(page, label, value):
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    wait_for_app(page)
    page.wait_for_timeout(500)
    wait_for_app(page)


def test_an_invalid_window_then_a_valid_one_keeps_one_point_everywhere(page, app_url):
    """x from > x to draws the default window with the point moved inside it (and says so); a valid
    window afterwards keeps that point: the slider, the reading and the map all show (3, 1)."""
    page.goto(app_url + "multivariate?xmax=10&x0=8")
    wait_for_app(page)
    page.wait_for_selector(".st-key-p3d-fmap .js-plotly-plot .nsewdrag", timeout=60000)
    assert (_slider_value(page, "x0"), _thumb(page, "x0"), _reading(page)) == (8.0, 8.0, (8.0, 1.0))
    _type_window(page, "x from", "20")
    assert page.get_by_text("drawing this function's default window").count() == 1
    assert page.get_by_text("x₀ was outside the window: it moved from 8").count() == 1
    assert (_slider_value(page, "x0"), _thumb(page, "x0"), _reading(page)) == (3.0, 3.0, (3.0, 1.0))
    _type_window(page, "x from", "0")
    marker = page.evaluate("""() => { const gd = document.querySelector('.st-key-p3d-fmap .js-plotly-plot');
        const t = gd.data.find(d => d.name === '(x₀, y₀)'); return [t.x[0], t.y[0]]; }""")
    assert (_thumb(page, "x0"), _reading(page), tuple(marker)) == (3.0, (3.0, 1.0), (3.0, 1.0))
    # x from = −1000: a slider of steps of 10 from −1000; it still shows the point f is read at (3 lies
    # between its steps, so the hidden native input rounds to 0: the shown thumb value is what counts)
    _type_window(page, "x from", "-1000")
    assert (_thumb(page, "x0"), _reading(page)) == (3.0, (3.0, 1.0))
    assert_no_exception(page)


@pytest.mark.slow       # 2-3 min of software WebGL, which holds up the browser tests after it; the
                        # clipping itself is checked in Python by tests/unit/test_multivariate.py
def test_a_pole_stays_inside_the_3d_box_and_presenter_ticks_stay_small(page, app_url):
    """1/(x − y) with the tangent plane near the pole: every z plotly holds lies in the box's range;
    in presenter mode the 3D tick labels keep their own small font."""
    page.goto(app_url + "multivariate?f=1%2F(x-y)&x0=0.2&y0=0.1&tplane=true&present=true")
    wait_for_app(page)
    page.wait_for_selector(".st-key-p3d-surf3d .js-plotly-plot .gl-container", state="attached", timeout=300000)   # software WebGL: 110-170 s here
    out = page.evaluate("""() => { const gd = document.querySelector('.st-key-p3d-surf3d .js-plotly-plot');
        const flat = z => z == null ? [] : typeof z === 'number' ? [z] : ArrayBuffer.isView(z) ? Array.from(z)
                        : Array.isArray(z) ? z.flatMap(flat) : [];
        const [lo, hi] = gd._fullLayout.scene.zaxis.range; let n = 0, bad = 0;
        for (const t of gd._fullData) for (const v of flat(t.z)) {
            if (v === null || !isFinite(v)) continue; n++; if (v < lo - 1e-4 || v > hi + 1e-4) bad++; }
        return {n, bad, names: gd._fullData.map(t => t.name), tick: gd._fullLayout.scene.xaxis.tickfont.size,
                font: gd._fullLayout.font.size}; }""")
    assert out["n"] > 1000 and out["bad"] == 0, out
    assert "tangent plane" in out["names"]
    assert out["tick"] == 13 and out["font"] == 22, out
    assert_no_exception(page)


def test_the_sandpit_board_does_not_move_after_the_first_dip(page, app_url):
    """The dip's message appears beside the board, so a quick second click lands where aimed."""
    page.goto(app_url + "multivariate?view=Sandpit&pit=course+intro&seed=3")
    wait_for_app(page)
    board = page.locator(".st-key-p3d-pitboard .js-plotly-plot .nsewdrag").first
    board.wait_for(timeout=60000)
    board.scroll_into_view_if_needed()
    before = board.bounding_box()
    _click_plot(page, "pitboard", 0.5, 0.5)
    page.wait_for_selector("text=Dips used: 1 / 25", timeout=30000)
    wait_for_app(page)
    after = board.bounding_box()
    assert abs(after["y"] - before["y"]) <= 2 and abs(after["x"] - before["x"]) <= 2, (before, after)
    assert page.locator('[data-testid="stAlert"]', has_text="Depth").count() == 1    # the message is there
    _click_plot(page, "pitboard", 0.25, 0.25)
    page.wait_for_selector("text=Dips used: 2 / 25", timeout=30000)
    wait_for_app(page)
    assert abs(board.bounding_box()["y"] - before["y"]) <= 2
    assert_no_exception(page)
