"""Issue 21 in a real browser: upload a CSV on the Regression page, type a lower bound into the
parameter table, fit, add a second model and read the comparison. Every number the page shows is
checked against an independent scipy computation (least squares with the same bound, lmfit's AICc,
the F test from its formula)."""
import math
import re
from html.parser import HTMLParser
from urllib.parse import quote

import numpy as np
import pytest
from scipy import optimize, stats

from helpers import wait_for_app

pytestmark = pytest.mark.browser

T = np.arange(0.0, 82.0, 2.0)                                     # 41 points
Y = np.round(500 * np.exp(-0.05 * T) + 40 + 6 * np.sin(1.7 * T), 3)  # a decay over a background of 40
B_LOWER = 45.0                                                    # binds: the best B unbounded is ≈ 40

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def _number(text: str) -> float:
    """A number as the page writes it: 1.234, −0.05, 3.1×10⁻⁷, 1,234."""
    text = text.strip().replace("−", "-").replace(",", "")
    m = re.fullmatch(r"(-?[\d.]+)(?:\s*[×x]\s*10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+))?", text)
    assert m, text
    return float(m.group(1)) * (10.0 ** int(m.group(2).translate(_SUPERSCRIPT)) if m.group(2) else 1.0)


def _table(page, has_text: str) -> dict[str, str]:
    """A results table (names in the header row, values under them) as name -> text."""
    table = page.locator('[data-testid="stMain"] table').filter(has_text=has_text).first
    heads = [h.strip() for h in table.locator("th").all_inner_texts()]
    cells = [c.strip() for c in table.locator("tbody td").all_inner_texts()]
    return dict(zip(heads, cells))


def _expected():
    """Both fits by scipy: A·e^(kx) + B with B ≥ 45, and A·e^(kx); χ², AICc, the F test."""
    f3 = lambda p: p[0] * np.exp(p[1] * T) + p[2] - Y
    f2 = lambda p: p[0] * np.exp(p[1] * T) - Y
    r3 = optimize.least_squares(f3, [450, -0.04, 50], bounds=([-np.inf, -np.inf, B_LOWER], np.inf), xtol=1e-15,
                                ftol=1e-15, gtol=1e-15)
    r2 = optimize.least_squares(f2, [500, -0.03], xtol=1e-15, ftol=1e-15, gtol=1e-15)
    n = len(T)

    def aicc(chi2, k):
        return n * math.log(chi2 / n) + 2 * k + 2 * k * (k + 1) / (n - k - 1)
    chi3, chi2_ = float(r3.fun @ r3.fun), float(r2.fun @ r2.fun)
    F = ((chi2_ - chi3) / 1) / (chi3 / (n - 3))
    return {"p3": r3.x, "p2": r2.x, "chi3": chi3, "chi2": chi2_, "delta_aicc": aicc(chi3, 3) - aicc(chi2_, 2),
            "F": F, "p": float(stats.f.sf(F, 1, n - 3)), "n": n}


def _set_cell(page, grid, row: int, col: int, text: str) -> None:
    """Type into a cell of an st.data_editor (a canvas grid): select its first cell, walk there
    with the arrow keys, open the cell's editor with Enter, fill it and commit with Enter."""
    grid.scroll_into_view_if_needed()
    box = grid.locator("canvas").first.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)          # row 0, column 0 (under the 35 px header)
    # the arrow keys must go to the grid (not to the model's radio buttons clicked before)
    page.wait_for_function("() => (document.activeElement || {}).dataset?.testid === 'data-grid-canvas'")
    for _ in range(col):
        page.keyboard.press("ArrowRight")
    for _ in range(row):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")                                  # opens the cell's editor
    editor = page.locator("#portal textarea, #portal input").first
    editor.wait_for()
    editor.fill(text)
    page.keyboard.press("Enter")


