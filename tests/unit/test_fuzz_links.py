"""Property-based fuzz of link (query) values (issue #22): random unicode, right-to-left overrides,
``%00``, ``1.5.5``, ``inf``, ``1e309``, very long values, fed to the URL-bound widgets of ``ui.widgets``
(sliders, number boxes, pickers, toggles: the checking runs for real, with Streamlit's widget calls
replaced by recorders) and to lecture links (``explorer.lessons.resolve_link``).

Properties: no exception; a value is either accepted, and then Streamlit's own URL parsing
(``parse_url_param`` and the widget's deserializer) turns it into a value of the right type within the
widget's range, or it is dropped from the URL with one notice item that names the control and shows
the value inert (nothing rendered as markdown, HTML, a link or an image).
Short and reproducible here (``derandomize``, 150 examples); the ``slow`` variants run 10× longer.
"""
from __future__ import annotations

import math
import re
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.proto.NumberInput_pb2 import NumberInput as NumberInputProto
from streamlit.proto.Slider_pb2 import Slider as SliderProto
from streamlit.elements.widgets.number_input import NumberInputSerde
from streamlit.elements.widgets.slider import SliderSerde
from streamlit.runtime.state.query_params import parse_url_param

from explorer import lessons as L
from ui import widgets as W

SHORT = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                 suppress_health_check=list(HealthCheck))
LONG = settings(SHORT, max_examples=1500)

HOSTILE = ["1.5.5", "%00", "\x00", "1\u202e0", "\u202e5", "inf", "-inf", "+inf", "Infinity", "nan", "NaN",
           "1e309", "-1e309", "1e-400", "", " ", "0x10", "1_0", "１", "٣", "五", "1e", "--1", "+-1", ".", "5.",
           ".5", "3.0", "1e2", " 4 ", "+3", "-0", "9" * 39, "9" * 40, "9" * 41, "1" * 5000,
           "[x](javascript:alert(1))", "![i](http://evil.example/x.png)", "<img src=x onerror=alert(1)>",
           "www.evil.example", "`tick``", "$x^2$", "**b**", "true", "TRUE", "False", "yes", "1", "0",
           "Sandpit", "sandpit", "Straight line", "\ud800", "\u200b1", "1\n2", "1%2e5"]


def link_values() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60),
                     st.floats().map(repr), st.floats().map(str), st.integers(-10**25, 10**25).map(str),
                     st.floats(-1e4, 1e4).map(lambda v: f"{v:.3g}"), st.text(max_size=3000).map(lambda s: s * 3),
                     st.tuples(st.sampled_from(HOSTILE), st.text(max_size=5)).map("".join))


def inert_item(item: str) -> None:
    """A notice item (markdown): nothing from the link outside inline code spans but escaped text."""
    outside = re.sub(r"(`+)(?!`)(.*?[^`])\1(?!`)", "", item, flags=re.S)
    unescaped = re.sub(r"\\.", "", outside)
    assert not re.search(r"[\[\]<>`$!]", unescaped), item
    assert "://" not in outside and "javascript" not in outside.lower() and "www." not in outside, item
    assert not any(not ch.isprintable() for ch in item), f"control or direction character shown: {item!r}"
    assert len(item) < 400, item


class _Query:
    def __init__(self, params: dict[str, str]):
        self.params = dict(params)

    def get_all(self, key):
        return [self.params[key]] if key in self.params else []

    def pop(self, key, default=None):
        return self.params.pop(key, default)


class FakePage:
    """The Streamlit calls ``ui.widgets`` makes, recorded: the URL the widget is created with (after
    the checks) and the widget call's arguments; ``ignore`` collects the notice items."""

    def __init__(self, params: dict[str, str]):
        self.query = _Query(params)
        self.items: list[str] = []
        self.calls: list[tuple[str, tuple, dict]] = []
        self.st = SimpleNamespace(query_params=self.query, session_state={})
        for name in ("slider", "number_input", "selectbox", "radio", "toggle", "segmented_control", "pills"):
            setattr(self.st, name, self._recorder(name))

    def _recorder(self, name):
        def widget(*args, **kwargs):
            self.calls.append((name, args, kwargs))
            return kwargs.get("value", args[3] if name == "slider" and len(args) > 3 else None)
        return widget

    def install(self, mp: pytest.MonkeyPatch) -> None:
        mp.setattr(W, "st", self.st)
        mp.setattr(W, "take_default", lambda key: False)
        mp.setattr(W, "ignore", self.items.append)
        mp.setattr(W, "_drop_param", self.query.pop)


# the ranges of the app's URL-bound numbers (pages/*.py) and a few generated ones
RANGES = [(0, 99999, 1, True), (0, 9999, 0, True), (1, 50, 1, True), (-1000.0, 1000.0, 0.0, False),
          (-3.0, 3.0, 0.5, False), (0.0, 1.0, 0.1, False), (1, 10, 3, True)]


