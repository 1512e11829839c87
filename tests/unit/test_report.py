"""The fit report (explorer.regression.report), the downloads it needs (explorer.regression.export:
safe CSV, the bands' table, chart images) and the figures of issue 21 (explorer.figures.regression)."""
import csv
import io
import math
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import plotly.colors
import pytest
from scipy import stats

from explorer import regression as rg
from explorer.figures import fastfig
from explorer.figures import regression as rf
from explorer.numbers import superscript
from explorer.regression import export as ex
from explorer.regression import report as rp


def line_data(n=25, seed=3, sigma=None):
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 10, n)
    y = 2.0 * x + 1.0 + 0.05 * x ** 2 + rng.normal(0, 0.4, n)
    return x, y, sigma


# value ± error, to the digits the error supports
@pytest.mark.parametrize("value, error, text", [
    (1.23456, 0.01234, "1.235 ± 0.012"),
    (12.3456, 0.0996, "12.35 ± 0.10"),        # the error rounds up into the next decade: 2 figures, not 3
    (-0.01504312, 0.000268, "-0.01504 ± 0.00027"),
    (1234.6, 56.0, "1235 ± 56"),
    (123456.0, 7890.0, "123500 ± 7900"),
    (926.04, 17.3, "926 ± 17"),
    (2.0, 0.5, "2.00 ± 0.50"),
    (1.2346e-7, 3.4e-9, "(1.235 ± 0.034)×10" + superscript(-7)),
    (6.02214076e23, 1.2e19, "(6.02214 ± 0.00012)×10" + superscript(23)),
])
def test_plus_minus_keeps_the_digits_the_error_supports(value, error, text):
    assert rp.plus_minus(value, error) == text


def _parse(text):
    m = re.fullmatch(r"\(?(-?[\d.]+) ± ([\d.]+)\)?(?:×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?", text)
    assert m, text
    scale = 1.0
    if m.group(3):
        scale = 10.0 ** int(m.group(3).translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))
    return float(m.group(1)) * scale, float(m.group(2)) * scale, m.group(2)


def test_plus_minus_round_trips_on_random_values():
    """For values and errors over many decades: the error keeps 2 significant figures (within its
    rounding), the value is within half a unit of the error's last digit."""
    rng = np.random.default_rng(0)
    for _ in range(2000):
        err = 10.0 ** rng.uniform(-9, 9)
        value = rng.choice([-1, 1]) * err * 10.0 ** rng.uniform(-1, 5)
        v, e, _ = _parse(rp.plus_minus(value, err))
        assert float(f"{e:.2g}") == pytest.approx(e, rel=1e-9), "at most two significant figures"
        unit = 10.0 ** (math.floor(math.log10(err)) - 1)           # the error's second digit
        assert abs(e - err) <= 0.5 * unit * 10 * (1 + 1e-9) and e == pytest.approx(err, rel=0.051)
        assert abs(v - value) <= 0.5 * unit * 10 * (1 + 1e-9), (value, err, v)
        assert abs(v - value) <= 0.5 * unit * (1 + 1e-6) or float(f"{e:.1g}") == pytest.approx(e, rel=1e-9), "a digit too few"


def test_plus_minus_without_a_usable_error():
    assert rp.plus_minus(3.25, float("nan")) == "3.25 ± undefined"
    assert rp.plus_minus(3.25, 0.0) == "3.25 ± undefined"
    assert rp.plus_minus(float("nan"), 0.1) == "undefined"


# the editable parameter table
def test_limits_table_and_reading_it_back():
    p0 = {"A": 2.0, "k": -0.5}
    table = rp.limits_table(p0)
    assert list(table.columns) == ["parameter", "start", "lower", "upper", "fixed"]
    assert rp.read_limits(table, p0) == (p0, (), ())
    table.loc[0, ["lower", "fixed"]] = [0.0, True]
    table.loc[1, ["upper", "start"]] = [0.0, -0.25]
    start, bounds, fixed = rp.read_limits(table, p0)
    assert start == {"A": 2.0, "k": -0.25}
    assert bounds == (("A", 0.0, math.inf), ("k", -math.inf, 0.0)) and fixed == ("A",)
    table.loc[1, "start"] = None                        # an emptied start keeps the automatic one
    assert rp.read_limits(table, p0)[0]["k"] == -0.5


