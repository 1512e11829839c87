"""The Taylor page through streamlit's AppTest: defaults, widgets, bad input, links."""
import json

import pytest

from helpers import run_page

PAGE = "pages/taylor.py"


def _charts(at):
    """{chart key: figure} of every chart drawn through ui.chart_live / ui.chart3d (the plotly3d
    component, whose payload is a line of options and then the figure's JSON)."""
    out = {}
    for comp in at.get("bidi_component"):
        meta, spec = comp.proto.bytes.decode().split("\n", 1)
        out[json.loads(meta)["key"]] = json.loads(spec)
    return out


def _surface(at):
    return _charts(at)["t3d"]


def _main(at):
    """The 1D chart (f, Tₙ, errors, and the frames of the ▶ animation)."""
    return _charts(at)["t1d"]


def _heat(at):
    return _charts(at)["t2err"]


def _latex(at):
    return " ".join(l.value for l in at.latex)


@pytest.fixture(scope="module")
def at():
    a = run_page(PAGE)
    assert not a.exception, [e.value for e in a.exception]
    return a


def test_defaults_draw_everything(at):
    assert not at.get("plotly_chart"), "every chart updates in place (ui.chart_live)"
    assert set(_charts(at)) == {"t1d", "t3d", "t2err"}
    assert any(t["type"] == "surface" for t in _surface(at)["data"])
    main = _main(at)
    names = [t.get("name") for t in main["data"]]
    assert "f(x)" in names and "T_3(x)" in names
    assert main["layout"]["yaxis2"]["type"] == "log"
    # client-side animation: one frame per order 0..20 and a play button
    assert [f["name"] for f in main["frames"]] == [str(k) for k in range(21)]
    assert main["layout"]["updatemenus"][0]["buttons"][0]["method"] == "animate"
    tex = _latex(at)
    assert r"T_{3}(x) = 1+x+\frac{1}{2}\,x^{2}+\frac{1}{6}\,x^{3}" in tex
    assert "R = \\infty" in tex
    assert "J = " in tex and "H = " in tex
    assert len(at.caption) >= 3 and sum("What to notice" in c.value for c in at.caption) >= 3
    assert at.dataframe, "the order vs max error table"


def test_order_and_point_change_the_polynomial():
    at = run_page(PAGE, {"f": "ln(1+x)"})
    at.slider(key="n").set_value(2).run()
    at.slider(key="a").set_value(1.0).run()
    assert not at.exception
    tex = _latex(at)
    assert r"\ln{\left(2 \right)}" in tex and r"\left(x - 1\right)" in tex
    # the radius for ln(1+x) at a = 1 is the distance to x = -1
    assert "R = 2" in tex
    assert any("branch point at x = −1" in c.value for c in at.caption)
    main = _main(at)
    assert any(t.get("name") == "T_2(x)" for t in main["data"])
    # the radius is marked on the plot: dashed lines at a ± R inside the window [−3, 5]
    xs = sorted({s["x0"] for s in main["layout"]["shapes"] if s.get("line", {}).get("dash") == "dash"})
    assert xs == [-1.0, 3.0]


def test_eps_band_is_shaded_and_widens_with_order():
    at = run_page(PAGE, {"f": "cos(x)", "n": "2", "eps": "-2"})
    main = _main(at)

    def band_width(shapes):
        return sum(s["x1"] - s["x0"] for s in shapes if s["type"] == "rect")
    w2 = band_width(main["layout"]["shapes"])
    frames = {f["name"]: f for f in main["frames"]}
    w8 = band_width(frames["8"]["layout"]["shapes"])
    assert 0 < w2 < w8


def test_flat_function_at_zero():
    at = run_page(PAGE, {"f": "exp(-1/x^2)", "n": "6"})
    assert not at.exception
    assert "T_{6}(x) = 0" in _latex(at)
    assert any("zero function" in c.value for c in at.caption)


def test_point_without_expansion_explains():
    at = run_page(PAGE, {"f": "1/(1-x)", "a": "1.0"})
    assert not at.exception
    assert any("No Taylor polynomial" in w.value for w in at.warning)
    at.slider(key="a").set_value(0.5).run()
    assert not at.warning and _main(at)


def test_bad_typed_function_keeps_drawing():
    at = run_page(PAGE)
    at.text_input(key="f").input("sin(x").run()
    assert not at.exception
    assert at.error and at.text_input(key="f").value == "sin(x"
    assert _main(at)


def test_slow_typed_function_falls_back_to_numeric():
    at = run_page(PAGE, {"f": "sin(sin(sin(sin(x))))", "a": "0.5"})
    assert not at.exception
    assert any("too long" in i.value for i in at.info)
    assert _main(at)


def test_two_variable_toggles_and_heatmap():
    at = run_page(PAGE, {"g": "exp(x)*sin(y)", "x0": "0.0", "y0": "0.0"})
    surf = _surface(at)
    assert sum(t["type"] == "surface" for t in surf["data"]) == 3      # f, T1, T2 by default
    tex = _latex(at)
    assert r"\begin{pmatrix}0 & 1\end{pmatrix}" in tex             # J of eˣ sin y at the origin
    assert r"\begin{pmatrix}0 & 1\\ 1 & 0\end{pmatrix}" in tex     # H
    at.toggle(key="s2").set_value(False).run()
    at.toggle(key="s0").set_value(True).run()
    surf = _surface(at)
    names = [t["name"] for t in surf["data"] if t["type"] == "surface"]
    assert any("T₀" in n for n in names) and not any("T₂" in n for n in names)
    heat = _heat(at)
    assert heat["data"][0]["type"] == "heatmap"
    assert sum(t["type"] == "contour" for t in heat["data"]) == 2
    assert not at.exception


def test_two_variable_bad_point():
    at = run_page(PAGE, {"g": "ln(x*y)", "x0": "-1.0", "y0": "1.0"})
    assert not at.exception
    assert any("No expansion" in w.value for w in at.warning)


def test_sizes_stay_small(at):
    sizes = {c.proto.id: len(c.proto.bytes) for c in at.get("bidi_component")}
    main = len(json.dumps(_main(at)))
    assert main < 95_000, main
    assert sum(sizes.values()) < 240_000, sizes
