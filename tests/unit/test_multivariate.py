"""explorer.multivariate against sympy, scipy and finite differences."""

import numpy as np
import pytest
import sympy as sp

from explorer import multivariate as mv
from explorer.expressions import compile_expression

x, y = sp.symbols("x y")

# the presets written directly in sympy (independent of the parser)
SYMPY_PRESETS = {
    "bowl": x ** 2 + y ** 2,
    "saddle": x ** 2 - y ** 2,
    "Sandpit intro surface": -((x - sp.Rational(41, 10)) ** 2 + (y - sp.Rational(9, 10)) ** 2)
    - 30 * sp.exp(-((x - sp.Rational(3, 2)) ** 2 + (y - sp.Rational(37, 10)) ** 2) / sp.Rational(28, 10)),
    "Himmelblau": (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2,
    "Rosenbrock": (1 - x) ** 2 + 100 * (y - x ** 2) ** 2,
    "peaks": 3 * (1 - x) ** 2 * sp.exp(-x ** 2 - (y + 1) ** 2)
    - 10 * (x / 5 - x ** 3 - y ** 5) * sp.exp(-x ** 2 - y ** 2) - sp.exp(-(x + 1) ** 2 - y ** 2) / 3,
    "sin x · cos y": sp.sin(x) * sp.cos(y),
}
POINTS = [(0.3, -0.7), (1.1, 0.4), (-1.3, 1.7), (2.2, 3.1)]


def numeric_hessian(text: str, x0: float, y0: float, h: float = 1e-4) -> np.ndarray:
    """Central second differences: an independent check of the Hessian the page shows."""
    f = compile_expression(text, ("x", "y"))
    fxx = (f(x0 + h, y0) - 2 * f(x0, y0) + f(x0 - h, y0)) / h ** 2
    fyy = (f(x0, y0 + h) - 2 * f(x0, y0) + f(x0, y0 - h)) / h ** 2
    fxy = (f(x0 + h, y0 + h) - f(x0 + h, y0 - h) - f(x0 - h, y0 + h) + f(x0 - h, y0 - h)) / (4 * h * h)
    return np.array([[fxx, fxy], [fxy, fyy]], dtype=float)


def test_presets_parse_to_the_intended_functions():
    assert set(SYMPY_PRESETS) == set(mv.PRESETS)
    for name, text in mv.PRESETS.items():
        d = mv.derivatives(text)
        assert sp.simplify(d.f - SYMPY_PRESETS[name]) == 0, name


@pytest.mark.parametrize("name", list(mv.PRESETS))
def test_gradient_and_hessian_against_sympy_and_finite_differences(name):
    text, ref = mv.PRESETS[name], SYMPY_PRESETS[name]
    d = mv.derivatives(text)
    grad_ref = [sp.lambdify((x, y), sp.diff(ref, v)) for v in (x, y)]
    hess_ref = sp.lambdify((x, y), sp.hessian(ref, (x, y)))
    f = compile_expression(text, ("x", "y"))
    for x0, y0 in POINTS:
        pa = mv.analyse_point(d, x0, y0)
        np.testing.assert_allclose(pa.grad, [g(x0, y0) for g in grad_ref], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(pa.hess, np.array(hess_ref(x0, y0), float), rtol=1e-10, atol=1e-12)
        # central differences, independent of sympy
        h = 1e-6
        fd = [(f(x0 + h, y0) - f(x0 - h, y0)) / (2 * h), (f(x0, y0 + h) - f(x0, y0 - h)) / (2 * h)]
        scale = 1 + np.max(np.abs(pa.grad))
        np.testing.assert_allclose(pa.grad, fd, atol=1e-5 * scale)
        np.testing.assert_allclose(pa.hess, numeric_hessian(text, x0, y0, h=1e-4),
                                   atol=1e-3 * (1 + np.max(np.abs(pa.hess))))
        assert np.allclose(pa.hess, pa.hess.T)
        # eigen-pairs really are eigen-pairs
        for k in range(2):
            np.testing.assert_allclose(pa.hess @ pa.eigvecs[:, k], pa.eigvals[k] * pa.eigvecs[:, k],
                                       atol=1e-8 * (1 + np.max(np.abs(pa.hess))))


HIMMELBLAU_MINIMA = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]


@pytest.mark.parametrize("name, start, kind", [
    ("bowl", (0.4, -0.3), "minimum"),
    ("saddle", (0.4, -0.3), "saddle"),
    ("Rosenbrock", (0.8, 0.7), "minimum"),
    ("Himmelblau", (-0.2, -0.9), "maximum"),
    ("Himmelblau", (2.9, 2.1), "minimum"),
    ("Himmelblau", (-2.8, 3.1), "minimum"),
    ("Himmelblau", (3.0, -1.8), "minimum"),
    ("Himmelblau", (0.1, 2.9), "saddle"),
    ("sin x · cos y", (1.5, 0.1), "maximum"),
    ("sin x · cos y", (0.1, 1.5), "saddle"),
    ("sin x · cos y", (-1.5, 0.1), "minimum"),
    ("Sandpit intro surface", (1.2, 4.0), "minimum"),
    ("Sandpit intro surface", (4.0, 1.0), "maximum"),
])
def test_stationary_points_and_their_classification(name, start, kind):
    d = mv.derivatives(mv.PRESETS[name])
    found = mv.nearest_stationary_point(d, *start)
    assert found is not None
    pa = mv.analyse_point(d, *found)
    assert pa.grad_norm < 1e-8
    assert pa.classification.kind == kind, pa.classification
    # cross-check with the eigenvalues of sympy's Hessian at that point
    lam = [complex(v).real for v in sp.hessian(SYMPY_PRESETS[name], (x, y)).subs({x: found[0], y: found[1]}).eigenvals()]
    expect = "minimum" if min(lam) > 0 else "maximum" if max(lam) < 0 else "saddle"
    assert expect == kind


def test_known_stationary_points():
    d = mv.derivatives(mv.PRESETS["Himmelblau"])
    for p in HIMMELBLAU_MINIMA:
        found = mv.nearest_stationary_point(d, p[0] + 0.05, p[1] - 0.05)
        assert found == pytest.approx(p, abs=1e-5)
        assert mv.analyse_point(d, *found).classification.kind == "minimum"
    assert mv.nearest_stationary_point(mv.derivatives(mv.PRESETS["Rosenbrock"]), -1, 1.5) == pytest.approx((1, 1), abs=1e-8)


def test_intro_surface_minimum_agrees_with_scipy():
    from scipy.optimize import minimize
    f = compile_expression(mv.SANDPIT_INTRO, ("x", "y"))
    res = minimize(lambda p: float(f(*p)), [1.0, 4.0], method="Nelder-Mead", options=dict(xatol=1e-9, fatol=1e-12))
    found = mv.nearest_stationary_point(mv.derivatives(mv.SANDPIT_INTRO), 1.0, 4.0)
    assert found == pytest.approx(tuple(res.x), abs=1e-4)


def test_classification_edge_cases():
    assert mv.classify([0, 0], [[0, 0], [0, 0]]).kind == "inconclusive"
    d = mv.derivatives("x^4 + y^4")
    c = mv.analyse_point(d, 0, 0).classification
    assert c.kind == "inconclusive" and "det H" in c.reason
    assert mv.analyse_point(mv.derivatives("x^4 - y^4"), 0, 0).classification.kind == "inconclusive"
    assert mv.analyse_point(mv.derivatives("x^2 + y^4"), 0, 0).classification.kind == "inconclusive"
    assert mv.analyse_point(mv.derivatives("x^2 + y^2"), 1, 0).classification.kind == "not stationary"
    assert mv.analyse_point(mv.derivatives("-(x^2 + 3 y^2)"), 0, 0).classification.kind == "maximum"
    assert mv.classify([np.nan, 0], [[1, 0], [0, 1]]).kind == "undefined"
    assert mv.analyse_point(mv.derivatives("sqrt(x) + y"), -1, 0).classification.kind == "undefined"
    # a small but non-zero slope is not stationary
    assert mv.classify([1e-3, 0], [[2, 0], [0, 2]]).kind == "not stationary"


def test_gradient_arrows_are_one_nan_separated_polyline_along_the_gradient():
    d = mv.derivatives("x^2 + 3y")
    xs, ys, gx, gy = mv.gradient_arrows(d, (-2, 2), (-2, 2), n=5)
    assert xs.shape == ys.shape == (25 * 6,)
    assert np.all(np.isnan(xs[5::6])) and np.all(np.isnan(ys[5::6]))
    tails = np.stack([xs[0::6], ys[0::6]], 1)
    tips = np.stack([xs[1::6], ys[1::6]], 1)
    arrow = tips - tails
    g = np.stack([gx, gy], 1)
    cos = np.sum(arrow * g, 1) / np.linalg.norm(arrow, axis=1) / np.linalg.norm(g, axis=1)
    assert np.all(cos > 0.999)
    np.testing.assert_allclose(g, np.stack([2 * tails[:, 0], np.full(25, 3.0)], 1), atol=1e-3)
    # the longest arrow fits in a grid cell
    cell = 4 / 6
    assert np.max(np.linalg.norm(arrow, axis=1)) <= cell + 1e-9
    # negative=True flips them
    xn, yn, _, _ = mv.gradient_arrows(d, (-2, 2), (-2, 2), n=5, negative=True)
    np.testing.assert_allclose(xn[1::6] - xn[0::6], -(xs[1::6] - xs[0::6]), atol=2e-4)


def test_directional_derivative_is_grad_dot_u_and_largest_along_grad():
    g = np.array([3.0, -4.0])
    thetas = np.linspace(0, 2 * np.pi, 3601)
    vals = np.array([mv.directional_derivative(g, t) for t in thetas])
    assert vals.max() == pytest.approx(5.0, abs=1e-5)
    assert thetas[vals.argmax()] == pytest.approx(mv.steepest_angle(g), abs=2e-3)
    assert mv.directional_derivative(g, mv.steepest_angle(g) + np.pi / 2) == pytest.approx(0, abs=1e-12)
    # against a finite difference of f along u
    text = mv.PRESETS["peaks"]
    f = compile_expression(text, ("x", "y"))
    pa = mv.analyse_point(mv.derivatives(text), 0.4, -0.6)
    t, h = 1.1, 1e-6
    fd = (f(0.4 + h * np.cos(t), -0.6 + h * np.sin(t)) - f(0.4 - h * np.cos(t), -0.6 - h * np.sin(t))) / (2 * h)
    assert mv.directional_derivative(pa.grad, t) == pytest.approx(float(fd), rel=1e-6)


def test_tangent_plane_and_slices_touch_to_first_order():
    text = mv.PRESETS["sin x · cos y"]
    f = compile_expression(text, ("x", "y"))
    pa = mv.analyse_point(mv.derivatives(text), 0.7, 0.2)
    for h in (1e-2, 1e-3):
        xs, ys, z = mv.tangent_plane(pa, h, h)
        err = np.max(np.abs(z - f(*np.meshgrid(xs, ys))))
        assert err < 2 * h * h          # second-order error: the plane is tangent
    sl = mv.slices(text, pa, (-3, 3), (-3, 3))
    i = np.argmin(np.abs(sl.x - 0.7))
    assert sl.fx_curve[i] == pytest.approx(float(f(sl.x[i], 0.2)), abs=1e-3)
    slope = np.polyfit(sl.x[:10], sl.tangent_x[:10], 1)[0]
    assert slope == pytest.approx(pa.grad[0], abs=1e-3)


def test_surface_grid_is_small_and_rounded():
    g = mv.surface(mv.PRESETS["Rosenbrock"], (-2, 2), (-1, 3), n=50)
    assert g.z.shape == (50, 50)
    assert np.allclose(g.z, np.round(g.z, 4))
    assert g.zrange[0] < g.zrange[1]


def test_click_snapping():
    assert mv.snap(1.234, -3, 3, 0.05) == pytest.approx(1.25)
    assert mv.snap(9, -3, 3, 0.05) == 3.0
    # a click at data coordinates (0.52, -1.04) puts the point on the sliders' grid
    assert mv.point_from_click((0.52, -1.04), (-3, 3), (-3, 3), 0.05) == pytest.approx((0.5, -1.05))
    assert mv.point_from_click((0.52, -1.04), (-3, 3), (-2, 2), 0.05, 0.02) == pytest.approx((0.5, -1.04))
    assert mv.point_from_click((7.0, -9.0), (-3, 3), (-3, 3), 0.05) == (3.0, -3.0)     # clamped to the window
    assert mv.point_from_click(None, (-3, 3), (-3, 3), 0.05) is None
    assert mv.point_from_click((float("nan"), 0.0), (-3, 3), (-3, 3), 0.05) is None
    assert mv.nice_step(6) == 0.05 and mv.nice_step(10) == 0.1


# ---------------------------------------------------------------------------------------------
# Maps R² → R²
def test_polar_jacobian_determinant_is_r():
    mj = mv.map_jacobian(*mv.MAP_PRESETS["polar → cartesian"])
    assert sp.simplify(mj.det - x) == 0
    for r, t in [(0.5, 0.3), (1.7, 2.9)]:
        J, det = mj.at(r, t)
        np.testing.assert_allclose(J, [[np.cos(t), -r * np.sin(t)], [np.sin(t), r * np.cos(t)]], atol=1e-12)
        assert det == pytest.approx(r)


@pytest.mark.parametrize("name, det", [("linear", 1.25), ("shear", 1.0)])
def test_linear_maps_have_constant_determinant(name, det):
    mj = mv.map_jacobian(*mv.MAP_PRESETS[name])
    assert sp.simplify(mj.det - det) == 0
    sq = mv.square_image(mj, 0.3, -0.4, 0.5)
    assert sq.area_ratio == pytest.approx(det, rel=1e-9)       # exact for a linear map
    np.testing.assert_allclose(sq.parallelogram[:, :4], sq.image[:, ::12], atol=1e-9)


def test_square_image_area_tends_to_det_and_orientation_sign():
    mj = mv.map_jacobian(*mv.MAP_PRESETS["swirl"])
    _, det = mj.at(0.6, 0.4)
    errs = [abs(mv.square_image(mj, 0.6, 0.4, h, samples=60).area_ratio - det) for h in (0.2, 0.05, 0.01)]
    assert errs[0] > errs[1] > errs[2] and errs[2] < 0.02 * abs(det)
    flip = mv.map_jacobian("y", "x")               # a reflection
    sq = mv.square_image(flip, 0.2, 0.3, 0.1)
    assert sq.det == pytest.approx(-1) and sq.area_ratio == pytest.approx(-1)


def test_map_grid_and_det_samples():
    mg = mv.map_grid(*mv.MAP_PRESETS["polar → cartesian"], (0.5, 2), (0, 3), lines=5, samples=10)
    assert mg.x.shape == (2 * 5 * 11,) and np.isnan(mg.x[10])
    ok = np.isfinite(mg.x)
    np.testing.assert_allclose(mg.u[ok], mg.x[ok] * np.cos(mg.y[ok]), atol=2e-4)
    u, v, d = mv.det_samples(mv.map_jacobian(*mv.MAP_PRESETS["polar → cartesian"]), (0.5, 2), (0, 3), n=6)
    np.testing.assert_allclose(d, np.hypot(u, v), atol=2e-3)    # det = r = distance from the origin


def test_figures_are_valid_plotly_and_stay_small():
    """Every figure builder's dict spec passes plotly's full validation (a misspelt property fails
    here), uses the lean template (no per-trace defaults) and stays small on the wire."""
    import plotly.io as pio
    from explorer.figures import fastfig
    from explorer.figures import multivariate as mf
    from explorer import sandpit as sb
    text, xr, yr = mv.PRESETS["peaks"], (-3.0, 3.0), (-3.0, 3.0)
    d = mv.derivatives(text)
    grid = mv.surface(text, xr, yr, n=50)
    pa = mv.analyse_point(d, 0.5, -0.5)
    sl = mv.slices(text, pa, xr, yr)
    u, v = mv.MAP_PRESETS["polar → cartesian"]
    mj = mv.map_jacobian(u, v)
    sq = mv.square_image(mj, 1.0, 0.5, 0.2)
    pit = sb.make_pit("intro", 1)
    minima = sb.find_minima(pit)
    game = sb.dip(sb.new_game("intro", 1, "gradient"), pit, minima, 3.0, 3.0).game
    figs = {
        "contour": mf.contour_figure(grid, mv.gradient_arrows(d, xr, yr, n=15)[:2], pa, theta=0.3),
        "surface": mf.surface_figure(grid, pa, sl, planes=True, tangent=True),
        "slices": mf.slices_figure(sl, pa),
        "directional": mf.directional_figure(pa.grad, 0.7),
        "map": mf.map_figure(mv.map_grid(u, v, (0.5, 2), (0, 3)), sq, mv.det_samples(mj, (0.5, 2), (0, 3)),
                             (1.0, 0.5)),
        "zoom": mf.square_zoom_figure(sq),
        "board": mf.pit_board(game, pit, minima),
        "board revealed": mf.pit_board(sb.reveal(game), pit, minima),
        "pit 3d": mf.pit_3d(pit, game, minima),
    }
    for name, fig in figs.items():
        fastfig.validate(fig)                                       # raises on any bad property
        assert fig.layout.template.data.to_plotly_json() == {}, name
        assert fig.data, name
    assert [t.type for t in figs["contour"].data][:2] == ["contour", "scatter"]
    assert {t.xaxis or "x" for t in figs["slices"].data} == {"x", "x2"}    # two panels, as make_subplots made
    assert len(figs["board revealed"].data) > len(figs["board"].data)
    assert len(pio.to_json(figs["contour"])) < 70_000
    assert len(pio.to_json(figs["slices"])) < 15_000


def test_kinks_differentiate_as_real_functions():
    """|x|, max and sign are differentiated for REAL x and y (sympy's plain-symbol answer has re/im
    parts numpy cannot evaluate); the gradient matches central differences away from the kinks."""
    text = "abs(x)^0.5 + max(y, 0)*x + abs(x - y)"
    d = mv.derivative_exprs(text)
    from explorer.expressions import compile_expression
    f = compile_expression(text, ("x", "y"))
    h = 1e-6
    for x0, y0 in [(1.0, 0.5), (-4.0, -0.5), (2.5, 3.0), (-0.7, 1.9)]:
        g = mv.analyse_point(d, x0, y0).grad
        fd = [(f(x0 + h, y0) - f(x0 - h, y0)) / (2 * h), (f(x0, y0 + h) - f(x0, y0 - h)) / (2 * h)]
        assert g == pytest.approx(fd, rel=1e-6, abs=1e-6), (x0, y0)
    mj = mv.map_jacobian_exprs("abs(x)^0.5", "x*abs(y)")
    J, det = mj.at(-4.0, -2.0)
    assert J == pytest.approx(np.array([[-0.25, 0.0], [2.0, 4.0]]))
    assert det == pytest.approx(-1.0)


def test_an_expression_numpy_cannot_evaluate_gives_nan_not_an_exception():
    import sympy as sp
    from explorer.expressions import compile_expression
    x = sp.Symbol("x")
    f = compile_expression(sp.Derivative(sp.re(x), x) * x, ("x", "y"))
    assert np.isnan(f(np.array([1.0, 2.0]), 0.0)).all()


# ---------------------------------------------------------------------------------------------
# What the page asks of explorer: windows, presets, point state, LaTeX of the point's numbers
def test_window_falls_back_to_the_default_when_a_range_is_empty():
    w = mv.window(mv.PRESETS["Himmelblau"], -1, 2, -3, 4)
    assert (w.xr, w.yr, w.valid) == ((-1.0, 2.0), (-3.0, 4.0), True)
    w = mv.window(mv.PRESETS["Himmelblau"], 5, 2, -3, 4)
    assert (w.xr, w.yr, w.valid) == ((-5.0, 5.0), (-5.0, 5.0), False)
    assert mv.window("x y", 1, 1, 0, 1).xr == mv.DEFAULT_RANGE[0]
    assert mv.start_point("x y", (0, 2), (-4, 0)) == (1.0, -2.0)
    assert mv.start_point(mv.PRESETS["peaks"], (0, 2), (-4, 0)) == mv.PRESET_POINTS["peaks"]
    assert set(mv.PRESET_POINTS) == set(mv.PRESETS) == set(mv.PRESET_RANGES)


def test_point_state_follows_presets_clicks_and_windows():
    state = {}
    ps = mv.PointState(state)
    ps.follow_preset(mv.PRESETS["bowl"])              # the first run moves nothing
    assert state == {ps.LAST_F: mv.PRESETS["bowl"]}
    ps.follow_preset("x^3 + y")                        # typed text moves nothing either
    assert "x0" not in state
    ps.follow_preset(mv.PRESETS["Rosenbrock"])
    assert (state["xmin"], state["xmax"], state["ymin"], state["ymax"]) == (-2.0, 2.0, -1.0, 3.0)
    assert (state["x0"], state["y0"]) == mv.PRESET_POINTS["Rosenbrock"]
    ps.click((0.523, 7.0), (-2, 2), (-1, 3), 0.05, 0.05)
    assert (state["x0"], state["y0"]) == pytest.approx((0.5, 3.0))
    ps.click(None, (-2, 2), (-1, 3), 0.05, 0.05)
    assert (state["x0"], state["y0"]) == pytest.approx((0.5, 3.0))
    state["x0"] = 9.0
    ps.keep_in_window("x0", -2, 2, 0.05)
    assert state["x0"] == 2.0
    ps.keep_in_window("x0", -3, 3, 0.05)              # inside: left as it is
    assert state["x0"] == 2.0
    assert mv.keep_in_window(None, 0, 1, 0.1) is None and mv.keep_in_window(0.33, 0, 1, 0.1) == 0.33
    d = mv.derivatives(mv.PRESETS["Himmelblau"])
    state.update(x0=2.8, y0=2.2)
    ps.go_to_stationary(d, (0, 0), (-5, 5), (-5, 5))
    assert (state["x0"], state["y0"]) == pytest.approx((3.0, 2.0), abs=1e-8) and not ps.no_stationary_found()
    ps.go_to_stationary(mv.derivatives("x + y"), (0, 0), (-5, 5), (-5, 5))
    assert ps.no_stationary_found() and not ps.no_stationary_found()      # read once
    mv.follow_map_preset(state, "shear")
    assert (state["mx"], state["my"], state["u"], state["v"]) == (0.5, 0.5, "x + 0.8y", "y")
    mv.follow_map_preset(state, "something typed")
    assert state["u"] == "x + 0.8y"


class _Writes(dict):
    """A session state that records every write (a write is what makes a new slider take a value)."""
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.written = []

    def __setitem__(self, key, value):
        self.written.append(key)
        super().__setitem__(key, value)


def test_a_changed_window_rewrites_the_point_and_says_when_it_moved():
    state = _Writes(x0=8.0, y0=1.0)
    ps = mv.PointState(state)
    ps.keep_in_window("x0", -3.0, 10.0, 0.2)             # first run: nothing to do
    assert state["x0"] == 8.0 and "x0" not in state.written and ps.moved_note() is None
    ps.keep_in_window("x0", -3.0, 10.0, 0.2)             # same slider: no write
    assert "x0" not in state.written
    ps.keep_in_window("x0", -3.0, 3.0, 0.05)             # x from > x to: the default window
    ps.keep_in_window("y0", -3.0, 3.0, 0.05)
    assert (state["x0"], state["y0"]) == (3.0, 1.0)
    assert ps.moved_note() == "x₀ was outside the window: it moved from 8 to the nearest value inside, 3."
    assert ps.moved_note() is None                        # said once
    state.written.clear()
    ps.keep_in_window("x0", -1000.0, 10.0, 10.0)         # a new slider (range and step): written again
    assert state.written.count("x0") == 1 and state["x0"] == 3.0 and ps.moved_note() is None
    ps.keep_in_window("mx", 0.0, 1.0, 0.1)               # another slider's value is not this point's
    assert ps.moved_note() is None


def test_window_message_names_the_window_drawn():
    w = mv.window(mv.PRESETS["Himmelblau"], 5, 2, -3, 4)
    assert mv.window_message(w) == ("Each range needs **from < to**; drawing this function's default window "
                                    "instead: x from -5 to 5, y from -5 to 5.")


def test_surface_figure_draws_nothing_outside_its_box():
    """1/(x − y) has a pole on the diagonal: the box's z range comes from the grid's robust range,
    and every value of every trace outside it is left out (NaN), the tangent plane shrunk to fit."""
    from explorer.figures import multivariate as mf
    text = "1/(x - y)"
    d = mv.derivatives(text)
    for xr, yr, point in [((-3.0, 3.0), (-3.0, 3.0), (0.3, 0.25)), ((-3.0, 3.1), (-3.0, 3.0), (1.0, 0.5)),
                          ((-3.0, 3.1), (-3.0, 3.0), (0.06, 0.0))]:
        grid = mv.surface(text, xr, yr)
        pa = mv.analyse_point(d, *point)
        fig = mf.surface_figure(grid, pa, mv.slices(text, pa, xr, yr), planes=True, tangent=True)
        zlo, zhi = fig.layout.scene.zaxis.range
        finite = grid.z[np.isfinite(grid.z)]
        assert finite.max() > zhi or finite.min() < zlo or xr[1] == 3.0   # the pole reaches beyond the box
        for trace in fig.data:
            z = np.asarray(trace.z, dtype=float).ravel()
            z = z[np.isfinite(z)]
            assert z.size and zlo - 1e-4 <= z.min() and z.max() <= zhi + 1e-4, (trace.name, z.min(), z.max())
        names = [t.name for t in fig.data]
        assert "tangent plane" in names or not zlo <= pa.f <= zhi
    # where nothing blows up the whole surface is drawn: the bowl keeps its corners (f = 18)
    grid = mv.surface("x^2 + y^2", (-3, 3), (-3, 3))
    fig = mf.surface_figure(grid, mv.analyse_point(mv.derivatives("x^2 + y^2"), 1, 1))
    assert np.isfinite(np.asarray(fig.data[0].z, float)).all() and fig.layout.scene.zaxis.range[1] > 18


def test_directional_figure_writes_the_subscript():
    from explorer.figures import multivariate as mf
    fig = mf.directional_figure((2.0, 2.0), 0.7)
    texts = [a.text for a in fig.layout.annotations] + [fig.layout.yaxis2.title.text] + [t.name for t in fig.data]
    assert not any("D_u" in (t or "") for t in texts)
    assert "D<sub>u</sub>f = ∇f · u for every θ" in texts and fig.layout.yaxis2.title.text == "D<sub>u</sub>f"


def test_point_latex_reads_the_point():
    pa = mv.analyse_point(mv.derivatives("x^2 + y^2"), 1.0, -0.5)
    pl = mv.point_latex(pa)
    assert pl["reading"].startswith(r"f(x_0, y_0) = f(1, -0.5) = 1.25,\qquad ")
    assert r"= (2, -1),\quad |\nabla f| = 2.236" in pl["reading"]
    assert pl["J, H"] == (r"\begin{gathered} " + pl["J"] + r",\qquad " + pl["H"] + r" \\[4pt] " + pl["eig"]
                          + r",\qquad " + pl["det"] + r" \end{gathered}")
    assert pl["det"] == r"\det H = 4"
    assert mv.partials_latex(mv.derivatives("x^2 + y^2"), pa).endswith(r"\Big|_{(x_0,y_0)} = -1")
    tex = mv.directional_latex(pa, 90)
    assert r"(2)\cos\theta + (-1)\sin\theta = -1\qquad" in tex
    assert tex.endswith(r"|\nabla f| = 2.236 \text{ at } \theta = 333.4^\circ")
    assert mv.stationary_point_for_sliders(mv.derivatives("(x - 0.1234567891234)^2 + y^2"), 1, 1, (-2, 2),
                                           (-2, 2)) == (0.123456789, 0.0)
    assert mv.stationary_point_for_sliders(mv.derivatives("(x - 3)^2 + y^2"), 1, 1, (-2, 2), (-2, 2)) is None


def test_map_window_orientation_and_latex():
    assert mv.map_window("swirl") == (*mv.MAP_RANGES["swirl"], mv.MAP_POINTS["swirl"])
    assert mv.map_window("✏️ Type your own") == ((-2.0, 2.0), (-2.0, 2.0), (0.5, 0.5))
    mj = mv.map_jacobian(*mv.MAP_PRESETS["polar → cartesian"])
    lat = mj.latex()
    assert lat["all"].startswith(r"\begin{gathered} " + lat["map"]) and lat["all"].endswith(lat["det"] + r" \end{gathered}")
    sq = mv.square_image(mj, 1.5, 0.0, 0.1)
    assert sq.orientation == "kept"
    assert r"J(1.5, 0) = \begin{bmatrix} 1 & 0 \\ 0 & 1.5 \end{bmatrix},\qquad \det J = 1.5" in mv.square_latex(sq, 1.5, 0.0)
    assert mv.square_image(mv.map_jacobian("y", "x"), 0, 0, 0.1).orientation == "flipped"
    assert mv.square_image(mv.map_jacobian("x + y", "x + y"), 0, 0, 0.1).orientation == "flat"
    assert set(mv.ORIENTATION_TEXT) == {"kept", "flipped", "flat"}
