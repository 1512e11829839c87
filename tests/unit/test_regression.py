"""explorer.regression: the closed-form line, χ², descent, fit_model honesty, guesses, downloads."""
import csv
import io
import math

import numpy as np
import pytest
from scipy import optimize

from explorer import regression as rg
from explorer.expressions import ExpressionError, parse_expression, to_latex
from explorer.result import IterationResult


def noisy_line(n=40, seed=3, sigma=None):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-2, 8, n))
    s = None if sigma is None else rng.uniform(0.5, 2.0, n)
    y = 1.7 * x - 0.4 + rng.normal(0, 1, n) * (1 if s is None else s)
    return x, y, s


@pytest.mark.parametrize("weighted", [False, True])
def test_closed_form_matches_lstsq(weighted):
    x, y, s = noisy_line(sigma=1 if weighted else None)
    fit = rg.line_fit(x, y, s)
    w = 1 / s if weighted else np.ones_like(x)
    A = np.column_stack([x, np.ones_like(x)]) * w[:, None]
    (m, c), res, *_ = np.linalg.lstsq(A, y * w, rcond=None)
    assert fit.m == pytest.approx(m, rel=1e-12)
    assert fit.c == pytest.approx(c, rel=1e-10, abs=1e-12)
    assert fit.chi2 == pytest.approx(res[0], rel=1e-10)
    # uncertainties as curve_fit computes them (absolute σ when given, scaled otherwise)
    p, cov = optimize.curve_fit(lambda x, m, c: m * x + c, x, y, sigma=s, absolute_sigma=weighted)
    assert fit.sm == pytest.approx(math.sqrt(cov[0, 0]), rel=1e-6)
    assert fit.sc == pytest.approx(math.sqrt(cov[1, 1]), rel=1e-6)
    assert fit.reduced_chi2 == pytest.approx(fit.chi2 / (len(x) - 2))


def test_line_fit_with_huge_offset_x_stays_accurate():
    x = 1e6 + np.arange(10.0)
    y = 2.5 * (x - 1e6) + 3
    fit = rg.line_fit(x, y)
    assert fit.m == pytest.approx(2.5, rel=1e-9)
    assert fit.r2 == pytest.approx(1.0)


def test_all_equal_x_is_refused_with_a_message():
    with pytest.raises(rg.DataError, match="equal"):
        rg.line_fit([2, 2, 2, 2], [1, 2, 3, 4])
    fit = rg.fit_model("m*x + c", [2, 2, 2, 2], [1, 2, 3, 4], {"m": 1, "c": 0})
    assert not fit.success and "equal" in fit.message


def test_chi2_line_and_grid_agree():
    x, y, s = noisy_line(sigma=1)
    fit = rg.line_fit(x, y, s)
    ms, cs, Z = rg.chi2_line_grid(fit, (0, 3), (-3, 2), n=50, digits=12)
    assert Z.shape == (50, 50)
    i, j = 17, 31
    assert Z[i, j] == pytest.approx(rg.chi2_line(ms[j], cs[i], x, y, s), rel=1e-9)
    assert Z.min() >= fit.chi2 * (1 - 1e-9)
    ms4, cs4, Z4 = rg.chi2_line_grid(fit, (0, 3), (-3, 2), n=50)
    assert len(repr(Z4.tolist())) < 60_000, "rounded grid stays small for the browser"


def test_line_descent_converges_and_diverges():
    x, y, _ = noisy_line()
    fit = rg.line_fit(x, y)
    d = rg.line_descent(fit, fit.m - 1, fit.c + 3, rate=1.0, steps=5000)
    assert d.success and d.status == "converged", d.message
    assert isinstance(d, IterationResult) and d.nit == len(d.history) - 1 == len(d.m) - 1
    assert np.array_equal(d.x, d.history[-1]) and np.array_equal(d.history[:, 0], d.m)
    assert d.m[-1] == pytest.approx(fit.m, rel=1e-6) and d.c[-1] == pytest.approx(fit.c, abs=1e-5)
    assert np.all(np.diff(d.chi2) <= 1e-9 * d.chi2[0]), "χ² never increases with a stable step"
    # the descent's first step is minus γ times the finite-difference gradient
    h = 1e-6
    gm = (rg.chi2_line(fit.m - 1 + h, fit.c + 3, x, y) - rg.chi2_line(fit.m - 1 - h, fit.c + 3, x, y)) / (2 * h)
    assert (d.m[0] - d.m[1]) / d.step == pytest.approx(gm, rel=1e-5)
    run = rg.line_descent(fit, fit.m - 1, fit.c + 3, rate=2.2, steps=5000)
    assert not run.success and run.status == "diverged" and "without bound" in run.message
    short = rg.line_descent(fit, fit.m - 1, fit.c + 3, rate=0.5, steps=3)
    assert short.status == "max-iter" and short.nit == 3 and "limit of 3 steps" in short.message


