"""AppTest of the chain-rule page: defaults, typed input, the training controls."""
import re

import pytest

from helpers import run_page

PAGE = "pages/chain-rule.py"


def _metric(at, label):
    """A reading of the training panel's results table (one markdown table: header, then values)."""
    md = next(m.value for m in at.markdown if m.value.startswith("| Cost C |"))
    head, _, values = md.split("\n")[:3]
    cells = lambda row: [c.strip().strip("*") for c in row.strip("|").split(" | ")]
    return dict(zip(cells(head), cells(values)))[label]


def _latex(at):
    """Every formula: st.latex, and display math ($$ … $$) inside markdown."""
    return "\n".join([l.value for l in at.latex] + [m.value for m in at.markdown if "$$" in m.value])


def _charts(at):
    """The in-place charts (ui.chart_live), not the hidden elements carrying their drag frames
    (keys ``lf-...``, ui.live_chart.frames_key)."""
    return [c for c in at.get("bidi_component") if not str(c.key).startswith("lf-")]


@pytest.fixture(scope="module")
def at():
    return run_page(PAGE)


def test_defaults_render_without_exception(at):
    assert not at.exception
    assert len(_charts(at)) == 5        # contour, g(t), drawing, cost, ledger (ui.chart_live)
    text = _latex(at)
    assert r"\frac{df}{dt}" in text and "slope of" in text
    assert float(_metric(at, "Cost C")) > 0.1
    assert _metric(at, "Iteration") == "0"
    assert any("Backprop agrees with finite differences" in s.value for s in at.success)
    # the gradient check lists each of the 3 layers' relative error, each tiny
    errors = [float(m) * 10.0 ** int(e) for m, e in re.findall(r"e\^\{\(\d\)\} = ([\d.]+)\s*\\times 10\^\{(-?\d+)\}", text)]
    assert len(errors) == 3 and max(errors) < 1e-6, errors
    # the ledger's general formulas name the output layer L = 3
    assert r"\frac{\partial C_k}{\partial a^{(3)}} = 2" in text


def _df_dt_numbers(at):
    """(chain-rule sum, numeric slope) from the reading at t: the number the df/dt lines end with
    (the sum's two products, then its value on a line of its own) and the line after "measured
    numerically"."""
    reading = next(l.value for l in at.latex if r"\text{at } t" in l.value)
    body = reading.strip().strip("$").replace(r"\begin{aligned}", "").replace(r"\end{aligned}", "")
    lines = [re.sub(r"^\[\d+pt\]", "", line).strip() for line in body.split("\\\\")]
    last = lambda line: float(re.search(r"= (-?[\d.e+-]+)\s*$", line).group(1))
    start = next(i for i, line in enumerate(lines) if line.startswith(r"&\frac{df}{dt}"))
    chain = last(next(line for line in lines[start:] if line.startswith(r"&\hphantom{\frac{df}{dt}} =")))
    i = next(i for i, line in enumerate(lines) if "measured numerically" in line)
    return chain, last(lines[i + 1])


def test_chain_rule_numbers_follow_t_and_agree_with_the_slope():
    at = run_page(PAGE, {"f": "x^2 y", "xt": "t", "yt": "t^2", "t": "1.5"})
    assert not at.exception
    assert at.session_state["path"] == "✏️ Type your own"
    chain, slope = _df_dt_numbers(at)
    # g(t) = t^4, g'(1.5) = 4·1.5³ = 13.5
    assert chain == pytest.approx(13.5, rel=1e-3) and slope == pytest.approx(13.5, rel=1e-3)
    at.slider(key="t").set_value(0.5).run()
    chain, slope = _df_dt_numbers(at)
    assert chain == pytest.approx(0.5, rel=1e-3) and slope == pytest.approx(0.5, rel=1e-3)


def test_path_preset_fills_the_boxes_and_bad_path_keeps_last_valid(at):
    at.selectbox(key="path").set_value("line").run()
    assert at.text_input(key="xt").value == "t/2 - 1.5"
    at.text_input(key="yt").input("1 - t/3 +* 2").run()
    assert not at.exception
    assert any("Cannot read that path" in e.value for e in at.error)
    assert at.text_input(key="yt").value == "1 - t/3 +* 2"          # what was typed is kept
    assert len(_charts(at)) == 5