def test_upload_bound_fit_and_compare_two_models(page, app_url, tmp_path):
    exp = _expected()
    page.goto(app_url + "regression?view=" + quote("Nonlinear models and your own") + "&data=" + quote("Upload a CSV"))
    wait_for_app(page)
    csv = tmp_path / "decay_background.csv"
    csv.write_text("t,counts\n" + "\n".join(f"{t:g},{y:.3f}" for t, y in zip(T, Y)) + "\n")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(csv))
    page.get_by_text("Loaded decay_background.csv").wait_for()
    wait_for_app(page)
    page.locator(".st-key-model").get_by_text("Exponential with background", exact=True).click()
    wait_for_app(page)
    page.get_by_text("Converged").first.wait_for()

    # the parameter table: A, k, B; type B's lower bound (row 2, column "lower")
    grid = page.locator('[class*="st-key-limits_"]').first
    grid.locator("canvas").first.wait_for()
    assert grid.locator('[data-testid="glide-cell-0-2"]').inner_text() == "B"
    _set_cell(page, grid, 2, 2, f"{B_LOWER:g}")
    page.get_by_text("ended on a bound").first.wait_for(timeout=60000)
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0

    params = _table(page, "ended on a bound")
    assert "bounds [45, +∞]" in params["B"] and "ended on a bound" in params["B"], params
    assert _number(params["B"].split("±")[0]) == pytest.approx(B_LOWER, abs=1e-9)
    for name, value in zip("Ak", exp["p3"][:2]):
        shown = params[name].split("±")[0]
        # shown to the digits its uncertainty supports: agree to the last digit shown
        digits = len(shown.strip().split(".")[1]) if "." in shown else 0
        assert _number(shown) == pytest.approx(value, abs=0.51 * 10.0 ** -digits + 1e-9), (name, shown, value)
    stats_ = _table(page, "AICc")
    assert _number(stats_["χ²"]) == pytest.approx(exp["chi3"], rel=1e-5)
    assert stats_["degrees of freedom (n − k)"] == f"{exp['n'] - 3} = {exp['n']} − 3"

    # a second model on the same data: the exponential without background, nested in the first
    page.locator(".st-key-compare").get_by_text("Compare with a second model").click()
    page.locator(".st-key-model2").wait_for()
    page.locator(".st-key-model2").get_by_text("Exponential", exact=True).click()
    page.locator(".st-key-p3d-compare_plot .js-plotly-plot").wait_for(timeout=60000)
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    cmp = _table(page, "ΔAICc")
    assert cmp["simpler"].startswith("Exponential (2 free parameters)"), cmp
    assert cmp["richer"].startswith("Exponential with background (3 free parameters)"), cmp
    assert _number(cmp["ΔAICc = AICc(richer) − AICc(simpler)"]) == pytest.approx(exp["delta_aicc"], rel=2e-3, abs=2e-3)
    m = re.fullmatch(r"F = (\S+) on \((\d+), (\d+)\) degrees of freedom, p = (\S+)", cmp["F test"])
    assert m, cmp["F test"]
    assert _number(m.group(1)) == pytest.approx(exp["F"], rel=2e-3)
    assert (int(m.group(2)), int(m.group(3))) == (1, exp["n"] - 3)
    assert _number(m.group(4)) == pytest.approx(exp["p"], rel=1e-2)
    # both fits drawn together, each through its own parameters
    curves = page.evaluate("""() => document.querySelector('.st-key-p3d-compare_plot .js-plotly-plot').data
                                   .map(t => t.name)""")
    assert sum("Exponential" in (c or "") for c in curves) >= 2, curves


# Bands drawn on the fit chart, and the report and chart downloads (the bundled decay sample, a fit
# weighted by its σ column). Expected values come from explorer in this process on the same file.
DECAY = "Sample: decay counts with σ"
FIT_CHART = ".st-key-p3d-model_plot .js-plotly-plot"
READ_BANDS = """sel => { const gd = document.querySelector(sel);
  if (!gd || !gd._fullData) return null;
  return JSON.stringify(gd._fullData.filter(t => / band \\(/.test(t.name || '')).map(t => ({name: t.name,
      group: t.legendgroup, fill: t.fill, x: Array.from(t.x || []), y: Array.from(t.y || [])}))); }"""