def test_fit_model_recovers_a_known_curve_with_sigma():
    rng = np.random.default_rng(0)
    x = np.linspace(0, 5, 60)
    s = np.full(x.size, 0.05)
    y = 3.0 * np.exp(-0.7 * x) + 0.5 + rng.normal(0, 0.05, x.size)
    fit = rg.fit_model("A*exp(-k*x) + B", x, y, {"A": 1, "k": 1, "B": 0}, sigma=s)
    p, cov = optimize.curve_fit(lambda x, A, k, B: A * np.exp(-k * x) + B, x, y, p0=[1, 1, 0],
                                sigma=s, absolute_sigma=True)
    assert fit.success, fit.message
    for i, k in enumerate("AkB"):
        assert fit.params[k] == pytest.approx(p[i], rel=1e-6)
        assert fit.stderr[k] == pytest.approx(math.sqrt(cov[i, i]), rel=1e-4)
    assert fit.reduced_chi2 == pytest.approx(fit.chi2 / (x.size - 3))
    assert fit.residuals.shape == x.shape


def test_fit_model_is_honest_about_failure():
    x = np.linspace(0, 1, 20)
    y = 2 * x + 1
    # a parameter the model does not depend on: covariance cannot be estimated
    bad = rg.fit_model("a*x + b + 0*c", x, y, {"a": 1, "b": 0, "c": 5})
    assert not bad.success and bad.message
    # two parameters that only appear as a product are not identifiable
    prod = rg.fit_model("a*b*x + c", x, y, {"a": 1, "b": 1, "c": 0})
    assert not prod.success and "covariance" in prod.message
    # undefined everywhere from the start
    nan = rg.fit_model("sqrt(-1 - a^2)*x", x, y, {"a": 1})
    assert not nan.success and "start" in nan.message
    # too few points
    few = rg.fit_model("a + b*x + c*x^2", x[:2], y[:2], {"a": 0, "b": 0, "c": 0})
    assert not few.success
    with pytest.raises(ExpressionError):
        rg.fit_model("a*x + __import__('os')", x, y, {"a": 1})


def test_a_start_at_the_exact_optimum_is_not_a_failure():
    x = np.linspace(0, 1, 20)
    y = 2 * x + 1 + np.sin(7 * x) / 10
    m, c = np.polyfit(x, y, 1)
    fit = rg.fit_model("m*x + c", x, y, {"m": m, "c": c})
    assert fit.success, fit.message


@pytest.mark.parametrize("name,truth", [
    ("Exponential", {"A": 5.0, "k": -0.4}),
    ("Gaussian", {"A": 80.0, "mu": 170.0, "sigma": 8.0}),
    ("Logistic", {"L": 10.0, "k": 1.5, "x0": 2.0}),
    ("Power law", {"A": 2.0, "b": 1.5}),
    ("Sinusoid", {"A": 2.0, "w": 3.0, "phi": 0.5, "c": 1.0}),
    ("Polynomial", {"a0": 1.0, "a1": -2.0, "a2": 0.5}),
])
def test_builtin_models_from_automatic_guesses(name, truth):
    rng = np.random.default_rng(1)
    x = np.linspace(150, 190, 40) if name == "Gaussian" else np.linspace(0.1, 6, 80)
    model = rg.builtin_model(name, 2)
    y = rg.model_values(model, list(truth), list(truth.values()), x)
    y = y + rng.normal(0, 0.01 * np.ptp(y), x.size)
    p0 = rg.guess_start(name, x, y, 2)
    assert set(p0) == set(truth)
    fit = rg.fit_model(model, x, y, p0)
    assert fit.success, fit.message
    for k, v in truth.items():
        assert fit.params[k] == pytest.approx(v, rel=0.05, abs=0.05), (k, fit.params)