def test_step_reset_and_settings():
    at = run_page(PAGE)
    c0 = float(_metric(at, "Cost C"))
    at.button(key="nn_step").click().run()
    assert _metric(at, "Iteration") == "100"
    c1 = float(_metric(at, "Cost C"))
    assert c1 < c0
    at.radio(key="steps").set_value(1000).run()
    at.button(key="nn_step").click().run()
    assert _metric(at, "Iteration") == "1,100"
    assert float(_metric(at, "Cost C")) < 0.5 * c1
    at.button(key="nn_reset").click().run()
    assert _metric(at, "Iteration") == "0"
    assert float(_metric(at, "Cost C")) == pytest.approx(c0)
    # a new architecture and activation make a new network
    at.selectbox(key="hidden").set_value("4, 4").run()
    at.radio(key="act").set_value("tanh").run()
    at.slider(key="rate").set_value(0.3).run()
    assert not at.exception
    assert _metric(at, "Iteration") == "0"
    at.button(key="nn_step").click().run()
    assert not at.exception and _metric(at, "Iteration") == "1,000"
    # the ledger shows the 3 layers' ∂C/∂a row by row and a passing gradient check
    assert any("Backprop agrees" in s.value for s in at.success)


def test_typed_target_and_bad_target():
    at = run_page(PAGE, {"target": "typed"})
    assert not at.exception
    at.text_input(key="tx").input("cos(2 pi t)^3 / (t - 0.5)").run()
    assert not at.exception
    assert any("Cannot read that curve" in e.value for e in at.error)
    at.text_input(key="tx").input("0.5 cos(2 pi t)").run()
    assert not at.exception and not at.error


def test_play_sets_training_state():
    at = run_page(PAGE)
    at.button(key="nn_play").click().run()
    assert _metric(at, "Status").startswith("training")
    assert int(_metric(at, "Iteration").replace(",", "")) >= 100   # the first tick trains
    at.button(key="nn_play").click().run()
    assert _metric(at, "Status").startswith("paused")


def test_presenter_mode_puts_the_charts_before_the_written_out_rule():
    """Issue 18: on a projector the picture comes first: the typed path and the chain rule written
    out move under the charts (after the reading at t, which sits under them); in the normal view
    they stand above. (tests/browser/test_presenter_layout.py measures the chart's top.)"""
    def order(at):
        texts = [l.value for l in at.latex]
        where = lambda s: next(i for i, t in enumerate(texts) if s in t)
        return where(r"\big(x(t),\,y(t)\big)"), where(r"\frac{\partial f}{\partial x}\,\frac{dx}{dt}"), where(r"\text{at } t")
    path, rule, reading = order(run_page(PAGE))
    assert path < rule < reading
    at = run_page(PAGE, {"present": "true"})
    assert not at.exception
    path, rule, reading = order(at)
    assert reading < path < rule
    chain, slope = _df_dt_numbers(at)
    assert chain == pytest.approx(slope, rel=1e-4)


def test_gradient_check_formula_is_two_errors_a_line():
    """Issue 18 (phones): the gradient check's definition, then the layers' errors two a line."""
    at = run_page(PAGE, {"hidden": "10, 10, 10"})
    assert not at.exception
    md = next(m.value for m in at.markdown if "Gradient check" in m.value)
    body = md[md.index(r"\begin{gathered}"):md.index(r"\end{gathered}")]
    lines = body.split("\\\\")
    assert r"\frac{\lVert g_b - g_n\rVert}{\lVert g_b\rVert + \lVert g_n\rVert}" in lines[0]
    assert [line.count("e^{(") for line in lines[1:]] == [2, 2], lines
    errors = [float(m) * 10.0 ** int(e) for m, e in re.findall(r"e\^\{\(\d\)\} = ([\d.]+)\s*\\times 10\^\{(-?\d+)\}", body)]
    assert len(errors) == 4 and max(errors) < 1e-6, errors


# ---------------------------------------------------------------------------------------------
# Issue #19: the t slider's drag frames, and the composed curve as sound
def _decode(v):
    """A frame array as floats: short ones are plain lists, long ones 16-bit steps (``q2``)."""
    import base64

    import numpy as np
    if isinstance(v, dict):
        q = np.frombuffer(base64.b64decode(v["bdata"]), dtype="<i2").astype(float)
        return np.where(q == -32768, np.nan, v["lo"] + q * v["step"])
    return np.array([np.nan if u is None else u for u in v], dtype=float)


