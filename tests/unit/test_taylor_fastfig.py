"""The Taylor page's figures are built from plain dicts (explorer.fastfig): each must still pass
plotly's full validation, and carry what the page and its lesson rely on."""
import json
import math

import numpy as np
import plotly.io as pio
import pytest

from explorer.figures import fastfig
from explorer import taylor as tx
from explorer.figures import taylor as tp
from explorer.numbers import subscript


def _one_d(text, a, n=3, eps=1e-2, nplay=20):
    exp = tx.expand_1d(text, a, max(nplay, n))
    cv = tx.curves_1d(text, exp, (a - 4, a + 4), npts=121)
    rad = tx.radius_of_convergence(text, a, exp.coeffs)
    return tp.figure_1d(cv, a, n, eps, rad, nplay=max(nplay, n))


def _two_d(text, point=(0.5, 0.5), r=1.5):
    loc = tx.local_2d(text, point)
    return loc, tx.surfaces_2d(text, loc, r, n=40)


@pytest.mark.parametrize("text,a,n", [("exp(x)", 0.0, 3), ("ln(1+x)", 1.0, 2), ("1/(1+x^2)", 0.5, 25),
                                      ("exp(-1/x^2)", 0.0, 6)])
def test_figure_1d_validates(text, a, n):
    fig = _one_d(text, a, n)
    full = fastfig.validate(fig)                 # raises ValueError on a misspelt property
    assert len(full.frames) == max(20, n) + 1
    assert [t.name for t in full.data][:2] == ["f(x)", f"T{subscript(n)}(x)"]
    assert full.layout.yaxis2.type == "log"
    assert full.layout.updatemenus[0].buttons[0].method == "animate"
    # every frame restyles the Tₙ trace, its error and the bound's visibility, and is valid too
    for k, fr in enumerate(full.frames):
        assert list(fr.traces) == [1, 2, 3] and fr.data[0].name == f"T{subscript(k)}(x)"


@pytest.mark.parametrize("text", ["sin(x)*cos(y)", "exp(x)*sin(y)", "ln(x*y)"])
@pytest.mark.parametrize("show", [{"T0": True, "T1": True, "T2": True}, {"T0": False, "T1": False, "T2": False}])
def test_figure_2d_surfaces_validates(text, show):
    loc, sf = _two_d(text)
    full = fastfig.validate(tp.figure_2d_surfaces(sf, loc, show))
    assert sum(t.type == "surface" for t in full.data) == 1 + sum(show.values())
    assert full.data[-1].type == "scatter3d"
    # plotly.py's "Blues" written out (plotly.js's own "Blues" is another scale)
    assert full.data[0].colorscale[0][1] == "rgb(247,251,255)"


@pytest.mark.parametrize("text", ["sin(x)*cos(y)", "exp(x)*sin(y)", "ln(x*y)"])
@pytest.mark.parametrize("which", ["T1", "T2"])
def test_figure_2d_error_validates(text, which):
    loc, sf = _two_d(text)
    full = fastfig.validate(tp.figure_2d_error(sf, loc, which, 1e-2))
    assert [t.type for t in full.data] == ["heatmap", "contour", "contour", "scatter"]
    assert full.data[1].contours.start == pytest.approx(-2.0) and full.data[1].contours.coloring == "none"
    assert full.data[0].colorscale[0][1] == "#000004"          # magma, written out
    assert full.layout.yaxis.scaleanchor == "x"


def test_grids_are_rounded_and_gaps_are_null():
    loc, sf = _two_d("ln(x*y)", (0.5, 0.5), 1.5)              # undefined where x*y <= 0
    spec = json.loads(pio.to_json(tp.figure_2d_error(sf, loc, "T2", 1e-2), validate=False))
    z = spec["data"][0]["z"]
    assert any(v is None for row in z for v in row)
    E = np.log10(np.maximum(sf["E2"], 1e-16))
    for i in (0, 20, 39):
        for j in (0, 20, 39):
            v = z[i][j]
            assert (v is None) == (not math.isfinite(E[i, j]))
            if v is not None:
                assert v == pytest.approx(E[i, j], abs=0.0051) and len(repr(v)) <= 6
    surf = json.loads(pio.to_json(tp.figure_2d_surfaces(sf, loc, {"T1": True}), validate=False))
    F = surf["data"][0]["z"]
    top = np.nanmax(np.abs(sf["f"]))
    assert F[20][20] == pytest.approx(sf["f"][20, 20], abs=1e-3 * top)


def test_figures_are_fast_to_build():
    import time
    loc, sf = _two_d("sin(x)*cos(y)")
    exp = tx.expand_1d("exp(x)", 0.0, 20)
    cv = tx.curves_1d("exp(x)", exp, (-4, 4), npts=121)
    rad = tx.radius_of_convergence("exp(x)", 0.0, exp.coeffs)
    best = math.inf
    for _ in range(5):
        t = time.perf_counter()
        tp.figure_1d(cv, 0.0, 3, 1e-2, rad, nplay=20)
        tp.figure_2d_surfaces(sf, loc, {"T1": True, "T2": True})
        tp.figure_2d_error(sf, loc, "T2", 1e-2)
        best = min(best, time.perf_counter() - t)
    assert best < 0.025, f"the three figures took {1000 * best:.1f} ms (graph_objects took ~50 ms)"


def test_rounding_matches_formatting_to_significant_digits():
    rng = np.random.default_rng(7)
    v = np.concatenate([rng.normal(size=3000) * 10.0 ** rng.integers(-40, 40, 3000),
                        [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-300, 5e300, 123456789.0, 0.00012345, -2.5]])
    for sig in (3, 4, 5):
        want = [None if not math.isfinite(x) else float(f"{x:.{sig}g}") for x in v.tolist()]
        assert tp._r(v, sig) == want          # the same floats, so the same short JSON
