"""The Optimisation page's figure builders: plain-dict figures (explorer.fastfig) that pass plotly's
full validation, and that draw what the page says they draw."""
import numpy as np
import pytest

from explorer.figures import fastfig
from explorer import optimise as opt
from explorer.figures import optimise as figs

QUIZ = "x^6/6 - 3x^4 - 2x^3/3 + 27x^2/2 + 18x - 30"
W = (-3.0, 3.0, -3.0, 3.0)
LF, LG, LW = "exp(-(2x^2 + y^2 - x*y)/2)", "x^2 + 3(y + 1)^2 - 1", (-2.0, 2.0, -2.6, 0.6)


@pytest.fixture(scope="module")
def inputs():
    runs = [opt.descend("x^2 + 10y^2", (2.5, 1.0), m, 0.05, 300) for m in opt.METHODS]
    return dict(
        newton=opt.newton_raphson(QUIZ, 1.99, 50),          # x₁ is thrown off the chart
        basins=opt.newton_basins(QUIZ, -5.0, 5.0, 400, 50),
        runs=runs, grid=opt.grid("x^2 + 10y^2", W, 40),
        sol=opt.lagrange_solve(LF, LG, LW), walk=opt.constraint_walk(LF, LG, LW), fgrid=opt.grid(LF, LW, 40),
    )


def _builders(i):
    return {
        "newton": lambda: figs.newton_figure(i["newton"], 4, (-5.0, 5.0)),
        "newton, no steps": lambda: figs.newton_figure(i["newton"], 0, (-5.0, 5.0)),
        "basins": lambda: figs.basin_figure(i["basins"], 3.1),
        "contour, one run": lambda: figs.descent_contour(i["grid"], i["runs"][:1], W),
        "contour, the race": lambda: figs.descent_contour(i["grid"], i["runs"], W),
        "surface": lambda: figs.descent_surface(i["grid"], i["runs"], W),
        "values": lambda: figs.descent_values(i["runs"]),
        "lagrange": lambda: figs.lagrange_figure(i["fgrid"], None, i["walk"], 40, i["sol"].points, LW),
        "lagrange, no curve": lambda: figs.lagrange_figure(i["fgrid"], opt.grid("x^2 + y^2 + 5", LW, 40),
                                                           None, 0, [], LW),
        "along": lambda: figs.along_figure(i["walk"], 40, i["sol"].points),
    }


NAMES = list(_builders({}))


@pytest.mark.parametrize("name", NAMES)
def test_every_builder_passes_plotlys_validation(inputs, name):
    fig = _builders(inputs)[name]()
    checked = fastfig.validate(fig)                 # raises on a misspelt or ill-typed property
    assert len(checked.data) == len(fig.data) >= 1
    assert checked.layout.title.text


def test_validation_is_not_a_no_op():
    bad = fastfig.figure([dict(type="scatter", x=[1], y=[2], linee=dict(color="red"))], dict(height=300))
    with pytest.raises(ValueError):
        fastfig.validate(bad)


def test_newton_figure_draws_tangents_axis_and_the_thrown_guess(inputs):
    res = inputs["newton"]
    fig = figs.newton_figure(res, 4, (-5.0, 5.0))
    tangents = next(t for t in fig.data if t.name == "tangent lines")
    # tangent k runs from x_k − 0.15 d to x_{k+1} + 0.15 d, with a gap (None) after each
    assert len(tangents.x) == 3 * 4
    d = res.history[1] - res.history[0]
    assert tangents.x[1] == pytest.approx(res.history[1] + 0.15 * d, rel=1e-4)
    assert fig.layout.shapes[0].y0 == 0 and fig.layout.shapes[0].xref == "x domain"   # the x-axis line
    assert any("is off the chart" in a.text for a in fig.layout.annotations)         # x₁ ≈ −36.5


def test_contour_map_has_no_click_grid_and_marks_the_start(inputs):
    fig = figs.descent_contour(inputs["grid"], inputs["runs"][:1], W)
    assert [t.type for t in fig.data].count("contour") == 1
    assert all("click" not in (t.name or "") for t in fig.data)
    start = next(t for t in fig.data if t.name == "start")
    assert (start.x[0], start.y[0]) == (2.5, 1.0)
    path = fig.data[1]
    assert path.name.startswith(opt.METHODS["gradient"])
    assert np.asarray(path.x)[0] == 2.5 and fig.layout.dragmode == "pan"


def test_lagrange_figure_gradient_arrows_point_along_the_gradients(inputs):
    walk, idx = inputs["walk"], 40
    fig = figs.lagrange_figure(inputs["fgrid"], None, walk, idx, inputs["sol"].points, LW)
    arrows = [a for a in fig.layout.annotations if a.showarrow]
    assert [a.arrowcolor for a in arrows] == ["#0072B2", "#D55E00"]      # ∇f blue, ∇g vermilion
    for a, vec in zip(arrows, (walk.grad_f[idx], walk.grad_g[idx])):
        drawn = np.array([a.x - a.ax, a.y - a.ay])
        assert np.dot(drawn, vec) / (np.linalg.norm(drawn) * np.linalg.norm(vec)) == pytest.approx(1.0)


