"""explorer.figures.describe: a chart's accessible name, description and table, checked number by
number against the figure's own data (issue 20)."""
from __future__ import annotations

import re
import time

import numpy as np
import plotly.graph_objects as go
import pytest

from explorer.derivatives.differences import secant
from explorer.figures import derivatives as D
from explorer.figures import fastfig
from explorer.figures.describe import MAX_CHARS, MAX_ROWS, describe, plain

NUMBER = r"(−?[0-9.]+(?:×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?)"


def num(s: str) -> float:
    """A number as the description prints it (true minus sign, 3 significant figures)."""
    return float(s.replace("−", "-"))


def close(printed: str, value: float) -> bool:
    """``printed`` is ``value`` to the 3 significant figures the description uses."""
    return num(printed) == pytest.approx(value, rel=6e-3, abs=1e-12)


def sentence(description: str, name: str) -> str:
    """The sentence about trace ``name``."""
    start = description.index(name + ":")
    return description[start:description.index(". ", start) + 1 if ". " in description[start:] else None]


@pytest.fixture(scope="module")
def secant_fig():
    x = np.linspace(-3, 3, 301)
    s = secant("x^2", 1.0, 0.32)
    return D.secant_figure(x, x ** 2, s, (-1, 9)), s


def test_secant_figure_number_by_number(secant_fig):
    fig, s = secant_fig
    label, text, table = describe(fig)
    assert label == "f(x) against x"              # no title: named after its axes
    assert len(text) <= MAX_CHARS
    curve, sec, tan, tri = fig.data               # the numbers the chart draws
    # the curve: x range, and its lowest and highest points with where they are
    m = re.search(rf"f\(x\): x {NUMBER}…{NUMBER}; f\(x\) from {NUMBER} at x = {NUMBER} to {NUMBER} at x = {NUMBER}\.",
                  text)
    assert m, text
    x, y = np.asarray(curve.x, float), np.asarray(curve.y, float)
    assert close(m[1], x.min()) and close(m[2], x.max())
    assert close(m[3], y.min()) and close(m[4], x[np.argmin(y)])
    assert close(m[5], y.max()) and close(m[6], x[np.argmax(y)])
    # the secant and the tangent: two-point lines, their ends and slopes from the drawn ends
    for trace, slope in ((sec, s.slope), (tan, s.true_slope)):
        part = sentence(text, trace.name)
        m = re.search(rf"a line through \({NUMBER}, {NUMBER}\) and \({NUMBER}, {NUMBER}\), slope {NUMBER}\.", part)
        assert m, part
        (x0, x1), (y0, y1) = trace.x, trace.y
        assert [close(m[i], v) for i, v in zip(range(1, 5), (x0, y0, x1, y1))] == [True] * 4
        assert close(m[5], (y1 - y0) / (x1 - x0)) and close(m[5], slope)
    assert close(re.search(rf"\), slope {NUMBER}\.$", sentence(text, sec.name))[1], 0.32 + 2)  # (1.32² − 1)/0.32
    assert close(re.search(rf"\), slope {NUMBER}\.$", sentence(text, tan.name))[1], 2.0)       # f′(1) = 2
    # the rise/run triangle: its three corners
    corners = re.findall(rf"\({NUMBER}, {NUMBER}\)", sentence(text, "run h, then rise"))
    assert len(corners) == 3
    for (px, py), vx, vy in zip(corners, tri.x, tri.y):
        assert close(px, vx) and close(py, vy)
    assert "Notes: run = 0.32; rise = 0.742." in text   # the chart's annotations
    # the table: every trace, the curve thinned to MAX_ROWS rows with both ends kept
    assert table["columns"] == ["series", "x", "f(x)"] and table["caption"] == label
    rows = [r for r in table["rows"] if r[0] == "f(x)"]
    assert len(rows) == MAX_ROWS
    assert rows[0][1:] == [-3.0, 9.0] and rows[-1][1:] == [3.0, 9.0]
    assert all(r[2] == pytest.approx(r[1] ** 2, rel=1e-3, abs=1e-3) for r in rows)
    assert [r[1:] for r in table["rows"] if r[0] == "run h, then rise"] == [[1.0, 1.0], [1.32, 1.0], [1.32, 1.742]]