def test_steepest_descent_goes_downhill_and_names_its_stop():
    rng = np.random.default_rng(2)
    x = np.linspace(0, 4, 30)
    y = 2 * np.exp(-0.5 * x) + rng.normal(0, 0.01, x.size)
    d = rg.steepest_descent("A*exp(-k*x)", x, y, {"A": 1.0, "k": 1.0}, steps=3000)
    assert np.all(np.diff(d.chi2) <= 0)
    assert d.chi2[-1] < d.chi2[0] / 100
    assert d.message and ("converged" in d.message or "limit" in d.message)
    assert isinstance(d, IterationResult) and d.status in ("converged", "max-iter")
    assert d.success == (d.status == "converged") and d.nit == len(d.history) - 1
    lib = rg.fit_model("A*exp(-k*x)", x, y, {"A": 1.0, "k": 1.0})
    assert d.history[-1][0] == pytest.approx(lib.params["A"], rel=1e-2)
    assert np.array_equal(d.x, d.history[-1])
    short = rg.steepest_descent("A*exp(-k*x)", x, y, {"A": 1.0, "k": 1.0}, steps=3)
    assert len(short.history) == 4 and "limit" in short.message and short.status == "max-iter"
    assert short.nit == 3
    undefined = rg.steepest_descent("sqrt(-1-A^2)*x", x, y, {"A": 1.0}, steps=10)
    assert not undefined.success and "undefined" in undefined.message
    assert undefined.status == "undefined-start" and undefined.nit == 0


def test_chi2_grid_matches_direct_sum():
    x = np.linspace(0, 3, 25)
    y = 1.5 * np.exp(-0.8 * x)
    a, b, Z = rg.chi2_grid("A*exp(-k*x)", x, y, {"A": 1.5, "k": 0.8}, "A", "k", (1, 2), (0.5, 1), n=40, digits=10)
    assert Z.shape == (40, 40)
    direct = float(((y - a[5] * np.exp(-b[9] * x)) ** 2).sum())
    assert Z[9, 5] == pytest.approx(direct, rel=1e-8)


def test_model_parameters_extracts_names():
    assert rg.model_parameters("b1*(1-exp(-b2*x))") == ["b1", "b2"]
    assert rg.model_parameters("A*sin(w*x + phi) + 1e-3*c + pi*e") == ["A", "w", "phi", "c"]
    assert rg.model_parameters("2x + 1") == []


def test_safe_csv_escapes_formula_injection():
    import pandas as pd
    df = pd.DataFrame({"=cmd|'/c calc'!A0": ["+1", "@SUM(A1)", "-2", "plain"], "v": [-1.5, 2.0, 3.0, 4.0]})
    text = rg.safe_csv(df)
    rows = list(csv.reader(io.StringIO(text)))
    text_cells = [rows[0][0]] + [r[0] for r in rows[1:]]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in text_cells)
    assert "'=cmd|'/c calc'!A0" in text_cells and "'+1" in text_cells and "'-2" in text_cells
    assert "plain" in text_cells
    # numbers stay numbers: a negative residual is data, not a formula
    assert [r[1] for r in rows[1:]] == ["-1.5", "2.0", "3.0", "4.0"]


def test_subsample_and_histogram():
    idx = rg.subsample(1_000_000, 2000)
    assert len(idx) == 2000 and np.all(np.diff(idx) > 0)
    assert len(rg.subsample(50, 2000)) == 50
    centres, counts, sig = rg.histogram(np.random.default_rng(0).normal(170, 8, 1000), 20)
    assert counts.sum() == 1000 and np.all(sig >= 1) and len(centres) == 20


