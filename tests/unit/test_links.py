"""Link values (issue 22): what counts as a valid number in a URL, how link text is shown back (inert),
and which parameters a lecture link ignores. The pages' behaviour is in tests/app/test_links_app.py."""
from __future__ import annotations

import re

import pytest

from explorer import lessons as L
from ui import widgets as W


@pytest.mark.parametrize("raw", ["1.5.5", "%00", "\x00", "1\u202e", "inf", "-inf", "Infinity", "nan", "NaN",
                                 "1e309", "-1e309", "", " ", "0x10", "1_0", "１", "1" * 41, "2 3", "1e", "--1"])
def test_malformed_numbers_are_refused(raw):
    assert not W.number_ok(raw, None, None, False)


@pytest.mark.parametrize("raw, lo, hi, whole, ok", [
    ("3", 0, 10, True, True), ("3.0", 0, 10, True, True), ("3.5", 0, 10, True, False),
    ("3.5", 0, 10, False, True), ("-2", 0, 10, False, False), ("11", 0, 10, False, False),
    ("1e3", None, None, False, True), ("1e3", 0, 999, False, False), (" 4 ", 0, 10, True, True),
    ("-0", 0, 10, True, True),
])
def test_numbers_in_range(raw, lo, hi, whole, ok):
    assert W.number_ok(raw, lo, hi, whole) is ok


def outside_code(markdown: str) -> str:
    """The markdown text outside inline code spans (which CommonMark shows literally)."""
    return re.sub(r"(`+)(?!`)(.*?[^`])\1(?!`)", "", markdown)


@pytest.mark.parametrize("raw", ["![x](http://evil.example/i.png)", "[click](javascript:alert(1))",
                                 "<img src=x onerror=alert(1)>", "**bold** _it_ `code` $x^2$",
                                 "www.evil.example", "mail@evil.example", "https://evil.example/p",
                                 "a\u202eb", "\x00\x1b[31m", "``` ` `` x", "`"])
def test_link_text_is_shown_inert(raw):
    shown = W.quoted(raw)
    # one code span: the whole text is inside it, nothing is left outside to render
    assert outside_code(shown).strip() == "", shown
    assert shown.startswith("`") and shown.endswith("`")
    # control and direction characters appear as escapes, never raw
    assert "\u202e" not in shown and "\x00" not in shown and "\x1b" not in shown
    assert len(shown) < 200


def test_outside_code_helper_can_fail():
    assert outside_code("`a` [b](c)") == " [b](c)"


def test_long_link_text_is_cut():
    assert W.quoted("x" * 1000).count("x") <= 41 and W.quoted("x" * 1000).endswith("…`")


def test_unknown_params_skip_the_shell_and_known_keys():
    q = {"n": "3", "zzz": "1", "present": "true", "lecture": "taylor", "slide": "2", "<b>": "x"}
    assert W.unknown_params(q, {"n"}) == ["zzz", "<b>"]


def test_notice_lists_items_once_and_counts_the_rest():
    items = [f"item {i}" for i in range(12)] + ["item 0"]
    text = W.notice_text(items)
    assert text.count("item 0") == 1 and "- item 7" in text and "- item 8" not in text
    assert "and 4 more" in text


def test_lecture_link_extra_params():
    lesson = L.load_all()["taylor"]
    step = lesson.steps[1]
    target = L.resolve_link({"taylor": lesson}, {"lecture": "taylor", "slide": "2"})
    own = dict(step.params)
    query = {"lecture": "taylor", "slide": "2", "present": "true", **own}
    assert L.extra_params(target, query) == {}
    assert L.extra_params(target, {**query, "zzz": "1"}) == {"zzz": "1"}
    if own:
        k = next(iter(own))
        assert L.extra_params(target, {**query, k: own[k] + "9"}) == {k: own[k] + "9"}
