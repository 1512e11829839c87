"""Keyboard only (issue #20, WCAG 2.5.7): the multivariate map's point, the Sandpit and a 3D view
are driven with Tab and Enter/Space — no mouse — and the page's readings change as they should."""
from pathlib import Path

import pytest

from helpers import assert_no_exception, wait_for_app

pytestmark = pytest.mark.browser

JS = (Path(__file__).resolve().parents[2] / "ui" / "live_chart_js" / "live_chart.js").read_text()
MAX_TABS = 80


def _slider_value(page, key):
    return float(page.locator(f".st-key-{key} input[type=range]").first.input_value())


def _focused_text(page) -> str:
    return page.evaluate("() => (document.activeElement && document.activeElement.innerText || '').trim()")


def _tab_to(page, start_selector: str, text: str, within: str) -> int:
    """Focus ``start_selector`` (a control before the target), press Tab until the focus is inside
    ``within``, then, in a toolbar of buttons (one Tab stop), the arrow key → until the focused
    button reads ``text``. Returns how many key presses it took."""
    page.locator(start_selector).first.focus()
    inside = "(sel) => !!document.activeElement && !!document.activeElement.closest(sel)"
    help_icon = "() => (document.activeElement.getAttribute('aria-label') || '').startsWith('Help for')"
    for n in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if page.evaluate(inside, within) and not page.evaluate(help_icon):    # past the label's (?) icon
            break
    else:
        raise AssertionError(f"Tab never reached {within} (last focus: {_focused_text(page)!r})")
    for _ in range(10):               # the toolbar comes back to the button focused last: go to its first
        page.keyboard.press("ArrowLeft")
    for m in range(12):
        if _focused_text(page) == text:
            return n + m
        page.keyboard.press("ArrowRight")
        assert page.evaluate(inside, within)
    raise AssertionError(f"no button {text!r} in {within} (last focus: {_focused_text(page)!r})")


def _focus_ring_visible(page) -> bool:
    """The focused element draws a visible focus indicator (outline or box-shadow)."""
    return page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none'); }""")


MARKER = """([key, name]) => { const gd = document.querySelector(`.st-key-p3d-${key} .js-plotly-plot`);
    const t = gd && gd._fullData && gd._fullData.find((d) => d.name === name);
    return t && t.x && t.x.length ? [Number(t.x[t.x.length - 1]), Number(t.y[t.y.length - 1])] : null; }"""


def _marker(page, key, name, want=None):
    """The last point of the trace ``name`` as plotly drew it (after waiting until it is ``want``)."""
    if want is not None:
        page.wait_for_function(f"(a) => {{ const p = ({MARKER})(a); return !!p && Math.abs(p[0] - a[2]) < 1e-9"
                               " && Math.abs(p[1] - a[3]) < 1e-9; }", arg=[key, name, *want], timeout=30000)
    return page.evaluate(MARKER, [key, name])


def test_keyboard_moves_the_map_point(page, app_url):
    page.goto(app_url + "multivariate")
    wait_for_app(page)
    page.wait_for_selector(".st-key-p3d-fmap .js-plotly-plot .nsewdrag", timeout=60000)
    assert_no_exception(page)
    assert (_slider_value(page, "x0"), _slider_value(page, "y0")) == (1.0, 1.0)
    # from the y₀ slider, Tab to "→ Right" under the map, and press Enter
    _tab_to(page, ".st-key-y0 input[type=range]", "→ Right", ".st-key-_pad_fmap")
    assert _focus_ring_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.st-key-x0 input[type=range]').value == '1.5'",
                           timeout=30000)
    wait_for_app(page)
    assert (_slider_value(page, "x0"), _slider_value(page, "y0")) == (1.5, 1.0)
    assert _marker(page, "fmap", "(x₀, y₀)", want=(1.5, 1.0)) == [1.5, 1.0]      # the map's point moved
    # Space works too, and on the arrow the reset control offers again: down by 0.5
    _tab_to(page, ".st-key-y0 input[type=range]", "↓ Down", ".st-key-_pad_fmap")
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('.st-key-y0 input[type=range]').value == '0.5'",
                           timeout=30000)
    wait_for_app(page)
    assert (_slider_value(page, "x0"), _slider_value(page, "y0")) == (1.5, 0.5)
    assert _marker(page, "fmap", "(x₀, y₀)", want=(1.5, 0.5)) == [1.5, 0.5]
    assert "x0=1.5" in page.url and "y0=0.5" in page.url          # the link keeps the point
    assert_no_exception(page)