def _fresh_descent_reference(model, x, y, p0, sigma, steps):
    """The plain loop the resumable descent must reproduce (a copy of the textbook iteration)."""
    names = tuple(p0)
    f = rg._compiled_model(model, names)[1]
    w = np.ones(len(x)) if sigma is None else 1 / np.asarray(sigma)

    def chi2(p):
        r = (y - f(x, *[v * np.ones(len(x)) for v in p])) * w
        return float(r @ r)

    p = np.array([float(p0[k]) for k in names])
    path, gamma = [p.copy()], 1e-3
    for _ in range(steps):
        h = 1e-6
        g = np.array([(chi2(p + h * np.eye(len(p))[k]) - chi2(p - h * np.eye(len(p))[k])) / (2 * h)
                      for k in range(len(p))])
        gamma *= 2
        while chi2(p - gamma * g) > chi2(p) - 1e-4 * gamma * (g @ g):
            gamma /= 2
        p = p - gamma * g
        path.append(p.copy())
    return np.array(path)


def test_descent_run_continues_and_truncates_exactly_like_a_fresh_descent():
    """DescentRun.result(k) is steepest_descent(..., steps=k) whatever order the k come in (a
    slider stepping up continues the path, stepping down truncates it)."""
    x = np.linspace(0, 4, 30)
    y = 2.5 * np.exp(-((x - 1.8) ** 2) / (2 * 0.6 ** 2)) + 0.05 * np.sin(7 * x)
    model, p0 = "A*exp(-(x - mu)^2/(2*sigma^2))", {"A": 2.0, "mu": 1.5, "sigma": 0.9}
    run = rg.DescentRun(model, x, y, p0)
    for steps in [0, 1, 40, 30, 41, 300, 2000, 7, 2000, 555]:
        fresh = rg.steepest_descent(model, x, y, p0, steps=steps)
        got = run.result(steps)
        assert np.array_equal(got.history, fresh.history) and np.array_equal(got.chi2, fresh.chi2), steps
        assert (got.message, got.success, got.status, got.nit) == \
            (fresh.message, fresh.success, fresh.status, fresh.nit), steps
        assert len(got.history) <= steps + 1
    assert run.result(2000).success            # it does stop by itself on this problem
    # and the iteration really is steepest descent with backtracking: a hand-written loop (with
    # central differences for the gradient) walks the same first steps
    ref = _fresh_descent_reference(model, x, y, p0, None, 5)
    assert np.allclose(run.result(5).history, ref, rtol=1e-5, atol=1e-8)
    # the limit's message names the limit; a start where χ² is undefined stops at once at any limit
    assert run.result(3).message == "stopped after the limit of 3 steps" and not run.result(3).success
    bad = rg.DescentRun("a*log(x - b)", x + 0.1, y, {"a": 1.0, "b": 10.0})
    assert bad.result(0).message == bad.result(50).message
    assert bad.result(50).message.startswith("stopped at once") and len(bad.result(50).history) == 1


@pytest.mark.parametrize("model,linear", [
    ("m*x + c", True), (rg.builtin_model("Polynomial", 4), True), ("a*sin(x) + b*x^2", True),
    ("A*exp(k*x)", False), ("a*x/(b+x)", False), ("A*sin(w*x + phi) + c", False), ("a*b*x", False)])
def test_linear_in_parameters(model, linear):
    assert rg.linear_in_parameters(model, tuple(rg.model_parameters(model))) is linear


@pytest.mark.parametrize("degree", [0, 1, 3, 6])
def test_linear_models_fit_in_one_start_to_the_lstsq_answer(degree):
    """A model linear in its parameters is solved from one start (no restarts: χ² has one
    minimum) and lands on the exact weighted least-squares solution, with the same answer as the
    solver run with restarts."""
    rng = np.random.default_rng(4)
    x = np.sort(rng.uniform(-1, 3, 60))
    s = rng.uniform(0.5, 1.5, 60)
    y = 0.3 * x ** 3 - x + 2 + rng.normal(0, 1, 60) * s
    model = rg.builtin_model("Polynomial", degree)
    names = rg.model_parameters(model)
    fit = rg.fit_model(model, x, y, {k: 1.0 for k in names}, s)
    assert fit.success and fit.starts_tried == 1, fit.message
    coef = np.polynomial.polynomial.polyfit(x, y, degree, w=1 / s)
    assert [fit.params[k] for k in names] == pytest.approx(coef, rel=1e-8, abs=1e-10)
    many = rg.fit_model(model, x, y, {k: 1.0 for k in names}, s, restarts=6)
    assert many.starts_tried == 7
    assert [many.params[k] for k in names] == pytest.approx(coef, rel=1e-8, abs=1e-10)
    assert fit.stderr == pytest.approx(many.stderr, rel=1e-8)


