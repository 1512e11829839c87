"""The Practice page in a real browser: a right answer scores, and "Next question" (a button inside
the drill's fragment, while the question number lives outside it) really moves on."""
import pytest

from explorer import practice as P
from helpers import assert_no_exception, wait_for_app

pytestmark = pytest.mark.browser

METRICS = '[data-testid="stMetricValue"]'


def test_answer_next_question_and_reveal(page, app_url):
    page.goto(app_url + "practice?drill=regression&level=standard&set=7")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60000)      # the question's points
    q = P.generate("regression", 2, 7, 1)
    boxes = page.locator('[data-testid="stTextInput"] input')
    for i, part in enumerate(q.parts):
        boxes.nth(i).fill(part.answer)
    page.get_by_role("button", name="Check").click()
    page.wait_for_selector("text=Right!")
    assert page.locator(METRICS).first.inner_text() == "1 / 1"
    page.get_by_role("button", name="Next question").click()
    q2 = P.generate("regression", 2, 7, 2)         # the question's number and kind head its box
    page.wait_for_function("t => [...document.querySelectorAll('[data-testid=stMarkdownContainer] strong')]"
                           ".some((e) => e.innerText === t)", arg=f"2 · {q2.kind}.")
    assert "q=2" in page.url, "the link names the question shown"
    page.get_by_role("button", name="Show the solution").click()
    page.wait_for_selector("text=Worked solution")
    page.wait_for_function(f"() => document.querySelector('{METRICS}')?.innerText === '1 / 2'")
    assert_no_exception(page)
