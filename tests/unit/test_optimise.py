"""explorer.optimise against scipy.optimize, known minima and every named failure mode."""
import math
import time

import numpy as np
import pytest
from scipy import optimize

from explorer import optimise as opt
from explorer.expressions import compile_expression
from explorer.sandpit import INTRO_TEXT

QUIZ = "x^6/6 - 3x^4 - 2x^3/3 + 27x^2/2 + 18x - 30"
ROSENBROCK = "(1 - x)^2 + 100(y - x^2)^2"
HIMMELBLAU = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"
SANDPIT = INTRO_TEXT


def _f2(text):
    fn = compile_expression(text, ("x", "y"))
    return lambda v: float(fn(v[0], v[1]))


# ---------------------------------------------------------------------------------------------
# Newton-Raphson
@pytest.mark.parametrize("f, x0", [(QUIZ, 1.0), (QUIZ, -4.5), ("x^2 - 2", 1.0), ("cos(x) - x", 0.5),
                                   ("exp(x) - 3", 0.0)])
def test_newton_agrees_with_scipy(f, x0):
    res = opt.newton_raphson(f, x0)
    fn = compile_expression(f, ("x",))
    ref = optimize.newton(lambda x: float(fn(x)), x0, tol=1e-14, maxiter=100)
    assert res.success and res.status == "converged"
    assert res.x == pytest.approx(ref, abs=1e-10)
    assert abs(float(fn(res.x))) < 1e-9
    assert res.history[0] == x0 and res.history[-1] == res.x


def test_newton_history_is_the_newton_recurrence():
    res = opt.newton_raphson("x^2 - 2", 3.0)
    h = res.history
    assert np.allclose(h[1:], h[:-1] - (h[:-1] ** 2 - 2) / (2 * h[:-1]), rtol=1e-14)
    assert res.x == pytest.approx(math.sqrt(2), abs=1e-15)
    assert res.nit <= 7      # quadratic convergence


def test_quiz_polynomial_from_3_1_wanders_and_from_1_99_is_thrown_far():
    wander = opt.newton_raphson(QUIZ, 3.1)
    assert wander.success and wander.nit > 20
    assert wander.x == pytest.approx(-3.7602139722, abs=1e-9)    # not the nearby root 1.063
    assert any("wandered" in n for n in wander.notes)
    thrown = opt.newton_raphson(QUIZ, 1.99)
    assert abs(thrown.history[1]) > 30                                # x₁ ≈ −36.5
    assert any("Thrown far" in n for n in thrown.notes)
    assert opt.newton_raphson(QUIZ, 1.5).x == pytest.approx(1.0630706, abs=1e-6)


def test_failure_zero_derivative():
    res = opt.newton_raphson("x^2 - 1", 0.0)
    assert not res.success and res.status == "zero-derivative" and res.x == res.history[-1] == 0.0
    assert "Zero derivative" in res.message
    assert opt.newton_raphson(QUIZ, -3.0).status == "zero-derivative"    # f′(−3) = 0 exactly


def test_failure_divergence():
    res = opt.newton_raphson("atan(x)", 1.5)
    assert not res.success and res.status == "diverged"
    assert abs(res.history[-1]) > 1e6


def test_failure_cycle():
    res = opt.newton_raphson("x^3 - 2x + 2", 0.0)
    assert not res.success and res.status == "cycle"
    assert list(res.history) == [0.0, 1.0, 0.0]


def test_failure_no_convergence_within_max_iter():
    res = opt.newton_raphson(QUIZ, 3.1, max_iter=10)
    assert not res.success and res.status == "max-iter" and res.nit == 10
    assert "10 steps" in res.message


def test_failure_non_finite():
    res = opt.newton_raphson("ln(x)", 3.0)           # x₁ = 3 − 3 ln 3 < 0: ln undefined
    assert not res.success and res.status == "non-finite"


def test_basins_of_the_quiz_polynomial():
    b = opt.newton_basins(QUIZ, -5, 5, 201)
    assert np.allclose(b.roots, [-3.7602139722, 1.0630706316], atol=1e-8)
    # every labelled start agrees with the scalar run
    for i in range(0, 201, 20):
        res = opt.newton_raphson(QUIZ, float(b.x0[i]))
        if b.label[i] >= 0:
            assert res.success and res.x == pytest.approx(b.roots[b.label[i]], abs=1e-8)
        else:
            assert not res.success
    assert (opt.newton_basins("x^3 - 2x + 2", -0.01, 0.01, 3).label == -1).any()   # the cycle fails