def test_check_model_names_the_parameters_or_says_what_is_wrong():
    assert rg.check_model("b1*(1-exp(-b2*x))") == ["b1", "b2"]
    with pytest.raises(ExpressionError, match="no parameter"):
        rg.check_model("2*x + 1")
    with pytest.raises(ExpressionError, match=r"Too many parameters \(11\); at most 10"):
        rg.check_model(" + ".join(f"p{k}*x^{k}" for k in range(11)))
    with pytest.raises(ExpressionError):
        rg.check_model("N*exp(-t0*x")                      # unbalanced bracket
    with pytest.raises(ExpressionError):
        rg.check_model("a*x + __import__('os')")
    with pytest.raises(ExpressionError, match="Unknown name '_b'"):
        rg.check_model("a*x + _b")
    assert rg.check_model(rg.DEFAULT_TYPED) == ["b1", "b2"]


def test_builtin_start_guesses_or_falls_back_to_ones():
    x = np.linspace(0, 4, 20)
    model, p0 = rg.builtin_start("Exponential", x, 3 * np.exp(-0.5 * x))
    assert model == rg.BUILTIN_MODELS["Exponential"]
    assert p0["A"] == pytest.approx(3) and p0["k"] == pytest.approx(-0.5)
    model, p0 = rg.builtin_start("Polynomial", x, x ** 3, degree=3)
    assert list(p0) == ["a0", "a1", "a2", "a3"] and model == rg.builtin_model("Polynomial", 3)
    model, p0 = rg.builtin_start("Straight line", [np.nan], [np.nan])   # nothing to guess from
    assert p0 == {"m": 1.0, "c": 1.0}


def test_model_latex():
    assert rg.model_latex("A*exp(k*x)", ["A", "k"]) == to_latex(parse_expression("A*exp(k*x)", ("x", "A", "k")))


def test_page_summaries_say_what_the_results_say():
    x, y, s = noisy_line(sigma=1)
    line = rg.line_fit(x, y, s)
    summary = rg.line_summary(line)
    assert list(summary) == ["m", "c", "R²", "χ²", "reduced χ² = χ²/(N−2)"]
    assert summary["m"] == f"{line.m:.5g} ± {line.sm:.2g}" and summary["χ²"] == f"{line.chi2:.4g}"
    d = rg.line_descent(line, 0.0, 0.0, 0.9, 5)
    assert rg.describe_line_descent(d) == (f"stopped after the limit of 5 steps; ends at m = {d.x[0]:.5g}, "
                                           f"c = {d.x[1]:.5g}, χ² = {d.chi2[-1]:.5g}")
    fit = rg.fit_model("m*x + c", x, y, {"m": 1.0, "c": 0.0}, s)
    assert rg.fit_statistics(fit) == (f"χ² = {fit.chi2:.6g}, reduced χ² = χ²/(N − 2) = {fit.reduced_chi2:.4g}, "
                                      f"R² = {fit.r2:.4f}")
    desc = rg.steepest_descent("m*x + c", x, y, {"m": 1.0, "c": 0.0}, s, steps=4)
    table = rg.descent_table({"m": 1.0, "c": 0.0}, desc.x)
    assert table["parameter"].tolist() == ["m", "c"] and table["start"].tolist() == [1.0, 0.0]
    assert table["after descent"].tolist() == desc.x.tolist()
    assert "Gaussian" in rg.MODEL_NOTES and set(rg.MODEL_NOTES) <= set(rg.BUILTIN_MODELS)


def test_contour_windows_hold_the_optimum_and_the_descent():
    x = np.linspace(0, 4, 30)
    y = 2 * np.exp(-0.5 * x)
    fit = rg.fit_model("A*exp(-k*x)", x, y, {"A": 1.0, "k": 1.0})
    path = rg.steepest_descent("A*exp(-k*x)", x, y, {"A": 5.0, "k": 0.1}, steps=30).history
    (a0, a1), (k0, k1) = rg.contour_windows(fit, path, "A", "k")
    for lo, hi, col, best in [(a0, a1, 0, fit.params["A"]), (k0, k1, 1, fit.params["k"])]:
        assert lo < min(best, path[0, col], path[-1, col]) and hi > max(best, path[0, col], path[-1, col])
    assert rg.contour_windows(fit, path, "k", "A") == ((k0, k1), (a0, a1))


