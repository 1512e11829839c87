"""The Regression page through AppTest: defaults, widgets that change results, upload (good, bad,
previous data kept), typed models, honest messages."""
import pytest

from helpers import run_page

PAGE = "pages/regression.py"
LINE, NONLINEAR = "Straight line: χ² by hand", "Nonlinear models and your own"    # the page's tabs


def no_exception(at):
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture(scope="module")
def at():
    at = run_page(PAGE)
    no_exception(at)
    return at


def charts(at):
    """Every chart on the page: the page draws them through ui.chart3d's component (Plotly.react,
    updated in place on a slider step), so they show up as bidi_component elements."""
    return [*at.get("plotly_chart"), *at.get("bidi_component")]


def latex_text(at):
    """Every formula on the page: st.latex, and display math ($$ … $$) inside markdown."""
    return " ".join([e.value for e in at.latex] + [m.value for m in at.markdown if "$$" in m.value])


def results(at):
    """The straight line's results table (one markdown table: header row, then the values)."""
    md = next(m.value for m in at.markdown if m.value.startswith("| m | c |"))
    head, _, values = md.split("\n")[:3]
    cells = lambda row: [c.strip().strip("*") for c in row.strip("|").split(" | ")]
    return dict(zip(cells(head), cells(values)))


def test_defaults_draw_every_section(at):
    drawn = charts(at)
    assert len(drawn) == 2, "the straight-line tab: hand fit and χ² landscape (only the open tab runs)"
    assert any("\\chi^2" in e.value for e in at.latex)
    assert "\\sum_i w_i(x_i-\\bar x)(y_i-\\bar y)" in latex_text(at), "closed form shown"
    notices = [c.value for c in at.caption if "What to notice" in c.value]
    assert len(notices) >= len(drawn), "every chart says what to notice"
    assert not at.error
    nl = run_page(PAGE, {"view": NONLINEAR})
    no_exception(nl)
    assert len(charts(nl)) == 3, "models, parameter contour, residuals"
    assert len([c for c in nl.caption if "What to notice" in c.value]) >= 3
    assert "\\sum_i w_i(x_i-\\bar x)(y_i-\\bar y)" not in latex_text(nl), "the other tab did not run"


def test_hand_sliders_change_live_chi2(at):
    before = latex_text(at)
    at.slider(key="m").set_value(at.slider(key="m").max).run()
    no_exception(at)
    assert latex_text(at) != before


def test_generated_data_sliders(at):
    at.slider(key="n").set_value(200).run()
    no_exception(at)
    assert any("200 points" in c.value for c in at.caption)


def test_samples_and_models(at):
    at.session_state["view"] = NONLINEAR
    at.radio(key="data").set_value("Sample: heights histogram").run()
    no_exception(at)
    assert at.radio(key="model").value == "Gaussian"
    table = at.dataframe[-1].value
    mu = float(table.loc[table["parameter"] == "mu", "value"].iloc[0])
    assert 165 < mu < 175, "the heights histogram's centre"
    assert any("converged" in s.value.lower() for s in at.success)
    for model in ["Polynomial", "Exponential", "Logistic", "Power law", "Sinusoid", "Straight line"]:
        at.radio(key="model").set_value(model).run()
        no_exception(at)
        assert charts(at)


def test_typed_model_with_start_fields_and_bad_text(at):
    at.session_state["view"] = NONLINEAR
    at.radio(key="data").set_value("Sample: decay counts with σ").run()
    at.radio(key="model").set_value("Typed model").run()
    at.text_input(key="typed").input("N*exp(-t0*x) + B").run()
    no_exception(at)
    keys = {n.key for n in at.number_input}
    assert {"s_N", "s_t0", "s_B"} <= keys
    at.number_input(key="s_N").set_value(900).run()
    at.number_input(key="s_t0").set_value(0.02).run()
    at.number_input(key="s_B").set_value(10).run()
    no_exception(at)
    table = at.dataframe[-1].value
    t0 = float(table.loc[table["parameter"] == "t0", "value"].iloc[0])
    assert 1 / t0 == pytest.approx(60, rel=0.15), "the decay time of the sample"
    at.text_input(key="typed").input("N*exp(-t0*x").run()
    no_exception(at)
    assert any("Cannot read that model" in e.value for e in at.error)
    assert at.text_input(key="typed").value == "N*exp(-t0*x", "nothing typed is lost"
    assert charts(at), "the last valid model is still drawn"