def test_contour_min_and_max_where_the_data_has_them():
    x = np.linspace(-2, 2, 41)
    y = np.linspace(-1, 3, 33)
    X, Y = np.meshgrid(x, y)
    Z = (X - 1) ** 2 + (Y + 0.5) ** 2
    fig = fastfig.figure([dict(type="contour", x=x, y=y, z=Z, name="loss")],
                         dict(title="Loss <b>landscape</b>", xaxis=dict(title="w"), yaxis=dict(title="b")))
    label, text, table = describe(fig)
    assert label == "Loss landscape"
    m = re.search(rf"loss: contour map over w {NUMBER}…{NUMBER}, b {NUMBER}…{NUMBER}; z from {NUMBER} at "
                  rf"\({NUMBER}, {NUMBER}\) to {NUMBER} at \({NUMBER}, {NUMBER}\)\.", text)
    assert m, text
    assert [num(m[i]) for i in range(1, 5)] == [-2, 2, -1, 3]
    i, j = np.unravel_index(np.argmin(Z), Z.shape)
    assert close(m[5], Z.min()) and close(m[6], x[j]) and close(m[7], y[i])
    assert (num(m[6]), num(m[7])) == (1.0, -0.5)
    i, j = np.unravel_index(np.argmax(Z), Z.shape)
    assert close(m[8], Z.max()) and close(m[9], x[j]) and close(m[10], y[i])
    assert close(m[8], 9 + 12.25)                         # at (−2, 3)
    assert table["columns"] == ["series", "w", "b", "z"]
    assert table["rows"] == [["loss (minimum)", 1.0, -0.5, 0.0], ["loss (maximum)", -2.0, 3.0, 21.25]]


def test_surface_3d_built_figure_and_axis_titles():
    x = np.linspace(0, np.pi, 30)
    y = np.linspace(-1, 1, 20)
    Z = np.sin(x)[None, :] * np.exp(y)[:, None]
    fig = go.Figure([go.Surface(x=x, y=y, z=Z, name="f", showscale=False),
                     go.Scatter3d(x=[1.0], y=[0.5], z=[float(np.sin(1) * np.exp(0.5))], mode="markers",
                                  name="point")],
                    layout=dict(scene=dict(zaxis=dict(title="f(x, y)"))))
    label, text, table = describe(fig)                # a figure plotly.py built and validated
    assert label == "f(x, y) over x and y"
    m = re.search(rf"f: surface over x {NUMBER}…{NUMBER}, y {NUMBER}…{NUMBER}; f\(x, y\) from {NUMBER} at "
                  rf"\({NUMBER}, {NUMBER}\) to {NUMBER} at \({NUMBER}, {NUMBER}\)\.", text)
    assert m, text
    assert close(m[1], 0) and close(m[2], np.pi) and close(m[3], -1) and close(m[4], 1)
    i, j = np.unravel_index(np.argmax(Z), Z.shape)
    assert close(m[8], Z.max()) and close(m[9], x[j]) and close(m[10], y[i])
    assert close(m[5], Z.min())
    p = re.search(rf"point: point \({NUMBER}, {NUMBER}, {NUMBER}\)\.", text)
    assert p and close(p[1], 1) and close(p[2], 0.5) and close(p[3], np.sin(1) * np.exp(0.5))
    assert table["rows"][-1][0] == "point" and table["rows"][-1][3] == pytest.approx(np.sin(1) * np.exp(0.5), rel=1e-3)


def test_no_title_no_axis_titles_and_hidden_traces():
    fig = fastfig.figure([dict(x=[0, 1, 2, 3, 4], y=[3, 1, 4, 1, 5], mode="markers", name="data"),
                          dict(x=[0, 4], y=[0, 8], mode="lines", name="hidden", visible="legendonly")], {})
    label, text, table = describe(fig)
    assert label == "Chart of data"
    assert text == "data: 5 points, x 0…4, y 1…5."
    assert "hidden" not in text and all(r[0] == "data" for r in table["rows"])
    assert describe(fastfig.figure([], {}))[:2] == ("Chart", "")


def test_many_traces_stay_short_and_say_what_is_left_out():
    data = [dict(x=[0, 1], y=[0, k], mode="lines", name=f"line {k}") for k in range(1, 21)]
    _, text, table = describe(fastfig.figure(data, dict(title="many")))
    assert len(text) <= MAX_CHARS
    said = len(re.findall(r"line \d+: a line", text))
    assert 1 <= said < 20 and text.endswith(f"{20 - said} more in the table.")
    assert len(table["rows"]) == 40


def test_plain_strips_html_and_latex():
    assert plain("<b>f</b>(x)&nbsp;=<br>x²") == "f(x) = x²"
    assert plain(r"$\nabla f \cdot \mathbf{u}$") == "∇ f · u"
    assert plain(None) == ""


def test_fast_enough_for_every_chart_on_every_rerun(secant_fig):
    fig, _ = secant_fig
    describe(fig)
    best = min(_timed(describe, fig) for _ in range(30))
    assert best < 1e-3, f"describe took {best * 1e3:.2f} ms"


def _timed(f, *args) -> float:
    t = time.perf_counter()
    f(*args)
    return time.perf_counter() - t
