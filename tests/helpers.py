"""Helpers the tests share (import with `from helpers import ...`)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_TIMEOUT = 90


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, seconds: float = 60, proc=None) -> bool:
    """Poll ``url``/_stcore/health until Streamlit answers "ok" (True), the time is up or ``proc``
    (the server's process, if given) has exited (False)."""
    import time
    import urllib.request
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and (proc is None or proc.poll() is None):
        try:
            if urllib.request.urlopen(url + "_stcore/health", timeout=2).read() == b"ok":
                return True
        except OSError:
            time.sleep(0.25)
    return False


def wait_for_app(page, quiet_ms: int = 500) -> None:
    """Wait until Streamlit has finished running the script and stayed idle for `quiet_ms`.

    The app root carries `data-test-script-state` ("initial", "running", "notRunning", ...).
    """
    idle = ("() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
            " return !!a && a.getAttribute('data-test-script-state') === 'notRunning'; }")
    page.wait_for_selector('[data-testid="stApp"]')
    for _ in range(3):                      # a rerun right after the first run (e.g. st.rerun)
        page.wait_for_function(idle)
        page.wait_for_timeout(quiet_ms)
        if page.evaluate(idle):
            return


def run_page(path: str, query: dict | None = None, timeout: float = APP_TIMEOUT):
    """An AppTest that opened the app and switched to `path` (e.g. "pages/taylor.py")."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if path != "pages/home.py":
        at.switch_page(path)
        at.run()
    return at


def assert_no_exception(page) -> None:
    """No Streamlit exception box anywhere on the page."""
    assert page.locator('[data-testid="stException"]').count() == 0


# Typed text a hostile visitor might try: every parser entry point must refuse it quickly and
# cleanly (tests/unit/test_expressions.py) and no page may show an exception box for it
# (tests/app/test_fuzz_pages.py).
HOSTILE = [
    "__import__('os').system('touch /tmp/pwned')", "x.__class__", "x.__class__.__new__.__globals__",
    "().__class__.__bases__[0].__subclasses__()", "open('/etc/passwd')", "eval('1')", "exec('1')",
    "lambda: 1", "[x for x in ()]", "{1: 2}", "x[0]", "'text'", '"x"', "b'x'", "f'{x}'",
    "Symbol('z')", "sympify('x')", "globals()", "locals()", "getattr(x, 'a')", "x if x else 1",
    "x and y", "x or 1", "not x", "x == 1", "x < 1", "x = 1", "x := 1", "x; y", "x\x07y", "@x", "x % 2",
    "x // 2", "x << 2", "~x", "x & y", "x | y", "x @ y", "9**9**9", "10**10**10", "factorial(10**10)",
    "(999999**200+7)**(999/1000)", "(" * 10000 + "x" + ")" * 10000, "x" * 1_000_000, "1" * 600, "1" * 300, "2^" + "9" * 200,
    "x\x00", "x\u202e + 1", "x\u200b", "1/0", "log(0)", "sqrt(-1)", "z + 1", "xy", "sinx", "sin x",
    "sin", "sin()", "sin(x, y)", "log(x, 2, 3)", "x(", "x)", "x**", "*x", "1e400", "x,y", "",
    "   ", "()", "x ** 1000", "2 ** 1e6", "e ** e ** e ** 999", "oo", "zoo", "nan", "I", "x.real",
    "ｘ.__class__", "exp", "foo(x)", "x y z", "\U0001F600", "1..2", "x ! ",
    # issue #22: sympy's evaluation while building (stalls, Overflow/Memory errors), and work budgets
    "exp(-exp(exp(exp(100))))", "1/exp(exp(exp(exp(100))))", "min(exp(exp(exp(100))),1)",
    "sign(exp(exp(exp(100)))-1)", "exp(-exp(1e12))", "10^100*10^100*10^100*10^100",
    "(x+1)^100*(x+2)^100*(x+3)^100", "(x+1)^100*(x+2)^100*(x+3)^100*(x+4)^100", "((x+1)^100)^100",
    "abs(abs(abs(abs(abs(abs(abs(abs(x-y)-y)-y)-y)-y)-y)-y)-y)", "x + acos(2)", "1/exp(-1000)",
]


# ---------------------------------------------------------------------------------------------
# Live dragging (issue #19): what the drag browser tests read from a page
def slider_value(page, key: str) -> float:
    """The value a slider's range input holds now (during a drag: what the hand shows)."""
    return float(page.locator(f".st-key-{key} input[type=range]").first.get_attribute("value"))


def drag_frames_drawn(page, chart: str) -> int:
    """How many drag frames the live chart with this key has drawn (its data-live-chart-drag-frames)."""
    return int(page.locator(f".st-key-p3d-{chart} .live-chart").first.get_attribute("data-live-chart-drag-frames")
               or 0)


def wait_until_not_running(page, timeout: int = 120000) -> None:
    """Wait until Streamlit says the script is not running."""
    page.wait_for_function("() => document.querySelector('[data-testid=stApp]')"
                           ".getAttribute('data-test-script-state') !== 'running'", timeout=timeout)


@dataclass
class Drag:
    """What ``slow_drag`` saw: the value before and at release, the slider's step, the different
    pictures of each chart during the drag, the frames each chart drew, the websocket messages sent
    during the drag, and how many had been sent before it."""
    before: float
    dragged_to: float
    step: float
    states: dict
    drawn: dict
    during: int
    n_sent: int


def slow_drag(page, slider: str, sent: list, charts, state_js: str, *, want_steps: int = 24,
              min_px: float = 4.0, each=None) -> Drag:
    """Drag ``slider`` as a hand does: press on its thumb, 25 small moves 80 ms apart (~2 s, about
    ``want_steps`` slider steps) towards the side with more room, release. After each move every
    chart's picture (``state_js`` evaluated with ``[chart, slider]``) is recorded and ``each()``
    (an extra check) is called. ``sent`` is the list the page's sent websocket frames go to."""
    before = slider_value(page, slider)
    rng = page.locator(f".st-key-{slider} input[type=range]").first
    lo, hi = float(rng.get_attribute("min")), float(rng.get_attribute("max"))
    step = float(rng.get_attribute("step"))
    page.locator(f".st-key-{slider} [data-testid=stSlider]").first.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    track = page.locator(f".st-key-{slider} [data-testid=stSlider] [data-orientation=horizontal]").nth(1).bounding_box()
    thumb = rng.locator("xpath=../..").bounding_box()        # the thumb (the input inside is clipped)
    x, y = thumb["x"] + thumb["width"] / 2, thumb["y"] + thumb["height"] / 2
    nsteps = round((hi - lo) / step)
    direction = 1 if track["x"] + track["width"] - x > track["width"] / 2 else -1
    dx = direction * max(min_px, min(want_steps, nsteps - 4) * track["width"] / nsteps / 25)
    states = {c: {page.evaluate(state_js, [c, slider])} for c in charts}
    drawn0 = {c: drag_frames_drawn(page, c) for c in charts}
    n_sent = len(sent)
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(25):
        page.mouse.move(x + dx * (i + 1), y, steps=2)
        page.wait_for_timeout(80)
        for c in charts:
            states[c].add(page.evaluate(state_js, [c, slider]))
        if each:
            each()
    during = len(sent) - n_sent
    dragged_to = slider_value(page, slider)
    page.mouse.up()
    return Drag(before, dragged_to, step, states, {c: drag_frames_drawn(page, c) - drawn0[c] for c in charts},
                during, n_sent)
