"""In a real browser: every page of the navigation opens, draws its charts, shows no exception."""
import pytest

from helpers import wait_for_app

pytestmark = pytest.mark.browser

PATHS = ["", "derivatives", "multivariate", "chain-rule", "taylor", "optimisation", "regression"]


def test_navigation_lists_every_page(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    hrefs = page.eval_on_selector_all('[data-testid="stSidebarNav"] a', "els => els.map(e => e.href)")
    for p in PATHS[1:]:
        assert any(h.rstrip("/").endswith("/" + p) for h in hrefs), (p, hrefs)


@pytest.mark.parametrize("path", PATHS)
def test_page_opens_and_draws(page, app_url, path):
    page.goto(app_url + path)
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator(".js-plotly-plot").count() >= 1
    assert page.locator("h1").count() >= 1


def test_presenter_mode_hides_chrome(page, app_url):
    page.goto(app_url + "derivatives?present=1")
    wait_for_app(page)
    assert not page.locator('header[data-testid="stHeader"]').is_visible()
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    assert size > 45