def test_keyboard_plays_the_sandpit(page, app_url):
    page.goto(app_url + "multivariate?view=Sandpit&pit=course+intro&seed=3")
    wait_for_app(page)
    page.wait_for_selector(".st-key-p3d-pitboard .js-plotly-plot .nsewdrag", timeout=60000)
    assert_no_exception(page)
    assert page.get_by_text("Dips used: 0 / 25").count() == 1
    assert _marker(page, "pitboard", "aim of “Dip here”") == [3, 3]
    # aim: two presses of ← and one of ↑ (0.25 each), from the "dip at y" box
    for arrow in ("← Left", "← Left", "↑ Up"):
        _tab_to(page, ".st-key-_dipy input", arrow, ".st-key-_pad_pit")
        before = page.locator(".st-key-_dipx input").input_value(), page.locator(".st-key-_dipy input").input_value()
        page.keyboard.press("Enter")
        page.wait_for_function("(b) => document.querySelector('.st-key-_dipx input').value != b[0]"
                               " || document.querySelector('.st-key-_dipy input').value != b[1]", arg=list(before),
                               timeout=30000)
        wait_for_app(page)
    assert float(page.locator(".st-key-_dipx input").input_value()) == 2.5
    assert float(page.locator(".st-key-_dipy input").input_value()) == 3.25
    assert _marker(page, "pitboard", "aim of “Dip here”", want=(2.5, 3.25)) == [2.5, 3.25]   # the crosshair
    # then Tab on to "Dip here" and press Space
    _tab_to(page, ".st-key-_dipy input", "Dip here", ".st-key-dip_here")
    assert _focus_ring_visible(page)
    page.keyboard.press("Space")
    page.wait_for_selector("text=Dips used: 1 / 25", timeout=30000)
    wait_for_app(page)
    assert page.get_by_text("at (2.50, 3.25)").count() >= 1          # the progress bar's reading
    assert _marker(page, "pitboard", "dips", want=(2.5, 3.25)) == [2.5, 3.25]
    # a typed aim: the bottom of the intro pit, then Enter on "Dip here": the game is won
    for key, value in (("_dipx", "1.2"), ("_dipy", "4")):
        box = page.locator(f".st-key-{key} input")
        box.focus()
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type(value)
        page.keyboard.press("Enter")
        wait_for_app(page)
    _tab_to(page, ".st-key-_dipy input", "Dip here", ".st-key-dip_here")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=You found the bottom in 2 dips", timeout=30000)
    assert_no_exception(page)


@pytest.mark.xfail("cameraRev" not in JS, strict=True,
                   reason="the chart component does not apply camera/camera_rev yet (owner: live-drag)")
def test_keyboard_turns_the_3d_view(page, app_url):
    page.goto(app_url + "multivariate")
    wait_for_app(page)
    page.wait_for_selector(".st-key-p3d-surf3d .js-plotly-plot .gl-container", state="attached", timeout=60000)
    page.wait_for_function("() => { const gd = document.querySelector('.st-key-p3d-surf3d .js-plotly-plot');"
                           " return gd && gd._fullLayout && gd._fullLayout.scene; }", timeout=60000)
    eye = "() => { const e = document.querySelector('.st-key-p3d-surf3d .js-plotly-plot')._fullLayout.scene.camera.eye;" \
          " return [e.x, e.y, e.z]; }"
    assert page.evaluate(eye) == pytest.approx([1.25, 1.25, 1.25], abs=1e-6)
    _tab_to(page, ".st-key-x0 input[type=range]", "Top", ".st-key-_view3d_btn_surf3d")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({eye})()[2] > 2.1", timeout=30000)
    x, y, z = page.evaluate(eye)
    assert (x, y, z) == pytest.approx([0, 0, 2.1650635], abs=1e-4)
    _tab_to(page, ".st-key-x0 input[type=range]", "Tilt down 15°", ".st-key-_view3d_btn_surf3d")
    page.keyboard.press("Space")
    page.wait_for_function(f"() => ({eye})()[2] < 2.1", timeout=30000)
    x, y, z = page.evaluate(eye)
    # 75° up, from the front (−y): (0, −r cos 75°, r sin 75°)
    assert (x, y, z) == pytest.approx([0, -0.5603, 2.0913], abs=1e-3)
    assert_no_exception(page)
