"""fit_model's bounds and fixed parameters (issue 21), the fast compiled model against the safe
one, and restarts only when the first solve looks poor."""
import math

import numpy as np
import pytest
from scipy import optimize

from explorer.expressions import compile_expression, parse_expression
from explorer.regression import fit_model
from explorer.regression.models import _compiled_model
from test_nist import MODELS, load, lre


def decay(seed=0, n=40):
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 5, n)
    return x, 3.0 * np.exp(-0.7 * x) + 0.5 + rng.normal(0, 0.02, n)


def test_a_bound_that_excludes_the_optimum_is_where_the_fit_ends():
    x, y = decay()
    free = fit_model("A*exp(-k*x) + B", x, y, {"A": 1, "k": 1, "B": 0})
    assert free.success and free.params["k"] > 0.6 and free.at_bound == ()
    fit = fit_model("A*exp(-k*x) + B", x, y, {"A": 1, "k": 1, "B": 0}, bounds={"k": (0.1, 0.5)})
    assert fit.params["k"] == pytest.approx(0.5, rel=1e-9)
    assert 0.1 <= fit.params["k"] <= 0.5
    assert fit.success and fit.at_bound == ("k",), fit.message
    assert "bound" in fit.message and "k = 0.5" in fit.message
    assert fit.bounds == {"k": (0.1, 0.5)}
    # it is the best fit with k on the bound: A and B by linear least squares at k = 0.5
    basis = np.column_stack([np.exp(-0.5 * x), np.ones_like(x)])
    (a, b), *_ = np.linalg.lstsq(basis, y, rcond=None)
    assert fit.params["A"] == pytest.approx(a, rel=1e-7) and fit.params["B"] == pytest.approx(b, rel=1e-7)
    assert fit.chi2 > free.chi2
    # a bound the optimum lies inside changes nothing; an open side may be ±inf or None
    inside = fit_model("A*exp(-k*x) + B", x, y, {"A": 1, "k": 1, "B": 0},
                       bounds={"k": (0.0, math.inf), "A": (None, 100)})
    assert inside.success and inside.at_bound == ()
    for k in "AkB":
        assert inside.params[k] == pytest.approx(free.params[k], rel=1e-7)
        assert inside.stderr[k] == pytest.approx(free.stderr[k], rel=1e-5)


def test_bounds_refuse_an_empty_interval_and_move_a_start_inside():
    x, y = decay()
    bad = fit_model("A*exp(-k*x) + B", x, y, {"A": 1, "k": 1, "B": 0}, bounds={"k": (2, 1)})
    assert not bad.success and "not an interval" in bad.message
    assert list(bad.covariance.index) == ["A", "k", "B"] and bad.covariance.isna().all().all()
    assert all(np.isnan(v).all() for v in bad.band([1.0, 2.0]))
    assert bad.describe_uncertainty().startswith("No uncertainties are available")
    moved = fit_model("A*exp(-k*x) + B", x, y, {"A": 1, "k": 5, "B": 0}, bounds={"k": (0, 2)})
    assert moved.success and "moved onto them: k" in moved.message
    assert moved.params["k"] == pytest.approx(0.7, abs=0.05)
    with pytest.raises(ValueError):
        fit_model("A*exp(-k*x) + B", x, y, {"A": 1, "k": 1, "B": 0}, bounds={"q": (0, 1)})


