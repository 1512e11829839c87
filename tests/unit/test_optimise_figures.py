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
    assert [a.arrowcolor for a in arrows] == ["#1f77b4", "#d62728"]
    for a, vec in zip(arrows, (walk.grad_f[idx], walk.grad_g[idx])):
        drawn = np.array([a.x - a.ax, a.y - a.ay])
        assert np.dot(drawn, vec) / (np.linalg.norm(drawn) * np.linalg.norm(vec)) == pytest.approx(1.0)