def _decay_fit():
    """The page's fit of the decay sample: its columns (σ guessed from the name), the suggested model
    with its automatic start values, fitted by explorer here."""
    from explorer import regression as rg
    table = rg.sample_table(rg.SAMPLES[DECAY])
    data = rg.table_data(table, "time_s", "counts", rg.guess_sigma_column(list(table.columns)), rg.SAMPLES[DECAY])
    assert data.s is not None                           # the σ column is used: a weighted fit
    model, p0 = rg.builtin_start("Exponential with background", data.x, data.y, 2)
    return data, model, rg.fit_model(model, data.x, data.y, p0, sigma=data.s)


def _independent_bands(data, x, level):
    """The same bands by scipy and numpy alone: the σ-weighted least-squares fit of A·e^(kx) + B, its
    absolute covariance C = (JᵀJ)⁻¹ (J: the analytic Jacobian of the weighted residuals), and the
    delta method at x: curve, confidence half-width t·√(gᵀCg), prediction half-width t·√(gᵀCg + mean σ²)."""
    def grad(p, t):
        return np.column_stack([np.exp(p[1] * t), p[0] * t * np.exp(p[1] * t), np.ones_like(t)])
    r = optimize.least_squares(lambda p: (p[0] * np.exp(p[1] * data.x) + p[2] - data.y) / data.s, [900.0, -0.015, 15.0],
                               jac=lambda p: grad(p, data.x) / data.s[:, None], xtol=1e-15, ftol=1e-15, gtol=1e-15)
    J = grad(r.x, data.x) / data.s[:, None]
    C = np.linalg.inv(J.T @ J)
    G = grad(r.x, x)
    var = np.einsum("ij,jk,ik->i", G, C, G)
    t = stats.t.ppf((1 + level) / 2, len(data.x) - 3)
    return r.x[0] * np.exp(r.x[1] * x) + r.x[2], t * np.sqrt(var), t * np.sqrt(var + np.mean(data.s ** 2))


def _open_decay(page, app_url):
    page.goto(app_url + "regression?view=" + quote("Nonlinear models and your own") + "&data=" + quote(DECAY))
    wait_for_app(page)
    page.get_by_text("Converged").first.wait_for(timeout=120000)
    page.locator(FIT_CHART).wait_for(timeout=120000)
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0


