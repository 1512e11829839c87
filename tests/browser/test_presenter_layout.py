"""Issue 18, presenter mode and the phone: on a 1024×768 projector in presenter mode every module
page's main chart starts on the first screen and no display formula is wider than its box; on a
390 px phone no formula needs sideways scrolling and the sidebar does not open over the page;
switching presenter mode on from the sidebar leaves the sidebar (and the lecture controls) open."""
import pytest

from helpers import wait_for_app
from explorer import course

pytestmark = pytest.mark.browser

# The page's main chart: the first plotly chart, or the first 3D chart's container.
MAIN_CHART = '.js-plotly-plot, [class*="st-key-p3d-"]'

# Every .katex-display whose content is wider than its box (it would need sideways scrolling).
# KaTeX puts a 2 px strut (.vlist-s, a Safari workaround) after every stacked box; 3 px of slack
# covers it, and anything a reader could miss is far wider.
_WIDE_FORMULAS = """() => [...document.querySelectorAll('[data-testid="stMain"] .katex-display')]
    .filter(k => k.scrollWidth > k.clientWidth + 3)
    .map(k => ({tex: (k.querySelector('annotation') || k).textContent.slice(0, 60),
                content: k.scrollWidth, box: k.clientWidth}))"""

# Every visible text in the page that the browser cuts off with "…" (text-overflow: ellipsis and
# wider than its box): a toggle label or a metric value a projector's big font no longer fits.
_CUT_OFF = """() => [...document.querySelectorAll('[data-testid="stMain"] *')].filter((e) => {
    if (!e.textContent.trim() || e.clientWidth === 0 || getComputedStyle(e).textOverflow !== 'ellipsis') return false;
    return e.scrollWidth > e.clientWidth + 1; }).map((e) => [e.textContent.trim().slice(0, 60), e.scrollWidth, e.clientWidth])"""

_PLOT_BOX = """() => { const r = document.querySelector('[data-testid="stMain"] .live-chart').getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, screen: window.innerHeight}; }"""
_PLOT_ON_SCREEN = """() => { const g = document.querySelector('[data-testid="stMain"] .live-chart');
    const r = g && g.getBoundingClientRect(); return !!r && r.top >= 0 && r.bottom <= window.innerHeight + 1; }"""
_A_SLIDER_ON_SCREEN = """() => [...document.querySelectorAll('[data-testid="stMain"] input[type=range]')].some((s) => {
    const r = s.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; })"""
# anything scrolled: the window or any of Streamlit's scrolling containers
_SCROLLED = """() => window.scrollY + [...document.querySelectorAll('*')].reduce((a, e) => a + e.scrollTop, 0)"""

# Text of the page under Streamlit's sidebar button (») in the top-left corner, which stays put while
# the page scrolls: presenter mode opens a page scrolled to its chart, which had put the button over
# a title or a formula (derivatives: f = x²; regression: "Fit a straight line by hand").
_UNDER_SIDEBAR_BUTTON = """() => { const b = document.querySelector('[data-testid="stExpandSidebarButton"]');
    if (!b) return [];
    const r = b.getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid="stMain"] :is(h1, h2, h3, p, label, .katex)')].filter((e) => {
        const q = e.getBoundingClientRect();
        return q.width > 0 && q.right > r.left && q.left < r.right && q.bottom > r.top && q.top < r.bottom; })
      .map((e) => e.textContent.trim().slice(0, 40)); }"""

_CHART_TOP = f"""() => {{ const c = document.querySelector('{MAIN_CHART}');
    return c ? c.getBoundingClientRect().top + window.scrollY : null; }}"""

# Cases another helper is changing in this round; strict, so each fails loudly once it is fixed.
PRESENTER_BLOCKED: dict[str, str] = {}
PHONE_BLOCKED: dict[str, str] = {}


def _cases(blocked: dict[str, str]):
    return [pytest.param(p.url_path, id=p.url_path,
                         marks=[pytest.mark.xfail(strict=True, reason=blocked[p.url_path])]
                         if p.url_path in blocked else [])
            for p in course.MODULES]


def _open(browser, url: str, width: int, height: int):
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    page.set_default_timeout(90000)
    page.goto(url)
    wait_for_app(page)
    page.wait_for_selector(MAIN_CHART, timeout=60000)
    page.wait_for_timeout(800)           # KaTeX and the live charts settle
    assert page.locator('[data-testid="stException"]').count() == 0
    return ctx, page