def check_number(raw: str, kind: str, rng: tuple) -> str:
    lo, hi, default, whole = rng
    page = FakePage({"k": raw})
    with pytest.MonkeyPatch.context() as mp:
        page.install(mp)
        if kind == "slider":
            W.slider("Label *x*", lo, hi, default, key="k")
        else:
            W.number("Label *x*", default, key="k", min_value=lo, max_value=hi, step=1 if whole else 0.5)
    assert len(page.calls) == 1, "the widget is made, whatever the link said"
    if "k" in page.query.params:                      # accepted: Streamlit parses it, in range and type
        assert page.items == [], page.items
        v = float(raw)
        assert math.isfinite(v) and lo <= v <= hi and (not whole or v.is_integer()), raw
        if kind == "slider":
            parsed = parse_url_param([raw], "double_array_value")
            serde = SliderSerde([default], SliderProto.INT if whole else SliderProto.FLOAT, True, None, lo, hi)
        else:
            parsed = parse_url_param(raw, "double_value")
            serde = NumberInputSerde(default, NumberInputProto.INT if whole else NumberInputProto.FLOAT, lo, hi)
        value = serde.deserialize(parsed)
        assert isinstance(value, int if whole else float) and lo <= value <= hi and value == v, (raw, value)
        return "accepted"
    assert len(page.items) == 1, "a dropped value gets one notice item"
    item = page.items[0]
    assert "**Label \\*x\\***" in item and "default" in item and W.quoted(raw) in item, item
    inert_item(item)
    return "notice"


@SHORT
@given(link_values(), st.sampled_from(["slider", "number"]), st.sampled_from(RANGES))
def test_numbers_in_links_are_valid_or_fall_back_with_a_notice(raw, kind, rng):
    check_number(raw, kind, rng)


@pytest.mark.slow
@LONG
@given(link_values(), st.sampled_from(["slider", "number"]), st.sampled_from(RANGES))
def test_numbers_in_links_are_valid_or_fall_back_with_a_notice_long(raw, kind, rng):
    check_number(raw, kind, rng)


OPTIONS = [["Straight line", "Nonlinear"], ["Surface", "Sandpit"], [1, 2, 3], ["x²", "sin(x)", "<b>"]]


def check_choice(raw: str, kind: str, options: list) -> str:
    page = FakePage({"k": raw})
    with pytest.MonkeyPatch.context() as mp:
        page.install(mp)
        if kind == "toggle":
            W.toggle("Show **it**", False, key="k")
        else:
            W.select("Pick [one]", options, 0, key="k")
    assert len(page.calls) == 1
    if "k" in page.query.params:
        assert page.items == []
        if kind == "toggle":
            assert parse_url_param(raw, "bool_value") in (True, False)     # Streamlit's own parse
        else:
            assert raw in [str(o) for o in options]
        return "accepted"
    assert len(page.items) == 1 and W.quoted(raw) in page.items[0]
    inert_item(page.items[0])
    return "notice"


@SHORT
@given(st.one_of(link_values(), st.sampled_from(["true", "False", "Sandpit", "Nonlinear", "2", "<b>"])),
       st.sampled_from(["toggle", "select"]), st.sampled_from(OPTIONS))
def test_choices_in_links_are_valid_or_fall_back_with_a_notice(raw, kind, options):
    check_choice(raw, kind, options)


def test_the_link_generator_reaches_both_outcomes():
    """Accepted values and notices both occur (a fuzz that always refused would test little)."""
    from hypothesis import Phase
    seen = set()

    @settings(SHORT, phases=[Phase.generate])
    @given(link_values(), st.sampled_from(["slider", "number"]), st.sampled_from(RANGES))
    def run(raw, kind, rng):
        seen.add(check_number(raw, kind, rng))

    run()
    assert seen == {"accepted", "notice"}, seen


def test_the_fake_page_sees_a_bad_value_and_a_good_one():
    assert check_number("1e309", "number", RANGES[0]) == "notice"
    assert check_number("1.5.5", "slider", RANGES[3]) == "notice"
    assert check_number(" 4 ", "number", RANGES[0]) == "accepted"
    assert check_number("1e2", "slider", RANGES[0]) == "accepted"
    assert check_choice("TRUE", "toggle", []) == "accepted" and check_choice("yes", "toggle", []) == "notice"


@SHORT
@given(link_values())
def test_link_text_shown_back_is_inert(raw):
    shown = W.quoted(raw)
    inert_item(f"**x** = {shown}")
    assert W.quoted(raw) == shown
    item = f"{W.quoted(raw)} = {W.quoted(raw * 2)} (not a setting of this page or of the view shown)"
    assert W.notice_text([item, item]).count(item) == 1


# ---------------------------------------------------------------------------------------------
# Lecture links
LESSONS = L.load_all()


@SHORT
@given(st.one_of(st.sampled_from(sorted(LESSONS)), link_values()),
       st.one_of(st.none(), st.sampled_from(["1", "2", "0", "-1", "99", "1.5", "+2", "0002", "9" * 12]), link_values()),
       st.dictionaries(st.one_of(st.sampled_from(["f", "x0", "present", "order"]), st.text(max_size=8)),
                       link_values(), max_size=4))
def test_lecture_links_lead_to_a_step_or_fall_back_with_a_notice(name, slide, extra):
    query = {**extra, "lecture": name} | ({} if slide is None else {"slide": slide})
    target = L.resolve_link(LESSONS, query)
    assert target is not None
    if target.lesson is None:
        assert name not in LESSONS and target.notice
    else:
        assert 0 <= target.index < len(target.lesson.steps)
        exact = slide is None or (re.fullmatch(r"[+-]?[0-9]{1,9}", slide.strip())
                                  and 1 <= int(slide) <= len(target.lesson.steps))
        assert (target.notice is None) == bool(exact), (slide, target.notice)
        dropped = L.extra_params(target, query)
        assert set(dropped) <= set(query) - set(L.RESERVED)
        assert L.shows_step(target, target.page, query) in (True, False)
    if target.notice:
        inert_item(target.notice)