def _choose_level(page, label: str, level: float) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Pick a level in the "Bands' confidence level" radio, wait until the chart draws bands named
    for it, and read them: kind -> (x, lower, upper)."""
    page.locator(".st-key-level").get_by_text(label, exact=True).click()
    prefix = f"{level * 100:g} % "
    page.wait_for_function("([sel, p]) => { const gd = document.querySelector(sel); return !!(gd && gd._fullData"
                           " && gd._fullData.some(t => (t.name || '').startsWith(p + 'confidence band')))"
                           " && gd._fullData.some(t => (t.name || '').startsWith(p + 'prediction band')); }",
                           arg=[FIT_CHART, prefix], timeout=120000)
    wait_for_app(page)
    import json
    traces = json.loads(page.evaluate(READ_BANDS, FIT_CHART))
    bands = {}
    for kind in ("confidence", "prediction"):
        mine = [t for t in traces if t["group"] == kind]
        assert len(mine) == 2 and all(t["name"].startswith(prefix + kind) for t in mine), traces
        upper, lower = mine                              # upper first, the lower one filled up to it
        assert lower["fill"] == "tonexty" and upper["x"] == lower["x"], (upper["fill"], lower["fill"])
        bands[kind] = (np.array(upper["x"]), np.array(lower["y"]), np.array(upper["y"]))
    return bands


def test_confidence_and_prediction_bands_drawn_at_the_chosen_level(page, app_url):
    data, model, fit = _decay_fit()
    _open_decay(page, app_url)
    n_free = len(fit.free)
    halfwidths = {}
    for label, level in (("95 %", 0.95), ("99 %", 0.99), ("68 %", 0.6827)):
        bands = _choose_level(page, label, level)
        xs = bands["confidence"][0]
        # over the data's span, the 300 points of the drawn curve
        assert len(xs) >= 100 and xs[0] == pytest.approx(data.x.min()) and xs[-1] == pytest.approx(data.x.max())
        for kind, (x, lo, hi) in bands.items():
            exp_lo, exp_hi = fit.band(x, level=level, kind=kind)
            half = (exp_hi - exp_lo) / 2
            assert np.all(half > 0)
            # to 0.01 % of the band's half-width: a normal z for Student's t (37 dof: 3 % at 95 %),
            # the wrong level or the other kind of band is far outside this
            assert np.max(np.abs(lo - exp_lo) / half) < 1e-4, (label, kind)
            assert np.max(np.abs(hi - exp_hi) / half) < 1e-4, (label, kind)
        c_lo, c_hi = bands["confidence"][1:]
        p_lo, p_hi = bands["prediction"][1:]
        # and against an independent delta method (scipy's fit, numpy's algebra) at a few x: 0.001 % (they agree to 1e-12)
        few = np.linspace(0, len(xs) - 1, 7).astype(int)
        curve, conf, pred = _independent_bands(data, xs[few], level)
        np.testing.assert_allclose((c_hi + c_lo)[few] / 2, curve, rtol=1e-6)
        np.testing.assert_allclose((c_hi - c_lo)[few] / 2, conf, rtol=1e-5)
        np.testing.assert_allclose((p_hi - p_lo)[few] / 2, pred, rtol=1e-5)
        # the prediction band holds the confidence band strictly inside it at every x
        assert np.all(p_lo < c_lo) and np.all(p_hi > c_hi), label
        t = stats.t.ppf((1 + level) / 2, len(data.x) - n_free)
        # independent of explorer: (prediction half-width / t)² − (confidence half-width / t)² is the
        # variance a new point adds, the data's mean σ² for a σ-weighted fit, the same at every x
        added = ((p_hi - p_lo) / 2 / t) ** 2 - ((c_hi - c_lo) / 2 / t) ** 2
        assert np.allclose(added, np.mean(data.s ** 2), rtol=1e-6), (label, added[:3], np.mean(data.s ** 2))
        halfwidths[level] = ((c_hi - c_lo) / 2, (p_hi - p_lo) / 2, t)
    # 68 % < 95 % < 99 %: every drawn band widens with the level, at every x, by the ratio of t's
    for kind in (0, 1):
        assert np.all(halfwidths[0.6827][kind] < halfwidths[0.95][kind])
        assert np.all(halfwidths[0.95][kind] < halfwidths[0.99][kind])
    ratio = halfwidths[0.99][0] / halfwidths[0.95][0]
    assert np.allclose(ratio, halfwidths[0.99][2] / halfwidths[0.95][2], rtol=1e-6)
    assert page.locator('[data-testid="stException"]').count() == 0


class _Rows(HTMLParser):
    """The rows of every table of an HTML document, as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def _download(page, key: str, timeout_ms: int = 180000) -> bytes:
    """Click a download button (by its widget key) and return the file's bytes."""
    button = page.locator(f".st-key-{key} button")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=timeout_ms) as info:
        button.click()
    path = info.value.path()
    assert info.value.failure() is None, info.value.failure()
    with open(path, "rb") as fh:
        return fh.read()


def _value_error(text: str) -> tuple[float, float]:
    value, error = text.split("(")[0].split("±")
    return _number(value), _number(error)


