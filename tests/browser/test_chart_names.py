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


# The secant chart's "Show as table" disclosure: whether it is open, and its rows as text (null
# while the table has not been built).
TABLE = """() => { const d = document.querySelector('.st-key-p3d-secant .live-chart-table');
  if (!d) return null;
  const t = d.querySelector('table');
  return {open: d.open, summary: d.querySelector('summary').textContent,
          rows: t ? [...t.querySelectorAll('tbody tr')].map((r) => r.textContent) : null,
          head: t ? [...t.querySelectorAll('th[scope=col]')].map((h) => h.textContent) : null}; }"""

ALL_TABLE_ROWS = "() => document.querySelectorAll('[data-testid=stMain] .live-chart-table tbody tr').length"


def test_show_as_table_is_built_when_opened_and_follows_the_slider(page, app_url):
    """Closed, a chart's "Show as table" holds no rows (on derivatives that kept thousands of DOM
    nodes, rebuilt on every slider step); opened by keyboard it shows the chart's points; while it
    is open a slider step updates them; closed, a step leaves it alone, and opening it again shows
    the new numbers."""
    _open(page, app_url + "derivatives")
    assert page.evaluate(ALL_TABLE_ROWS) == 0, "a closed table was built"
    t = page.evaluate(TABLE)
    assert t == {"open": False, "summary": "Show as table", "rows": None, "head": None}, t
    page.locator(".st-key-p3d-secant .live-chart-table summary").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => !!document.querySelector('.st-key-p3d-secant .live-chart-table tbody tr')")
    first = page.evaluate(TABLE)
    assert first["open"] and len(first["rows"]) >= 3 and len(first["head"]) >= 2, first
    assert all(any(ch.isdigit() for ch in r) for r in first["rows"]), first["rows"]

    def step():
        page.locator(".st-key-x0 input[type=range]").first.focus()
        page.keyboard.press("ArrowRight")

    step()                                            # open: the rows follow the new x₀
    page.wait_for_function("(old) => { const t = (" + TABLE + ")(); return t.rows && t.rows.join('|') !== old; }",
                           arg="|".join(first["rows"]), timeout=60_000)
    second = page.evaluate(TABLE)
    assert second["open"] and second["rows"] != first["rows"]
    page.locator(".st-key-p3d-secant .live-chart-table summary").click()        # close it
    page.wait_for_function("() => !document.querySelector('.st-key-p3d-secant .live-chart-table').open")
    step()                                            # closed: the numbers move on, the table waits
    page.wait_for_function(
        """(old) => { const gd = document.querySelector('.st-key-p3d-secant [role="figure"]');
           const d = gd && document.getElementById(gd.getAttribute('aria-describedby'));
           return !!d && d.textContent.includes('1.1'); }""", arg=None, timeout=60_000)
    assert page.evaluate(TABLE)["rows"] == second["rows"], "a closed table was rebuilt"
    page.locator(".st-key-p3d-secant .live-chart-table summary").click()        # open: the new numbers
    page.wait_for_function("(old) => { const t = (" + TABLE + ")(); return t.open && t.rows && t.rows.join('|') !== old; }",
                           arg="|".join(second["rows"]), timeout=10_000)
    third = page.evaluate(TABLE)
    assert third["rows"] != second["rows"] and len(third["rows"]) == len(second["rows"])
