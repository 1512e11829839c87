"""The Optimisation page through streamlit's AppTest: defaults, widgets and what they change."""
import pytest

from helpers import run_page

PAGE = "pages/optimisation.py"


def _texts(elements):
    return " ".join(str(e.value) for e in elements)


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _frames(at):
    return [d.value for d in at.dataframe]


def test_defaults_newton_wanders_and_steps():
    at = run_page(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    # the click map is an st.plotly_chart (it has a selection); the others update in place (ui.chart3d)
    assert len(at.get("plotly_chart")) == 1
    assert len(at.get("bidi_component")) >= 6
    assert "Converged to the root x = -3.7602139722" in _texts(at.success)
    assert "wandered" in _texts(at.info)
    assert at.slider(key="n").value == 3
    assert len(_frames(at)[0]) == 4                      # n = 0..3 in the Newton table
    _button(at, "Step ▶").click().run()
    assert at.slider(key="n").value == 4 and len(_frames(at)[0]) == 5
    _button(at, "◀ Back").click().run()
    _button(at, "◀ Back").click().run()
    assert at.slider(key="n").value == 2
    # from 1.99 the first tangent throws x₁ to about −36.5
    at.slider(key="x0").set_value(1.99).run()
    assert "Thrown far away" in _texts(at.info)
    assert _frames(at)[0]["xₙ"].iloc[1] == pytest.approx(-36.4746, abs=1e-3)
    # the run ending early: n is clipped to the steps there are; a named failure is shown
    at.text_input(key="nf").input("x^3 - 2x + 2").run()
    at.slider(key="x0").set_value(0.0).run()
    assert not at.exception
    assert "cycle" in _texts(at.warning).lower()
    at.text_input(key="nf").input("x^2 - 1").run()
    assert "zero derivative" in _texts(at.warning).lower()
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
    # a click on the contour map moves the start (the chart's selection state, as the browser sends it)
    at.session_state["dmap"] = {"selection": {"points": [{"x": 1.0, "y": -0.5, "curve_number": 1}],
                                              "point_indices": [0], "box": [], "lasso": []}}
    at.run()
    assert (at.slider(key="sx").value, at.slider(key="sy").value) == (1.0, -0.5)
    assert not at.exception


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
    assert "parallel: a candidate point" in " ".join(str(p.proto.text) for p in at.get("progress"))
    at.slider(key="pos").set_value(0.1).run()
    assert "candidate" not in " ".join(str(p.proto.text) for p in at.get("progress"))
    at.text_input(key="lg").input("x^2 + y^2 + 5").run()          # no real curve
    assert "does not pass through" in _texts(at.warning)
    assert not at.exception
