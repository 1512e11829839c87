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
    updated in place on a slider step), so they show up as bidi_component elements; not the hidden
    elements carrying a chart's drag frames (keys ``lf-...``, ui.live_chart.frames_key)."""
    return [*at.get("plotly_chart"), *(c for c in at.get("bidi_component") if not str(c.key).startswith("lf-"))]


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
    assert [c.key for c in charts(nl)] == ["p3d-model_plot", "p3d-nl_landscape", "p3d-residual_plot",
                                           "p3d-residual_hist", "p3d-correlation"], \
        "fit with bands, parameter contour, residuals against x, their histogram, the correlation heat map"
    assert len([c for c in nl.caption if "What to notice" in c.value]) >= 4, "the two residual charts share one"
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


# Issue 21: bands, bounds and fixed parameters, two models compared, the report.
import base64  # noqa: E402
import json  # noqa: E402
from html.parser import HTMLParser  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import optimize, stats  # noqa: E402

from helpers import ROOT  # noqa: E402

SPRING, HEIGHTS = "Sample: spring (straight line)", "Sample: heights histogram"


def figures(at) -> dict:
    """{chart key: figure} of every ui.chart_live chart (a line of options, then the figure's JSON)."""
    out = {}
    for comp in at.get("bidi_component"):
        if str(comp.key).startswith("lf-"):         # a chart's drag frames, not a chart
            continue
        meta, spec = comp.proto.bytes.decode().split("\n", 1)
        out[json.loads(meta)["key"]] = json.loads(spec)
    return out


def values(v) -> np.ndarray:
    """A trace's x or y: a plain list, or plotly's typed array {dtype, bdata}."""
    if isinstance(v, dict):
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype={"f8": "<f8", "f4": "<f4", "i4": "<i4"}[v["dtype"]])
    return np.asarray(v, float)


def fitted(at) -> pd.DataFrame:
    """The library solver's table (parameter, value, standard error), indexed by parameter."""
    return at.dataframe[-1].value.set_index("parameter")


def nonlinear_page(data, **query):
    at = run_page(PAGE, {"view": NONLINEAR, "data": data, **query})
    no_exception(at)
    return at


def edit_limits(at, rows: dict):
    """Edit the parameter table as a user would (row index -> {column: value}), then rerun."""
    key = at.data_editor[0].key
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run()
    no_exception(at)


def test_bands_drawn_at_the_chosen_level_agree_with_the_textbook_line_bands():
    """The spring data (no σ) fitted by a straight line: the delta-method bands are then the
    textbook ones, t·s·√(1/n + (x − x̄)²/Sxx) (confidence) and t·s·√(1 + 1/n + (x − x̄)²/Sxx)
    (prediction), s² = χ²/(n − 2); checked at 95 % and at 99 %."""
    table = pd.read_csv(ROOT / "data" / "spring_line.csv")
    x, y = table.iloc[:, 0].to_numpy(float), table.iloc[:, 1].to_numpy(float)
    n = x.size
    m, c = np.polyfit(x, y, 1)
    s2 = float(((y - (m * x + c)) ** 2).sum()) / (n - 2)
    sxx = float(((x - x.mean()) ** 2).sum())
    at = nonlinear_page(SPRING)
    for level, label in ((0.95, "95 %"), (0.99, "99 %")):
        if label != "95 %":
            at.radio(key="level").set_value(label).run()
            no_exception(at)
        traces = figures(at)["model_plot"]["data"]
        bands = {}
        for kind, dash in (("confidence", "dash"), ("prediction", "dot")):
            drawn = [t for t in traces if t.get("legendgroup") == kind]
            assert len(drawn) == 2 and drawn[0]["name"].startswith(f"{label} {kind} band"), [t.get("name") for t in traces]
            assert {t["line"]["dash"] for t in drawn} == {dash}, "told apart by dash pattern, not colour only"
            bands[kind] = (values(drawn[0]["x"]), values(drawn[1]["y"]), values(drawn[0]["y"]))
        t = stats.t.ppf(0.5 + level / 2, n - 2)
        xs, lo, hi = bands["confidence"]
        curve = m * xs + c
        expected = t * np.sqrt(s2 * (1 / n + (xs - x.mean()) ** 2 / sxx))
        np.testing.assert_allclose((hi - lo) / 2, expected, rtol=1e-2)
        np.testing.assert_allclose((hi + lo) / 2, curve, rtol=1e-6, atol=1e-9)
        xs, lo, hi = bands["prediction"]
        np.testing.assert_allclose((hi - lo) / 2, t * np.sqrt(s2 * (1 + 1 / n + (xs - x.mean()) ** 2 / sxx)), rtol=1e-2)
    assert any("scaled by the reduced χ²" in cap.value for cap in at.caption), "which uncertainty, said"


