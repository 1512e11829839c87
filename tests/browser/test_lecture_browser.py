"""Lecture mode in a real browser: Next / Previous (and the arrow keys) step through a lesson,
changing the page's state and the URL; each step shows its caption and a QR code. Every link form
(the step's own URL, the README's short ``?lecture=<lesson>&slide=<n>``, on any page) opens exactly
the step's view, and after every step, forwards or back, the inputs and the charts show one state."""
import math
import re

import mpmath
import sympy
from helpers import assert_no_exception, wait_for_app

from explorer import derivatives as D
from explorer import lessons as L
from explorer.expressions import parse_expression
from explorer.numbers import subscript

LESSON = L.load_all()["derivatives"]
TAYLOR = L.load_all()["taylor"]
# the derivatives page's defaults (pages/derivatives.py): the first preset, x₀ = 1, h = 10^-0.5
DEFAULTS = {"f": next(iter(D.PRESETS.values())), "x0": 1.0, "logh": -0.5}
NOTICE = ".st-key-lecture_notice"


def _caption(page) -> str:
    return page.locator('.st-key-lecture_caption h3').inner_text()


def _wait_slide(page, n: int, lesson: L.Lesson = LESSON) -> None:
    page.wait_for_url(re.compile(rf"[?&]slide={n}(&|$)"))
    wait_for_app(page)
    page.wait_for_function(
        "c => { const h = document.querySelector('.st-key-lecture_caption h3');"
        " return h && h.innerText.trim() === c; }", arg=lesson.steps[n - 1].caption)


def _logh(page, expected: float) -> float:
    """The slider's value once it settles (it may redraw just after the URL changes)."""
    for _ in range(40):
        got = float(_logh_value(page))
        if got == expected:
            break
        page.wait_for_timeout(250)
    return got


def _logh_value(page) -> str:
    """The value shown on the derivatives page's "step h" slider (formatted 10^%.2f)."""
    text = page.locator('[data-testid="stSlider"]').filter(has_text="step h").locator(
        '[data-testid="stSliderThumbValue"]').inner_text()
    return text.split("^")[-1]


def _slider(page, label: str) -> float:
    """The value of the range input the slider labelled ``label`` holds (what the user sees)."""
    return float(page.locator(f'[data-testid="stMain"] input[type="range"][aria-label^="{label}"]')
                 .input_value())


def _text(page, label: str) -> str:
    return page.get_by_role("textbox", name=label).input_value()


def _open(page, url: str) -> None:
    page.goto(url.split("?")[0].rsplit("/", 1)[0] + "/")   # the course map first, as a class would
    wait_for_app(page)
    page.goto(url)
    wait_for_app(page)


def _path(page) -> str:
    return page.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]


# ---------------------------------------------------------------------------------------------
# The derivatives page: what the inputs show, and what the secant chart says
def _inputs(page) -> dict:
    return {"f": _text(page, "f: formula in x"), "x0": _slider(page, "x₀ (the point)"),
            "logh": _slider(page, "step h")}


def _chart_slope(page) -> float | None:
    """The secant's slope as the chart's legend gives it ("secant, slope 2.3162")."""
    m = re.search(r"secant, slope (−?-?[0-9.]+)", page.locator('[data-testid="stMain"]').inner_text())
    return float(m.group(1).replace("−", "-")) if m else None


def _slope_of(inputs: dict) -> float:
    """Rise over run for the f, x₀ and h the inputs show, to 30 digits (independent of the page)."""
    x = sympy.Symbol("x")
    f = sympy.lambdify(x, parse_expression(inputs["f"], ("x",)), "mpmath")
    with mpmath.workdps(30):
        h = mpmath.mpf(10) ** mpmath.mpf(inputs["logh"])
        x0 = mpmath.mpf(inputs["x0"])
        return float((f(x0 + h) - f(x0)) / h)


def _agrees(shown: float | None, true: float) -> bool:
    """The legend shows 5 significant figures: within one unit of the fifth."""
    return shown is not None and abs(shown - true) <= 10 ** (math.floor(math.log10(abs(true))) - 4)


def _assert_step_view(page, n: int) -> None:
    """Step ``n`` is on screen: its page, its caption, every input at the step's value (or the
    page's default for a value the step does not set), and the chart computed from those inputs."""
    want = {**DEFAULTS, **{k: (v if k == "f" else float(v)) for k, v in LESSON.steps[n - 1].params}}
    for _ in range(60):                    # the charts redraw just after the run ends
        got, slope = _inputs(page), _chart_slope(page)
        if got == want and _agrees(slope, _slope_of(got)):
            break
        page.wait_for_timeout(250)
    assert _path(page) == "derivatives" and _caption(page) == LESSON.steps[n - 1].caption
    assert got == want, f"step {n}: the inputs show {got}, the step is {want}"
    assert _agrees(slope, _slope_of(got)), \
        f"step {n}: the inputs {got} give a secant slope {_slope_of(got):.6g}, the chart says {slope}"
    assert_no_exception(page)


