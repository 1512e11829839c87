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


# issue 18: at 1024×768, plain and in presenter mode, the four live charts show every tick label and
# axis title inside the chart, no legend over the x title, and no formula wider than its column
# the four live charts, found by what they draw: f with the secant, the close-up, the log-log errors,
# f above f′ (the quizzes' small charts come later on the page and carry no axis titles)
_LIVE = """(() => {
    const t = a => (a && a.title && (a.title.text || a.title)) || "";
    const all = [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.layout && p._fullLayout);
    return [all.find(p => t(p.layout.yaxis) === 'f(x)' && !p.layout.yaxis2),
            all.find(p => t(p.layout.xaxis) === 'x − x₀'),
            all.find(p => p.layout.xaxis && p.layout.xaxis.type === 'log'),
            all.find(p => p.layout.yaxis2)];
})()"""

_CHART_BOXES = """() => """ + _LIVE + """.map(p => {
    if (!p) return null;
    const r = p.getBoundingClientRect();
    const boxes = s => [...p.querySelectorAll(s)].map(e => e.getBoundingClientRect()).filter(b => b.width > 0);
    const outside = bs => bs.filter(b => b.left < r.left - 1 || b.right > r.right + 1
                                       || b.top < r.top - 1 || b.bottom > r.bottom + 1).length;
    const yt = boxes('.yaxislayer-above text'), xt = boxes('.xaxislayer-above text');
    const titles = boxes('.g-xtitle text, .g-ytitle text, .g-y2title text');
    const leg = p.querySelector('.legend .bg'), xtitle = p.querySelector('.g-xtitle text');
    return {y: yt.length, x: xt.length, titles: titles.length,
            out: outside(yt) + outside(xt) + outside(titles),
            legendTop: leg ? leg.getBoundingClientRect().top : null,
            xTitleBottom: xtitle ? xtitle.getBoundingClientRect().bottom : null};
})"""

_FORMULA_WIDTHS = """() => [...document.querySelectorAll('.katex-display')].map(k => {
    const col = k.closest('[data-testid="stElementContainer"]') || k.parentElement;
    return {text: k.textContent.slice(0, 40), content: k.scrollWidth, column: col.clientWidth};
})"""


@pytest.mark.parametrize("present", [False, True])
def test_charts_and_formulas_fit_a_projector(page, app_url, present):
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(app_url + "derivatives?f=x^2" + ("&present=true" if present else ""))
    wait_for_app(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4", timeout=60000)
    page.wait_for_function("() => " + _LIVE + ".every(p => p && p.querySelector('.xaxislayer-above text'))",
                           timeout=60000)
    assert_no_exception(page)
    charts = page.evaluate(_CHART_BOXES)
    assert len(charts) == 4 and None not in charts
    for name, c in zip(("secant", "zoom", "errors", "gradient"), charts):
        assert c["y"] >= 3 and c["x"] >= 3 and c["titles"] >= 2, (name, c)    # the numbers are drawn ...
        assert c["out"] == 0, (name, c)                                        # ... inside the chart
        if c["legendTop"] is not None:                                         # legend under the x title
            assert c["legendTop"] >= c["xTitleBottom"] - 1, (name, c)
    page.get_by_text("The rules in one place").click()
    page.wait_for_function("() => [...document.querySelectorAll('.katex-display')]"
                           ".some(k => k.textContent.includes('constant'))", timeout=30000)
    formulas = page.evaluate(_FORMULA_WIDTHS)
    named = [f for f in formulas if f["text"].startswith(("(u+v)", "slope"))]
    assert len(named) == 2, [f["text"] for f in formulas]
    for f in formulas:
        assert f["content"] <= f["column"] + 1, f                              # no sideways scrolling