def test_bounds_entered_are_honoured_in_the_shown_parameters():
    at = nonlinear_page(HEIGHTS)
    free_mu = float(fitted(at).loc["mu", "value"])
    assert 165 < free_mu < 175
    edit_limits(at, {1: {"upper": 166.0}, 0: {"lower": 0.0}})      # mu ≤ 166 (below its free optimum)
    table = fitted(at)
    assert float(table.loc["mu", "value"]) == pytest.approx(166.0, abs=1e-9), "mu sits on its upper bound"
    assert float(table.loc["A", "value"]) >= 0
    shown = next(md.value for md in at.markdown if md.value.startswith("| A | mu | sigma |"))
    assert "ended on a bound" in shown and "bounds [−∞, 166]" in shown, shown
    assert any("Ended on a bound" in cap.value and "mu" in cap.value for cap in at.caption)


def test_a_fixed_parameter_stays_and_the_others_match_scipy():
    """sigma fixed at 10: it stays exactly 10, leaves the degrees of freedom, and A, mu are what
    scipy's curve_fit finds with sigma held at 10."""
    at = nonlinear_page(HEIGHTS)
    edit_limits(at, {2: {"start": 10.0, "fixed": True}})
    table = fitted(at)
    assert float(table.loc["sigma", "value"]) == 10.0
    assert np.isnan(float(table.loc["sigma", "standard error"]))
    data = pd.read_csv(ROOT / "data" / "heights_histogram.csv")
    x, y, s = (data[c].to_numpy(float) for c in ("height_cm", "count", "sigma"))
    (a, mu), cov = optimize.curve_fit(lambda x, a, mu: a * np.exp(-(x - mu) ** 2 / 200), x, y, p0=[90, 170],
                                      sigma=s, absolute_sigma=True)
    assert float(table.loc["A", "value"]) == pytest.approx(a, rel=1e-5)
    assert float(table.loc["mu", "value"]) == pytest.approx(mu, rel=1e-6)
    assert float(table.loc["mu", "standard error"]) == pytest.approx(np.sqrt(cov[1, 1]), rel=1e-3)
    shown = "\n".join(md.value for md in at.markdown)
    assert "10 (held fixed)" in shown and f"{x.size - 2} = {x.size} − 2" in shown, "fixed: not counted in dof"


