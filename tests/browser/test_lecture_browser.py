"""Lecture mode in a real browser: Next / Previous (and the arrow keys) step through a lesson,
changing the page's state and the URL; each step shows its caption and a QR code."""
import re

from helpers import assert_no_exception, wait_for_app

from explorer import lessons as L

LESSON = L.load_all()["derivatives"]


def _caption(page) -> str:
    return page.locator('.st-key-lecture_caption h3').inner_text()


def _wait_slide(page, n: int) -> None:
    page.wait_for_url(re.compile(rf"[?&]slide={n}(&|$)"))
    wait_for_app(page)
    page.wait_for_function(
        "c => { const h = document.querySelector('.st-key-lecture_caption h3');"
        " return h && h.innerText.trim() === c; }", arg=LESSON.steps[n - 1].caption)


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


def _open(page, url: str) -> None:
    page.goto(url.split("?")[0].rsplit("/", 1)[0] + "/")   # the course map first, as a class would
    wait_for_app(page)
    page.goto(url)
    wait_for_app(page)


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


def test_step_url_opens_the_same_state_for_a_student(page, app_url):
    _open(page, app_url + "derivatives?f=sin%28x%29&x0=0&logh=-2&lecture=derivatives&slide=5")
    assert _caption(page) == LESSON.steps[4].caption
    assert _logh(page, -2.0) == -2.0
    assert page.get_by_role("textbox", name="f: formula in x").input_value() == "sin(x)"
    assert_no_exception(page)