def _figures():
    from explorer.figures import regression as rf
    x, y, s = noisy_line(sigma=1)
    line = rg.line_fit(x, y, s)
    ms, cs, Z = rg.chi2_line_grid(line, (0, 3), (-2, 2), 30)
    d = rg.line_descent(line, 1.0, 1.0, 0.9, 20)
    model, p0 = "m*x + c", {"m": 1.0, "c": 0.0}
    fit = rg.fit_model(model, x, y, p0, s)
    desc = rg.steepest_descent(model, x, y, p0, s, steps=20)
    a, b, Zp = rg.chi2_grid(model, x, y, fit.params, "m", "c", (0, 3), (-2, 2), s, n=20)
    return {
        "hand": rf.hand_fit_figure(x, y, s, 1.0, 0.5, "x", "y", (line.m, line.c)),
        "landscape": rf.landscape_figure(ms, cs, Z, (1.0, 1.0), (line.m, line.c), d.m, d.c),
        "model": rf.model_figure(x, y, s, [("fit", x, line.m * x + line.c, "#2ca02c", "solid")]),
        "residuals": rf.residual_figure(x, y - (line.m * x + line.c), True),
        "fit_and_descent": rf.model_figure(x, y, s, rf.fit_and_descent_curves(model, ["m", "c"],
                                                                              [fit.params["m"], fit.params["c"]],
                                                                              desc.x, x)),
        "residual_table": rf.residual_table_figure(rg.residual_table(model, fit, x, y, s)),
        "parameter_landscape": rf.parameter_landscape_figure(a, b, Zp, fit.params, desc.history, "m", "c"),
    }


def test_figures_of_the_fits_draw_what_they_say():
    from explorer.figures import regression as rf
    x, y, s = noisy_line(sigma=1)
    model, p0 = "m*x + c", {"m": 1.0, "c": 0.0}
    fit = rg.fit_model(model, x, y, p0, s)
    desc = rg.steepest_descent(model, x, y, p0, s, steps=20)
    (_, xs, fitted, *_), (_, _, descended, *_) = rf.fit_and_descent_curves(
        model, ["m", "c"], [fit.params["m"], fit.params["c"]], desc.x, x)
    assert xs[0] == x.min() and xs[-1] == x.max() and len(xs) == 300
    assert np.allclose(fitted, fit.params["m"] * xs + fit.params["c"])
    assert np.allclose(descended, desc.x[0] * xs + desc.x[1])
    res = rg.residual_table(model, fit, x, y, s)
    fig = rf.residual_table_figure(res)
    assert np.allclose(np.asarray(fig.data[0].y, float), res["residual/sigma"].to_numpy())
    a, b, Zp = rg.chi2_grid(model, x, y, fit.params, "m", "c", (0, 3), (-2, 2), s, n=20)
    fig = rf.parameter_landscape_figure(a, b, Zp, fit.params, desc.history, "c", "m")
    path = next(t for t in fig.data if t.name == "gradient descent")
    assert np.allclose(path.x, desc.history[:, 1]) and np.allclose(path.y, desc.history[:, 0])
    assert fig.layout.title.text.startswith("χ² over (c, m)")


@pytest.mark.parametrize("name", ["hand", "landscape", "model", "residuals", "fit_and_descent", "residual_table",
                                  "parameter_landscape"])
def test_every_figure_passes_plotlys_full_validation(name):
    """The builders write unvalidated dict specs: plotly's own validation must accept them, so a
    misspelt property fails here and not silently in the browser."""
    from explorer.figures import fastfig
    fig = _figures()[name]
    fastfig.validate(fig)
    types = {t.type for t in fig.data}
    # the template is cut to the trace types this module draws (scatter, contour, and the
    # correlation heat map and residual histogram of issue 21), keeping their defaults
    assert set(fig.layout.template.to_plotly_json().get("data", {})) <= {"scatter", "contour", "heatmap", "bar"}
    assert types <= {"scatter", "contour"}