def test_two_models_compared_with_delta_aicc_and_the_f_test():
    """Straight line against a quadratic on the spring data (nested: a2 = 0): ΔAICc and the F test
    as their formulas give them from numpy's polynomial fits."""
    at = nonlinear_page(SPRING)
    at.toggle(key="compare").set_value(True).run()
    no_exception(at)
    assert at.radio(key="model2").value == "Polynomial"
    table = pd.read_csv(ROOT / "data" / "spring_line.csv")
    x, y = table.iloc[:, 0].to_numpy(float), table.iloc[:, 1].to_numpy(float)
    n = x.size

    def chi2_aicc(k):
        chi2 = float(((y - np.polyval(np.polyfit(x, y, k - 1), x)) ** 2).sum())
        return chi2, n * np.log(chi2 / n) + 2 * k + 2 * k * (k + 1) / (n - k - 1)
    (c1, a1), (c2, a2) = chi2_aicc(2), chi2_aicc(3)
    f = (c1 - c2) / (c2 / (n - 3))
    shown = next(md.value for md in at.markdown if "ΔAICc" in md.value)
    head, _, row = shown.split("\n")[:3]
    cells = dict(zip([h.strip() for h in head.strip("|").split("|")], [v.strip(" *") for v in row.strip("|").split("|")]))
    assert cells["simpler"].startswith("Straight line (2 free") and cells["richer"].startswith("Polynomial (3 free")
    assert float(cells["ΔAICc = AICc(richer) − AICc(simpler)"]) == pytest.approx(a2 - a1, rel=1e-3, abs=1e-3)
    p = float(cells["F test"].split("p = ")[1])
    assert p == pytest.approx(stats.f.sf(f, 1, n - 3), rel=1e-2)
    assert any("ΔAICc" in cap.value and "What to notice" in cap.value for cap in at.caption), "ΔAICc in words"
    curves = [t for t in figures(at)["compare_plot"]["data"] if t["mode"] == "lines"]
    assert [t["line"]["dash"] for t in curves] == ["solid", "dash"] and "Straight line" in curves[0]["name"]


