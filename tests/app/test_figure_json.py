"""``fastfig.figure_json`` (the fast figure encoder behind every live chart) against plotly.io.

Every chart that every page draws, in its default view and in presenter mode, is encoded both ways
and decoded: the two figures must be the same, number for number (typed arrays decoded; a null in
a list and a NaN in a typed array are both a gap). Plus the encoder's own edge cases: short arrays,
64-bit integers, long lists of numbers with gaps, strings and booleans left alone, arrays under
"range", animation frames; and, in a real browser, that plotly.js draws a typed array with NaN
exactly as the list with null that plotly.io sends.
"""
from __future__ import annotations

import base64
import json
import math

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from explorer.figures import fastfig
from helpers import run_page
from explorer import course

PAGES = [p.file for p in course.PAGES]
LIVE = {p.file for p in course.MODULES}     # the pages that draw through ui.chart_live
TYPES = {"f8": "<f8", "f4": "<f4", "i1": "i1", "u1": "u1", "i2": "<i2", "u2": "<u2", "i4": "<i4", "u4": "<u4"}


def decoded(obj):
    """JSON from either encoder with every typed array turned back into (nested) lists."""
    if isinstance(obj, dict):
        if set(obj) >= {"dtype", "bdata"}:
            a = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=TYPES[obj["dtype"]])
            if "shape" in obj:
                a = a.reshape([int(n) for n in obj["shape"].split(",")])
            return a.astype(float).tolist()
        return {k: decoded(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [decoded(v) for v in obj]
    return float(obj) if isinstance(obj, int) and not isinstance(obj, bool) else obj


def gap(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def same(a, b, where="fig") -> None:
    if gap(a) or gap(b):                        # null in a list and NaN in a typed array: both gaps
        assert gap(a) and gap(b), f"{where}: {a} != {b}"
    elif isinstance(a, float) and isinstance(b, float):
        assert a == b or (math.isnan(a) and math.isnan(b)), f"{where}: {a} != {b}"
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), f"{where}: keys {sorted(a)} != {sorted(b)}"
        for k in a:
            same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{where}: lengths differ"
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{where}[{i}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def named_colorscales(obj) -> list:
    """Colour scales sent by name (plotly.js knows few of plotly.py's names, and draws others with
    its default scale)."""
    if isinstance(obj, dict):
        return ([obj["colorscale"]] if isinstance(obj.get("colorscale"), str) else []) + \
            [n for v in obj.values() for n in named_colorscales(v)]
    if isinstance(obj, list):
        return [n for v in obj for n in named_colorscales(v)]
    return []


def test_named_colorscales_are_sent_as_colours():
    fig = fastfig.figure([dict(type="surface", z=[[1, 2], [3, 4]], colorscale="YlOrBr_r"),
                          dict(type="scatter", x=[0], y=[0], marker=dict(color=[1], colorscale="RdBu"))], {})
    sent = json.loads(check(fig))
    assert not named_colorscales(sent)
    assert sent["data"][0]["colorscale"][0] == [0.0, "rgb(102,37,6)"]          # YlOrBr, reversed
    assert [list(c) for c in go.Figure(go.Surface(colorscale="YlOrBr_r")).data[0].colorscale] == \
        sent["data"][0]["colorscale"]                                        # as validation gives


def check(fig: go.Figure) -> str:
    ours = fastfig.figure_json(fig)
    same(decoded(json.loads(ours)), decoded(json.loads(pio.to_json(fig, validate=False))))
    return ours


@pytest.mark.parametrize("present", [False, True], ids=["default", "presenter"])
@pytest.mark.parametrize("path", PAGES)
def test_every_chart_on_every_page_encodes_as_plotly_io_does(path, present, monkeypatch):
    from ui import live_chart
    seen = []

    def checking(fig):
        seen.append(fig)
        sent = check(fig)
        fastfig.validate(fig)                       # and the figure passes plotly's full validation
        assert not named_colorscales(json.loads(sent)), "plotly.js would not know these names"
        return sent

    monkeypatch.setattr(live_chart, "figure_json", checking)
    at = run_page(path, {"present": "1"} if present else None)
    assert not at.exception
    if path in LIVE:
        assert seen, f"{path} drew no live chart: the check above checked nothing"


def test_typed_arrays_short_arrays_and_integers():
    x = np.linspace(0, 1, 50)
    fig = fastfig.figure([dict(type="scatter", x=x, y=np.arange(50), mode="lines"),
                          dict(type="surface", z=np.outer(x, x), x=x[:3], y=[np.float32(1.5), 2])],
                         dict(xaxis=dict(range=np.array([0.0, 1.0])), height=300))
    spec = json.loads(check(fig))
    assert spec["data"][0]["x"]["dtype"] == "f8"                       # sent as binary, not text
    assert spec["data"][0]["y"]["dtype"] == "i4"                       # int64 narrowed for plotly.js
    assert spec["data"][1]["z"]["shape"] == "50, 50"
    assert spec["layout"]["xaxis"]["range"] == [0.0, 1.0]              # "range" stays a list


def test_nan_in_a_short_plain_list_becomes_null():
    fig = fastfig.figure([dict(type="scatter", x=[0.0, 1.0, 2.0], y=[1.0, float("nan"), 3.0])], {})
    assert json.loads(check(fig))["data"][0]["y"] == [1.0, None, 3.0]


def test_long_lists_of_numbers_travel_as_typed_arrays_and_the_rest_as_lists():
    y = [0.0, 1.5, None, None, 2.0, 3.25] * 4
    fig = fastfig.figure([dict(type="scatter", x=list(range(24)), y=y, text=["a"] * 24,
                               marker=dict(color=[True] * 24), customdata=[[1, 2], [3]] * 12)], {})
    trace = json.loads(check(fig))["data"][0]
    assert trace["x"]["dtype"] == trace["y"]["dtype"] == "f8"
    y_sent = decoded(trace["y"])
    assert y_sent[:2] == [0.0, 1.5] and math.isnan(y_sent[2]) and math.isnan(y_sent[3])
    assert trace["text"] == ["a"] * 24 and trace["marker"]["color"] == [True] * 24
    assert trace["customdata"] == [[1, 2], [3]] * 12                    # ragged rows stay lists


@pytest.mark.browser
def test_plotly_js_draws_a_typed_array_with_nan_as_the_list_with_null(browser, tmp_path):
    """The gap in a line: the SVG path plotly.js draws is the same for both encodings."""
    import plotly
    from pathlib import Path
    js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    y = [0.0, 1.0, None, None, 2.0, 3.0] * 4
    fig = fastfig.figure([dict(type="scatter", x=list(range(len(y))), y=y, mode="lines+markers")],
                         dict(width=400, height=300))
    ours, theirs = fastfig.figure_json(fig), pio.to_json(fig, validate=False)
    assert '"bdata"' in ours and "null" in theirs
    (tmp_path / "gap.html").write_text(f"<div id=a></div><div id=b></div><script src='{js.as_uri()}'></script>")
    page = browser.new_page()
    try:
        page.goto((tmp_path / "gap.html").as_uri())
        paths = page.evaluate("""([a, b]) => { const A = JSON.parse(a), B = JSON.parse(b);
          Plotly.newPlot('a', A.data, A.layout); Plotly.newPlot('b', B.data, B.layout);
          const d = id => Array.from(document.querySelectorAll('#' + id + ' .scatterlayer path.js-line'))
            .map(p => p.getAttribute('d')).join(' ');
          const n = id => document.querySelectorAll('#' + id + ' .scatterlayer path.point').length;
          return [d('a'), d('b'), n('a'), n('b')]; }""", [ours, theirs])
    finally:
        page.close()
    assert paths[0] == paths[1] and paths[0].count("M") == 5          # five pieces: four gaps
    assert paths[2] == paths[3] == 16                                 # no marker for a gap


def test_frames_are_encoded_as_plain_lists():
    """plotly.js does not decode typed arrays inside animation frames: frames travel as lists."""
    y = np.linspace(0, 1, 40)
    fig = fastfig.figure([dict(type="scatter", x=list(range(40)), y=y)], {},
                         frames=[dict(name="f0", data=[dict(y=y, x=list(range(40)))])])
    sent = json.loads(check(fig))
    assert sent["data"][0]["y"]["dtype"] == "f8"
    assert sent["frames"][0]["name"] == "f0" and sent["frames"][0]["data"][0]["y"] == y.tolist()
    assert sent["frames"][0]["data"][0]["x"] == list(range(40))


def test_a_lazy_figure_is_built_on_first_use_and_behaves_as_a_built_one():
    import copy
    import pickle
    x = np.linspace(0, 1, 30)
    fig = fastfig.figure([dict(type="surface", z=np.outer(x, x))], dict(height=333, scene=dict(aspectmode="cube")))
    assert "_lazy_spec" in fig.__dict__                                 # nothing built yet
    assert fastfig.layout_value(fig, "height") == 333 and fastfig.layout_value(fig, "width") is None
    fastfig.set_scene_uirevision(fig, "k")
    sent = json.loads(check(fig))                                       # check() builds it (plotly.io)
    assert sent["layout"]["scene"] == {"aspectmode": "cube", "uirevision": "k"}
    assert "_lazy_spec" not in fig.__dict__
    assert isinstance(fig, go.Figure) and fig.data[0].type == "surface" and fig.layout.height == 333
    assert fig.layout.scene.uirevision == "k" and fastfig.layout_value(fig, "height") == 333
    for other in (copy.deepcopy(fig), pickle.loads(pickle.dumps(fig))):
        same(decoded(json.loads(fastfig.figure_json(other))), decoded(json.loads(fastfig.figure_json(fig))))


def test_scene_uirevision_matches_update_scenes_on_every_scene():
    layout = dict(scene=dict(aspectmode="cube"), scene2=dict(domain=dict(x=[0.5, 1])))
    lazy = fastfig.figure([dict(type="surface", z=[[1, 2], [3, 4]])], layout)
    built = fastfig.figure([dict(type="surface", z=[[1, 2], [3, 4]])], layout)
    built.update_layout(height=400)                                     # builds it
    built.update_layout(height=None)
    fastfig.set_scene_uirevision(lazy, "k")
    fastfig.set_scene_uirevision(built, "k")
    assert json.loads(fastfig.figure_json(lazy))["layout"] == json.loads(fastfig.figure_json(built))["layout"]
    assert layout["scene"] == dict(aspectmode="cube")                   # the caller's dicts are not changed


def test_a_changed_lazy_figure_sends_the_change():
    fig = fastfig.figure([dict(type="scatter", x=[0, 1], y=[0, 1])], dict(height=300))
    fig.update_layout(title_text="changed")
    fig.add_trace(go.Scatter(x=[0], y=[1]))
    sent = json.loads(check(fig))
    assert sent["layout"]["title"]["text"] == "changed" and len(sent["data"]) == 2
