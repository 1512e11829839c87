"""AppTest for the "What is calculus?" page: defaults, sliders, presets, break points, quizzes."""
import pytest

from helpers import run_page

PAGE = "pages/derivatives.py"


def _text(at):
    """All the text the page shows (markdown, captions, LaTeX, alerts)."""
    parts = []
    for kind in ("markdown", "caption", "latex", "warning", "info", "error", "success"):
        parts += [str(e.value) for e in at.get(kind)]
    return "\n".join(parts)


def _secant_formula(at):
    """The live rise-over-run formula (display math in the markdown under the secant chart): the
    line with its numbers, "= (f(x0+h) - f(x0))/h = <value>" (the line under "slope of the secant =
    rise/run = ...": one equation a line)."""
    md = [str(m.value) for m in at.markdown if r"\text{slope of the secant}" in str(m.value)]
    assert len(md) == 1, md
    body = md[0].split("$$")[1]                                   # the first display-math block
    lines = body.strip().removeprefix(r"\begin{aligned}").split(r"\\[4pt]")
    assert lines[0].startswith(r"\text{slope of the secant} &= \frac{\text{rise}}{\text{run}}"), lines
    assert lines[1].strip().startswith("&= "), lines
    return lines[1].strip().removesuffix(r"\end{aligned}").strip()


def _charts(at):
    """st.plotly_chart elements and the in-place charts of ui.chart_live (a custom component); not
    the hidden elements carrying a chart's drag frames (keys ``lf-...``, ui.live_chart.frames_key)."""
    return list(at.get("plotly_chart")) + [c for c in at.get("bidi_component") if not str(c.key).startswith("lf-")]


@pytest.fixture(scope="module")
def at():
    return run_page(PAGE)


def test_defaults_draw_every_section(at):
    assert not at.exception, [e.value for e in at.exception]
    charts = _charts(at)
    assert len(charts) >= 6           # secant, zoom, errors, gradient, quiz f and its candidates
    captions = [c.value for c in at.caption]
    # the secant chart and its close-up sit side by side and share one caption, every other chart has its own
    pair = [c for c in captions if "orange secant" in c]
    assert len(pair) == 1 and "What to notice" in pair[0] and "close-up" in pair[0], pair
    assert sum("What to notice" in c for c in captions) >= len(charts) - 1, "every chart has a notice"
    assert any("best forward h" in c and "What to notice" in c for c in captions), "error plot: reading + notice"
    text = _text(at)
    assert "2 x" in text                                  # f' = 2x from the definition and the rules
    assert r"\lim_{h\to 0}" in text
    assert "Power rule" in text
    assert "equals `sympy.diff" in text
    assert at.slider(key="x0").value == 1.0 and at.slider(key="logh").value == -0.5


def test_h_slider_moves_the_secant_towards_the_tangent(at):
    at.text_input(key="f").input("x^2").run()
    at.slider(key="x0").set_value(1.0).run()
    at.slider(key="logh").set_value(0.0).run()
    # h = 1: secant slope of x^2 at 1 is (4 - 1)/1 = 3
    assert _secant_formula(at).endswith(r"\frac{4 - 1}{1} = 3"), _secant_formula(at)
    at.slider(key="logh").set_value(-8.0).run()
    assert not at.exception
    lat = _secant_formula(at)
    assert lat.endswith("= 2")                            # 2 + 1e-8 shown to 6 figures
    assert r"\frac{1.00000002 - 1}" in lat               # enough digits to see the tiny rise


@pytest.mark.parametrize("preset, kind", [("|x| (a corner)", "corner"), ("1/x (a pole)", "pole"),
                                          ("sign x (a jump)", "jump"), ("max(x, 0) (ReLU)", "corner")])
def test_non_differentiable_presets_say_so_with_limits(preset, kind):
    at = run_page(PAGE)
    at.selectbox(key="f_preset").select(preset).run()
    assert not at.exception
    text = _text(at)
    assert f"Not differentiable at x = 0** ({kind})" in text
    assert r"\lim_{x\to 0^-} f'(x)" in text
    at.slider(key="x0").set_value(0.0).run()
    assert any("No derivative at x₀ = 0" in w.value for w in at.warning)


def test_every_preset_runs_without_exception():
    at = run_page(PAGE)
    from explorer.derivatives import PRESETS
    for name in PRESETS:
        at.selectbox(key="f_preset").select(name).run()
        assert not at.exception, (name, [e.value for e in at.exception])
        assert len(_charts(at)) >= 5, name


def test_chain_rule_steps_for_a_typed_function():
    at = run_page(PAGE, {"f": "sin(x^2)", "x0": "0.5", "logh": "-3"})
    assert at.slider(key="x0").value == 0.5 and at.slider(key="logh").value == -3.0
    text = _text(at)
    assert "Chain rule" in text and "Standard derivative on the outside" in text
    assert r"f'(x) = 2 x \cos{\left(x^{2} \right)}" in text


def test_bad_typed_function_keeps_page_working():
    at = run_page(PAGE)
    at.text_input(key="f").input("sin(x").run()
    assert not at.exception
    assert at.error and "Cannot read that formula" in at.error[0].value
    assert len(_charts(at)) >= 5


