"""explorer.lessons: the lesson file format, and the lessons that ship in data/lessons/."""
import re
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from explorer import lessons as L
from explorer import course

ROOT = Path(__file__).resolve().parents[2]
MODULES = [p.url_path for p in course.MODULES]

GOOD = '''
title = "A lesson"
module = "taylor"

[[steps]]
page = "taylor"
caption = "First"
[steps.params]
f = "exp(x)"
order = 3
x0 = 0.5
show = true

[[steps]]
page = "derivatives"
caption = "Second, with no params"
'''


def test_load_a_valid_lesson():
    lesson = L.loads(GOOD, "a-lesson")
    assert lesson.title == "A lesson" and lesson.module == "taylor" and len(lesson.steps) == 2
    s = lesson.steps[0]
    assert s.params == (("f", "exp(x)"), ("order", "3"), ("x0", "0.5"), ("show", "true")), \
        "values are kept as the text a URL carries"
    assert s.page_file == "pages/taylor.py" and lesson.steps[1].params == ()


def test_dump_round_trips_through_tomllib():
    lesson = L.loads(GOOD, "a-lesson")
    tricky = L.LessonStep("regression", 'Quotes " and \\ backslash, ünïcødé, # and = signs',
                          (("f", 'a"b\\c'), ("n", "007"), ("m", "-1.5"), ("on", "false"), ("e", "1e5"),
                           ("half", "0.50"), ("big", "123456789012345678"), ("one", "1.0")))
    lesson = lesson.with_step(tricky)
    text = L.dumps(lesson)
    tomllib.loads(text)                                   # valid TOML
    assert "m = -1.5" in text and 'n = "007"' in text and 'half = "0.50"' in text   # numbers stay numbers
    assert L.loads(text, "a-lesson") == lesson


@pytest.mark.parametrize("text, message", [
    ("title = 'x'\nmodule = 'taylor'\n", "at least one"),
    ("title = 'x'\nmodule = 'nowhere'\n[[steps]]\npage='taylor'\ncaption='c'\n", "module"),
    ("title = 'x'\nmodule = 'taylor'\n[[steps]]\npage='nowhere'\ncaption='c'\n", "page"),
    ("title = 'x'\nmodule = 'taylor'\n[[steps]]\npage='taylor'\ncaption=''\n", "caption"),
    ("title = 'x'\nmodule = 'taylor'\n[[steps]]\npage='taylor'\ncaption='''a\nb'''\n", "single line"),
    ("title = 'x'\nmodule = 'taylor'\n[[steps]]\npage='taylor'\ncaption='c'\n[steps.params]\nslide = 2\n", "reserved"),
    ("title = 'x'\nmodule = 'taylor'\n[[steps]]\npage='taylor'\ncaption='c'\n[steps.params]\nf = [1, 2]\n", "text, a number"),
    ("title = 'x'\nmodule = 'taylor'\n[[steps]]\npage='taylor'\ncaption='c'\n[steps.params]\nf = inf\n", "finite"),
    ("title = 'x'\nmodule = 'taylor'\n[[steps]]\npage='taylor'\ncaption='c'\nextra = 1\n", "unknown"),
    ("title = 'x'\nmodule = 'taylor'\nsteps = 3\n", "at least one"),
    ("title = \n", "not valid TOML"),
    ("title = 'x'\nmodule = 'taylor'\n[[steps]]\npage='taylor'\ncaption='c'\n[steps.params]\n'a b' = 1\n", "widget key"),
])
def test_invalid_lessons_are_refused_with_a_reason(text, message):
    with pytest.raises(L.LessonError, match=re.escape(message)):
        L.loads(text, "bad")


def test_limits():
    lesson = L.loads(GOOD, "a-lesson")
    with pytest.raises(L.LessonError):
        L.loads(GOOD.replace('caption = "First"', 'caption = "' + "x" * 300 + '"'), "a")
    with pytest.raises(L.LessonError):
        L.validate(tomllib.loads(GOOD), "Bad Name!")
    with pytest.raises(L.LessonError):
        lesson.without_step(5)
    assert len(lesson.without_step(0).steps) == 1
    with pytest.raises(L.LessonError):
        lesson.without_step(0).without_step(0)