# statistics, summaries and the comparison, against their formulas
def test_statistics_are_the_formulas():
    x, y, _ = line_data()
    fit = rg.fit_model("m*x + c", x, y, {"m": 1.0, "c": 0.0})
    n, k = x.size, 2
    m, c = np.polyfit(x, y, 1)
    chi2 = float(((y - (m * x + c)) ** 2).sum())
    aic = n * math.log(chi2 / n) + 2 * k
    shown = rp.statistics(fit)
    assert float(shown["χ²"]) == pytest.approx(chi2, rel=1e-5)
    assert shown["degrees of freedom (n − k)"] == f"{n - k} = {n} − {k}"
    assert float(shown["AIC"]) == pytest.approx(aic, rel=1e-5)
    assert float(shown["AICc"]) == pytest.approx(aic + 2 * k * (k + 1) / (n - k - 1), rel=1e-5)
    assert float(shown["BIC"]) == pytest.approx(n * math.log(chi2 / n) + k * math.log(n), rel=1e-5)
    assert float(shown["RMSE"]) == pytest.approx(math.sqrt(chi2 / n), rel=1e-3)
    assert float(shown["R²"]) == pytest.approx(np.corrcoef(x, y)[0, 1] ** 2, rel=1e-3), "linear: R² plain"
    gauss = rg.fit_model("A*exp(-(x-mu)^2/(2*s^2))", x, np.exp(-(x - 5) ** 2 / 4) + 0.01 * np.sin(x),
                         {"A": 1, "mu": 4, "s": 1})
    assert "can mislead" in rp.statistics(gauss)["R²"]


def test_comparison_summary_line_in_polynomial_with_the_f_test():
    x, y, _ = line_data()
    line = rg.fit_model("m*x + c", x, y, {"m": 1.0, "c": 0.0})
    quad = rg.fit_model("a0 + a1*x + a2*x^2", x, y, {"a0": 0.0, "a1": 1.0, "a2": 0.0})
    comparison, first_simpler = rp.compare_pair(quad, line, ("Polynomial", "Straight line"))
    assert not first_simpler and comparison.nested, "a line is a polynomial with a2 = 0, named otherwise"
    summary = rp.comparison_summary(comparison, ("Polynomial", quad), ("Straight line", line), first_simpler)
    assert summary["simpler"].startswith("Straight line (2 free") and summary["richer"].startswith("Polynomial (3 free")
    c1 = float(((y - np.polyval(np.polyfit(x, y, 1), x)) ** 2).sum())
    c2 = float(((y - np.polyval(np.polyfit(x, y, 2), x)) ** 2).sum())
    n = x.size
    f = (c1 - c2) / (c2 / (n - 3))
    p = float(summary["F test"].split("p = ")[1])
    assert p == pytest.approx(stats.f.sf(f, 1, n - 3), rel=2e-2)
    assert float(summary["F test"].split("F = ")[1].split(" ")[0]) == pytest.approx(f, rel=1e-3)
    aicc = lambda c, k: n * math.log(c / n) + 2 * k + 2 * k * (k + 1) / (n - k - 1)
    assert float(summary["ΔAICc = AICc(richer) − AICc(simpler)"]) == pytest.approx(aicc(c2, 3) - aicc(c1, 2), rel=1e-3)
    other, _ = rp.compare_pair(line, rg.fit_model("A*exp(k*x)", x, y, {"A": 1.0, "k": 0.1}))
    assert not other.nested
    assert "does not apply" in rp.comparison_summary(other, ("a", line), ("b", line), True)["F test"]


def test_data_summary():
    x = np.array([1.0, 2.0, np.nan, 4.0])
    summary = rp.data_summary(x, np.array([3.0, 1.0, 2.0, 5.0]), None, "mine.csv", "t", "v", dropped=1)
    assert summary["points used"] == "3 (1 left out: missing or not finite)"
    assert summary["x range"] == "1 to 4" and summary["y range"] == "1 to 5"
    assert summary["σ"].startswith("not given") and summary["source"] == "mine.csv"