# issue 18: the decay sample's model, A·e^{kx} + B, fitted from automatic start values
def _curve_fit_best(x, y, s, starts):
    """scipy's curve_fit from several starts, the lowest χ² kept (the reference optimum)."""
    f = lambda x, A, k, B: A * np.exp(k * x) + B
    best = None
    for p in starts:
        try:
            popt, pcov = optimize.curve_fit(f, x, y, p0=p, sigma=s, absolute_sigma=s is not None, maxfev=20000)
        except RuntimeError:
            continue
        chi2 = float((((y - f(x, *popt)) / (1 if s is None else s)) ** 2).sum())
        if best is None or chi2 < best[0]:
            best = (chi2, popt, np.sqrt(np.diag(pcov)))
    return best


def test_the_decay_sample_suggests_an_exponential_with_background_and_finds_b():
    assert rg.BUILTIN_MODELS["Exponential with background"] == "A*exp(k*x) + B"
    assert rg.suggested_model("decay_sigma.csv") == "Exponential with background"
    table = rg.sample_table("decay_sigma.csv")
    x, y, s = (table[c].to_numpy(float) for c in ("time_s", "counts", "sigma"))
    model, p0 = rg.builtin_start("Exponential with background", x, y)
    fit = rg.fit_model(model, x, y, p0, s)
    assert fit.success
    chi2, popt, perr = _curve_fit_best(x, y, s, [(900, -1 / 60, 20), (1000, -0.01, 0), (500, -0.05, 50)])
    assert fit.chi2 == pytest.approx(chi2, rel=1e-6)
    for name, ref, err in zip("AkB", popt, perr):
        assert fit.params[name] == pytest.approx(ref, abs=1e-3 * err)
        assert fit.stderr[name] == pytest.approx(err, rel=1e-3)
    # data/make_samples.py draws 950·e^(−t/60) + 20 (Poisson): the fit finds them within their errors
    assert abs(fit.params["B"] - 20) < 2.5 * fit.stderr["B"] and 15 < fit.params["B"] < 25
    assert abs(fit.params["k"] + 1 / 60) < 2.5 * fit.stderr["k"]
    assert abs(fit.params["A"] - 950) < 2.5 * fit.stderr["A"]
    plain_model, plain_p0 = rg.builtin_start("Exponential", x, y)
    plain = rg.fit_model(plain_model, x, y, plain_p0, s)
    assert plain.reduced_chi2 > 3 > 1.5 > fit.reduced_chi2, "without B the tail does not fit"


@pytest.mark.parametrize("A, k, B, x_range", [(950, -1 / 60, 20, (0, 400)), (5, 0.8, -3, (0, 5)),
                                              (-2, -2.0, 10, (0, 3)), (3e4, -0.002, 500, (0, 2000)),
                                              (1.0, 0.3, 100, (-10, 10))])
