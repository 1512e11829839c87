"""In a real browser: every page of the navigation opens, draws its charts, shows no exception."""
import pytest

from helpers import wait_for_app
from explorer import course

pytestmark = pytest.mark.browser

PATHS = ["" if p.url_path == "home" else p.url_path for p in course.PAGES if p.url_path != "practice"]


def test_navigation_lists_every_page(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    hrefs = page.eval_on_selector_all('[data-testid="stSidebarNav"] a', "els => els.map(e => e.href)")
    for p in PATHS[1:]:
        assert any(h.rstrip("/").endswith("/" + p) for h in hrefs), (p, hrefs)


@pytest.mark.parametrize("present", ["", "?present=true"], ids=["default", "presenter"])
@pytest.mark.parametrize("path", PATHS)
def test_page_opens_and_draws(page, app_url, path, present):
    page.goto(app_url + path + present)
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator(".js-plotly-plot").count() >= 1
    assert page.locator("h1").count() >= 1


def test_presenter_mode_hides_chrome(page, app_url):
    page.goto(app_url + "derivatives?present=true")
    wait_for_app(page)
    assert page.url.endswith("derivatives?present=true"), "the address bar still says presenter mode"
    assert page.locator('[data-testid="stException"]').count() == 0
    # the app menu is hidden (presenter mode's style arrives with the run: wait for it, not a snapshot)
    page.locator('[data-testid="stMainMenu"]').wait_for(state="hidden", timeout=30000)
    # a presenter link opens with the sidebar folded away, and it can still be opened again
    page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]')"
                           ".getAttribute('data-collapsed') === 'true'", timeout=30000)
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]')"
                           ".getAttribute('data-collapsed') === 'false'")
    assert page.get_by_test_id("stWidgetLabel").get_by_text("Presenter mode").is_visible()
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    assert size > 45


def test_deep_link_on_a_fresh_server_uses_the_app_navigation(browser):
    """A first visitor opening /chain-rule on a fresh server gets the app's navigation, not Streamlit's
    legacy pages/ mode (file-name sidebar, no shared sidebar controls) for everyone after."""
    from conftest import streamlit_server
    with streamlit_server() as url:
        for attempt in range(2):          # the first visitor, then the next one
            ctx = browser.new_context(viewport={"width": 1400, "height": 900})
            pg = ctx.new_page()
            pg.set_default_timeout(90000)
            pg.goto(url + ("chain-rule" if attempt == 0 else "taylor"))
            wait_for_app(pg)
            pg.wait_for_selector('[data-testid="stSidebarNav"] a')
            pg.wait_for_selector("h1")
            labels = pg.eval_on_selector_all('[data-testid="stSidebarNav"] a', "els => els.map(e => e.textContent)")
            assert any("Taylor series" in t for t in labels), labels
            assert pg.get_by_text("Page not found").count() == 0
            assert not any(t.strip() == "streamlit app" for t in labels), labels
            assert ("Chain rule" if attempt == 0 else "Taylor") in pg.locator("h1").first.inner_text()
            toggle = pg.get_by_test_id("stWidgetLabel").get_by_text("Presenter mode")
            toggle.wait_for(state="attached", timeout=60000)   # the shared sidebar controls, drawn after the page
            assert toggle.count() == 1
            ctx.close()