# ---------------------------------------------------------------------------------------------
# Descent
@pytest.mark.parametrize("f, start, method, step, expected", [
    ("x^2 + y^2", (2, 1.5), "gradient", 0.1, (0, 0)),
    ("x^2 + 10y^2", (2.5, 1), "gradient", 0.04, (0, 0)),
    ("x^2 + 10y^2", (2.5, 1), "momentum", 0.01, (0, 0)),
    (ROSENBROCK, (-1.2, 1), "newton", 0.1, (1, 1)),
    (ROSENBROCK, (-1.2, 1), "hybrid", 0.01, (1, 1)),
    (HIMMELBLAU, (0, 0), "hybrid", 0.1, (3, 2)),
    (HIMMELBLAU, (0, 0), "gradient", 0.01, (3, 2)),
    (HIMMELBLAU, (0, 0), "adam", 0.1, (3, 2)),
    (HIMMELBLAU, (-1, 3), "hybrid", 0.05, (-2.805118, 3.131312)),
    (SANDPIT, (3, 2), "gradient", 0.1, None),
    (SANDPIT, (3, 2), "hybrid", 0.1, None),
])
def test_descent_finds_the_known_minimum_and_agrees_with_scipy(f, start, method, step, expected):
    res = opt.descend(f, start, method, step)
    assert res.success and res.status == "converged", res.message
    end = res.history[-1]
    ref = optimize.minimize(_f2(f), end + 0.05, method="BFGS", options={"gtol": 1e-10})
    assert np.allclose(end, ref.x, atol=1e-6)
    if expected is not None:
        assert np.allclose(end, expected, atol=1e-6)
    assert res.history.shape == (res.nit + 1, 2) and len(res.values) == len(res.history)
    assert res.values[-1] <= res.values[0]


def test_steps_are_the_hand_written_rules():
    g = opt.descend("x^2 + 10y^2", (1, 1), "gradient", 0.01, max_iter=3)
    assert np.allclose(g.history[1], [1 - 0.01 * 2, 1 - 0.01 * 20])
    n = opt.descend("x^2 + 10y^2 + x*y", (1, 1), "newton", 0.1)
    assert n.nit == 1 and np.allclose(n.history[1], 0, atol=1e-15)   # a quadratic: one step
    m = opt.descend("x^2 + y^2", (1, 0), "momentum", 0.1, max_iter=2)
    assert np.allclose(m.history[:, 0], [1, 0.8, 0.8 - 0.9 * 0.2 - 0.1 * 2 * 0.8])
    a = opt.descend("x^2 + y^2", (1, -2), "adam", 0.1, max_iter=1)
    assert np.allclose(a.history[1], [0.9, -1.9], atol=1e-6)                 # Adam's first step is ±γ


def test_hybrid_falls_back_to_gradient_when_newton_goes_uphill():
    # near the top of a hill Newton heads for the maximum; the hybrid steps downhill instead
    newton = opt.descend(SANDPIT, (4.0, 1.0), "newton")
    assert newton.status == "stationary" and "maximum" in newton.message
    hyb = opt.descend(SANDPIT, (4.0, 1.0), "hybrid", 0.1)
    assert not hyb.used_newton[0]
    assert np.allclose(hyb.history[1], hyb.history[0] - 0.1 * _grad(SANDPIT, hyb.history[0]), atol=1e-9)


def _grad(f, p, h=1e-6):
    fn = _f2(f)
    return np.array([(fn(p + [h, 0]) - fn(p - [h, 0])) / (2 * h), (fn(p + [0, h]) - fn(p - [0, h])) / (2 * h)])


def test_gradient_matches_finite_differences():
    res = opt.descend(HIMMELBLAU, (0.3, -0.7), "gradient", 0.001, max_iter=1)
    g = (res.history[0] - res.history[1]) / 0.001
    assert np.allclose(g, _grad(HIMMELBLAU, res.history[0]), rtol=1e-6)


def test_descent_divergence_stops_with_message():
    res = opt.descend(ROSENBROCK, (-1.2, 1), "gradient", 0.1)
    assert not res.success and res.status == "diverged"
    assert "Diverged" in res.message and np.isfinite(res.history).all() and np.isfinite(res.values).all()


def test_descent_undefined_values_stop_with_message():
    res = opt.descend("sqrt(x) + y^2", (1, 1), "gradient", 0.6)
    assert not res.success and res.status == "non-finite"
    assert np.isfinite(res.values).all()


