"""Golden bytes of the drag-frame encoding (explorer.figures.frames): ``frames_json`` of every input
here is byte-for-byte what it was before frames.py was made faster, so neither the chart code
(ui/live_chart_js/live_chart.js decodes the format) nor any page's frames can tell the difference.

The inputs do not depend on any page builder (those change independently): ``tests/data/
frames_corpus.json.gz`` holds the spec lists the derivatives, Taylor, regression, optimisation and
chain-rule pages passed to ``spec_frames`` (captured through AppTest with their defaults and a few
slider and formula changes; long slider ranges cut to every few positions to keep the file small)
and the values the multivariate page encodes; the synthetic cases below cover what those pages do
not (NaN, None, constant and all-gap arrays, changing layout lists, traces that come and go, numpy
scalars and dtypes, huge and tiny numbers). ``tests/data/frames_golden.json`` holds the sha256 of
each result, computed from frames.py before it was made faster (``PYTHONPATH=. python3
tests/unit/test_frames_golden.py --regenerate`` rewrites it from the code now: only ever after a
deliberate change of the format).
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import math
import sys
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from explorer.figures.frames import encode, frames_json, slider_frames, slider_values, spec_frames
from explorer.numbers import round_sig

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "frames_corpus.json.gz"
GOLDEN = DATA / "frames_golden.json"
TAG = "\x00t"           # the key of a tagged value (a key no figure uses)


# --- a lossless JSON form of spec lists: numpy arrays and scalars, tuples and NaN keep their type ---

def pack(v, seen: dict | None = None):
    """``v`` as JSON; a dict, list or array met again is a reference to the first (shared objects
    stay shared: the pages share what never moves, and frames.py skips what is the same object)."""
    seen = {} if seen is None else seen
    if isinstance(v, (dict, list, np.ndarray)):
        if id(v) in seen:
            return {TAG: "ref", "n": seen[id(v)][0]}
        seen[id(v)] = (len(seen), v)            # (keeps v alive, so its id is not reused)
    if isinstance(v, np.ndarray):
        return {TAG: "nd", "dtype": v.dtype.str, "shape": list(v.shape),
                "b": base64.b64encode(np.ascontiguousarray(v).tobytes()).decode("ascii")}
    if isinstance(v, np.generic):
        return {TAG: "np", "dtype": v.dtype.str, "b": base64.b64encode(np.array(v).tobytes()).decode("ascii")}
    if isinstance(v, float) and not math.isfinite(v):
        return {TAG: "f", "v": repr(v)}
    if isinstance(v, tuple):
        return {TAG: "tuple", "v": [pack(x, seen) for x in v]}
    if isinstance(v, list):
        return [pack(x, seen) for x in v]
    if isinstance(v, dict):
        assert all(isinstance(k, str) for k in v) and TAG not in v
        return {k: pack(x, seen) for k, x in v.items()}
    assert v is None or type(v) in (bool, int, float, str), type(v)
    return v


def unpack(v, objs: list | None = None):
    objs = [] if objs is None else objs
    if isinstance(v, list):
        out: list = []
        objs.append(out)
        out.extend(unpack(x, objs) for x in v)
        return out
    if isinstance(v, dict):
        tag = v.get(TAG)
        if tag == "ref":
            return objs[v["n"]]
        if tag == "nd":
            objs.append(np.frombuffer(base64.b64decode(v["b"]), dtype=v["dtype"]).reshape(v["shape"]).copy())
            return objs[-1]
        if tag == "np":
            return np.frombuffer(base64.b64decode(v["b"]), dtype=v["dtype"])[0]
        if tag == "f":
            return float(v["v"])
        if tag == "tuple":
            return tuple(unpack(x, objs) for x in v["v"])
        d: dict = {}
        objs.append(d)
        d.update((k, unpack(x, objs)) for k, x in v.items())
        return d
    return v


def sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


# --- synthetic cases -------------------------------------------------------------------------------

V = [round(-1 + 0.25 * k, 2) for k in range(9)]
X40 = np.linspace(-2, 2, 40)


def _moving(v):
    return {"data": [{"x": X40, "y": X40 ** 2, "mode": "lines", "line": {"color": "#1f5fbf"}},
                     {"x": [v], "y": [v * v], "mode": "markers", "name": f"x = {v:.2f}"},
                     {"x": X40, "y": np.where(X40 > v, np.nan, v * X40), "line": {"color": "#d62728", "width": 2}}],
            "layout": {"title": {"text": f"at {v:.2f}"}, "xaxis": {"range": [-2, 2]}}}


def _gaps(v):
    y = v * X40
    y[::7] = np.nan
    y[3] = np.inf
    return {"data": [{"x": X40, "y": y},                                  # NaN and ∞ in a quantised array
                     {"x": [v, None, v + 1], "y": [None, float("nan"), 2.0]},   # short lists with gaps
                     {"x": np.full(30, v), "y": np.full(30, np.nan)},      # constant; all gaps
                     {"x": [v] * 12, "y": [None] * 12},                    # the same as plain lists
                     {"x": np.full(12, 3.0), "y": X40[:12] * 0 + (v > 0)}],  # constant that never moves; a step
            "layout": {}}


def _layout_lists(v):
    k = int(round(4 * v)) % 3
    notes = [{"x": v + i, "y": i, "text": f"note {i}", "showarrow": False, "font": {"size": 12}} for i in range(2)]
    shapes = [{"type": "line", "x0": v, "x1": v, "y0": 0, "y1": 1}] * (1 + k)       # its length changes
    return {"data": [{"x": [v], "y": [0.0]}],
            "layout": {"annotations": notes, "shapes": shapes, "title": {"text": "fixed"},
                       "xaxis": {"range": (v - 1, v + 1)}, "yaxis": {"range": [0, 1]},
                       "sliders": [] if v < 0 else [{"active": 0}]}}


def _come_and_go(v):
    data = [{"x": X40, "y": np.sin(X40)}, {"x": [v], "y": [math.sin(v)]}]
    if v >= 0:                       # a tangent only right of 0: the usual count is 3
        data.append({"x": [v - 1, v + 1], "y": [math.sin(v) - math.cos(v), math.sin(v) + math.cos(v)]})
    if v == 0.5:                     # a marker at one value only
        data.append({"x": [v], "y": [0.0], "marker": {"symbol": "x"}})
    return {"data": data, "layout": {"title": {"text": f"{v}"}}}


def _numpy_kinds(v):
    i = int(4 * v)
    return {"data": [{"x": np.arange(10, dtype=np.int64) + i, "y": (np.arange(10) * v).astype(np.float32),
                      "z": np.outer(np.arange(3), np.arange(4)) * v,          # 2-D: row by row
                      "customdata": [[v, 1.0], [2.0, v]],
                      "name": np.str_(f"n{i}"), "opacity": np.float64(0.5 + v / 4), "width": np.int64(i),
                      "visible": bool(v > -0.5), "legendrank": 2 ** 60 + i, "ids": [np.float64(v)] * 3,
                      "marker": {"size": np.float32(v + 2), "color": ["red", "blue"][i % 2]},
                      "text": [f"{v}"] * 9, "hovertext": ("a", v, None)}],
            "layout": {"xaxis": {"range": np.array([v, v + 1])}}}


def _extremes(v):
    big = np.array([1.234567e30 * (1 + v), -9.87654e-30 * v, 1e300, 5e-324, -0.0, 0.0, 123456789.0])
    return {"data": [{"x": list(big), "y": big * (1 + v), "z": [1e23 * v, 1e-23 * v, 2.5 + v, -2.5 - v]}],
            "layout": {"title": {"text": f"{v}"}, "width": 3.141592653589793 * v}}


def _static(v):
    return {"data": [{"x": X40, "y": X40}, {}], "layout": {"title": {"text": "same"}}}


SYNTHETIC = {"moving": _moving, "gaps": _gaps, "layout_lists": _layout_lists, "come_and_go": _come_and_go,
             "numpy_kinds": _numpy_kinds, "extremes": _extremes, "static": _static}


def _plotly_build(v):
    """A plotly.py figure (not fastfig): slider_frames reads it through to_plotly_json."""
    fig = go.Figure([go.Scatter(x=X40, y=X40 * v, mode="lines"), go.Scatter(x=[v], y=[v], name=f"{v}")])
    fig.update_layout(title_text=f"slope {v}", annotations=[{"x": v, "y": v, "text": "here"}])
    return fig


def _dict_build(v):
    return _moving(v)


SLIDERS = [(-4.0, 4.0, 0.05), (-8.0, 0.0, 0.25), (0.02, 1.0, 0.04), (-3.0, 3.0, 0.1), (0.0, 1.0, 1 / 3),
           (-2.5, 7.3, 0.0125), (1e-6, 2e-6, 1e-8), (-1000.0, 1000.0, 0.5), (0.1, 0.35, 0.05), (3.0, 3.0, 0.5)]


def _random_value(rng, depth=0):
    kind = rng.integers(0, 11 if depth < 2 else 9)
    n = int(rng.choice([1, 3, 7, 8, 20]))
    if kind == 0: return rng.normal(size=n) * 10.0 ** rng.integers(-3, 4)
    if kind == 1: return [float(x) for x in rng.normal(size=n)]
    if kind == 2: return [None if rng.random() < 0.3 else float(x) for x in rng.normal(size=n)]
    if kind == 3: return np.where(rng.random(n) < 0.3, np.nan, np.full(n, float(rng.integers(0, 3))))
    if kind == 4: return str(rng.choice(["lines", "markers", "red", "x = 1"]))
    if kind == 5: return float(rng.normal())
    if kind == 6: return bool(rng.random() < 0.5)
    if kind == 7: return int(rng.integers(-3, 40))
    if kind == 8: return rng.normal(size=(2, 3)) if rng.random() < 0.5 else {"bdata": "AAAAAAAA8D8=", "dtype": "f8"}
    return {str(rng.choice(list("abcdef"))): _random_value(rng, depth + 1) for _ in range(int(rng.integers(0, 4)))}


def _perturbed(rng, d, depth=0):
    """A copy of the nested dict ``d`` with a few values changed, removed, added, swapped between a
    value and a dict, copied equal but not identical, or kept as the same object."""
    out = {}
    for k, v in d.items():
        r = rng.random()
        if r < 0.45: out[k] = v                                        # the same object
        elif r < 0.6: out[k] = unpack(json.loads(json.dumps(pack(v))))        # an equal copy
        elif r < 0.7 and isinstance(v, dict) and depth < 2: out[k] = _perturbed(rng, v, depth + 1)
        elif r < 0.9: out[k] = _random_value(rng, depth)               # a new value (perhaps a dict)
        # else: removed
    if rng.random() < 0.2: out[str(rng.choice(list("xyzw")))] = _random_value(rng, depth)
    return out


def _random_specs(seed):
    rng = np.random.default_rng(seed)
    base = [{k: _random_value(rng) for k in rng.choice(list("xyzvwnmo"), int(rng.integers(1, 6)), replace=False)}
            for _ in range(int(rng.integers(1, 4)))]
    notes = [{"x": 1.0, "text": "a", "font": {"size": 3}}, {"x": 2.0, "text": "b"}]
    specs = []
    for j in range(int(rng.integers(2, 9))):
        data = [_perturbed(rng, t) if rng.random() < 0.7 else t for t in base]
        if rng.random() < 0.15: data = data[:-1]
        if rng.random() < 0.1: data = data + [{"x": [float(j)]}]
        lay = {"title": {"text": f"{j % 3}"}, "xaxis": {"range": [j, j + 1.5]}, "yaxis": {"range": [0, 1]}}
        lay = _perturbed(rng, lay) if rng.random() < 0.3 else lay
        if rng.random() < 0.8: lay["annotations"] = [_perturbed(rng, x) for x in notes]   # item by item
        if rng.random() < 0.5: lay["shapes"] = [{"x0": float(j)}] * int(rng.integers(1, 3))   # whole
        specs.append({"data": data, "layout": lay})
    return specs


def synthetic_results() -> dict[str, bytes]:
    out = {}
    for name, fn in SYNTHETIC.items():
        specs = [fn(v) for v in V]
        for digits in (3, 5, 8):
            out[f"synthetic/{name}/d{digits}"] = frames_json(spec_frames(specs, V, digits=digits))
    for seed in range(60):               # random nested specs: changes at every depth, shared objects
        specs = _random_specs(seed)
        out[f"random/{seed}"] = frames_json(spec_frames(specs, [float(k) for k in range(len(specs))]))
    out["slider_frames/plotly"] = frames_json(slider_frames(_plotly_build, V))
    out["slider_frames/dict"] = frames_json(slider_frames(_dict_build, V))
    for name, fn in SYNTHETIC.items():
        out[f"encode/{name}"] = frames_json(encode(fn(0.25)))
    for lo, hi, step in SLIDERS:
        out[f"slider_values/{lo},{hi},{step}"] = frames_json({"v": slider_values(lo, hi, step)})
    return out


def corpus_results(cases: list[dict]) -> dict[str, bytes]:
    out = {}
    for case in cases:
        if case["kind"] == "spec":
            out[case["name"]] = frames_json(spec_frames(unpack(case["specs"]), case["values"], digits=case["digits"]))
        else:           # the values a page encodes one by one into one frame set
            vals = unpack(case["values"])
            out[case["name"]] = frames_json(encode({f"{k:05d}": v for k, v in enumerate(vals)}))
    return out


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(GOLDEN.read_text())


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return json.loads(gzip.decompress(CORPUS.read_bytes()))


def test_corpus_is_what_the_pages_send(cases):
    kinds = {c["name"].split("/")[0] for c in cases}
    assert {"derivatives", "taylor", "regression", "optimisation", "chain-rule", "multivariate"} <= kinds
    assert len(cases) >= 20
    assert CORPUS.stat().st_size < 300_000


def test_corpus_frames_are_byte_identical(cases, golden):
    got = corpus_results(cases)
    assert set(got) <= set(golden)
    bad = [name for name, b in got.items() if sha(b) != golden[name]]
    assert not bad, f"frames_json changed for {bad}"


def test_synthetic_frames_are_byte_identical(golden):
    got = synthetic_results()
    assert set(got) <= set(golden)
    bad = [name for name, b in got.items() if sha(b) != golden[name]]
    assert not bad, f"frames_json changed for {bad}"


def test_golden_has_every_case(cases, golden):
    assert set(golden) == {c["name"] for c in cases} | set(synthetic_results())


def test_pack_round_trips():
    shared = {"color": "red"}
    arr = np.arange(3.0)
    v = {"a": (1, np.float32(2.5), [np.nan, None]), "b": np.arange(6, dtype="<i2").reshape(2, 3), "c": -np.inf,
         "d": [shared, {"line": shared, "x": arr}, arr]}
    back = unpack(json.loads(json.dumps(pack(v))))
    assert type(back["a"]) is tuple and type(back["a"][1]) is np.float32 and math.isnan(back["a"][2][0])
    assert back["b"].dtype == np.int16 and back["b"].shape == (2, 3) and back["b"][1, 2] == 5
    assert back["c"] == -np.inf
    d = back["d"]
    assert d[0] is d[1]["line"] and d[0] == shared and d[2] is d[1]["x"] and d[2].tolist() == [0.0, 1.0, 2.0]
    assert d[0] is not back["a"][2], "only what was shared is shared"


# --- round_sig: the fast version gives the very same floats as the straightforward one ---

def _round_sig_reference(a, digits=4):
    """round_sig as it was written first (explorer/numbers.py before it was made faster)."""
    a = np.asarray(a, dtype=float)
    out = a.copy()
    ok = np.isfinite(a) & (a != 0)
    if ok.any():
        k = digits - 1 - np.floor(np.log10(np.abs(a[ok])))
        with np.errstate(over="ignore", invalid="ignore"):
            p = 10.0 ** np.abs(k)
            rounded = np.where(k >= 0, np.round(a[ok] * p) / p, np.round(a[ok] / p) * p)
        far = np.abs(k) > 22
        if far.any():
            rounded[far] = [float(f"{v:.{digits}g}") for v in a[ok][far]]
        out[ok] = rounded
    return out


def _round_sig_inputs():
    rng = np.random.default_rng(19)
    parts = [rng.normal(size=4000), rng.normal(size=2000) * 10.0 ** rng.integers(-40, 40, 2000),
             10.0 ** rng.uniform(-320, 308, 2000) * rng.choice([-1, 1], 2000),
             np.array([0.0, -0.0, np.nan, np.inf, -np.inf, 5e-324, 1.7976931348623157e308, 0.5, 1.5, 2.5,
                       0.000125, 9.9995, 99995.0, 0.15, 1e22, 1e23, 1e-22, 1e-23, 123456.5, 1.0, 10.0]),
             np.round(rng.uniform(-100, 100, 2000), 3), np.arange(-50, 50) * 0.05]
    return np.concatenate(parts)


@pytest.mark.parametrize("digits", [1, 3, 4, 5, 6, 8, 12, 15])
def test_round_sig_equals_reference(digits):
    a = _round_sig_inputs()
    got, want = round_sig(a, digits), _round_sig_reference(a, digits)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert got.tobytes() == want.tobytes()          # bit for bit, -0.0 and NaN included
    # in pieces too: a piece of ordinary numbers takes the fast way (decimals only), a piece with
    # 0, gaps or huge numbers the general one
    for size in (1, 2, 3, 8, 41, 300):
        for start in range(0, a.size - size, max(size, 97)):
            piece = a[start:start + size]
            assert round_sig(piece, digits).tobytes() == _round_sig_reference(piece, digits).tobytes(), piece
    for piece in ([0.5, 1.5, 2.5, -0.5], [0.15, 0.25, 0.35], [1e-22, 3e-22], [123.456, 1e22], [9.99995, 0.0999995]):
        assert round_sig(piece, digits).tobytes() == _round_sig_reference(piece, digits).tobytes(), piece


def test_round_sig_shapes_and_scalars():
    for a in (2.345678, -0.0, float("nan"), [1.23456, np.inf], [[1.23456, 2.0], [0.0, -7.77777]], np.float32(1.23456),
              np.array([], dtype=float), 7):
        got, want = round_sig(a, 3), _round_sig_reference(a, 3)
        assert got.shape == want.shape and got.tobytes() == want.tobytes(), a
    x = np.array([1.23456, 2.5])
    round_sig(x, 2)
    assert x.tolist() == [1.23456, 2.5], "the input is not changed"


def _regenerate() -> None:
    """Rewrite frames_golden.json from the code now (the corpus file stays as it is)."""
    cases = json.loads(gzip.decompress(CORPUS.read_bytes()))
    got = {**corpus_results(cases), **synthetic_results()}
    GOLDEN.write_text(json.dumps({k: sha(b) for k, b in sorted(got.items())}, indent=0) + "\n")
    print(f"{len(got)} cases -> {GOLDEN}")


if __name__ == "__main__" and "--regenerate" in sys.argv:
    _regenerate()
