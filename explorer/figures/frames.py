"""Drag frames: the picture at every position a slider can take, reduced to what moves (issue #19).

Streamlit's slider shows its value while it is dragged but tells the server only on release. So
that the chart follows the hand, the page computes here, in Python, the figure at each slider
value with the other controls fixed, and keeps only the trace properties that differ from the
figure drawn now (the secant, the point, the tangent; never the whole curve or surface). The
in-place chart component (``ui.live_chart``) swaps them in with ``Plotly.update`` while the slider
moves; the release rerun then draws the exact figure as before. No mathematics runs in JavaScript.

API (for every page)::

    frames = slider_frames(build, values)      # build(v) -> the figure at slider value v
    ui.chart_live(build(x0), key="secant", frames={"x0": frames})   # "x0" = the slider's key

``spec_frames(specs, values)`` is the fast path: the same frames from figure specs a builder made
for every value at once (numpy over all positions, only the traces and layout keys that can move;
``explorer.figures.derivatives.x0_frames`` is an example, ~10x faster than a figure per value).
``slider_values(lo, hi, step)`` gives a slider's positions as Streamlit rounds them. The result is
a plain dict (JSON-ready once encoded by ``frames_json``)::

    {"values": [v0..vN],                 # the slider positions, ascending
     "ntraces": n,                       # the figure's usual number of traces
     "traces": [i, j, ...],              # indices of the traces that move
     "paths":  ["x", "y", "name", ...],  # every trace property that moves (plotly attribute paths)
     "steps":  [[{path: value} for each moving trace] for each value],   # only that trace's moving
                                                                        # paths; None = unset
     "layout": [{path: value} for each value]}      # only when the layout moves: "title.text",
                                                    # "annotations[0].x" (item by item when the
                                                    # list keeps its length), else the whole list

Traces are matched by index, so a builder should keep its number of traces fixed; at a value
where it draws a number other than the usual one (the count drawing the most traces over all
values; no tangent where f′ is undefined) every moving trace gets
``visible: False`` rather than a wrong picture, and a chart drawn now with other than ``ntraces``
traces takes no frames. What never moves (the curve, the surface) is best left out of ``build``
altogether (e.g. two points instead of the whole curve): it is dropped from the frames anyway. Numbers are rounded to ``digits`` significant
figures; arrays of ``LONG`` or more numbers travel as 16-bit steps between their extremes
(``{"dtype": "q2", "lo", "step", "bdata"}``, see ``_quantised``), or, when every one of them is the
same number (a 3D slice curve's constant coordinate), as that number and the length
(``{"dtype": "c", "v": value, "n": length}``; ``v`` None = all gaps), which the chart code decodes
(``decode`` here does the same in Python). Frames for slider A do not depend on A's own value
at all, so build them from a cache keyed by the OTHER controls; the chart sends them as a separate element, which Streamlit re-sends as a short
reference when its bytes did not change.
"""
from __future__ import annotations

import base64
import math
from typing import Any, Callable, Sequence

import numpy as np
import orjson

from explorer.figures import fastfig
from explorer.numbers import round_sig

LONG = 8            # an array this long or longer goes quantised (``_quantised``)
DIGITS = 5          # significant figures of the numbers in a frame
_MISSING = object()


def slider_values(lo: float, hi: float, step: float) -> list[float]:
    """The values a Streamlit slider from ``lo`` to ``hi`` by ``step`` can take."""
    n = int(math.floor((hi - lo) / step + 1e-9))
    return [float(round_sig(lo + i * step, 12)) for i in range(n + 1)]


def _spec(fig) -> dict:
    spec = fastfig._spec(fig)
    if spec is not None:
        return spec
    if isinstance(fig, dict):
        return fig
    return fig.to_plotly_json()


def _flatten(d: dict, prefix: str = "", out: dict | None = None) -> dict:
    """{"line": {"color": c}} -> {"line.color": c}; lists and arrays are leaves."""
    out = {} if out is None else out
    for k, v in d.items():
        path = prefix + k
        if isinstance(v, dict) and not ("bdata" in v and "dtype" in v):
            _flatten(v, path + ".", out)
        else:
            out[path] = v
    return out


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    ta = type(a)
    if ta is type(b) and ta in (str, float, int, list):       # fast paths for plain values
        if a == b:
            return True
        if ta is str or ta is int:
            return False
        if ta is list and len(a) == len(b):
            for x, y in zip(a, b):
                if x is y or x == y:
                    continue
                if type(x) is float and type(y) is float:
                    if x != x and y != y:       # both NaN
                        continue
                    return False
                break                           # anything else: the general comparison below
            else:
                return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        try:
            x, y = np.asarray(a), np.asarray(b)
            if x.dtype.kind in "fiu" and y.dtype.kind in "fiu":
                return x.shape == y.shape and bool(np.array_equal(x, y, equal_nan=True))
        except (ValueError, TypeError):
            pass
        return _plain(a) == _plain(b)
    try:
        if a == b:
            return True
    except (ValueError, TypeError):
        pass
    # equal but for NaN (NaN != NaN): compare as arrays of numbers
    x, y = _number_array(a), _number_array(b)
    if x is not None and y is not None:
        return x.shape == y.shape and bool(np.array_equal(x, y, equal_nan=True))
    if isinstance(a, float) and isinstance(b, float):
        return math.isnan(a) and math.isnan(b)
    return False