def test_descent_max_iter_singular_and_walls():
    assert opt.descend("x^2 + y^2", (1, 1), "gradient", 0.001, max_iter=20).status == "max-iter"
    assert opt.descend("x + y^2", (1, 1), "newton").status == "singular"
    out = opt.descend(SANDPIT, (5.5, 0.5), "gradient", 0.1, bounds=(0, 6, 0, 6))
    assert out.status == "left-window"
    with pytest.raises(ValueError):
        opt.descend("x^2", (0, 0), "bogus")


def test_thousand_steps_under_50_ms():
    f = "x^2 + 3sin(x*y) + 0.1y^4"
    opt.descend(f, (1, 1), "gradient", 1e-5, max_iter=5)      # compile once (cached)
    best = min(_timed(lambda: opt.descend(f, (1, 1), "gradient", 1e-5, max_iter=1000)) for _ in range(3))
    assert best < 0.05


def _timed(fn):
    t = time.perf_counter()
    res = fn()
    assert res.nit == 1000
    return time.perf_counter() - t


# ---------------------------------------------------------------------------------------------
# Lagrange multipliers
def _fsolve_lagrange(f, g, guess):
    """An independent check: scipy's fsolve on finite-difference Lagrange conditions."""
    G = _f2(g)

    def eqs(v):
        x, y, lam = v
        p = np.array([x, y])
        return [*(_grad(f, p, 1e-7) - lam * _grad(g, p, 1e-7)), G(p)]

    return optimize.fsolve(eqs, guess, xtol=1e-12)


@pytest.mark.parametrize("f, g, window", [
    ("exp(-(2x^2 + y^2 - x*y)/2)", "x^2 + 3(y + 1)^2 - 1", (-2, 2, -2.6, 0.6)),
    ("-exp(x - y^2 + x*y)", "cosh(y) + x - 2", (-3, 2, -3, 3)),
])
def test_lagrange_quiz_points_match_a_root_finder(f, g, window):
    pts = opt.lagrange_points(f, g, window)
    assert len(pts) >= 2
    kinds = {p.kind for p in pts}
    assert "max" in kinds and "min" in kinds
    for p in pts:
        ref = _fsolve_lagrange(f, g, [p.x + 1e-3, p.y - 1e-3, p.lam])
        assert np.allclose([p.x, p.y, p.lam], ref, atol=1e-6)
        assert p.f == pytest.approx(_f2(f)([p.x, p.y]), rel=1e-12)
    # on a closed constraint the largest f (dense sampling) is the best "max" point
    best = max(p.f for p in pts if p.kind == "max")
    walk = opt.constraint_walk(f, g, window)
    if not walk.closed[0]:      # quiz 2: f → 0⁻ along the open curve; only local extrema exist
        assert best < np.nanmax(walk.f)
        return
    assert best == pytest.approx(np.nanmax(walk.f), rel=1e-4)
    assert best >= np.nanmax(walk.f) - 1e-12


def test_lagrange_quiz_one_known_values():
    pts = opt.lagrange_points("exp(-(2x^2 + y^2 - x*y)/2)", "x^2 + 3(y + 1)^2 - 1", (-2, 2, -2.6, 0.6))
    top = pts[0]
    assert top.kind == "max"
    assert (top.x, top.y) == pytest.approx((-0.0958377, -0.4253073), abs=1e-6)


def test_lagrange_textbook_symbolic():
    sol = opt.lagrange_solve("x*y", "x + y - 10")
    assert sol.method == "symbolic"
    assert len(sol.points) == 1
    p = sol.points[0]
    assert (p.x, p.y, p.lam, p.f, p.kind) == (pytest.approx(5), pytest.approx(5), pytest.approx(5), pytest.approx(25), "max")
    kinds = sorted((round(q.f, 6), q.kind) for q in opt.lagrange_points("x^2*y", "x^2 + y^2 - 3"))
    assert kinds[0] == (-2.0, "min") and kinds[-1] == (2.0, "max")


def test_constraint_walk_is_on_the_curve_and_parallel_at_solutions():
    f, g, w = "x*y", "x^2/4 + y^2 - 1", (-3, 3, -2, 2)
    walk = opt.constraint_walk(f, g, w)
    assert walk.closed == [True]
    gv = compile_expression(g, ("x", "y"))(walk.x, walk.y)
    assert np.max(np.abs(gv)) < 1e-10
    assert walk.s[-1] == pytest.approx(9.688448, rel=2e-3)      # the ellipse's perimeter
    pts = opt.lagrange_points(f, g, w)
    assert len(pts) == 4 and {p.kind for p in pts} == {"max", "min"}
    for p in pts:
        j = np.argmin(np.hypot(walk.x - p.x, walk.y - p.y))
        assert walk.parallel[j] > 0.999


