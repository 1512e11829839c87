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


@pytest.fixture(scope="module")
def at():
    return run_page(PAGE)


def test_defaults_render_without_exception(at):
    assert not at.exception
    assert len(at.get("bidi_component")) == 5        # contour, g(t), drawing, cost, ledger (ui.chart_live)
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
    assert len(at.get("bidi_component")) == 5


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