class _Tables(HTMLParser):
    """The cells of an HTML document's tables, and whether its tags balance."""
    def __init__(self):
        super().__init__()
        self.cells, self.open, self.images = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        elif tag not in ("meta", "br"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open.pop() == tag, tag

    def handle_data(self, data):
        if self.open and self.open[-1] == "td":
            self.cells.append(data)


def test_report_downloads_hold_the_model_and_the_parameters(monkeypatch):
    """The report buttons are there; what they download (their deferred callables, run as a click
    would) names the model and shows the parameters ± errors of the table on the page."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from explorer.regression import export
    made = {}
    original = MediaFileManager.add_deferred

    def capture(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kw)
    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)
    at = nonlinear_page(SPRING)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "⬇️ Report (Markdown)" in labels and "⬇️ Report (HTML)" in labels
    table = fitted(at)
    md = made["fit_report.md"]()
    assert "f(x) = m\\*x + c" in md and "Straight line" in md
    for name in ("m", "c"):
        value, error = (float(table.loc[name, k]) for k in ("value", "standard error"))
        line = next(row for row in md.splitlines() if row.startswith(f"| {name} |"))
        shown_value, shown_error = (float(v) for v in line.split("|")[2].split("±"))
        assert shown_value == pytest.approx(value, abs=error / 10) and shown_error == pytest.approx(error, rel=0.05)
    assert "| AICc |" in md and "95 % confidence band" in md
    page = _Tables()
    page.feed(made["fit_report.html"]())
    assert not page.open, "every tag closed"
    assert "m" in page.cells and "AICc" in page.cells and "held fixed" not in page.cells
    if export.image_export_problem() is None:
        png = base64.b64decode(page.images[0]["src"].split(",", 1)[1])
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
        assert "![Data, fitted curve and 95 % bands](data:image/png;base64," in md
    else:
        assert "The chart could not be included" in md


def test_bad_bounds_and_everything_fixed_get_a_message_not_a_traceback():
    at = nonlinear_page(SPRING)
    edit_limits(at, {0: {"lower": 5.0, "upper": 1.0}})
    assert any("bounds of m are not an interval" in w.value for w in at.warning), [w.value for w in at.warning]
    assert "p3d-residual_plot" not in figures(at), "no diagnostics of a fit that did not happen"
    edit_limits(at, {0: {"fixed": True}, 1: {"fixed": True}})
    assert any("Every parameter is fixed" in w.value for w in at.warning)


# issue 18: the χ² contour's parameter pickers follow the model in use
def _pickers(at):
    boxes = {b.label: b for b in at.selectbox if b.label.startswith("contour:")}
    return boxes["contour: horizontal parameter"], boxes["contour: vertical parameter"]


def test_contour_pickers_follow_the_model():
    from explorer import regression as rg
    at = nonlinear_page("Sample: spring (straight line)")
    px, py = _pickers(at)
    assert (list(px.options), px.value, py.value) == (["m", "c"], "m", "c")
    for model in ["Exponential", "Gaussian", "Exponential with background", "Logistic", "Gaussian"]:
        at.radio(key="model").set_value(model).run()
        no_exception(at)
        names = rg.model_parameters(rg.BUILTIN_MODELS[model])
        px, py = _pickers(at)
        assert list(px.options) == names and list(py.options) == names, model
        assert (px.value, py.value) == (names[0], names[1]), model
    # each model has pickers of its own (a new widget identity: no value carried over in the browser)
    keys = {model: _pickers(at)[0].key for model in ["Gaussian"]}
    at.radio(key="model").set_value("Logistic").run()
    assert _pickers(at)[0].key != keys["Gaussian"] and _pickers(at)[0].key.startswith("px_")
    at.radio(key="model").set_value("Gaussian").run()
    assert _pickers(at)[0].key == keys["Gaussian"]
    # a picked pair stays while the model stays, and is the new model's again after a switch
    px, py = _pickers(at)
    px.set_value("sigma").run()
    assert _pickers(at)[0].value == "sigma"
    at.radio(key="data").set_value("Sample: decay counts with σ").run()
    no_exception(at)
    assert at.radio(key="model").value == "Exponential with background"
    px, py = _pickers(at)
    assert list(px.options) == ["A", "k", "B"] and (px.value, py.value) == ("A", "k")


def test_the_page_shows_the_formulas_broken_over_lines(at):
    """Issue 18: the χ² reading and the σ formulas, stacked (explorer.regression.formulas)."""
    from explorer.regression import formulas as fx
    at.session_state["view"] = LINE
    at.radio(key="data").set_value("Generated points").run()
    shown = latex_text(at)
    for tex in (fx.LINE_CHI2, fx.CLOSED_FORM, fx.LINE_UNCERTAINTIES):
        assert tex in shown
    reading = next(e.value for e in at.latex if r"\chi^2_{\min}" in e.value)
    assert r"\begin{aligned}\chi^2(" in reading and r"\\ \chi^2_{\min}" in reading
    nl = run_page(PAGE, {"view": NONLINEAR})
    assert fx.DESCENT_RULE in latex_text(nl) and fx.SOLVER_UNCERTAINTY in latex_text(nl)


def test_presenter_mode_folds_the_data_controls_and_they_still_work():
    """Issue 18: on a projector the chart comes first: the data's controls fold into one expander
    (no "The data" heading above the tabs); inside it they work as before. Normal mode keeps the
    heading and no such expander. (tests/browser/test_presenter_layout.py measures the chart's top.)"""
    normal = run_page(PAGE)
    assert [h.value for h in normal.header][:1] == ["The data"]
    assert not [e for e in normal.expander if e.label.startswith("The data")]
    at = run_page(PAGE, {"present": "true"})
    no_exception(at)
    assert "The data" not in [h.value for h in at.header]
    box = next(e for e in at.expander if e.label.startswith("The data"))
    assert box.radio(key="data").value == "Generated points"
    slope = float(results(at)["m"].split("±")[0])
    at.slider(key="tm").set_value(-2.0).run()
    no_exception(at)
    assert float(results(at)["m"].split("±")[0]) == pytest.approx(-2.0 + slope - 1.5, abs=0.01), \
        "a data slider inside the folded box still changes the data (same noise: the slope moves by the change)"
    assert len(charts(at)) == 2


# ---------------------------------------------------------------------------------------------
# Issue #19: drag frames of slope m and intercept c
def frame_sets(at) -> dict:
    """{(chart key, slider): (raw bytes, frames)} of the hidden drag-frame elements (``lf-...``)."""
    out = {}
    for comp in at.get("bidi_component"):
        if str(comp.key).startswith("lf-"):
            meta, body = comp.proto.bytes.decode().split("\n", 1)
            meta = json.loads(meta)
            out[meta["chart"], meta["slider"]] = (comp.proto.bytes, json.loads(body))
    return out


def frame_values(v, shared=None) -> np.ndarray:
    """A frame's array: short ones plain lists (None = NaN), long ones 16-bit steps (``q2``), or
    ``ax``: the set's shared[a] + t·shared[b] (``regression_frames.AFFINE``)."""
    if isinstance(v, dict) and v.get("dtype") == "ax":
        a, b = (np.array([np.nan if u is None else u for u in shared[v[k]]], float) for k in ("a", "b"))
        return a + v["t"] * b
    if isinstance(v, dict):
        q = np.frombuffer(base64.b64decode(v["bdata"]), dtype="<i2").astype(float)
        return np.where(q == -32768, np.nan, v["lo"] + q * v["step"])
    return np.array([np.nan if u is None else u for u in v], float)


def test_m_and_c_frames_are_the_pictures_the_page_draws_there():
    """Each frame of m (c held) is the fit chart the page draws once m is released at that value:
    the same line and residual segments (within the frames' 16-bit steps, 1/65534 of the span), and
    the landscape's marker at (m, c); only those move (never the data, the contour, the optimum);
    the descent path from the old start is hidden during the drag. Releasing m keeps m's frames
    byte for byte (they depend on c only) and recomputes c's."""
    at = run_page(PAGE, {"data": SPRING})
    no_exception(at)
    sets = frame_sets(at)
    assert set(sets) == {("hand_plot", "m"), ("hand_plot", "c"), ("landscape", "m"), ("landscape", "c")}
    c0 = at.slider(key="c").value
    hand_m, land_m = sets["hand_plot", "m"][1], sets["landscape", "m"][1]
    assert hand_m["traces"] == [1, 2] and hand_m["paths"] == ["y"]          # residuals, line: y only
    assert land_m["traces"] == [1, 2] and land_m["ntraces"] == 4             # path (hidden), marker
    k = len(hand_m["values"]) // 3
    v = hand_m["values"][k]
    assert all(step[0] == {"visible": False} for step in land_m["steps"])
    assert land_m["steps"][k][1]["x"] == [pytest.approx(v, rel=1e-5)]
    at.slider(key="m").set_value(v).run()
    no_exception(at)
    fig = figures(at)["hand_plot"]
    span = lambda a: np.nanmax(a) - np.nanmin(a)       # noqa: E731
    for i, trace in zip(hand_m["traces"], hand_m["steps"][k]):
        want = values(fig["data"][i]["y"])
        got = frame_values(trace["y"], hand_m.get("shared"))
        assert got.shape == want.shape and np.array_equal(np.isnan(got), np.isnan(want))
        ok = ~np.isnan(want)
        assert np.allclose(got[ok], want[ok], rtol=1e-4, atol=span(want) / 60000 + 1e-12)
    line_x = values(fig["data"][2]["x"])
    assert np.allclose(frame_values(hand_m["steps"][k][1]["y"]), v * line_x + c0, rtol=1e-4)
    after = frame_sets(at)
    assert after["hand_plot", "m"][0] == sets["hand_plot", "m"][0]           # same bytes: depends on c only
    assert after["landscape", "m"][0] == sets["landscape", "m"][0]
    assert after["hand_plot", "c"][0] != sets["hand_plot", "c"][0]           # c's frames now hold m = v
    hand_c = after["hand_plot", "c"][1]
    j = len(hand_c["values"]) // 2
    assert np.allclose(frame_values(hand_c["steps"][j][1]["y"]), v * line_x + hand_c["values"][j], rtol=1e-4)


def test_frames_follow_the_least_squares_toggle_and_the_bad_slider_name():
    """With the least-squares line drawn (a fourth trace that never moves) the frames say so, so
    the chart takes them; a slider other than m or c is refused."""
    from explorer import regression as rg
    from explorer.figures import regression_frames as rff
    data = rg.generated(12, 1.0, 1.5, 2.0, 3)
    assert rff.hand_frames(data.x, data.y, data.s, "m", 2.0, [1.0, 1.5], best=True)["ntraces"] == 4
    assert rff.hand_frames(data.x, data.y, data.s, "c", 1.5, [1.0, 1.5])["ntraces"] == 3
    assert rff.landscape_frames("c", 1.5, [1.0, 2.0], path_drawn=False)["traces"] == [1]
    with pytest.raises(ValueError):
        rff.hand_frames(data.x, data.y, data.s, "slope", 2.0, [1.0])


def test_a_data_slider_sends_the_frames_of_the_new_data_built_for_every_position_at_once():
    """Issues #17/#19: a data slider (N points) changes the data, so all four frame sets are new;
    each is what ``explorer.figures.regression_frames`` builds for the new data at every position
    of the slider as the page draws it (min, max, step of the slider itself), byte for byte, and
    that is the generic diff over the page's own figure builder (``slider_frames``), with the other
    parameter at the value the page drew."""
    from explorer import regression as rg
    from explorer.figures import regression as rf
    from explorer.figures import regression_frames as rff
    from explorer.figures.frames import frames_json, slider_frames, slider_values
    at = run_page(PAGE)
    no_exception(at)
    before = frame_sets(at)
    at.slider(key="n").set_value(31).run()
    no_exception(at)
    after = frame_sets(at)
    assert set(after) == set(before) == {("hand_plot", "m"), ("hand_plot", "c"), ("landscape", "m"), ("landscape", "c")}
    assert all(after[k][0] != before[k][0] for k in after), "new data: new positions and residuals in every set"
    data = rg.generated(31, at.slider(key="noise").value, at.slider(key="tm").value, at.slider(key="tc").value,
                        int(at.number_input(key="seed").value))
    sm, sc = at.slider(key="m"), at.slider(key="c")
    # (m, c) as the page drew them: the landscape's marker (the widget snaps a kept value to the new steps)
    marker = next(t for t in figures(at)["landscape"]["data"] if t.get("name", "").startswith("start"))
    m, c = float(values(marker["x"])[0]), float(values(marker["y"])[0])
    for key, sl, other in (("m", sm, c), ("c", sc, m)):
        positions = slider_values(sl.min, sl.max, sl.step)
        assert after["hand_plot", key][1]["values"] == list(positions)
        mc = (lambda v: (v, other)) if key == "m" else (lambda v: (other, v))  # noqa: B023
        page = after["hand_plot", key][1]
        assert page == json.loads(frames_json(rff.hand_frames(data.x, data.y, data.s, key, other, positions)))
        generic = json.loads(frames_json(slider_frames(
            lambda v: rf.hand_fit_figure(data.x, data.y, data.s, *mc(v)), positions)))  # noqa: B023
        if not rff.AFFINE:
            assert page == generic                   # 16-bit residuals: the generic frames byte for byte
        assert {k: page[k] for k in ("values", "traces", "paths", "ntraces")} == \
            {k: generic[k] for k in ("values", "traces", "paths", "ntraces")}
        for j in range(0, len(positions), 9):
            for mine, theirs in zip(page["steps"][j], generic["steps"][j]):
                got, want = frame_values(mine["y"], page.get("shared")), frame_values(theirs["y"])
                ok = ~np.isnan(want)
                assert np.array_equal(np.isnan(got), ~ok)
                assert np.allclose(got[ok], want[ok], rtol=1e-4, atol=np.ptp(want[ok]) / 60000 + 1e-12)
        assert after["landscape", key][1] == json.loads(frames_json(rff.landscape_frames(key, other, positions, True)))