def test_lagrange_degenerate_and_empty_cases():
    const = opt.lagrange_solve("x^2 + y^2", "x^2 + y^2 - 1")       # f is constant on the circle
    assert const.points == [] and "constant" in const.note
    assert opt.lagrange_points("x", "x^2 + y^2 + 1") == []            # no real constraint curve
    assert opt.constraint_walk("x", "x^2 + y^2 + 1", (-4, 4, -4, 4)) is None


# ---------------------------------------------------------------------------------------------
# The shared result vocabulary, the traced constraint curve and the page's presets
def test_results_speak_the_shared_vocabulary():
    from explorer.result import IterationResult
    for res in (opt.newton_raphson("x^2 - 2", 1.0), opt.newton_raphson("atan(x)", 1.5),
                opt.descend("x^2 + y^2", (1, 1), "gradient"), opt.descend(SANDPIT, (4.0, 1.0), "newton")):
        assert isinstance(res, IterationResult)
        assert np.array_equal(res.x, res.history[-1]) and res.nit == len(res.history) - 1
        assert res.success == (res.status == "converged") and res.message
    assert opt.newton_raphson("atan(x)", 1.5).status in opt.FAILURES


def test_constraint_pieces_are_ordered_on_the_curve_closed_or_open():
    from explorer.optimise.constraint import trace_all
    g = "x^2 - y^2 - 1"                                  # a hyperbola: two open branches
    comps = trace_all(g, (-4, 4, -4, 4))
    assert [c.closed for c in comps] == [False, False]
    G = compile_expression(g, ("x", "y"))
    ds = math.hypot(8, 8) / 400
    for c in comps:
        assert np.max(np.abs(G(*c.points.T))) < 1e-10
        step = np.hypot(*np.diff(c.points, axis=0).T)
        assert np.all(step < 2 * ds) and np.all(step > 0.3 * ds)          # in order, evenly spaced
        # each branch runs from one edge of the window (2 % beyond it) to another
        assert np.max(np.abs(c.points[[0, -1]])) == pytest.approx(4.16, abs=0.02)
        # travel with ∇g = (2x, −2y) on the right
        d = np.diff(c.points, axis=0)
        grad = np.column_stack([2 * c.points[:-1, 0], -2 * c.points[:-1, 1]])
        assert np.all(d[:, 0] * grad[:, 1] - d[:, 1] * grad[:, 0] < 0)
    # a closed curve starts where a scan of the grid rows from the bottom first meets it
    circle = trace_all("x^2 + y^2 - 3", (-4, 4, -4, 4))
    assert [c.closed for c in circle] == [True] and circle[0].points[0, 1] < -1.65
    assert trace_all("x^2 + y^2 + 1", (-4, 4, -4, 4)) == ()


def test_constraint_pieces_come_in_the_order_the_rows_meet_them():
    from explorer.optimise.constraint import trace_all
    comps = trace_all("sin(x)*sin(y) - 0.5", (-4, 4, -4, 4))
    assert len(comps) == 6 and sum(c.closed for c in comps) == 2
    lowest = [c.points[:, 1].min() for c in comps]
    assert lowest == sorted(lowest, key=lambda y: round(y, 1))


def test_descent_presets_views_and_the_jump_to_the_usual_start():
    from explorer.optimise import presets
    himmelblau = presets.DESCENT_PRESETS["Himmelblau"]
    assert presets.descent_view(himmelblau).start == (0.0, 0.0)
    assert presets.descent_view("x^4 + y^2") == presets.TYPED_VIEW
    assert presets.descent_view(presets.SANDPIT).walls and not presets.descent_view(himmelblau).walls
    assert presets.start_on_change(None, himmelblau) is None                 # the first run
    assert presets.start_on_change(himmelblau, himmelblau) is None           # nothing changed
    assert presets.start_on_change(himmelblau, "x^4 + y^2") is None          # typed: keep the start
    assert presets.start_on_change("x^4 + y^2", ROSENBROCK) == (-1.2, 1.0)
    assert presets.TYPED_VIEW.around((0.0, 0.0)) == (-3.0, 3.0, -3.0, 3.0)
    assert presets.TYPED_VIEW.around((5.0, -4.0)) == (-3.0, 5.5, -4.5, 3.0)