def _key(page, key: str) -> None:
    """An arrow key with nothing focused (a focused slider would take the key itself)."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press(key)


def test_next_previous_and_arrow_keys_step_through_the_lesson(page, app_url):
    _open(page, app_url + "derivatives?lecture=derivatives&slide=1")
    assert _caption(page) == LESSON.steps[0].caption
    qr = '[data-testid="stSidebar"] [data-testid="stImage"] img'
    page.wait_for_selector(qr, timeout=30000)                 # the step's QR code is drawn
    assert page.locator(qr).count() == 1, "QR code"

    page.get_by_role("button", name=re.compile("Next")).click()
    _wait_slide(page, 2)
    assert _caption(page) == LESSON.steps[1].caption
    assert "logh=0" in page.url
    assert _logh(page, 0.0) == 0.0, "the step's widget value is applied"

    page.get_by_role("button", name=re.compile("Next")).click()
    _wait_slide(page, 3)
    assert _caption(page) == LESSON.steps[2].caption
    assert _logh(page, -3.0) == -3.0

    page.get_by_role("button", name=re.compile("Previous")).click()
    _wait_slide(page, 2)
    assert _logh(page, 0.0) == 0.0

    page.keyboard.press("ArrowRight")
    _wait_slide(page, 3)
    assert _caption(page) == LESSON.steps[2].caption
    assert_no_exception(page)

    page.get_by_role("button", name=re.compile("Previous")).click()
    _wait_slide(page, 2)
    page.get_by_role("button", name=re.compile("Previous")).click()
    _wait_slide(page, 1)
    assert "logh" not in page.url
    assert _logh(page, -0.5) == -0.5, "a key the step does not set returns to its default"


def test_every_step_forwards_and_back_shows_one_state_in_inputs_and_chart(page, app_url):
    """The defect: stepping back from step 5 (f = sin x, x₀ = 0) to step 4 (f = x², x₀ = 1, both
    the page's defaults) left sin(x) and 0 in the inputs while the charts drew x² at 1."""
    n = len(LESSON.steps)
    _open(page, app_url + "derivatives?lecture=derivatives&slide=1")
    _assert_step_view(page, 1)
    for k in range(2, n + 1):
        _key(page, "ArrowRight")
        _wait_slide(page, k)
        _assert_step_view(page, k)
    for k in range(n - 1, 0, -1):
        _key(page, "ArrowLeft")
        _wait_slide(page, k)
        _assert_step_view(page, k)
    page.get_by_role("button", name=re.compile("Next")).click()       # and with the buttons
    _wait_slide(page, 2)
    _assert_step_view(page, 2)
    page.get_by_role("button", name=re.compile("Previous")).click()
    _wait_slide(page, 1)
    _assert_step_view(page, 1)


def test_the_short_link_opens_the_steps_view(page, app_url):
    for n in (3, 5):
        _open(page, app_url + f"derivatives?lecture=derivatives&slide={n}")
        _wait_slide(page, n)
        _assert_step_view(page, n)
        assert page.locator(NOTICE).count() == 0
    # and after it, stepping back still keeps inputs and chart together
    _key(page, "ArrowLeft")
    _wait_slide(page, 4)
    _assert_step_view(page, 4)


def test_a_link_on_the_course_map_opens_the_steps_page(page, app_url):
    _open(page, app_url + "?lecture=taylor&slide=3")
    _wait_slide(page, 3, TAYLOR)
    step = TAYLOR.steps[2].params_dict()
    assert _path(page) == "taylor", "the Taylor step opens the Taylor page, not the course map"
    assert _caption(page) == TAYLOR.steps[2].caption
    assert _text(page, "f: formula in x") == step["f"]
    assert _slider(page, "order n") == float(step["n"])
    assert _slider(page, "expansion point a") == float(step["a"])
    page.wait_for_function("() => document.querySelector('[data-testid=\"stMain\"]')"
                           f".innerText.includes('T{subscript(int(step['n']))}(x)')")   # the chart draws order n
    assert page.locator('.st-key-lecture_caption [data-testid="stAlert"]').count() == 0, \
        "no 'this page is not the lesson's page' note"
    assert_no_exception(page)


def test_step_url_opens_the_same_state_for_a_student(page, app_url):
    _open(page, app_url + "derivatives?f=sin%28x%29&x0=0&logh=-2&lecture=derivatives&slide=5")
    assert _caption(page) == LESSON.steps[4].caption
    assert _logh(page, -2.0) == -2.0
    assert page.get_by_role("textbox", name="f: formula in x").input_value() == "sin(x)"
    _assert_step_view(page, 5)


def test_an_unknown_lesson_or_slide_gives_one_notice(page, app_url):
    _open(page, app_url + "taylor?lecture=nope&slide=2")
    notice = page.locator(NOTICE)
    assert notice.count() == 1 and "There is no lesson called nope" in notice.inner_text()
    assert "without lecture mode" in notice.inner_text()
    assert page.locator('.st-key-lecture_caption').count() == 0
    page.wait_for_function("() => !location.search.includes('lecture=')")   # the link is dropped
    assert _path(page) == "taylor"
    assert_no_exception(page)

    _open(page, app_url + "derivatives?lecture=derivatives&slide=99")
    _wait_slide(page, len(LESSON.steps))
    assert page.locator(NOTICE).count() == 1
    assert f"there is no step 99. Showing step {len(LESSON.steps)}" in page.locator(NOTICE).inner_text()
    _assert_step_view(page, len(LESSON.steps))