def test_t_frames_follow_the_chain_rule_exactly():
    """Every frame shows the picture at its own t: the point (x(t), y(t)), the velocity arrow along
    (x'(t), y'(t)), and a tangent on g whose slope is the exact derivative. Path (t, t²) on f = x²y:
    g(t) = t⁴, g'(t) = 4t³ (sympy), x' = 1, y' = 2t."""
    import math

    import sympy as sp

    from explorer import chain_rule as cr
    from explorer.figures.chain_rule import TANGENT_SPAN
    from explorer.figures.chain_rule_frames import t_frames
    from explorer.figures.frames import slider_values

    tt = sp.Symbol("t")
    dg = sp.lambdify(tt, sp.diff((tt) ** 2 * tt ** 2, tt))
    values = slider_values(0.0, 2.0, 0.02)
    for sym in (cr.chain_rule_symbolic("x^2 y", "t", "t^2"), None):      # exact, and the numeric fallback
        fr = t_frames(sym, "x^2 y", "t", "t^2", values)
        contour, curve = fr["cr_contour"], fr["cr_curve"]
        # only what moves travels: the point on the map (trace 2), the tangent and point on g (1, 2)
        assert contour["traces"] == [2] and contour["ntraces"] == 3 and curve["traces"] == [1, 2]
        assert contour["values"] == values and len(contour["steps"]) == len(values) == 101
        for k in (1, 37, 50, 100):
            t = values[k]
            px, py = contour["steps"][k][0]["x"][0], contour["steps"][k][0]["y"][0]
            assert px == pytest.approx(t, rel=1e-4, abs=1e-9) and py == pytest.approx(t * t, rel=1e-4, abs=1e-9)
            arrow = contour["layout"][k]
            ang = math.atan2(arrow["annotations[0].y"] - arrow["annotations[0].ay"],
                             arrow["annotations[0].x"] - arrow["annotations[0].ax"])
            assert ang == pytest.approx(math.atan2(2 * t, 1.0), abs=1e-3)
            tangent, point = curve["steps"][k]
            ty = _decode(tangent["y"])
            assert (ty[1] - ty[0]) / (2 * TANGENT_SPAN) == pytest.approx(dg(t), rel=2e-3, abs=2e-3)
            assert "slope df/dt" in tangent["name"]
            assert point["y"][0] == pytest.approx(t ** 4, rel=1e-4, abs=6e-6)     # drawn to 5 decimals
        # t = 0: the velocity (1, 0) still draws an arrow, and the frame at t = 0 is the point (0, 0)
        assert contour["steps"][0][0]["x"][0] == 0 and contour["layout"][0]["annotations[0].ay"] == 0


def test_t_frames_hide_the_tangent_where_it_is_undefined():
    """ln x on the path x = t − 1: no tangent for t ≤ 1 (a picture with fewer traces): there the
    moving traces are hidden rather than left at a wrong place; beyond it they are drawn."""
    from explorer.figures.chain_rule_frames import t_frames
    from explorer.figures.frames import slider_values
    values = slider_values(0.0, 3.0, 0.1)
    curve = t_frames(None, "ln(x) + y", "t - 1", "1", values)["cr_curve"]
    visible = [all(d.get("visible", True) is not False for d in step) for step in curve["steps"]]
    assert visible == [v > 1.0 + 1e-9 for v in values]


def test_page_sends_the_t_frames_and_plays_g_as_sound():
    at = run_page(PAGE)
    keys = {str(c.key) for c in at.get("bidi_component")}
    assert {"lf-p3d-cr_contour-t", "lf-p3d-cr_curve-t"} <= keys
    # the frames do not depend on t itself: another t sends the same element (and bytes)
    before = [c.proto for c in at.get("bidi_component") if str(c.key) == "lf-p3d-cr_curve-t"][0]
    at.slider(key="t").set_value(2.5).run()
    after = [c.proto for c in at.get("bidi_component") if str(c.key) == "lf-p3d-cr_curve-t"][0]
    assert not at.exception and before == after
    box = next(e for e in at.expander if "Play g(t) = f(x(t), y(t)) as sound" in e.label)
    assert len(box.get("audio")) == 0                      # closed: no sound made or sent
    at.session_state["_sound_cr_curve"] = True
    at.run()
    assert not at.exception and len(at.get("audio")) == 1
    assert "Hz" in " ".join(c.value for c in at.caption)
