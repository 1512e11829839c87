"""Hostile and malformed links (issue 22): no exception box, the defaults, and ONE notice that lists
what was ignored, in escaped text (nothing from the link rendered as markdown or HTML)."""
from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from helpers import APP_TIMEOUT, ROOT, run_page


def _open(query: dict) -> AppTest:
    """The app opened on a link, as a browser opens it (one run of streamlit_app.py, following any
    page switch the link asks for)."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=APP_TIMEOUT)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at


def _one_notice(at) -> str:
    assert not at.exception, [e.value for e in at.exception]
    notices = [w.value for w in at.warning if "link was ignored" in w.value]
    assert len(notices) == 1, [w.value for w in at.warning]
    return notices[0]


def _inert(text: str) -> None:
    """Nothing from the link outside inline code spans (shown literally): no markup, no address."""
    body = text.split("\n\n", 1)[1]
    outside = re.sub(r"(`+)(?!`)(.*?[^`])\1(?!`)", "", body)
    unescaped = re.sub(r"\\.", "", outside)
    assert not re.search(r"[\[\]<>`$!]", unescaped), text
    assert "://" not in outside and "javascript" not in outside.lower() and "www." not in outside


@pytest.mark.parametrize("query", [{"set": "inf"}, {"set": "1e309"}, {"set": "nan", "q": "-inf"},
                                   {"set": "1.5.5", "q": "%00"}])
def test_practice_bad_numbers_fall_back_without_an_exception(query):
    at = run_page("pages/practice.py", query)
    text = _one_notice(at)
    for k in query:
        assert {"set": "**Set**", "q": "**Question**"}[k] in text
    assert at.number_input(key="set").value == 1 and at.number_input(key="q").value == 1
    _inert(text)


@pytest.mark.parametrize("page, query", [("pages/regression.py", {}), ("pages/multivariate.py", {"view": "Sandpit"}),
                                         ("pages/chain-rule.py", {})])
def test_int_seeds_of_1e309_do_not_raise(page, query):
    at = run_page(page, {**query, "seed": "1e309"})
    assert "1e309" in _one_notice(at)


def test_several_bad_values_make_one_notice_with_escaped_text():
    at = run_page("pages/taylor.py", {"x0": "[x](javascript:alert(1))", "n": "1.5.5", "a": "1\u202e0"})
    text = _one_notice(at)
    assert "x₀" in text and "`'1.5.5'`" in text and "expansion point a" in text
    assert "\u202e" not in text and "`'1\\u202e0'`" in text
    _inert(text)
    assert at.slider(key="n").value == 3 and at.slider(key="x0").value == 0.5


def test_unknown_parameters_are_listed_once_and_escaped():
    at = _open({"zzz": "![x](http://evil.example/i.png)", "<b>": "1"})
    text = _one_notice(at)
    assert "zzz" in text and "not a setting of this page" in text and "b" in text
    _inert(text)
    at.run()                                    # reported once a session: not again on the next run
    assert not [w for w in at.warning if "link was ignored" in w.value]


def test_lecture_link_with_other_parameters_names_what_it_ignored():
    at = _open({"lecture": "taylor", "slide": "2", "bogus": "[a](javascript:x)", "present": "true"})
    text = _one_notice(at)
    assert "lecture link opens its step's own view" in text and "bogus" in text
    _inert(text)
    assert "bogus" not in at.query_params


def test_unknown_lesson_notice_is_the_one_notice():
    at = _open({"lecture": "nope<img>`![x](y)", "zzz": "1"})
    text = _one_notice(at)
    assert "There is no lesson called" in text and "zzz" in text
    assert "`nope<img>![x](y)`" in text and text.count("<img>") == 1, "only inside inline code, which is inert"


def test_a_good_link_gets_no_notice():
    at = run_page("pages/practice.py", {"set": "42", "q": "3", "drill": "taylor", "level": "challenge"})
    assert not at.exception
    assert not [w for w in at.warning if "link was ignored" in w.value]
    assert at.number_input(key="set").value == 42 and at.number_input(key="q").value == 3
