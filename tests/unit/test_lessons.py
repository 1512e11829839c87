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
    """Widget keys a page binds to the URL (keys of ui.* widgets, and tabs with bind=...)."""
    src = (ROOT / page_file).read_text()
    keys = set(re.findall(r'key\s*=\s*"([A-Za-z0-9_]+)"', src))
    keys |= set(re.findall(r'_point_slider\("[^"]*",\s*"([A-Za-z0-9_]+)"', src))   # multivariate's x0, y0
    keys |= {k + "_preset" for k in keys}
    return keys


def test_shipped_lessons_only_use_keys_their_pages_have():
    for lesson in L.load_all().values():
        for i, step in enumerate(lesson.steps, 1):
            unknown = {k for k, _ in step.params} - _page_keys(step.page_file)
            assert not unknown, f"{lesson.name} step {i}: {unknown} not on {step.page_file}"
