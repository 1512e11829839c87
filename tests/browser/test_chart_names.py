"""Every chart speaks (issue #20): on every page, every plotly chart sits in a role="figure" wrapper
with an accessible name and a description generated from its numbers, and the description follows
the chart when a slider moves. An animation's ▶ Play (plotly's SVG buttons) has a native twin a
keyboard reaches with Tab and starts with Enter."""
import re

import pytest

from explorer import course
from helpers import assert_no_exception, wait_for_app

pytestmark = pytest.mark.browser

# Every drawn plot on the page: its figure wrapper's role, name and description (the text of the
# element aria-describedby points to). A plot outside the in-place chart component (st.plotly_chart)
# has no wrapper: role null.
CHARTS = """() => [...document.querySelectorAll('.js-plotly-plot')].map((gd) => {
  const fig = gd.closest('[role="figure"]');
  const ids = fig ? (fig.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean) : [];
  const desc = ids.map((id) => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
  const key = (gd.closest('[class*="st-key-p3d-"]') || {className: ''}).className.match(/st-key-p3d-(\\S+)/);
  return {key: key ? key[1] : null, role: fig ? fig.getAttribute('role') : null,
          name: fig ? (fig.getAttribute('aria-label') || '').trim() : '', desc};
})"""

DRAWN = """() => { const mounts = document.querySelectorAll('[class*="st-key-p3d-"]');
  const charts = [...document.querySelectorAll('.live-chart')];
  return mounts.length > 0 && charts.length >= mounts.length
    && charts.every(g => +g.dataset.liveChartRenders > 0); }"""

# practice draws a chart only for a question with points (a least-squares line)
PAGES = [p.url_path for p in course.PAGES if p.url_path != "practice"] + ["practice?drill=regression"]


def _open(page, url):
    page.goto(url)
    wait_for_app(page)
    page.wait_for_function(DRAWN, timeout=120_000)
    assert_no_exception(page)


@pytest.mark.parametrize("path", PAGES)
def test_every_chart_has_a_name_and_a_description_from_its_numbers(page, app_url, path):
    _open(page, app_url + ("" if path == "home" else path))
    charts = page.evaluate(CHARTS)
    assert charts, f"{path}: no chart drawn"
    for c in charts:
        where = f"{path} chart {c['key']}"
        assert c["role"] == "figure", f"{where}: not inside a role=figure wrapper (st.plotly_chart?)"
        assert len(c["name"]) >= 3, f"{where}: no accessible name"
        assert len(c["desc"]) >= 25, f"{where}: no description ({c['desc']!r})"
        assert re.search(r"\d", c["desc"]), f"{where}: the description says no number: {c['desc']!r}"


def test_description_follows_the_slider(page, app_url):
    """x₀ moves by one step: the secant chart's description changes, and says the new x₀."""
    _open(page, app_url + "derivatives")

    def desc():
        return next(c["desc"] for c in page.evaluate(CHARTS) if c["key"] == "secant")
    before = desc()
    assert "1" in before
    page.locator(".st-key-x0 input[type=range]").first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        """(old) => { const gd = document.querySelector('.st-key-p3d-secant [role="figure"]');
           const d = gd && document.getElementById(gd.getAttribute('aria-describedby'));
           return !!d && d.textContent !== old; }""", arg=before, timeout=60_000)
    after = desc()
    assert after != before
    assert "1.05" in after, f"the new x₀ = 1.05 is not in {after!r}"


PLAYED = """() => { const gd = document.querySelector('.st-key-p3d-newton_plot .js-plotly-plot');
  return gd ? JSON.stringify((gd.data || []).map((t) => [t.x, t.y])) : null; }"""


def test_newton_play_is_reachable_and_started_by_keyboard(page, app_url):
    """Tab from the Steps-drawn slider reaches a native "▶ Play" button (hidden until focused, then
    visible), Enter plays the iterates: the drawn data changes."""
    _open(page, app_url + "optimisation")
    page.locator(".st-key-p3d-newton_plot .live-chart-menu button").first.wait_for(state="attached")
    start = page.evaluate(PLAYED)
    page.locator("[data-testid='stMain'] input[type=range]").first.focus()
    for _ in range(150):
        page.keyboard.press("Tab")
        label = page.evaluate("() => (document.activeElement && document.activeElement.textContent || '')")
        if label.startswith("▶ Play"):
            break
    else:
        raise AssertionError("Tab never reached the ▶ Play button of the Newton chart")
    box = page.evaluate("() => { const r = document.activeElement.getBoundingClientRect(); return [r.width, r.height]; }")
    assert box[0] > 20 and box[1] > 10, f"the focused Play button is not visible ({box})"
    page.keyboard.press("Enter")
    page.wait_for_function("(s) => { const gd = document.querySelector('.st-key-p3d-newton_plot .js-plotly-plot');"
                           " return JSON.stringify((gd.data || []).map((t) => [t.x, t.y])) !== s; }",
                           arg=start, timeout=30_000)
    assert page.evaluate(PLAYED) != start