def test_differentiate_this_quiz_checks_and_reveals_steps():
    at = run_page(PAGE)
    from explorer.derivatives import differentiate_question
    seed = at.session_state["dq_seed"]
    q = differentiate_question(seed, None)
    at.text_input(key="dq_answer").input(q.answer).run()
    at.button(key="dq_check").click().run()
    assert not at.exception
    assert any("Correct" in s.value for s in at.success)
    assert "Worked steps" in [e.label for e in at.expander]
    # a wrong answer, then a new question that differs from the last one
    at.text_input(key="dq_answer").input("0").run()
    at.button(key="dq_check").click().run()
    assert any("Not equal" in e.value for e in at.error)
    at.button(key="dq_new").click().run()
    assert at.session_state["dq_prev"] == q.text
    assert differentiate_question(at.session_state["dq_seed"], q.text).text != q.text
    assert at.text_input(key="dq_answer").value == ""


def test_differentiate_quiz_unreadable_answer():
    at = run_page(PAGE)
    at.text_input(key="dq_answer").input("2x +* 3").run()
    at.button(key="dq_check").click().run()
    assert not at.exception
    assert any("Cannot read that answer" in e.value for e in at.error)


def test_match_the_graph_quiz():
    at = run_page(PAGE)
    from explorer.derivatives import match_question
    mq = match_question(at.session_state["mq_seed"], None)
    right = mq.labels[mq.correct]
    wrong = next(l for l in mq.labels if l != right)
    at.radio(key="mq_pick").set_value(wrong).run()
    at.button(key="mq_check").click().run()
    assert any("Not quite" in e.value for e in at.error)
    at.radio(key="mq_pick").set_value(right).run()
    at.button(key="mq_check").click().run()
    assert any("Right" in s.value for s in at.success)
    at.button(key="mq_new").click().run()
    assert not at.exception
    assert at.session_state["mq_prev"] == mq.f_text


def test_error_plot_replaced_by_a_note_at_a_corner():
    at = run_page(PAGE, {"f": "abs(x)", "x0": "0"})
    assert not at.exception
    assert any("no error to plot" in i.value for i in at.info)
    keys = [c.proto.id for c in _charts(at)]
    assert not any("errors" in k for k in keys), keys


def test_slow_sympy_falls_back_to_numbers(monkeypatch):
    from explorer import symbolic

    def too_slow(*args, **kwargs):
        raise symbolic.SymbolicTimeout("deadline")
    at = run_page(PAGE)
    monkeypatch.setattr(symbolic, "call", too_slow)
    at.text_input(key="f").input("x^5 + 3x + 7 + 0.25x^2").run()      # a text no cache has seen
    assert not at.exception, [e.value for e in at.exception]
    infos = " ".join(i.value for i in at.info)
    assert "took too long to differentiate" in infos and "numeric" in infos
    assert "took too long to simplify this quotient" in infos
    assert len(_charts(at)) >= 5                              # the charts still draw


# ---------------------------------------------------------------------------------------------
# issue 18
def test_sin_of_one_over_x_is_said_to_oscillate_not_to_jump():
    at = run_page(PAGE, {"f": "sin(1/x)"})
    assert not at.exception, [e.value for e in at.exception]
    text = _text(at)
    assert "Not differentiable at x = 0** (oscillation)" in text
    assert "f oscillates at x = 0" in text and "between -1 and 1" in text and "never settles" in text
    assert "jumps" not in text and "0.931639" not in text and "0.93" not in text
    assert r"\lim_{x\to 0^-} f(x)\ \text{does not exist (oscillates)}" in text
    at.slider(key="x0").set_value(0.0).run()
    assert any("No derivative at x₀ = 0" in w.value and "oscillates" in w.value for w in at.warning)


def test_from_the_definition_shows_the_expansion():
    at = run_page(PAGE, {"f": "x^2"})
    md = [str(m.value) for m in at.markdown if r"\begin{aligned}\frac{f(x+h)-f(x)}{h}" in str(m.value)]
    assert len(md) == 1, md
    assert md[0].startswith("Expand f(x + h)")
    for step in (r"&= \frac{h^{2} + 2 h x + x^{2} - x^{2}}{h}", r"&= \frac{h^{2} + 2 h x}{h}", r"&= h + 2 x",
                 r"f'(x) &= \lim_{h\to 0}\left(h + 2 x\right) \\[4pt] &= 2 x"):
        assert step in md[0], step
    at.text_input(key="f").input("sin(x^2)").run()         # no algebra cancels the h: said so
    assert "No expanding or cancelling takes the h out" in _text(at)


def test_rules_in_one_place_are_stacked():
    at = run_page(PAGE)
    rules = [str(e.value) for e in at.latex if r"(u+v)' &= u' + v'" in str(e.value)]
    assert len(rules) == 1, rules
    assert rules[0].strip("$\n").startswith(r"\begin{aligned}") and rules[0].count(r"\\[2pt]") == 5


def test_error_chart_table_names_its_series_briefly():
    """The error chart's "Show as table" rows say forward / central, not the whole legend formula in
    each of ~100 rows (half the chart's bytes on every slider step); the description keeps the names."""
    from explorer import derivatives as D
    from explorer.figures import derivatives as F
    from explorer.figures.describe import describe
    e = D.difference_errors("sin(x)", 1.0)
    fig = F.errors_figure(e, 0.3)
    words = F.errors_words(fig)
    label, description, table = describe(fig)
    assert words["label"] == label and words["description"] == description
    assert len(words["table"]["rows"]) == len(table["rows"]) > 50
    series = [r[0] for r in words["table"]["rows"]]
    assert {"forward", "central"} <= set(series)
    assert not any("(f(x₀+h)" in str(name) for name in series)
    for short, full in zip(words["table"]["rows"], table["rows"]):
        assert short[1:] == full[1:], "the same numbers"
        assert full[0].startswith(short[0])
    assert len(str(words["table"])) < 0.7 * len(str(table))