def test_exponential_with_background_starts_reach_the_optimum(A, k, B, x_range):
    rng = np.random.default_rng(7)
    x = np.linspace(*x_range, 50)
    true = A * np.exp(k * x) + B
    s = 0.02 * np.abs(true).max() * np.ones_like(x)
    y = true + rng.normal(0, 1, x.size) * s
    model, p0 = rg.builtin_start("Exponential with background", x, y)
    assert p0["k"] == pytest.approx(k, rel=0.5), "the start rate is near the true one"
    fit = rg.fit_model(model, x, y, p0, s)
    chi2, popt, perr = _curve_fit_best(x, y, s, [(A, k, B)])
    assert fit.success and fit.chi2 == pytest.approx(chi2, rel=1e-6)
    assert abs(fit.params["B"] - B) < 4 * perr[2]


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours given as #rrggbb."""
    def lum(c):
        rgb = [int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b_ = (v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_
    hi, lo = sorted([lum(a), lum(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("name", ["landscape", "parameter_landscape"])
def test_the_descent_path_is_seen_on_a_light_and_a_dark_background_and_not_by_colour_alone(name):
    """Issue 18: the "gradient descent" swatch was white on white."""
    import plotly.colors
    fig = _figures()[name]
    path = next(t for t in fig.data if t.name == "gradient descent")
    for background in ("#ffffff", "#0e1117"):          # the app's light and dark theme backgrounds
        seen = [c for c in (path.line.color, path.marker.color, path.marker.line.color)
                if _contrast(c, background) >= 3]
        assert seen, background
    assert _contrast(path.line.color, "#ffffff") >= 3 and path.marker.line.width >= 1
    # on the map itself: its darkest and lightest colours each meet one of the path's colours at 3:1
    for end in (plotly.colors.sequential.Viridis[0], plotly.colors.sequential.Viridis[-1]):
        assert max(_contrast(end, c) for c in (path.line.color, path.marker.color)) >= 3, end
    others = [t for t in fig.data if t.type == "scatter" and t.name != "gradient descent"]
    assert path.line.dash == "dash" and path.mode == "lines+markers"
    assert path.marker.symbol not in {t.marker.symbol for t in others}, "its own marker shape"


# issue 18: formulas no wider than their column at 1024 px
def _tex_width(line: str) -> int:
    r"""A rough width of one line of LaTeX in characters: a fraction counts its longer part, a
    command one character, \quad one and \qquad two, braces nothing. (KaTeX at the page's size sets
    about 40 such characters in half a 1024 px page, about 80 across it.)"""
    import re
    t = re.sub(r"\\(begin|end)\{aligned\}", "", line).replace("&", "")
    t = re.sub(r"\\(left|right|big|Big)", "", t)
    t = re.sub(r"\\qquad", "MM", t)
    t = re.sub(r"\\quad", "M", t)
    t = re.sub(r"\\[,;!]|\\ ", " ", t)
    frac = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
    while frac.search(t):
        t = frac.sub(lambda m: max(m.group(1), m.group(2), key=len), t)
    t = re.sub(r"\\[A-Za-z]+", "#", t)
    return len(re.sub(r"[{}]", "", t))


def test_tex_width_measures_what_overflowed():
    # the one-line forms the page had (issue 18: wider than their column at 1024 px)
    assert _tex_width(r"\chi^2(1.234,\,-0.5678) = 123{,}456\qquad \chi^2_{\min} = 12{,}345") > 40
    assert _tex_width(r"\mathbf p \leftarrow \mathbf p-\gamma\,\nabla_{\mathbf p}\chi^2,\quad "
                      r"\nabla\chi^2=-2\sum_i\frac{y_i-f(x_i;\mathbf p)}{\sigma_i^2}\,\nabla_{\mathbf p}f") > 40
    assert _tex_width(r"\sigma_m^2=\frac{1}{\sum_i w_i(x_i-\bar x)^2},\quad \sigma_c^2=\frac{1}{\sum_i w_i}"
                      r"+\frac{\bar x^2}{\sum_i w_i(x_i-\bar x)^2},\quad R^2 = 1-\frac{\chi^2}{\sum_i w_i (y_i-\bar y)^2}") > 80


@pytest.mark.parametrize("m, c, chi2, best", [(1.2345, -0.56789, 123456.7, 12345.6), (-3e-7, 4e9, 1.5e300, 0.0),
                                              (0, 0, float("nan"), 1e-12)])
def test_regression_formulas_are_broken_over_lines_to_fit_their_columns(m, c, chi2, best):
    from explorer.regression import formulas as fx
    half = {"reading": fx.chi2_reading(m, c, chi2, best), "descent": fx.DESCENT_RULE, "solver": fx.SOLVER_UNCERTAINTY}
    full = {"chi2": fx.LINE_CHI2, "closed form": fx.CLOSED_FORM, "uncertainties": fx.LINE_UNCERTAINTIES}
    for budget, group in ((34, half), (50, full)):
        for name, tex in group.items():
            assert tex.count("{") == tex.count("}"), name
            widths = [_tex_width(line) for line in tex.split(r"\\")]
            assert max(widths) <= budget, (name, widths)
    assert fx.chi2_reading(m, c, chi2, best).count(r"\\") in (1, 2)
    assert fx.LINE_UNCERTAINTIES.count(r"\\") == 2 and r"\sigma_c^2" in fx.LINE_UNCERTAINTIES
    from explorer.numbers import tex_number
    assert f"&={tex_number(chi2)}" in half["reading"] and tex_number(best) in half["reading"]