def test_lagrange_presets_and_their_windows():
    from explorer.optimise import presets
    for name, (f, g, window) in presets.LAGRANGE.items():
        assert (presets.LAGRANGE_F[name], presets.LAGRANGE_G[name]) == (f, g)
        assert presets.lagrange_window(f, g) == window
    assert presets.lagrange_window("x*y", "x^2 + y^2 - 3") == presets.TYPED_WINDOW


# ---------------------------------------------------------------------------------------------
# Fractional powers of negative numbers (the real branch: odd roots of negatives are real)
def test_newton_on_a_cube_root_diverges_honestly():
    # f = ∛x, f′ = 1/(3 x^(2/3)): x − f/f′ = x − 3x = −2x, so from 1 the guesses double and alternate
    res = opt.newton_raphson("x^(1/3)", 1.0)
    assert res.status == "diverged" and not res.success
    np.testing.assert_allclose(res.history[:6], [1, -2, 4, -8, 16, -32], rtol=1e-12)
    np.testing.assert_allclose(res.fx[:4], np.cbrt([1, -2, 4, -8]), rtol=1e-12)
    np.testing.assert_allclose(res.dfx[:4], 1 / (3 * np.cbrt([1, -2, 4, -8]) ** 2), rtol=1e-12)
    assert abs(res.x) > 1e6 and "Divergence" in res.message
    assert any("−2x" in n for n in res.notes)


def test_newton_root_where_the_derivative_is_undefined_and_undefined_values():
    res = opt.newton_raphson("x^(1/3)", 0.0)
    assert res.success and res.x == 0.0 and len(res.fx) == len(res.dfx) == 1
    res = opt.newton_raphson("x^(1/3) + 2", -5.0)           # the real root is −8
    assert res.success and res.x == pytest.approx(-8.0, rel=1e-12)
    # an even root of a negative number: undefined, named, never raised
    res = opt.newton_raphson("sqrt(x) - 2", -1.0)
    assert res.status == "non-finite" and res.message.startswith("f is not defined at x₀ = -1")
    res = opt.newton_raphson("x^(1/2)", 1.0)                 # x₁ = 1 − 1/(1/2) = −1
    assert res.status == "non-finite" and "x₁ = -1" in res.message and "no real value" in res.message


def test_descent_on_a_four_thirds_power_runs_on_the_real_branch():
    bundle = opt.descent._descent_bundle("x^(4/3) + y^2")
    # at (−8, 1): f = 16 + 1, f_x = (4/3)∛(−8) = −8/3, f_xx = (4/9)/∛64 = 1/9
    np.testing.assert_allclose(bundle(-8.0, 1.0), (17, -8 / 3, 2, 1 / 9, 0, 2), rtol=1e-12)
    for method in opt.METHODS:
        res = opt.descend("x^(4/3) + y^2", (1.0, 1.0), method, 0.1, 300)
        assert res.status in ("converged", "stationary", "diverged", "non-finite", "max-iter", "singular")
        assert res.message and len(res.values) == len(res.history)
    res = opt.descend("x^(4/3) + y^2", (-2.0, 1.0), "gradient", 0.05, 300)
    assert res.values[-1] < 0.05 * res.values[0]          # it went downhill from the negative side
    assert np.any(res.history[:, 0] < 0)


def test_lagrange_with_a_cube_root_in_f_or_g():
    # f = ∛x + y on the unit circle: the maximum lies where f along the circle is largest
    sol = opt.lagrange_solve("x^(1/3) + y", "x^2 + y^2 - 1", (-2.0, 2.0, -2.0, 2.0))
    t = np.linspace(0, 2 * np.pi, 200001)
    along = np.cbrt(np.cos(t)) + np.sin(t)
    best = max(sol.points, key=lambda p: p.f)
    assert best.kind == "max" and best.f == pytest.approx(along.max(), abs=1e-8)
    worst = min(sol.points, key=lambda p: p.f)
    assert worst.kind == "min" and worst.f == pytest.approx(along.min(), abs=1e-8)
    # a cube root in g: every point returned is on g = 0 with ∇f = λ∇g (checked against the formula)
    sol = opt.lagrange_solve("x + y", "x^(1/3) + y^2 - 1", (-4.0, 4.0, -4.0, 4.0))
    assert sol.points
    for p in sol.points:
        assert np.cbrt(p.x) + p.y ** 2 - 1 == pytest.approx(0, abs=1e-9)
        gx, gy = 1 / (3 * np.cbrt(p.x) ** 2), 2 * p.y
        assert 1 == pytest.approx(p.lam * gx, rel=1e-7) and 1 == pytest.approx(p.lam * gy, rel=1e-7)
