"""The Taylor page in a real browser: it draws, and ▶ animates the order client-side."""
import pytest

from helpers import wait_for_app

pytestmark = pytest.mark.browser

T_TRACE_Y = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')].filter(p => p._transitionData || p.data);
  for (const p of plots) {
    if (!p.data) continue;
    const t = p.data.find(d => d.name && d.name.startsWith('T_'));
    if (t) return JSON.stringify([t.name, t.y.slice(0, 40)]);
  }
  return null;
}"""


def test_taylor_page_draws_and_plays_client_side(page, app_url):
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.goto(app_url + "taylor")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60000)
    page.wait_for_function(T_TRACE_Y.replace("() => {", "() => { const r = (() => {") + ")(); return r !== null; }")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator(".js-plotly-plot").count() >= 3          # 1D, 3D (component), error heatmap
    assert page.locator(".katex").count() >= 8
    before = page.evaluate(T_TRACE_Y)
    assert '"T_3(x)"' in before
    page.wait_for_timeout(500)
    sent.clear()
    # ▶ is plotly's own updatemenu button: frames run in the browser
    page.locator(".updatemenu-button", has_text="Play").first.click()
    seen = {before}
    for _ in range(30):
        page.wait_for_timeout(250)
        seen.add(page.evaluate(T_TRACE_Y))
        if len(seen) >= 4:
            break
    assert len(seen) >= 4, "the plotted Tₙ changes frame after frame"
    assert any('"T_0(x)"' in s or '"T_1(x)"' in s or '"T_2(x)"' in s for s in seen)
    assert sent == [], "no message goes to the server while the animation plays"
    assert page.locator('[data-testid="stException"]').count() == 0


def test_shared_link_reproduces_the_view(page, app_url):
    page.goto(app_url + "taylor?f=ln(1%2Bx)&a=1.0&n=5")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_function("() => document.body.innerText.includes('branch point at x = −1')")
    assert '"T_5(x)"' in page.evaluate(T_TRACE_Y)
