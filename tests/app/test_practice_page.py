"""The Practice page and the lecture sidebar through streamlit's AppTest."""
import pytest
from streamlit.testing.v1 import AppTest

from explorer import practice as P
from helpers import ROOT


@pytest.fixture(autouse=True)
def _navigation_not_pages_folder(monkeypatch):
    """Streamlit treats a folder named pages/ next to the entry script as a v1 multipage app until
    some session has run st.navigation; AppTest resets that flag per app, so apps after the first
    in a process would run the page file alone (no shared sidebar).  Pin the st.navigation mode.
    (The same flag affects a freshly started server: see the report on issue 11.)"""
    from streamlit.runtime.pages_manager import PagesManager
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def run_page(path, query=None):
    """Open ``path`` directly with ``query`` in the URL (helpers.run_page loses bound params of
    other pages on its first run through the home page)."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.switch_page(path)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    return at

QUERY = {"drill": "derivatives", "level": "standard", "set": "7"}


def _answer_boxes(at):
    return [t for t in at.text_input if t.key and t.key.startswith("ans_")]


def _shows(at, latex: str) -> bool:
    return any(l.value.strip("$\n") == latex for l in at.latex)


def _check(at):
    return next(b for b in at.button if "Check" in b.label)


def test_defaults_run_and_show_a_question():
    at = run_page("pages/practice.py")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title and at.title[0].value.endswith("Practice")
    q = P.generate("derivatives", 2, 1, 1)
    assert _shows(at, q.latex), "the question's formula is shown"
    assert len(_answer_boxes(at)) == len(q.parts)


def test_the_set_in_the_url_decides_the_questions():
    at = run_page("pages/practice.py", QUERY)
    q = P.generate("derivatives", 2, 7, 1)
    assert _shows(at, q.latex)
    assert at.session_state["set"] == 7


def test_right_answer_scores_and_builds_a_streak():
    at = run_page("pages/practice.py", QUERY)
    for n in (1, 2):
        q = P.generate("derivatives", 2, 7, n)
        for box, part in zip(_answer_boxes(at), q.parts):
            box.input(part.answer)
        _check(at).click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert any("Right" in s.value for s in at.success)
        assert any("Worked solution" in e.label for e in at.expander)
        next(b for b in at.button if "Next question" in b.label).click().run()
    assert at.session_state["q"] == 3
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Score"] == "2 / 2" and metrics["Streak"] == "2"


def test_a_named_mistake_is_explained_and_resets_the_streak():
    at = run_page("pages/practice.py", {"drill": "taylor", "level": "standard", "set": "3"})
    q = P.generate("taylor", 2, 3, 1)
    m = next(m for m in q.mistakes if m.name == "forgetting the 1/k!")
    _answer_boxes(at)[0].input(m.answers[0])
    _check(at).click().run()
    assert not at.exception
    assert any("Not quite" in e.value for e in at.error)
    assert any("forgetting the 1/k!" in w.value for w in at.warning)
    assert {m.label: m.value for m in at.metric}["Score"] == "0 / 1"


def test_unreadable_answer_shows_the_parser_message_and_keeps_the_text():
    at = run_page("pages/practice.py", QUERY)
    box = _answer_boxes(at)[0]
    box.input("2x cos(x^2")
    _check(at).click().run()
    assert not at.exception
    assert any("never closed" in e.value for e in at.error)
    assert _answer_boxes(at)[0].value == "2x cos(x^2", "nothing typed is lost"
    assert {m.label: m.value for m in at.metric}["Score"] == "0 / 0", "an unreadable answer does not count"


def test_bad_url_values_fall_back_with_a_notice():
    at = run_page("pages/practice.py", {"drill": "nonsense", "level": "expert", "set": "abc"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.warning, "the bad link values are explained"


def test_every_module_and_level_renders():
    at = run_page("pages/practice.py")
    for module in list(P.MODULES) + ["mixed"]:
        at.selectbox(key="drill").select(module).run()
        assert not at.exception, (module, [e.value for e in at.exception])
    at.radio(key="level").set_value("challenge").run()
    assert not at.exception


# ---------------------------------------------------------------------------------------------
# Lecture mode (sidebar): stepping happens in the browser test; here the controls and caption
def test_lecture_mode_from_the_url_shows_the_caption():
    from explorer import lessons as L
    lesson = L.load_all()["taylor"]
    at = run_page("pages/taylor.py", {"lecture": "taylor", "slide": "2"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["_lecture_on"] is True
    assert any(m.value == f"### {lesson.steps[1].caption}" for m in at.markdown)
    assert any("step 2 of" in c.value for c in at.caption)
    labels = [b.label for b in at.sidebar.button]
    assert any("Next" in b for b in labels) and any("Previous" in b for b in labels)
    assert [c.value for c in at.sidebar.code] == [L.step_url("http://localhost:8501/", lesson, 1)]


def test_step_qr_code_is_a_png_made_locally():
    from ui import lecture
    from explorer import lessons as L
    url = L.step_url("http://localhost:8501/", L.load_all()["taylor"], 1)
    png = lecture.qr_png(url)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 300


def test_unknown_lesson_in_the_url_gets_a_notice_and_no_lecture_mode():
    at = run_page("pages/taylor.py", {"lecture": "nope", "slide": "x"})
    assert not at.exception
    assert at.session_state["_lecture_on"] is False
    assert not any("step " in c.value and " of " in c.value for c in at.caption)
    assert any("nope" in w.value for w in at.warning), [w.value for w in at.warning]


# ---------------------------------------------------------------------------------------------
# What a check says (issue 18): first tries only, significant figures, the parser's messages
def _score(at) -> str:
    return {m.label: m.value for m in at.metric}["Score"]


def test_right_after_a_wrong_first_try_says_that_only_first_tries_score():
    at = run_page("pages/practice.py", QUERY)
    q = P.generate("derivatives", 2, 7, 1)
    _answer_boxes(at)[0].input("x")
    _check(at).click().run()
    assert any("Not quite" in e.value for e in at.error) and _score(at) == "0 / 1"
    _answer_boxes(at)[0].input(q.parts[0].answer)
    _check(at).click().run()
    assert not at.exception, [e.value for e in at.exception]
    said = [s.value for s in at.success]
    assert len(said) == 1 and "Right!" not in said[0]
    assert said[0].startswith("**Right** — but only first tries score") and "Score: 0 / 1." in said[0]
    assert _score(at) == "0 / 1"


def test_a_decimal_is_marked_to_three_significant_figures_and_says_so():
    q = P.generate("regression", 2, 1, 1)              # slope 541/166 = 3.2590…, intercept −327/83
    rounded = [P.mark_number(p.answer, "0").rounded for p in q.parts]
    assert rounded == ["3.26", "-3.94"]
    assert not any(P.mark_number(p.answer, r).exact for p, r in zip(q.parts, rounded)), "decimals, not exact"
    query = {"drill": "regression", "level": "standard", "set": "1"}
    at = run_page("pages/practice.py", query)
    for box, text in zip(_answer_boxes(at), rounded):
        box.input(text)
    _check(at).click().run()
    assert not at.exception, [e.value for e in at.exception]
    said = [s.value for s in at.success]
    assert len(said) == 1 and said[0].startswith("**Right!**")
    assert r"slope m: $\frac{541}{166}$ to 3 s.f. is 3.26." in said[0]
    assert r"intercept c: $- \frac{327}{83}$ to 3 s.f. is -3.94." in said[0]
    assert _score(at) == "1 / 1"
    at = run_page("pages/practice.py", query)            # 3.27 was within 0.6 %: now wrong, and why
    for box, text in zip(_answer_boxes(at), ["3.27", "-327/83"]):
        box.input(text)
    _check(at).click().run()
    said = [e.value for e in at.error]
    assert len(said) == 1 and said[0].startswith("**Not quite** (slope m).")
    assert r"slope m: $\frac{541}{166}$ to 3 s.f. is 3.26; your answer to 3 s.f. is 3.27." in said[0]
    assert _score(at) == "0 / 1"


def test_a_doubled_operator_is_named_as_typed():
    at = run_page("pages/practice.py", QUERY)
    _answer_boxes(at)[0].input("x^^2")
    _check(at).click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("'^' cannot follow '^' (position 3)" in e for e in errors), errors
    at2 = run_page("pages/practice.py", QUERY)
    _answer_boxes(at2)[0].input("x**^2")
    _check(at2).click().run()
    assert any(r"'^' cannot follow '\*\*'" in e.value for e in at2.error), "markdown-escaped, not bold"
    assert _score(at2) == "0 / 0"