def test_save_and_load(tmp_path):
    lesson = L.loads(GOOD, "mine")
    L.save(lesson, tmp_path / "mine.toml")
    assert L.load(tmp_path / "mine.toml") == lesson
    (tmp_path / "broken.toml").write_text("title = ")
    assert list(L.load_all(tmp_path)) == ["mine"], "an invalid file is skipped, not fatal"


def test_step_urls_carry_the_state_and_the_lecture_position():
    lesson = L.loads(GOOD, "a-lesson")
    url = L.step_url("http://example.org:8501/app/", lesson, 0)
    parts = urlsplit(url)
    assert parts.path == "/app/taylor"
    q = parse_qs(parts.query)
    assert q == {"f": ["exp(x)"], "order": ["3"], "x0": ["0.5"], "show": ["true"],
                 "lecture": ["a-lesson"], "slide": ["1"]}
    assert L.step_query(lesson, 1, [("present", "1")]) == {"lecture": "a-lesson", "slide": "2", "present": "1"}


# ---------------------------------------------------------------------------------------------
# The shipped lessons
def test_one_lesson_ships_for_each_module():
    lessons = L.load_all()
    assert set(MODULES) <= set(lessons)
    for name in MODULES:
        assert lessons[name].module == name and 2 <= len(lessons[name].steps) <= 12
    files = sorted(p.stem for p in (ROOT / "data" / "lessons").glob("*.toml"))
    assert files == sorted(lessons), "every shipped file is valid"


def _page_keys(page_file: str) -> set[str]:
    """Widget keys a page binds to the URL (keys of ui.* widgets, and tabs with bind=...), also in
    the page's own ui helper modules (``from ui import regression_sections``)."""
    src = (ROOT / page_file).read_text()
    for line in re.findall(r"^from ui import (.+)$", src, re.M):
        for name in (n.split(" as ")[0].strip() for n in line.split(",")):
            helper = ROOT / "ui" / f"{name}.py"
            src += helper.read_text() if helper.is_file() else ""
    keys = set(re.findall(r'key\s*=\s*"([A-Za-z0-9_]+)"', src))
    keys |= set(re.findall(r'_point_slider\("[^"]*",\s*"([A-Za-z0-9_]+)"', src))   # multivariate's x0, y0
    keys |= {k + "_preset" for k in keys}
    return keys


def test_shipped_lessons_only_use_keys_their_pages_have():
    for lesson in L.load_all().values():
        for i, step in enumerate(lesson.steps, 1):
            unknown = {k for k, _ in step.params} - _page_keys(step.page_file)
            assert not unknown, f"{lesson.name} step {i}: {unknown} not on {step.page_file}"


# ---------------------------------------------------------------------------------------------
# Lecture links: ?lecture=<lesson>&slide=<n> on any page resolves to the step's page and parameters
def _two() -> dict[str, L.Lesson]:
    return {"a-lesson": L.loads(GOOD, "a-lesson"), "other": L.loads(GOOD, "other")}


def test_no_lecture_parameter_is_not_a_lecture_link():
    assert L.resolve_link(_two(), {}) is None
    assert L.resolve_link(_two(), {"slide": "2", "f": "x"}) is None


@pytest.mark.parametrize("query", [
    {"lecture": "a-lesson", "slide": "1"},                    # the README's short form
    {"lecture": "a-lesson"},                                  # no slide: the first step
    {"lecture": "a-lesson", "slide": "1", "f": "sin(x)", "order": "9", "junk": "1"},  # other values
])
def test_the_short_link_form_resolves_to_the_steps_page_and_every_parameter(query):
    target = L.resolve_link(_two(), query)
    assert target.notice is None and target.index == 0
    assert target.page == "taylor" and target.step.page_file == "pages/taylor.py"
    assert target.params == {"f": "exp(x)", "order": "3", "x0": "0.5", "show": "true"}
    assert target.query() == {"f": "exp(x)", "order": "3", "x0": "0.5", "show": "true",
                              "lecture": "a-lesson", "slide": "1"}