def _plain(v: Any) -> Any:
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def _number_array(v: Any) -> np.ndarray | None:
    if isinstance(v, np.ndarray) and v.dtype.kind in "fiu" and v.ndim == 1:
        return v.astype(float)
    if isinstance(v, (list, tuple)) and v and set(map(type, v)) <= _NUMBER_TYPES:
        return np.array(v, dtype=float)         # None -> NaN
    return None


_NUMBER_TYPES = {float, int, type(None), np.float64}     # what _number_array reads (never bool, str)


class _Numbers:
    """Numbers waiting to be rounded: ``encode`` collects them all, one ``round_sig`` call rounds
    them (a call per short list cost most of the time of a frame set), ``fill`` puts them back."""

    def __init__(self) -> None:
        self.chunks: list[np.ndarray] = []
        self.size = 0

    def add(self, a: np.ndarray, scalar: bool) -> "_Slot":
        slot = _Slot(self.size, a.size, scalar)
        self.chunks.append(a)
        self.size += a.size
        return slot

    def rounded(self, digits: int) -> list:
        if not self.chunks:
            return []
        r = round_sig(np.concatenate(self.chunks), digits)
        return [float(x) if math.isfinite(x) else None for x in r]


class _Slot:
    __slots__ = ("start", "n", "scalar")

    def __init__(self, start: int, n: int, scalar: bool) -> None:
        self.start, self.n, self.scalar = start, n, scalar


def _fill(v: Any, flat: list) -> Any:
    if isinstance(v, _Slot):
        return flat[v.start] if v.scalar else flat[v.start:v.start + v.n]
    if isinstance(v, dict):
        return {k: _fill(x, flat) for k, x in v.items()}
    if isinstance(v, list):
        return [_fill(x, flat) for x in v]
    return v


def _quantised(a: np.ndarray) -> dict:
    """A long array as 16-bit steps between its finite extremes (``{"dtype": "q2", "lo", "step",
    "bdata"}``; -32768 is NaN): within (max - min) / 131068 (+0.015%) of each value, which on a chart
    whose axis spans the array is far below a pixel; half the bytes of float32."""
    fin = a[np.isfinite(a)]
    lo = float(fin.min()) if fin.size else 0.0
    hi = float(fin.max()) if fin.size else 0.0
    step = (hi - lo) / 65534 if hi > lo else 0.0
    mid = lo + 32767 * step if step else lo
    if step and math.isfinite(step):
        # short numbers on the wire (not 17 digits each): the step rounded UP to 5 figures (at most
        # 1.5e-4 larger), the middle to a twentieth of a step, so no value clips and each stays
        # within step / 2 of its own
        step = float(f"{step * (1 + 1e-4):.4e}")
        mid = round(mid, 1 - math.floor(math.log10(step)))
    q = np.full(a.shape, -32768, dtype="<i2")
    ok = np.isfinite(a)
    if step:
        q[ok] = np.clip(np.rint((a[ok] - mid) / step), -32767, 32767).astype("<i2")
    else:
        q[ok] = 0
    return {"dtype": "q2", "lo": mid, "step": step, "bdata": base64.b64encode(q.tobytes()).decode("ascii")}


def _constant(a: np.ndarray, numbers: _Numbers) -> dict | None:
    """``{"dtype": "c", "v", "n"}`` for an array whose values are all the same number (or all gaps:
    NaN, infinities), else None: a few bytes where 16-bit steps of 0 cost ~2.7 bytes a number."""
    fin = np.isfinite(a)
    if fin.all():
        if a.min() != a.max():
            return None
        return {"dtype": "c", "v": numbers.add(a[:1].astype(float), True), "n": int(a.size)}
    if fin.any():
        return None
    return {"dtype": "c", "v": None, "n": int(a.size)}


def decode(v: Any) -> Any:
    """A frame value as the chart code decodes it (``decode`` in ui/live_chart_js/live_chart.js):
    ``q2`` and ``c`` arrays as lists of floats with None for a gap; everything else as it is."""
    if isinstance(v, dict):
        if v.get("dtype") == "q2" and isinstance(v.get("bdata"), str):
            q = np.frombuffer(base64.b64decode(v["bdata"]), dtype="<i2")
            return [None if k == -32768 else v["lo"] + v["step"] * int(k) for k in q]
        if v.get("dtype") == "c" and isinstance(v.get("n"), int):
            return [v.get("v")] * v["n"]
        return {k: decode(x) for k, x in v.items()}
    if isinstance(v, list):
        return [decode(x) for x in v]
    return v


