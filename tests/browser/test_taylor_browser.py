"""The Taylor page in a real browser: it draws, and ▶ animates the order client-side."""
import json

import pytest

from helpers import assert_no_exception, wait_for_app

pytestmark = pytest.mark.browser

# the 1D chart is drawn through ui.chart_live: the plotly3d component keyed "t1d"
ONE_D = '.st-key-p3d-t1d .js-plotly-plot'
T_TRACE = """() => {
  const p = document.querySelector('ONE_D');
  if (!p || !p.data) return null;
  const t = p.data.find(d => d.name && d.name[0] === 'T' && d.name.endsWith('(x)'));
  const title = p.querySelector('.gtitle');
  return t ? JSON.stringify([t.name, Array.from(t.y).slice(0, 40), title ? title.textContent : null]) : null;
}""".replace("ONE_D", ONE_D)


def _order(state: str) -> int:
    name = json.loads(state)[0]                     # "T₇(x)"
    return int(name[1:name.index("(")].translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")))


def test_taylor_page_draws_and_plays_client_side(page, app_url):
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.goto(app_url + "taylor")
    wait_for_app(page)
    page.wait_for_function(f"() => ({T_TRACE})() !== null", timeout=60000)
    page.wait_for_selector(".st-key-p3d-t2err .js-plotly-plot .heatmaplayer", state="attached", timeout=60000)
    assert_no_exception(page)
    assert page.locator(".js-plotly-plot").count() >= 3          # 1D, 3D surfaces, error heatmap
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0, "all charts update in place"
    assert page.locator(".katex").count() >= 8
    before = page.evaluate(T_TRACE)
    assert _order(before) == 3 and json.loads(before)[2] == "order n = 3"
    page.wait_for_timeout(500)
    sent.clear()
    # ▶ is plotly's own updatemenu button: the frames (handed to Plotly.react by the component)
    # run in the browser, n = 0, 1, 2, … every 600 ms
    page.locator(f"{ONE_D} .updatemenu-button", has_text="Play").first.click()
    seen = [json.loads(before)[:2]]                 # (trace name, curve) as the frames go by
    for _ in range(40):
        page.wait_for_timeout(200)
        now = json.loads(page.evaluate(T_TRACE))[:2]
        if now != seen[-1]:
            seen.append(now)
        if len(seen) >= 6:
            break
    orders = [_order(json.dumps(s)) for s in seen[1:]]
    assert len(orders) >= 4, f"the plotted Tₙ changes frame after frame: {orders}"
    assert orders[0] <= 1 and orders == sorted(orders) and len(set(orders)) == len(orders), orders
    assert len({json.dumps(s[1]) for s in seen[1:]}) == len(orders), "each frame brings its own curve"
    assert sent == [], "no message goes to the server while the animation plays"
    page.locator(f"{ONE_D} .updatemenu-button", has_text="Pause").first.click()
    page.wait_for_timeout(800)
    paused = json.loads(page.evaluate(T_TRACE))
    assert _order(json.dumps(paused)) > orders[-1] - 1 and paused[2] == f"order n = {_order(json.dumps(paused))}"
    # a slider step after the animation still redraws the same chart in place
    page.evaluate(f"() => {{ document.querySelector('{ONE_D}').__marker = 1; }}")
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="order n").locator('input[type="range"]')
    slider.focus()
    page.keyboard.press("ArrowRight")
    wait_for_app(page)
    page.wait_for_function(f"() => {{ const s = ({T_TRACE})(); return s && JSON.parse(s)[0] === 'T₄(x)'; }}")
    assert page.evaluate(f"() => document.querySelector('{ONE_D}').__marker") == 1
    assert_no_exception(page)


def test_shared_link_reproduces_the_view(page, app_url):
    page.goto(app_url + "taylor?f=ln(1%2Bx)&a=1.0&n=5")
    wait_for_app(page)
    page.wait_for_function(f"() => ({T_TRACE})() !== null", timeout=60000)
    assert_no_exception(page)
    page.wait_for_function("() => document.body.innerText.includes('branch point at x = −1')")
    assert _order(page.evaluate(T_TRACE)) == 5
    # a step of a reruns only the chart and the column beside it (its on_change names them): the
    # browser writes the new value into the URL, and a later run of the whole page keeps it
    a = page.locator('[data-testid="stSlider"]').filter(has_text="expansion point a").locator('input[type="range"]')
    a.focus()
    page.keyboard.press("ArrowRight")
    wait_for_app(page)
    page.wait_for_function("() => location.search.includes('a=1.1')")
    page.wait_for_function("() => document.body.innerText.includes('branch point at x = −1')")
    box = page.locator('[data-testid="stTextInput"] input').first
    box.fill("ln(1+x) + x")
    box.press("Enter")
    wait_for_app(page)
    page.wait_for_function("() => location.search.includes('f=ln')  && location.search.includes('%2B+x')")
    assert a.get_attribute("aria-valuetext") == "1.10" and "a=1.1" in page.url
    assert page.locator('[data-testid="stSlider"]').count() == 8, "every control drawn once"
    assert_no_exception(page)