def _labels(fig):
    axis = next(t for t in fig.data if t.name == "xₙ on the axis")
    return [(x, s) for x, s in zip(axis.x, axis.text) if s]


def test_newton_view_is_chosen_from_the_iterates_on_the_default_preset():
    res = opt.newton_raphson(QUIZ, 3.1, 50)                  # the page's default f, x₀ and n = 3
    fig = figs.newton_figure(res, 3, (-5.0, 5.0))
    xr, yr = list(fig.layout.xaxis.range), list(fig.layout.yaxis.range)
    h, fv = res.history[:4], res.fx[:4]
    # x: the iterates with a margin, not the whole window −5…5
    assert xr[0] < h.min() and h.max() < xr[1]
    assert xr[1] - xr[0] <= 1.5 * np.ptp(h) + 1e-9
    # y: within a small factor of the iterates' f-values (6.2 … 12.1), not the window's 0…900
    big = np.abs(fv).max()
    assert yr[0] <= 0 and yr[1] >= big
    assert yr[1] - yr[0] <= 2 * big
    # every tangent step drawn is at least a tenth of the chart's height: it can be seen
    assert all(abs(v) >= 0.1 * (yr[1] - yr[0]) for v in fv[:3])


def test_newton_labels_only_what_is_legible():
    res = opt.newton_raphson(QUIZ, 3.1, 50)                  # 29 steps, many piled near x = 3
    for shown in (3, 10, 29):
        fig = figs.newton_figure(res, shown, (-5.0, 5.0))
        labels = _labels(fig)
        xr = list(fig.layout.xaxis.range)
        assert 1 <= len(labels) <= figs.MAX_LABELS
        assert labels[0][1] == "x₀"
        xs = sorted(x for x, _ in labels)
        assert all(b - a >= figs.LABEL_SPACING * (xr[1] - xr[0]) - 1e-9 for a, b in zip(xs, xs[1:]))
    # on the full run the last iterate is named
    assert any(s == "x₂₉" for _, s in labels)


def test_legible_labels_spacing_and_priority():
    xs = np.array([0.0, 0.01, 0.5, 0.52, 1.0])
    # x₀ first, then the last, then x₁ (too close to x₀: skipped), x₂, x₃ (too close to x₂: skipped)
    assert figs.legible_labels(xs, [0.0, 1.0], spacing=0.07) == [0, 2, 4]
    assert figs.legible_labels(np.linspace(0, 1, 50), [0.0, 1.0], max_labels=8, spacing=0.0) == \
        [0, 1, 2, 3, 4, 5, 6, 49]
    assert figs.legible_labels(np.array([5.0, 0.5]), [0.0, 1.0]) == [1]        # x₀ off the chart


def test_legends_sit_below_the_chart_away_from_the_titles(inputs):
    # measured in Chromium at 390, 700 and 1000 px, normal and presenter fonts: a legend at the foot
    # of the figure (container coordinates, room reserved by plotly) meets neither title
    for fig in (figs.newton_figure(inputs["newton"], 4, (-5.0, 5.0)), figs.basin_figure(inputs["basins"], 3.1)):
        lg = fig.layout.legend
        assert (lg.yref, lg.y, lg.yanchor) == ("container", 0, "bottom")


def test_descent_path_on_the_bowl_faces_the_camera_and_rides_above_the_surface():
    window, start = (-3.0, 3.0, -3.0, 3.0), (2.0, 1.5)                   # the Bowl preset
    run = opt.descend("x^2 + y^2", start, "gradient", 0.1, 300)
    fig = figs.descent_surface(opt.grid("x^2 + y^2", window, 60), [run], window)
    path = next(t for t in fig.data if t.type == "scatter3d")
    x, y, z = (np.asarray(v, float) for v in (path.x, path.y, path.z))
    zr = (0.0, 18.0)
    assert np.all(z - (x ** 2 + y ** 2) >= 0.9 * figs.SURFACE_LIFT * (zr[1] - zr[0]))
    assert path.mode == "lines+markers"
    # in the scene's unit cube, the camera is on the upper side of the tangent plane at every
    # point of the path, so the surface does not hide it (the old corner view failed at the start)
    eye = fig.layout.scene.camera.eye
    e = np.array([eye.x, eye.y, eye.z])
    for xi, yi in zip(x, y):
        p = np.array([xi / 6, yi / 6, (xi ** 2 + yi ** 2 - 9) / 18])
        n = np.array([-2 * xi * 6 / 18, -2 * yi * 6 / 18, 1.0])          # (−f_x, −f_y, 1), rescaled
        assert np.dot(n, e - p) > 0
    old = np.array([1.25, 1.25, 1.25])
    p0 = np.array([2 / 6, 1.5 / 6, (6.25 - 9) / 18])
    assert np.dot(np.array([-4 / 3, -1.0, 1.0]), old - p0) < 0           # the default view was behind