def encode(v: Any, digits: int = DIGITS, numbers: _Numbers | None = None) -> Any:
    """A frame value ready for JSON: numbers rounded to ``digits`` significant figures, NaN and
    infinities as None, arrays of ``LONG`` or more numbers as one number and a length when they
    are all equal (``_constant``), else quantised (``_quantised``)."""
    own = numbers is None
    numbers = _Numbers() if own else numbers
    out = _encode(v, numbers)
    return _fill(out, numbers.rounded(digits)) if own else out


def _encode(v: Any, numbers: _Numbers) -> Any:
    a = _number_array(v)
    if a is not None:
        if a.size < LONG:
            return numbers.add(a, False)
        return _constant(a, numbers) or _quantised(a)
    if isinstance(v, (float, np.floating)) or (isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53):
        return numbers.add(np.array([float(v)]), True)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, dict):
        return {k: _encode(x, numbers) for k, x in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_encode(x, numbers) for x in v]
    return v


def slider_frames(build: Callable[[float], Any], values: Sequence[float], *, digits: int = DIGITS) -> dict:
    """The drag frames of one slider for one chart: ``build(v)`` for each of ``values``, reduced to
    what differs between them (see the module docstring). They do not depend on the slider's own
    current value, so an unchanged frame set is the same bytes after the slider moved."""
    return spec_frames([_spec(build(v)) for v in values], values, digits=digits)


def spec_frames(specs: Sequence[dict], values: Sequence[float], *, digits: int = DIGITS) -> dict:
    """``slider_frames`` from figure specs already made: ``specs[k]`` = ``{"data": [trace dicts],
    "layout": {...}}`` (as plotly.js reads them) at ``values[k]``. The fast path for a builder that
    computes every value at once (numpy over all slider positions) instead of a figure per value:
    a spec may hold only what can move (the same number of traces, ``{}`` for a trace that never
    moves; layout keys that never move left out), which gives the same frames as the whole figure.
    Plain floats and lists compare fastest (``_same``); share one object for what never changes."""
    # a layout list of dicts (annotations, shapes) of the same length at every value moves item by
    # item ("annotations[0].x"), so only the label's position and text travel, not its styling
    lists = {}
    for sp in specs:
        for k, v in sp.get("layout", {}).items():
            if isinstance(v, (list, tuple)) and v and all(isinstance(x, dict) for x in v):
                lists.setdefault(k, set()).add(len(v))
            elif k in lists or isinstance(v, (list, tuple)):
                lists.setdefault(k, set()).add(-1)
    itemwise = {k for k, n in lists.items() if len(n) == 1 and -1 not in n}
    figs = []
    for sp in specs:
        lay = dict(sp.get("layout", {}))
        flat = _flatten({k: v for k, v in lay.items() if k not in itemwise})
        for k in itemwise:
            for i, item in enumerate(lay.get(k, [])):
                _flatten(item, f"{k}[{i}].", flat)
        figs.append(([_flatten(t) for t in sp.get("data", [])], flat))
    counts = [len(t) for t, _ in figs]
    # the usual number of traces: the count that draws the most traces over all values (ln x: 4
    # traces right of 0 win over the bare curve left of it, where the moving traces are hidden; a
    # marker drawn at a few values only does not make every other value odd)
    n = max(set(counts), key=lambda c: (counts.count(c) * c, c))
    base_traces, base_layout = next(f for f in figs if len(f[0]) == n)
    moving: dict[int, set[str]] = {}
    layout_paths: set[str] = set()
    odd = False
    for traces, lay in figs:
        if len(traces) != n:          # traces matched by index would be wrong here: hide what moves
            odd = True
            continue
        for i, (t, b) in enumerate(zip(traces, base_traces)):
            for p in set(t) | set(b):
                if not _same(t.get(p, _MISSING), b.get(p, _MISSING)):
                    moving.setdefault(i, set()).add(p)
        for p in set(lay) | set(base_layout):
            if not _same(lay.get(p, _MISSING), base_layout.get(p, _MISSING)):
                layout_paths.add(p)
    idx = sorted(moving)
    numbers = _Numbers()
    if odd:
        for i in idx:
            moving[i].add("visible")
    steps = []
    for traces, _ in figs:
        if len(traces) != n:
            steps.append([{"visible": False} for _ in idx])
            continue
        row = []
        for i in idx:
            d = {p: _encode(traces[i].get(p), numbers) for p in sorted(moving[i])}
            if "visible" in moving[i] and d["visible"] is None:
                d["visible"] = True
            row.append(d)
        steps.append(row)
    out = {"values": [float(v) for v in values], "ntraces": n, "traces": idx,
           "paths": sorted(set().union(*moving.values())) if moving else [], "steps": steps}
    if layout_paths:
        out["layout"] = [{p: _encode(lay.get(p), numbers) for p in sorted(layout_paths)} for _, lay in figs]
    return _fill(out, numbers.rounded(digits))


def frames_json(frames: dict) -> bytes:
    """The frames of one slider as compact JSON bytes (deterministic, so an unchanged frame set
    is byte-for-byte the same on the next rerun)."""
    return orjson.dumps(frames, option=orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY)
