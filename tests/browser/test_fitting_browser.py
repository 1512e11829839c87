"""Issue 21 in a real browser: upload a CSV on the Regression page, type a lower bound into the
parameter table, fit, add a second model and read the comparison. Every number the page shows is
checked against an independent scipy computation (least squares with the same bound, lmfit's AICc,
the F test from its formula)."""
import math
import re
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