@pytest.mark.parametrize("path", _cases(PRESENTER_BLOCKED))
def test_presenter_projector_main_chart_on_first_screen(browser, app_url, path):
    ctx, page = _open(browser, app_url + path + "?present=true", 1024, 768)
    try:
        top = page.evaluate(_CHART_TOP)
        wide = page.evaluate(_WIDE_FORMULAS)
        cut = page.evaluate(_CUT_OFF)
        assert top is not None and top < 768, f"the main chart starts {top} px down, below the screen"
        # the whole plot, not only its top: the page opens scrolled to it (revealMainChart), its
        # controls above it (before that, 10-38 % of the plot showed on a module page)
        page.wait_for_function(_PLOT_ON_SCREEN, timeout=10000)
        box = page.evaluate(_PLOT_BOX)
        assert box["top"] >= 0 and box["bottom"] <= box["screen"] + 1, box
        assert page.evaluate(_A_SLIDER_ON_SCREEN), "the controls just above the chart show with it"
        under = page.evaluate(_UNDER_SIDEBAR_BUTTON)
        assert not under, f"the sidebar button sits over {under}"
        assert not wide, wide
        assert not cut, f"text cut off with an ellipsis: {cut}"
    finally:
        ctx.close()


@pytest.mark.parametrize("path", _cases(PHONE_BLOCKED))
def test_phone_formulas_do_not_overflow(browser, app_url, path):
    ctx, page = _open(browser, app_url + path, 390, 844)
    try:
        overflow = page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                                 " return [m.scrollWidth, m.clientWidth, document.documentElement.scrollWidth]; }")
        wide = page.evaluate(_WIDE_FORMULAS)
        assert overflow[0] <= overflow[1] and overflow[2] <= 390, overflow
        assert not wide, wide
    finally:
        ctx.close()


def test_phone_sidebar_starts_folded_and_toolbar_is_hidden(browser, app_url):
    ctx, page = _open(browser, app_url + "derivatives", 390, 844)
    try:
        assert page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "true"
        assert page.locator(".modebar-container").count() >= 1
        assert not page.locator(".modebar-container").first.is_visible(), "the chart toolbar covers titles"
    finally:
        ctx.close()


def test_presenter_mode_from_the_sidebar_keeps_the_sidebar_and_enlarges_controls(browser, app_url):
    ctx, page = _open(browser, app_url + "derivatives", 1400, 1000)
    try:
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert sidebar.get_attribute("data-collapsed") == "false"
        small = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector("
                              "'[data-testid=\"stTextInput\"] input')).fontSize)")
        sidebar.get_by_text("Presenter mode").click()
        page.wait_for_function("() => new URLSearchParams(location.search).get('present') === 'true'")
        wait_for_app(page)
        page.wait_for_timeout(800)
        assert sidebar.get_attribute("data-collapsed") == "false", "turning presenter mode on folded the sidebar"
        assert sidebar.get_by_text("Lecture mode").is_visible()
        sizes = page.evaluate("""() => ['[data-testid="stTextInput"] input', '[data-testid="stSliderThumbValue"]']
            .map(s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))""")
        assert sizes[0] >= 20 > small, ("the formula box text is enlarged", small, sizes)
        assert sizes[1] >= 20, ("slider values are enlarged", sizes)
        # the introduction is folded into an expander, the title stays
        assert page.get_by_text("About this page").is_visible()
    finally:
        ctx.close()


@pytest.mark.parametrize("drill", ["multivariate", "chain-rule"])
def test_presenter_practice_cuts_no_text_off(browser, app_url, drill):
    """The practice page's scoreboard and question on a projector: nothing cut off with "…" (the
    question's kind, e.g. "multivariate chain rule", once was, as a metric's value)."""
    ctx = browser.new_context(viewport={"width": 1024, "height": 768})
    page = ctx.new_page()
    page.set_default_timeout(90000)
    try:
        page.goto(app_url + f"practice?present=true&drill={drill}")
        wait_for_app(page)
        page.wait_for_selector('[data-testid="stMetric"]')
        assert page.locator('[data-testid="stException"]').count() == 0
        cut = page.evaluate(_CUT_OFF)
        assert not cut, f"text cut off with an ellipsis: {cut}"
    finally:
        ctx.close()


@pytest.mark.parametrize("path", [p.url_path for p in course.PAGES])
def test_a_1024_screen_cuts_no_text_off(browser, app_url, path):
    """At 1024×768 with the sidebar open (a projector without presenter mode, a small laptop) no label,
    button or course-map link ends in "…": the course map's "2 · Multivariate calculus" and
    multivariate's "Go to the nearest point where ∇f = 0" once did (they now wrap)."""
    ctx = browser.new_context(viewport={"width": 1024, "height": 768})
    page = ctx.new_page()
    page.set_default_timeout(90000)
    try:
        page.goto(app_url + ("" if path == "home" else path))
        wait_for_app(page)
        page.wait_for_timeout(800)
        assert page.locator('[data-testid="stException"]').count() == 0
        cut = page.evaluate(_CUT_OFF)
        assert not cut, f"text cut off with an ellipsis: {cut}"
        page.wait_for_timeout(2200)          # past the reveal's last check: outside presenter mode
        assert page.evaluate(_SCROLLED) == 0, "the page opens at its top"
    finally:
        ctx.close()