def test_report_and_chart_downloads_hold_what_the_page_shows(page, app_url):
    import base64
    import html
    import xml.etree.ElementTree as ET

    from explorer.regression import export as ex
    data, model, fit = _decay_fit()
    _open_decay(page, app_url)
    _choose_level(page, "99 %", 0.99)                    # the report follows the chosen level
    shown_params = _table(page, "±")
    assert set(shown_params) == set(fit.names), shown_params
    shown_stats = _table(page, "AICc")
    for name in fit.names:                               # the page's numbers are the fit's, to the digits shown
        value, error = _value_error(shown_params[name])
        digits = len(shown_params[name].split("±")[0].strip().split(".")[1]) if "." in shown_params[name].split("±")[0] else 0
        assert value == pytest.approx(fit.params[name], abs=0.51 * 10.0 ** -digits), (name, shown_params[name])
        assert error == pytest.approx(fit.stderr[name], rel=0.05), (name, shown_params[name])

    markdown = _download(page, "dl_report_md").decode("utf-8")
    page_html = _download(page, "dl_report_html").decode("utf-8")
    md_rows = {}
    for line in markdown.splitlines():
        cells = [c.strip().replace("\\", "") for c in line.strip().strip("|").split(" | ")] if line.startswith("|") else []
        if len(cells) >= 2:
            md_rows[cells[0]] = cells[1]
    parser = _Rows()
    parser.feed(page_html)
    html_rows = {r[0]: r[1] for r in parser.rows if len(r) >= 2}
    text_md, text_html = markdown.replace("\\", ""), html.unescape(page_html)
    for fmt, rows, text in (("md", md_rows, text_md), ("html", html_rows, text_html)):
        assert "Fit report: Exponential with background" in text, fmt
        assert f"f(x) = {model}" in text, fmt
        assert rows.get("source") == "decay_sigma.csv" and rows.get("points used") == str(len(data.x)), (fmt, rows)
        for name in fit.names:                           # every parameter ± error, the numbers the page shows
            assert _value_error(rows[name]) == _value_error(shown_params[name]), (fmt, name, rows[name], shown_params[name])
        for stat in ("χ²", "reduced χ² (χ²/dof)", "AIC", "AICc", "BIC"):
            assert _number(rows[stat]) == pytest.approx(_number(shown_stats[stat]), rel=1e-12), (fmt, stat)
        assert rows["degrees of freedom (n − k)"] == shown_stats["degrees of freedom (n − k)"] \
            == f"{fit.dof} = {len(data.x)} − {len(fit.free)}", (fmt, rows)
        for stat, value in (("χ²", fit.chi2), ("AIC", fit.aic), ("AICc", fit.aicc), ("BIC", fit.bic)):
            assert _number(rows[stat]) == pytest.approx(value, rel=1e-5, abs=1e-5), (fmt, stat, rows[stat], value)
        assert "99 % confidence band" in text and "99 % prediction band" in text, fmt
        assert "95 % confidence band" not in text, fmt
        # the chart, a PNG inside the file
        m = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", text)
        assert m, fmt
        png = base64.b64decode(m.group(1))
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR", fmt
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert width >= 300 and height >= 200, (fmt, width, height)
    assert re.search(r'<img [^>]*src="data:image/png;base64,', page_html)

    # the chart as PNG and SVG: offered wherever this machine can export images
    if ex.image_export_problem() is None:
        png = _download(page, "dl_png")
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR" and len(png) > 5000
        svg = _download(page, "dl_svg")
        root = ET.fromstring(svg)
        assert root.tag in ("svg", "{http://www.w3.org/2000/svg}svg"), root.tag
        labels = "".join(root.itertext())
        assert "99 % confidence band" in labels and "99 % prediction band" in labels, labels[:400]
    else:
        page.get_by_text("No PNG/SVG downloads here").wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