def test_a_link_opened_on_another_page_still_leads_to_the_steps_page():
    # /?lecture=taylor&slide=3 opened on the course map: the step is on the Taylor page
    taylor = L.load_all()["taylor"]
    target = L.resolve_link({"taylor": taylor}, {"lecture": "taylor", "slide": "3"})
    assert target.page == "taylor" and target.index == 2 and target.notice is None
    assert target.params == {"f": "exp(x)", "a": "0", "n": "3"}
    assert not L.shows_step(target, "home", {"lecture": "taylor", "slide": "3"})
    assert target.step.caption.startswith("Order 3")


def test_second_step_has_no_params():
    target = L.resolve_link(_two(), {"lecture": "other", "slide": "2"})
    assert (target.page, target.params, target.index) == ("derivatives", {}, 1)


@pytest.mark.parametrize("raw, index, words", [
    ("2", 1, None), (" 2 ", 1, None), ("+1", 0, None),
    ("3", 1, "there is no step 3. Showing step 2."),
    ("99999", 1, "there is no step 99999. Showing step 2."),
    ("0", 0, "there is no step 0. Showing step 1."),
    ("-4", 0, "there is no step -4. Showing step 1."),
    ("abc", 0, "`abc` is not a step number"),
    ("1.5", 0, "`1.5` is not a step number"),
    ("", 0, "(empty) is not a step number"),
    ("1e3", 0, "is not a step number"),
    ("9" * 50, 0, "is not a step number"),
])
def test_slide_numbers_are_checked_and_fall_back_with_one_notice(raw, index, words):
    lesson = L.loads(GOOD, "a-lesson")
    got, notice = L.slide_index(raw, lesson)
    assert got == index
    if words is None:
        assert notice is None
    else:
        assert words in notice and "steps 1 to 2" in notice and "“A lesson”" in notice
        target = L.resolve_link(_two(), {"lecture": "a-lesson", "slide": raw})
        assert (target.index, target.notice) == (index, notice)
        assert not L.shows_step(target, target.page, target.query()), "a corrected link is reopened"


def test_an_unknown_lesson_gives_a_notice_and_no_step():
    target = L.resolve_link(_two(), {"lecture": "nope", "slide": "2"})
    assert target.lesson is None
    assert target.notice == ("There is no lesson called `nope` (the lessons are `a-lesson`, `other`). "
                             "Showing this page without lecture mode.")


def test_a_notice_never_renders_link_text_as_markdown():
    hostile = "[click](http://evil.example)`\n# big" + "x" * 100
    notice = L.resolve_link(_two(), {"lecture": hostile}).notice
    quoted = re.search(r"called (`[^`]*`) \(", notice).group(1)
    assert "\n" not in notice and len(quoted) == 42, "inline code, 40 characters at most"
    _, notice = L.slide_index(hostile, L.loads(GOOD, "a-lesson"))
    assert notice.count("`") == 2 and "\n" not in notice


def test_shows_step_only_when_the_url_is_exactly_the_steps_view():
    target = L.resolve_link(_two(), {"lecture": "a-lesson", "slide": "1"})
    exact = target.query()
    assert L.shows_step(target, "taylor", exact)
    assert L.shows_step(target, "taylor", {**exact, "present": "true"}), "presenter mode is not the view"
    assert not L.shows_step(target, "derivatives", exact), "another page"
    assert not L.shows_step(target, "taylor", {k: v for k, v in exact.items() if k != "order"})
    assert not L.shows_step(target, "taylor", {**exact, "order": "4"})
    assert not L.shows_step(target, "taylor", {**exact, "extra": "1"})
    assert not L.shows_step(target, "taylor", {k: v for k, v in exact.items() if k != "slide"})


def test_every_shipped_step_resolves_from_its_short_link_to_its_own_url():
    for name, lesson in L.load_all().items():
        for i, step in enumerate(lesson.steps):
            target = L.resolve_link(L.load_all(), {"lecture": name, "slide": str(i + 1)})
            assert target.notice is None and target.step == step
            url = urlsplit(L.step_url("http://h/", lesson, i))
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            assert L.shows_step(target, url.path.strip("/"), query), (name, i + 1)