class _Html(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open, self.tags, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in ("meta", "img"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open.pop() == tag

    def handle_data(self, data):
        self.text.append(data)


def test_report_escapes_what_the_user_typed():
    x, y, _ = line_data()
    fit = rg.fit_model("m*x + c", x, y, {"m": 1.0, "c": 0.0}, bounds={"m": (0, 1.5)}, fixed=None)
    name = "<script>alert(1)</script>|[link](http://evil)"
    report = rp.fit_report(fit, model_name="Straight line", model_text="m*x + c", level=0.99,
                           data=rp.data_summary(x, y, None, name, "x_<b>", "y"), image_png=None,
                           image_note="no browser here")
    page = _Html()
    page.feed(report.html())
    assert not page.open and "script" not in page.tags and "b" not in page.tags
    assert name in "".join(page.text), "shown as text"
    md = report.markdown()
    assert not re.search(r"(?<!\\)<", md) and not re.search(r"(?<!\\)\]\(", md), "no tag, no link"
    assert "\\<script\\>alert(1)\\</script\\>\\|\\[link\\](http://evil)" in md, "escaped, shown as typed"
    assert "The chart could not be included: no browser here." in md
    assert "99 % confidence band" in md and "ended on a bound" in md, "m = 1.5 is its upper bound"
    row = next(r for r in md.splitlines() if r.startswith("| m |"))
    assert "1.5" in row and "bounds \\[0, 1.5\\]" in row


def test_report_with_fixed_parameter_and_comparison():
    x, y, _ = line_data()
    fit = rg.fit_model("a0 + a1*x + a2*x^2", x, y, {"a0": 1.0, "a1": 1.0, "a2": 0.0}, fixed=["a0"])
    line = rg.fit_model("a0 + a1*x", x, y, {"a0": 1.0, "a1": 1.0})
    md = rp.fit_report(fit, model_name="Polynomial", model_text="a0 + a1*x + a2*x^2", level=0.95,
                       data=rp.data_summary(x, y), second=("Line", "a0 + a1*x", line)).markdown()
    assert "| a0 | 1 | held fixed |" in md
    assert "Compared with a second model" in md and "ΔAICc" in md
    assert f"| degrees of freedom (n − k) | {x.size - 2} = {x.size} − 2 |" in md


# CSV
def test_safe_csv_neutralises_formulas_and_keeps_numbers():
    df = pd.DataFrame({"=cmd": ["=1+1", " =HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "＝1", "plain", "a=b"],
                       "n": [-1.5, 2, 0, 1e300, -3, 4, 5, 6, 7, 8]})
    rows = list(csv.reader(io.StringIO(ex.safe_csv(df), newline="")))
    assert rows[0] == ["'=cmd", "n"]
    cells = rows[1:]
    assert [c[0][:1] for c in cells[:8]] == ["'"] * 8 and cells[1][0] == "' =HYPERLINK(1)"
    assert cells[8][0] == "plain" and cells[9][0] == "a=b"
    assert cells[0][1] == "-1.5" and cells[4][1] == "-3.0", "numbers stay numbers"


def test_band_table_brackets_the_curve():
    x, y, _ = line_data()
    fit = rg.fit_model("m*x + c", x, y, {"m": 1.0, "c": 0.0})
    table = ex.band_table("m*x + c", fit, np.linspace(0, 10, 11), 0.68)
    assert list(table.columns)[:2] == ["x", "fitted"]
    lo_c, hi_c, lo_p, hi_p = (table[c].to_numpy() for c in table.columns[2:])
    assert np.all(lo_p < lo_c) and np.all(lo_c < table.fitted) and np.all(table.fitted < hi_c) and np.all(hi_c < hi_p)
    assert "confidence lower (68 %)" in table.columns


# figures
def test_new_figures_validate_and_carry_their_meaning():
    x, y, _ = line_data()
    s = np.full(x.size, 0.4)
    fit = rg.fit_model("m*x + c", x, y, {"m": 1.0, "c": 0.0}, s)
    fig = rf.fit_band_figure(x, y, s, fit, 0.95, extra_curves=[("other", x, y, "#ff7f0e", "dash")])
    figs = [fig, rf.comparison_figure(x, y, s, [("a", fit), ("b", fit)]), rf.correlation_figure(fit.correlation),
            rf.residual_histogram_figure(*rf.normalised_residuals(fit, s))]
    for f in figs:
        fastfig.validate(f)
    bands = [t for t in fig.data if t.legendgroup in ("confidence", "prediction")]
    assert len(bands) == 4 and {t.line.dash for t in bands} == {"dash", "dot"}
    assert {t.name for t in bands if t.showlegend is not False} == {
        "95 % confidence band (where the true curve lies)", "95 % prediction band (where a new point lies)"}
    heat = figs[2].data[0]
    assert heat.colorscale and heat.text[0][0] == "1" and float(heat.text[0][1]) == pytest.approx(
        fit.correlation.iloc[0, 1], abs=0.006)
    printed = {(a.x, a.y): a for a in figs[2].layout.annotations}
    assert printed[("m", "c")].text == heat.text[1][0], "every number printed in its cell"
    for a in printed.values():                  # the printed number contrasts ≥ 4.5:1 with its cell
        cell = plotly.colors.sample_colorscale("Cividis", [(float(a.text) + 1) / 2])[0]
        assert _contrast(cell, a.font.color) >= 4.5, (a.text, cell, a.font.color)
    values, label = rf.normalised_residuals(fit, s)
    np.testing.assert_allclose(values, fit.residuals / 0.4)
    hist = figs[3].data
    assert hist[0].y.sum() == x.size
    assert np.trapezoid(hist[1].y, hist[1].x) == pytest.approx(x.size * (hist[0].x[1] - hist[0].x[0]), rel=0.01)
    unweighted = rg.fit_model("m*x + c", x, y, {"m": 1.0, "c": 0.0})
    values, label = rf.normalised_residuals(unweighted)
    assert np.std(values, ddof=2) == pytest.approx(1.0, rel=1e-9) and "√(χ²/dof)" in label


def _contrast(rgb: str, colour: str) -> float:
    def lum(r, g, b):
        f = lambda c: c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        return 0.2126 * f(r / 255) + 0.7152 * f(g / 255) + 0.0722 * f(b / 255)
    a = lum(*(float(v) for v in rgb[rgb.index("(") + 1:-1].split(",")))
    b = lum(*((0, 0, 0) if colour == "black" else (255, 255, 255)))
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def test_correlation_numbers_contrast_with_every_shade():
    from explorer.figures.regression import _text_colour
    for t in np.linspace(0, 1, 101):
        cell = plotly.colors.sample_colorscale("Cividis", [t])[0]
        assert _contrast(cell, _text_colour(cell)) >= 4.5, cell


def test_printable_figure_has_a_plain_look():
    x, y, _ = line_data()
    fit = rg.fit_model("m*x + c", x, y, {"m": 1.0, "c": 0.0})
    spec = ex.printable(rf.fit_band_figure(x, y, None, fit))
    assert spec["layout"]["template"] == "plotly_white" and spec["layout"]["yaxis"]["gridcolor"] == "#d9d9d9"


def test_chart_image_without_a_browser_says_why(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    x, y, _ = line_data()
    fig = rf.residual_histogram_figure(y, "r")
    assert ex.chart_image(fig, "png") is None
    assert "no Chrome or Chromium browser" in ex.image_export_problem()
    assert ex.chart_image(fig, "gif") is None


@pytest.mark.skipif(ex.image_export_problem() is not None, reason="no image exporter (kaleido + Chromium) here")
def test_chart_image_png_and_svg():
    x, y, _ = line_data()
    fit = rg.fit_model("m*x + c", x, y, {"m": 1.0, "c": 0.0})
    fig = rf.fit_band_figure(x, y, None, fit)
    png = ex.chart_image(fig, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1800, 2 * 460), "900 px wide (the figure's own 460 px high) at scale 2"
    svg = ex.chart_image(fig, "svg").decode()
    assert svg.startswith("<svg") and "95 % confidence band" in svg and "stroke-dasharray" in svg


# issue 18: the parameters file names what was fitted and has no "nan"
def _csv_sections(text):
    rows = list(csv.reader(io.StringIO(text, newline="")))
    sections, current = [], []
    for row in rows:
        if row:
            current.append(row)
        elif current:
            sections.append(current)
            current = []
    return sections + ([current] if current else [])


def test_parameters_csv_names_the_model_file_n_and_dof_with_no_nan():
    x, y, _ = line_data(n=25)
    s = np.full(x.size, 0.4)
    s[3] = 0.0                     # one point without a usable σ: left out, N = 24
    fit = rg.fit_model("a0 + a1*x + a2*x^2", x, y, {"a0": 1.0, "a1": 1.0, "a2": 0.0}, s, fixed=("a0",))
    text = ex.parameters_csv(fit, model_name="Polynomial", model_text="a0 + a1*x + a2*x^2", source="run3.csv",
                             xlabel="t [s]", ylabel="h [m]", sigma="dh [m]")
    assert "nan" not in text.lower()
    about, params, stats_ = (dict(r[:2] for r in sec) if i != 1 else sec for i, sec in enumerate(_csv_sections(text)))
    assert about["model"] == "Polynomial" and about["f(x)"] == "a0 + a1*x + a2*x^2" and about["data"] == "run3.csv"
    assert about["x column"] == "t [s]" and about["y column"] == "h [m]" and about["sigma column"] == "dh [m]"
    assert about["N (points used)"] == "24" and about["free parameters"] == "2"
    assert about["degrees of freedom (N - free parameters)"] == "22" == str(fit.dof)
    assert params[0] == ["parameter", "value", "standard error", "note"]
    by_name = {r[0]: r for r in params[1:]}
    assert by_name["a0"][2] == "" and "held fixed" in by_name["a0"][3]
    for k in ("a1", "a2"):
        assert float(by_name[k][1]) == fit.params[k] and float(by_name[k][2]) == fit.stderr[k] > 0
    assert stats_ == {"statistic": "value", "chi2": repr(fit.chi2), "reduced chi2 (chi2 / dof)": repr(fit.reduced_chi2)}
    assert fit.reduced_chi2 == pytest.approx(fit.chi2 / 22)


def test_parameters_csv_keeps_user_text_from_being_a_formula():
    x, y, _ = line_data()
    fit = rg.fit_model("-m*x + c", x, y, {"m": -1.0, "c": 0.0})
    text = ex.parameters_csv(fit, model_name="Typed model", model_text="-m*x + c", source="=HYPERLINK(1).csv",
                             xlabel="@x", ylabel="+y")
    about = dict(r[:2] for r in _csv_sections(text)[0])
    assert about["f(x)"] == "'-m*x + c" and about["data"] == "'=HYPERLINK(1).csv"
    assert about["x column"] == "'@x" and about["y column"] == "'+y" and about["data"] != "generated points"
    rows = {r[0]: r for r in _csv_sections(text)[1][1:]}
    assert float(rows["m"][1]) < 0 and not rows["m"][1].startswith("'"), "a negative value stays a number"
    assert about["sigma column"] == "none (every sigma = 1)"


def test_report_names_the_file_model_n_and_dof():
    x, y, _ = line_data(n=25)
    s = np.full(x.size, 0.4)
    s[[2, 5]] = [0.0, np.nan]
    fit = rg.fit_model("m*x + c", x, y, {"m": 1.0, "c": 0.0}, s)
    data = rp.data_summary(x, y, s, "run3.csv", "t [s]", "h [m]", fit.dropped)
    assert data["points used"].startswith(f"{fit.n} ") and fit.n == 23, "N counts only the points fitted"
    md = rp.fit_report(fit, model_name="Straight line", model_text="m*x + c", data=data, level=0.95).markdown()
    assert "| source | run3.csv |" in md and "f(x) = m\\*x + c" in md
    assert "| points used | 23 (2 left out: missing or not finite or σ not positive) |" in md
    assert "| degrees of freedom (n − k) | 21 = 23 − 2 |" in md
