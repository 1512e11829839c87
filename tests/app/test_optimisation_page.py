"""The Optimisation page through streamlit's AppTest: defaults, widgets and what they change."""
import json

import numpy as np

import pytest

from explorer.optimise import start_from_click
from helpers import run_page

PAGE = "pages/optimisation.py"


def _texts(elements):
    return " ".join(str(e.value) for e in elements)


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _live(at, key):
    """(options, figure) of the in-place chart with this key (the plotly3d component's payload)."""
    for comp in at.get("bidi_component"):
        meta, _, spec = comp.proto.bytes.decode().partition("\n")
        meta = json.loads(meta)
        if meta.get("key") == key:
            return meta, json.loads(spec)
    raise AssertionError(f"no in-place chart {key!r}")


def _newton_verdict(at):
    """The Newton verdict box (the first alert of the page): its verdict, then its 🔎 notes."""
    box = next(a for a in [*at.success, *at.warning] if a.value.startswith(("**Converged.", "**Failure")))
    return box.value


def _progress(at):
    return " ".join(str(p.proto.text) for p in at.get("progress"))


def _frames(at):
    return [d.value for d in at.dataframe]


def test_defaults_newton_wanders_and_steps():
    at = run_page(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    # every chart updates in place (ui.chart_live / ui.chart3d); none remounts as an st.plotly_chart
    assert len(at.get("plotly_chart")) == 0
    assert len(at.get("bidi_component")) >= 7
    assert "Converged to the root x = -3.7602139722" in _texts(at.success)
    # the notes ride in the verdict's box, after the verdict
    verdict = _newton_verdict(at)
    assert verdict.startswith("**Converged.") and "🔎 It wandered" in verdict
    assert "Thrown" not in verdict                     # (from x₀ = 1.99 it is, below)
    assert at.slider(key="n").value == 3
    assert len(_frames(at)[0]) == 4                      # n = 0..3 in the Newton table
    _button(at, "Step ▶").click().run()
    assert at.slider(key="n").value == 4 and len(_frames(at)[0]) == 5
    _button(at, "◀ Back").click().run()
    _button(at, "◀ Back").click().run()
    assert at.slider(key="n").value == 2
    # from 1.99 the first tangent throws x₁ to about −36.5
    at.slider(key="x0").set_value(1.99).run()
    assert "🔎 Thrown far away" in _newton_verdict(at)
    assert _frames(at)[0]["xₙ"].iloc[1] == pytest.approx(-36.4746, abs=1e-3)
    # the run ending early: n is clipped to the steps there are; a named failure is shown
    at.text_input(key="nf").input("x^3 - 2x + 2").run()
    at.slider(key="x0").set_value(0.0).run()
    assert not at.exception
    assert _newton_verdict(at).startswith("**Failure") and "cycle" in _newton_verdict(at).lower()
    at.text_input(key="nf").input("x^2 - 1").run()
    assert "zero derivative" in _newton_verdict(at).lower()
    at.text_input(key="nf").input("x^2 - (").run()
    assert any("never closed" in e.value for e in at.error)
    assert at.text_input(key="nf").value == "x^2 - ("
    assert not at.exception


def test_descent_presets_strategies_race_and_click():
    at = run_page(PAGE)
    at.selectbox(key="df_preset").set_value("Himmelblau").run()
    assert (at.slider(key="sx").value, at.slider(key="sy").value) == (0.0, 0.0)   # the usual start
    at.slider(key="lr").set_value(0.01).run()
    assert "Converged" in _texts(at.success) and "(3, 2)" in _texts(at.success)
    at.radio(key="meth").set_value("newton").run()
    assert "maximum, not a minimum" in _texts(at.warning)
    at.toggle(key="race").set_value(True).run()
    race = next(d for d in _frames(at) if "strategy" in d.columns)
    assert len(race) == 5 and (race["steps"] > 0).all()
    # Rosenbrock with a big step diverges with a message, not a broken chart
    at.toggle(key="race").set_value(False).run()
    at.radio(key="meth").set_value("gradient").run()
    at.selectbox(key="df_preset").set_value("Rosenbrock").run()
    at.slider(key="lr").set_value(0.1).run()
    assert "Diverged" in _texts(at.warning)
    assert not at.exception
    # the contour map answers clicks (the component's on_click), with no invisible click grid drawn
    meta, fig = _live(at, "dmap")
    assert meta["click"] is True
    assert [t["type"] for t in fig["data"]].count("contour") == 1
    assert all(t.get("name") != "click to start here" for t in fig["data"])
    start = next(t for t in fig["data"] if t.get("name") == "start")
    assert (start["x"], start["y"]) == ([at.slider(key="sx").value], [at.slider(key="sy").value])
    assert not _live(at, "newton_plot")[0]["click"]


def test_descent_a_new_start_moves_the_start_marker():
    at = run_page(PAGE)
    at.slider(key="sx").set_value(-1.5).run()
    at.slider(key="sy").set_value(0.75).run()
    start = next(t for t in _live(at, "dmap")[1]["data"] if t.get("name") == "start")
    assert (start["x"], start["y"]) == ([-1.5], [0.75])
    assert not at.exception


@pytest.mark.parametrize("click, start", [
    ((1.0, -0.5), (1.0, -0.5)),                 # on the slider grid already
    ((-1.523, 1.0249), (-1.5, 1.0)),            # snapped to the 0.05 step
    ((0.074, -2.976), (0.05, -3.0)),
    ((9.3, -100.0), (6.0, -6.0)),               # clamped to the sliders' range
    ((2.9999999, 0.35000001), (3.0, 0.35)),     # no float dust: exactly a slider value
    (None, None), ((float("nan"), 1.0), None), ((1.0, float("inf")), None), (("a", 1), None),
])
def test_a_click_on_the_contour_map_picks_the_start(click, start):
    assert start_from_click(click, -6.0, 6.0, 0.05) == start


def test_sandpit_is_descended_as_given_in_presenter_mode():
    at = run_page(PAGE, {"present": "1"})
    at.selectbox(key="df_preset").set_value("Sandpit (course)").run()
    assert "as given" in _texts(at.caption)
    assert "(1.21283, 4.00926)" in _texts(at.success)          # the phone: bottom of the pit
    assert not at.exception


def test_lagrange_problems_and_walk():
    at = run_page(PAGE)
    table = next(d for d in _frames(at) if "λ" in d.columns)
    assert len(table) == 4
    assert table["x"].iloc[0] == pytest.approx(-0.0958377, abs=1e-6)
    assert table["kind"].iloc[0] == "constrained maximum"
    at.selectbox(key="prob").set_value("xy on x + y = 10").run()
    assert at.text_input(key="lf").value == "x*y" and at.text_input(key="lg").value == "x + y - 10"
    table = next(d for d in _frames(at) if "λ" in d.columns)
    assert len(table) == 1 and table["f"].iloc[0] == pytest.approx(25)
    assert table["λ"].iloc[0] == pytest.approx(5)
    # at the solution (halfway along the line in the window) ∇f ∥ ∇g
    at.slider(key="pos").set_value(0.5).run()
    assert "parallel: a candidate point" in _progress(at)
    assert "f at the point = 25" in _progress(at)                 # the reading of f at (5, 5)
    at.slider(key="pos").set_value(0.1).run()
    assert "candidate" not in _progress(at) and "f at the point = 25" not in _progress(at)
    at.text_input(key="lg").input("x^2 + y^2 + 5").run()          # no real curve
    assert "does not pass through" in _texts(at.warning)
    assert not at.exception


def test_fractional_powers_of_negatives_on_every_section():
    """x^(1/3) is real for x < 0 (as Desmos): Newton, descent and Lagrange answer, never raise."""
    at = run_page(PAGE)
    at.text_input(key="nf").input("x^(1/3)").run()
    at.slider(key="x0").set_value(1.0).run()
    assert not at.exception, [e.value for e in at.exception]
    verdict = _newton_verdict(at)
    assert verdict.startswith("**Failure — divergence.**") and "−2x" in verdict
    np.testing.assert_allclose(_frames(at)[0]["xₙ"].iloc[:4], [1, -2, 4, -8])
    # the chart zooms to the guesses drawn, and names at most a handful of them
    _, fig = _live(at, "newton_plot")
    axis = next(t for t in fig["data"] if t.get("name") == "xₙ on the axis")
    assert 1 <= sum(1 for s in axis["text"] if s) <= 8
    at.text_input(key="nf").input("sqrt(x) - 2").run()
    at.slider(key="x0").set_value(-1.0).run()
    assert "f is not defined at x₀ = -1" in _newton_verdict(at)
    at.text_input(key="df").input("x^(4/3) + y^2").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(t.get("type") == "scatter3d" for t in _live(at, "dsurf")[1]["data"])
    at.text_input(key="lf").input("x^(1/3) + y").run()
    at.text_input(key="lg").input("x^2 + y^2 - 1").run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(d for d in _frames(at) if "λ" in d.columns)
    assert table["f"].max() == pytest.approx(1.6602446, abs=1e-6)       # max of ∛x + y on the circle


# ---------------------------------------------------------------------------------------------
# Keyboard alternatives and the audio trace (issue #20)
def test_arrow_buttons_under_the_descent_map_move_the_start():
    at = run_page(PAGE)                                   # Bowl x² + y² on −3…3: a press is 0.5
    start = (at.slider(key="sx").value, at.slider(key="sy").value)
    pad = at.button_group(key="_pad_dmap")
    assert "Move the start by 0.5 (keyboard" in pad.label
    pad.set_value(["left"]).run()
    at.button_group(key="_pad_dmap").set_value(["up"]).run()
    assert not at.exception
    moved = (at.slider(key="sx").value, at.slider(key="sy").value)
    assert moved == pytest.approx((start[0] - 0.5, start[1] + 0.5))
    marker = next(t for t in _live(at, "dmap")[1]["data"] if t.get("name") == "start")
    assert (marker["x"], marker["y"]) == ([moved[0]], [moved[1]])
    for _ in range(20):                                    # the sliders' range ends at 6
        at.button_group(key="_pad_dmap").set_value(["up"]).run()
    assert at.slider(key="sy").value == 6.0 and not at.exception


def test_descent_surface_view_buttons():
    from explorer.multivariate import camera
    at = run_page(PAGE)
    at.button_group(key="_view3d_btn_dsurf").set_value(["Side"]).run()
    cam, rev = at.session_state["_view3d_dsurf"]
    assert rev == 1 and cam["eye"]["y"] == 0 and cam["eye"]["z"] == 0 and cam["eye"]["x"] > 0
    at.button_group(key="_view3d_btn_dsurf").set_value(["Default"]).run()
    cam, rev = at.session_state["_view3d_dsurf"]
    # the chart's own camera: looking from the side opposite the start (the figure's surface_camera)
    from explorer.figures.optimise import surface_camera
    from explorer.optimise.presets import descent_view
    want = surface_camera(descent_view("x^2 + y^2").around((2.0, 1.5)), (2.0, 1.5))["eye"]
    assert rev == 2 and cam["eye"] == pytest.approx(want)
    assert cam == camera.default_camera({"eye": want})
    assert not at.exception


def test_newton_chart_plays_as_sound():
    at = run_page(PAGE)
    box = next(e for e in at.expander if "Play f(x) as sound" in e.label)
    assert len(box.get("audio")) == 0                      # closed: no sound made or sent
    # open it (as a click on the expander does: its state is in session state)
    at.session_state["_sound_newton"] = True
    at.run()
    assert not at.exception
    clips = at.get("audio")
    assert len(clips) == 1
    caption = _texts(at.caption)
    assert "220 Hz at f(x) =" in caption and "880 Hz" in caption and "crosses zero" in caption
    # it plays the chart as drawn: the x and y ranges of the Newton chart's view
    from explorer import optimise as opt
    from explorer.figures.optimise import newton_view
    from explorer.numbers import nice_text
    res = opt.newton_raphson(at.text_input(key="nf").value, at.slider(key="x0").value, 50)
    xr, yr = newton_view(res, at.slider(key="n").value, (-5.0, 5.0))
    assert f"x from {nice_text(xr[0], 3)} to {nice_text(xr[1], 3)} in 3 s" in caption
    assert f"220 Hz at f(x) = {nice_text(yr[0], 3)} up to 880 Hz at f(x) = {nice_text(yr[1], 3)}" in caption
