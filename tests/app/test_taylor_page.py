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
        meta = json.loads(meta)
        if meta.get("kind") != "frames":       # not the hidden carriers of drag frames
            out[meta["key"]] = json.loads(spec)
    return out


def _frames(at):
    """{(chart key, slider key): drag frames} (ui.live_chart.send_frames, issue #19)."""
    out = {}
    for comp in at.get("bidi_component"):
        meta, spec = comp.proto.bytes.decode().split("\n", 1)
        meta = json.loads(meta)
        if meta.get("kind") == "frames":
            out[(meta["chart"], meta["slider"])] = json.loads(spec)
    return out


def _surface(at):
    return _charts(at)["t3d"]


def _main(at):
    """The 1D chart (f, Tₙ, errors, and the frames of the ▶ animation)."""
    return _charts(at)["t1d"]


def _heat(at):
    return _charts(at)["t2err"]


def _latex(at):
    """Every formula on the page: st.latex and the display math merged into st.markdown."""
    return " ".join([l.value for l in at.latex] + [m.value for m in at.markdown])


def step(at, widget, value):
    """Change one control as the browser does, then run the whole page again.

    A control's on_change reruns only the fragments that draw what it changes (st.rerun with
    fragment keys); AppTest then holds just their elements, so the returned tree is a full run.
    The browser writes a bound control's value into the URL itself (the keyed run sends no new
    query string), and sends every control's value with the next run; AppTest does neither for
    controls that are not in its last tree, so the URL is updated here as the browser does."""
    key = widget.key
    widget.set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    if key in at.query_params:
        at.query_params[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return at.run()


def _error_table(at):
    """The rows of the "largest error on the window" markdown table: [(order, max err, bound)]."""
    table = next(m.value for m in at.markdown if m.value.startswith("| n |"))
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    return rows


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
    assert "f(x)" in names and "T₃(x)" in names
    assert main["layout"]["yaxis2"]["type"] == "log"
    # client-side animation: one frame per order 0..20 and a play button
    assert [f["name"] for f in main["frames"]] == [str(k) for k in range(21)]
    assert main["layout"]["updatemenus"][0]["buttons"][0]["method"] == "animate"
    tex = _latex(at)
    assert r"T_{3}(x) = 1+x+\frac{1}{2}\,x^{2}+\frac{1}{6}\,x^{3}" in tex
    assert "R = \\infty" in tex
    assert "J &= " in tex and "H &= " in tex and r"\Delta\mathbf{x}" in tex
    assert "Lagrange's bound" in tex and r"\max_{\xi\in[a,x]}|f^{(n+1)}(\xi)|" in tex
    assert sum("What to notice" in c.value for c in at.caption) == 4      # 1D chart, table, 3D, map
    assert any("|f − T₁| < ε: **" in c.value and "What to notice" in c.value for c in at.caption), \
        "the shares of the window below ε read in the error map's caption"
    rows = _error_table(at)
    assert [r[0].strip("*") for r in rows] == [str(k) for k in range(21)], "one row per order 0..20"
    assert all(c.startswith("**") for c in rows[3]) and not rows[2][0].startswith("**"), "n = 3 in bold"
    # eˣ on [−4, 4]: the largest error shrinks with the order (n = 0: e⁴ − 1 ≈ 53.6)
    errs = [float(r[1].strip("*")) for r in rows]
    assert errs[0] == pytest.approx(53.6, rel=0.01) and errs[20] < 1e-4 < errs[10] < errs[3]
    assert not at.dataframe, "a markdown table, not a (heavy) dataframe"


def test_order_and_point_change_the_polynomial():
    at = run_page(PAGE, {"f": "ln(1+x)"})
    step(at, at.slider(key="n"), 2)
    step(at, at.slider(key="a"), 1.0)
    tex = _latex(at)
    assert r"\ln{\left(2 \right)}" in tex and r"\left(x - 1\right)" in tex
    # the radius for ln(1+x) at a = 1 is the distance to x = -1
    assert "R = 2" in tex
    assert "branch point at x = −1" in tex
    main = _main(at)
    assert any(t.get("name") == "T₂(x)" for t in main["data"])
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
    assert "zero function" in _latex(at)             # the radius's reason, beside R


def test_point_without_expansion_explains():
    at = run_page(PAGE, {"f": "1/(1-x)", "a": "1.0"})
    assert not at.exception
    assert any("No Taylor polynomial" in w.value for w in at.warning)
    step(at, at.slider(key="a"), 0.5)
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
    step(at, at.toggle(key="s2"), False)
    step(at, at.toggle(key="s0"), True)
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


def _only(at):
    """What a keyed rerun re-sent: (chart keys, number of sliders, markdown, captions)."""
    return set(_charts(at)), len(at.slider), len(at.markdown), len(at.caption)


@pytest.mark.parametrize("kind,key,value,charts,markdown", [
    ("slider", "eps", -3.0, {"t1d"}, 0),            # ε: the 1D chart and its caption only
    ("slider", "n", 5, {"t1d"}, 3),                 # n: the chart and the column beside it
    ("slider", "w", 6.0, {"t1d"}, 3),
    ("slider", "a", 0.5, {"t1d"}, 3),
    ("slider", "x0", 0.0, {"t3d", "t2err"}, 1),     # x₀: both 2D charts and the formulas
    ("slider", "r", 1.0, {"t3d", "t2err"}, 0),      # the window: no formula depends on it
    ("toggle", "s0", True, {"t3d"}, 0),
    ("slider", "eps2", -3.0, {"t2err"}, 0),
    ("button_group", "hm", "T1", {"t2err"}, 0),
])
def test_a_step_reruns_only_what_it_changes(at, kind, key, value, charts, markdown):
    """Fewer elements per slider step: no slider, header or unrelated chart is sent again."""
    at.run()
    widget = next(w for w in at.get(kind) if w.key == key)
    widget.set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    got, sliders, md, captions = _only(at)
    assert got == charts and sliders == 0 and md == markdown
    assert captions == len(charts) + (md == 3), "each chart's notice (and the error table's)"
    at.run()                                            # the whole page again: the change is kept
    assert set(_charts(at)) == {"t1d", "t3d", "t2err"} and len(at.slider) == 8
    widget = next(w for w in at.get(kind) if w.key == key)
    assert widget.value == value