def test_upload_good_then_bad_keeps_previous_data():
    at = run_page(PAGE, {"data": "Upload a CSV"})
    no_exception(at)
    rows = "\n".join(f"{i},{2 * i + 1 + (0.1 if i % 2 else -0.1)}" for i in range(1, 40))
    csv = ("time;value\n" + rows.replace(",", ";") + "\n41;NA\n42;?\n").encode()
    at.file_uploader(key="upload").set_value(("mine.csv", csv, "text/csv")).run()
    no_exception(at)
    assert any("2 rows with missing or non-numeric values were dropped" in i.value for i in at.info)
    metric = results(at)
    assert float(metric["m"].split("±")[0]) == pytest.approx(2.0, abs=0.01), metric
    at.file_uploader(key="upload").set_value(("photo.csv", b"\x89PNG\r\n\x1a\nxxxx", "text/csv")).run()
    no_exception(at)
    assert any("PNG" in e.value for e in at.error)
    assert any("Still using the data loaded before" in i.value and "mine.csv" in i.value for i in at.info)
    m = results(at)["m"]
    assert float(m.split("±")[0]) == pytest.approx(2.0, abs=0.01), "previous data still fitted"
    at.file_uploader(key="upload").set_value(("flat.csv", b"x,y\n1,2\n1,3\n1,4\n", "text/csv")).run()
    no_exception(at)
    assert any("equal" in e.value for e in at.error), "all-equal x is refused at fit time"


def test_bad_url_values_fall_back():
    at = run_page(PAGE, {"m": "1e99", "model": "nonsense", "rate": "abc"})
    no_exception(at)
    assert charts(at)


def descent_caption(at):
    return next(c.value for c in at.caption if "after descent" not in c.value and " steps — " in c.value)


def test_descent_slider_continues_and_truncates_the_same_path():
    """The steepest-descent slider continues one cached descent: stepping up and back down shows
    exactly what a fresh page with that step count shows."""
    q = {"data": "Sample: heights histogram"}
    at = run_page(PAGE, {**q, "iters": "300", "view": NONLINEAR})
    no_exception(at)
    at300 = descent_caption(at)
    assert "after 300 steps" in at300
    at.slider(key="iters").set_value(500).run()
    no_exception(at)
    at500 = descent_caption(at)
    assert "after 500 steps" in at500 and at500 != at300
    at.slider(key="iters").set_value(300).run()
    assert descent_caption(at) == at300
    fresh = run_page(PAGE, {**q, "iters": "500", "view": NONLINEAR})
    assert descent_caption(fresh) == at500


def test_a_new_file_with_the_same_name_is_fitted_afresh():
    """Caches are keyed by the file's digest, not its name: the same name with other numbers
    gives other fits everywhere on the page."""
    at = run_page(PAGE, {"data": "Upload a CSV"})
    for slope in (2, 3):
        rows = "\n".join(f"{i},{slope * i + 1 + (0.1 if i % 2 else -0.1)}" for i in range(1, 30))
        at.file_uploader(key="upload").set_value(("same.csv", ("x,y\n" + rows).encode(), "text/csv")).run()
        no_exception(at)
        m = results(at)["m"]
        assert float(m.split("±")[0]) == pytest.approx(slope, abs=0.01)
        at.session_state["view"] = NONLINEAR
        at.run()
        table = at.dataframe[-1].value
        assert float(table.loc[table["parameter"] == "m", "value"].iloc[0]) == pytest.approx(slope, abs=0.01)
        at.session_state["view"] = LINE
        at.run()