def test_fixed_parameters_stay_at_p0_and_leave_the_covariance_and_the_degrees_of_freedom():
    x, y = decay(1)
    n = x.size
    fit = fit_model("A*exp(-k*x) + B", x, y, {"A": 1, "k": 1, "B": 0.45}, fixed=["B"])
    assert fit.success, fit.message
    assert fit.params["B"] == 0.45 and math.isnan(fit.stderr["B"])
    assert fit.fixed == ("B",) and fit.free == ("A", "k")
    assert fit.dof == n - 2 and list(fit.covariance.index) == ["A", "k"]
    assert fit.reduced_chi2 == pytest.approx(fit.chi2 / (n - 2))
    # the same as fitting the two-parameter model A·exp(−kx) + 0.45 (scipy's curve_fit)
    p, cov = optimize.curve_fit(lambda x, A, k: A * np.exp(-k * x) + 0.45, x, y, p0=[1, 1])
    assert [fit.params["A"], fit.params["k"]] == pytest.approx(p, rel=1e-7)
    assert [fit.stderr["A"], fit.stderr["k"]] == pytest.approx(np.sqrt(np.diag(cov)), rel=1e-5)
    # two fixed: one more degree of freedom each; the fit is linear in A alone
    two = fit_model("A*exp(-k*x) + B", x, y, {"A": 1, "k": 0.7, "B": 0.5}, fixed=("k", "B"))
    assert two.success and two.dof == n - 1 and two.params["k"] == 0.7 and two.params["B"] == 0.5
    assert two.r2_meaningful and two.starts_tried == 1
    e = np.exp(-0.7 * x)
    assert two.params["A"] == pytest.approx(((y - 0.5) @ e) / (e @ e), rel=1e-9)
    # a fixed parameter's bounds are ignored; fixing all leaves nothing to fit
    held = fit_model("A*exp(-k*x) + B", x, y, {"A": 1, "k": 1, "B": 9}, fixed=["B"], bounds={"B": (0, 1)})
    assert held.params["B"] == 9
    none = fit_model("A*exp(-k*x) + B", x, y, {"A": 1, "k": 1, "B": 0}, fixed=["A", "k", "B"])
    assert not none.success and "nothing to fit" in none.message
    with pytest.raises(ValueError):
        fit_model("A*exp(-k*x) + B", x, y, {"A": 1, "k": 1, "B": 0}, fixed=["C"])


@pytest.mark.parametrize("model", ["A*exp(-k*x) + B", "sqrt(x - A) + k*B", "A + 0*k*B", "log(A*x)*k + B",
                                   "Abs(A)*x^k + B"])
def test_the_fast_compiled_model_gives_what_the_safe_one_gives(model):
    names = ("A", "k", "B")
    cm = _compiled_model(model, names)
    x = np.linspace(-2, 3, 101)
    p = np.array([0.5, 1.3, -0.2])
    safe = compile_expression(parse_expression(model, ("x",) + names), ("x",) + names)
    with np.errstate(all="ignore"):
        fast = cm.values(x, p)
        jac = cm.jacobian(x, p, [0, 1, 2])
    want = safe(x, *p)
    ok = np.isfinite(want)           # undefined: NaN from the safe one, NaN or ±inf from the fast one
    assert fast.shape == x.shape and np.array_equal(np.isfinite(fast), ok) and ok.sum() > 40
    assert np.allclose(fast[ok], want[ok], rtol=1e-15)
    if model.startswith("Abs"):      # d|A|/dA of a complex symbol cannot be compiled: differences
        assert jac is None
        fit = fit_model("Abs(A)*x^k + B", x[x > 0], 2 * x[x > 0] ** 1.5 + 1, {"A": 1, "k": 1, "B": 0})
        assert fit.success and fit.params["k"] == pytest.approx(1.5, rel=1e-6), fit.message
        return
    for j, d in enumerate(cm[2]):
        want = d(x, *p)
        ok = np.isfinite(want)
        assert ok.sum() > 40 and np.allclose(jac[ok, j], want[ok], rtol=1e-15)


def test_restarts_only_when_the_first_solve_looks_poor():
    params, rss, x, y = load("BoxBOD")
    model = MODELS["BoxBOD"]
    # from b2 = 10 the rate runs off (the curve flattens to a constant): restarts find the optimum
    fit = fit_model(model, x, y, {"b1": 1.0, "b2": 10.0})
    assert fit.starts_tried > 1 and fit.success
    assert lre(fit.params["b1"], params["b1"][2]) >= 6 and fit.chi2 == pytest.approx(rss, rel=1e-8)
    alone = fit_model(model, x, y, {"b1": 1.0, "b2": 10.0}, restarts=0)
    assert alone.starts_tried == 1 and alone.chi2 > 2 * rss
    # a sinusoid of the wrong frequency explains almost nothing: restarts
    rng = np.random.default_rng(0)
    xs = np.linspace(0, 10, 50)
    ys = 2 * np.sin(3 * xs) + rng.normal(0, 0.1, xs.size)
    sine = fit_model("A*sin(w*x)", xs, ys, {"A": 1, "w": 1})
    assert sine.starts_tried > 1 and sine.params["w"] == pytest.approx(3, rel=1e-3)
    # a good first solve is kept as it is
    good = fit_model("A*sin(w*x)", xs, ys, {"A": 1, "w": 2.9})
    assert good.starts_tried == 1 and "no restarts" in good.message
