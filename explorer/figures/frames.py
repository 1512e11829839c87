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

Traces are matched by index, so a builder keeps its number of traces fixed; at a value where it
draws another number than the usual one (the most over all values; no tangent where f′ is
undefined) every moving trace gets ``visible: False``, and a chart drawn with other than ``ntraces``
traces takes no frames. Leave what never moves (the curve, the surface) out of ``build``. Numbers
are rounded to ``digits`` significant figures; arrays of ``LONG`` or more numbers travel as 16-bit
steps between their extremes (``{"dtype": "q2", "lo", "step", "bdata"}``, see ``_long_rows``), or,
all one number (a 3D slice's constant coordinate), as ``{"dtype": "c", "v": value, "n": length}``
(``v`` None = all gaps), decoded by the chart code and ``decode``; builders encoding their own columns
use ``encode_rows``. Frames for slider A do not depend on A: cache them by the OTHER controls (an
unchanged set is re-sent as a short reference). An object shared by every spec is skipped unread.
"""
from __future__ import annotations

import base64
import collections
import functools
import math
from typing import Any, Callable, Sequence

import numpy as np
import orjson

from explorer.figures import fastfig
from explorer.numbers import round_sig

LONG = 8            # an array this long or longer goes quantised (``_long_rows``)
DIGITS = 5          # significant figures of the numbers in a frame
_MISSING = object()


def slider_values(lo: float, hi: float, step: float) -> list[float]:
    """The values a Streamlit slider from ``lo`` to ``hi`` by ``step`` can take (a new list each
    call, from a cache: pages ask for the same sliders on every rerun)."""
    return list(_slider_values(lo, hi, step))


@functools.lru_cache(maxsize=512)
def _slider_values(lo: float, hi: float, step: float) -> tuple[float, ...]:
    n = int(math.floor((hi - lo) / step + 1e-9))
    # lo + i * step for every i at once: the same float operations as one value at a time
    return tuple(round_sig(np.arange(n + 1) * float(step) + lo, 12).tolist())


def _spec(fig) -> dict:
    spec = fastfig._spec(fig)
    return spec if spec is not None else fig if isinstance(fig, dict) else fig.to_plotly_json()


def _flatten(d: dict, prefix: str = "", out: dict | None = None) -> dict:
    """{"line": {"color": c}} -> {"line.color": c}; lists and arrays are leaves (the paths of frames;
    ``spec_frames`` finds them without flattening: ``_moves``, ``_at``)."""
    out = {} if out is None else out
    for k, v in d.items():
        if _branch(v): _flatten(v, prefix + k + ".", out)
        else: out[prefix + k] = v
    return out


def _branch(v: Any) -> bool:
    return isinstance(v, dict) and not ("bdata" in v and "dtype" in v)      # else a leaf


def _same(a: Any, b: Any) -> bool:
    if a is b: return True
    ta = type(a)
    if ta is type(b) and ta in (str, float, int, list):       # fast paths for plain values
        if a == b: return True
        if ta is str or ta is int: return False
        if ta is list and len(a) == len(b):
            for x, y in zip(a, b):
                if x is y or x == y: continue
                if type(x) is float and type(y) is float:
                    if x != x and y != y: continue      # both NaN
                    return False
                break                           # anything else: the general comparison below
            else:
                return True
    if ta is np.ndarray and type(b) is np.ndarray and a.dtype.kind in "fiu" and b.dtype.kind in "fiu":
        return a.shape == b.shape and _equal_nan(a, b)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        try:
            x, y = np.asarray(a), np.asarray(b)
            if x.dtype.kind in "fiu" and y.dtype.kind in "fiu":
                return x.shape == y.shape and bool(np.array_equal(x, y, equal_nan=True))
        except (ValueError, TypeError):
            pass
        return _plain(a) == _plain(b)
    try:
        if a == b: return True
    except (ValueError, TypeError):
        pass
    # equal but for NaN (NaN != NaN): compare as arrays of numbers
    x, y = _number_array(a), _number_array(b)
    if x is not None and y is not None: return x.shape == y.shape and _equal_nan(x, y)
    if isinstance(a, float) and isinstance(b, float): return math.isnan(a) and math.isnan(b)
    return False


def _equal_nan(x: np.ndarray, y: np.ndarray) -> bool:
    """``np.array_equal(x, y, equal_nan=True)`` for numeric arrays of the same shape, faster."""
    eq = x == y
    if eq.all(): return True
    ne = ~eq
    return bool(np.isnan(x[ne]).all() and np.isnan(y[ne]).all())


def _plain(v: Any) -> Any:
    if isinstance(v, np.ndarray): return v.tolist()
    if isinstance(v, (list, tuple)): return [_plain(x) for x in v]
    return {k: _plain(x) for k, x in v.items()} if isinstance(v, dict) else v


def _number_array(v: Any) -> np.ndarray | None:
    if isinstance(v, np.ndarray) and v.dtype.kind in "fiu" and v.ndim == 1: return v.astype(float)
    if isinstance(v, (list, tuple)) and v and set(map(type, v)) <= _NUMBER_TYPES:
        return np.array(v, dtype=float)         # None -> NaN
    return None


_NUMBER_TYPES = {float, int, type(None), np.float64}     # what _number_array reads (never bool, str)


class _Numbers:
    """Numbers waiting to be rounded: ``encode`` collects them all, one ``round_sig`` call rounds
    them (a call per short list cost most of the time of a frame set), ``fill`` puts them back."""

    def __init__(self) -> None:
        self.chunks, self.size, self.refs = [], 0, []    # refs: (container, key, slot) where ``fill`` puts a number

    def put(self, container, key, v) -> None:
        container[key] = v
        if type(v) is _Slot: self.refs.append((container, key, v))

    def add(self, a: np.ndarray, scalar: bool) -> "_Slot":
        self.chunks.append(a)
        self.size += a.size
        return _Slot(self.size - a.size, a.size, scalar)

    def fill(self, digits: int) -> None:        # every number added (and ``put``) rounded, in place
        if not self.chunks: return
        r = round_sig(np.concatenate(self.chunks) if len(self.chunks) > 1 else self.chunks[0], digits)
        flat = r.tolist()
        for j in np.flatnonzero(~np.isfinite(r)).tolist(): flat[j] = None
        for c, k, s in self.refs:
            c[k] = flat[s.start] if s.scalar else flat[s.start:s.start + s.n]


_Slot = collections.namedtuple("_Slot", "start n scalar")     # where a number (or a list) goes in the rounded ones


def _quantised(a: np.ndarray) -> dict:        # a long array as 16-bit steps, even when all its numbers are the same
    return encode_rows(a[None, :], constant=False)[0]


def encode_rows(A: np.ndarray, constant: bool = True, digits: int = DIGITS) -> list[dict]:
    """Each row of ``A`` as ``encode`` writes a long array: for builders that encode a column at a time."""
    numbers = _Numbers(); out = _long_rows(A, numbers, constant); numbers.fill(digits); return out


def _long_rows(A: np.ndarray, numbers: _Numbers, constant: bool = True) -> list[dict]:
    """Each row of ``A`` (``LONG`` or more floats) as ``{"dtype": "c", "v", "n"}`` when its values
    are all the same number or all gaps (NaN, infinities; ``v`` None): a few bytes where 16-bit steps
    of 0 cost ~2.7 bytes a number; else as 16-bit steps between its finite extremes (``{"dtype":
    "q2", "lo", "step", "bdata"}``; -32768 is NaN): within (max - min) / 131068 (+0.015%) of each
    value, which on a chart whose axis spans the array is far below a pixel; half the bytes of
    float32. numpy over all rows at once (a row's result does not depend on the other rows)."""
    fin = np.isfinite(A)
    clean = bool(fin.all())             # no gaps (the usual case): no masks needed
    allfin, anyfin = ([True] * len(A),) * 2 if clean else (fin.all(1).tolist(), fin.any(1).tolist())
    los = (A if clean else np.where(fin, A, np.inf)).min(1).tolist()
    his = (A if clean else np.where(fin, A, -np.inf)).max(1).tolist()
    out: list = []
    good = []                           # the rows quantised all at once below
    for r, (lo, hi) in enumerate(zip(los, his)):
        if constant and ((allfin[r] and lo == hi) or not anyfin[r]):
            out.append({"dtype": "c", "v": None, "n": A.shape[1]})
            if anyfin[r]: numbers.put(out[-1], "v", numbers.add(A[r, :1].copy(), True))
            continue
        lo, hi = (lo, hi) if anyfin[r] else (0.0, 0.0)
        step = (hi - lo) / 65534 if hi > lo else 0.0
        mid = lo + 32767 * step if step else lo
        if step and math.isfinite(step):
            # short numbers on the wire (not 17 digits each): the step rounded UP to 5 figures (at most
            # 1.5e-4 larger), the middle to a twentieth of a step, so no value clips and each stays
            # within step / 2 of its own
            step = float(f"{step * (1 + 1e-4):.4e}")
            mid = round(mid, 1 - math.floor(math.log10(step)))
            good.append(r)
        else:                           # a step of 0 (one number and gaps) or beyond floats
            q = np.full(A.shape[1], -32768, dtype="<i2")
            q[fin[r]] = np.clip(np.rint((A[r, fin[r]] - mid) / step), -32767, 32767).astype("<i2") if step else 0
            out.append({"dtype": "q2", "lo": mid, "step": step, "bdata": base64.b64encode(q.tobytes()).decode("ascii")})
            continue
        out.append({"dtype": "q2", "lo": mid, "step": step})
    if good:
        mid, step = np.array([[out[r]["lo"], out[r]["step"]] for r in good]).T[:, :, None]
        x = A if len(good) == len(A) else A[good]
        q = np.rint(((x if clean else np.where(fin[good], x, mid)) - mid) / step)
        q = np.minimum(np.maximum(q, -32767, out=q), 32767, out=q).astype("<i2")
        if not clean: q[~fin[good]] = -32768
        for j, r in enumerate(good): out[r]["bdata"] = base64.b64encode(q[j].tobytes()).decode("ascii")
    return out


def decode(v: Any) -> Any:
    """A frame value as the chart code decodes it (``decode`` in ui/live_chart_js/live_chart.js):
    ``q2`` and ``c`` arrays as lists of floats with None for a gap; everything else as it is."""
    if isinstance(v, dict):
        if v.get("dtype") == "q2" and isinstance(v.get("bdata"), str):
            q = np.frombuffer(base64.b64decode(v["bdata"]), dtype="<i2")
            return [None if k == -32768 else v["lo"] + v["step"] * int(k) for k in q]
        if v.get("dtype") == "c" and isinstance(v.get("n"), int): return [v.get("v")] * v["n"]
        return {k: decode(x) for k, x in v.items()}
    return [decode(x) for x in v] if isinstance(v, list) else v


def encode(v: Any, digits: int = DIGITS, numbers: _Numbers | None = None) -> Any:
    """A frame value ready for JSON: numbers rounded to ``digits`` significant figures, NaN and
    infinities as None, arrays of ``LONG`` or more numbers as one number and a length when they
    are all equal, else quantised (``_long_rows``)."""
    if numbers is not None: return _encode(v, numbers)
    numbers, holder = _Numbers(), [None]
    numbers.put(holder, 0, _encode(v, numbers))
    numbers.fill(digits)
    return holder[0]


def _encode(v: Any, numbers: _Numbers) -> Any:
    a = _number_array(v)
    if a is not None:
        return numbers.add(a, False) if a.size < LONG else _long_rows(a[None, :], numbers)[0]
    if isinstance(v, (float, np.floating)) or (isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53):
        return numbers.add(np.array([float(v)]), True)
    if isinstance(v, np.integer): return int(v)
    if isinstance(v, dict):
        out: Any = {}
        for k, x in v.items(): numbers.put(out, k, _encode(x, numbers))
        return out
    if isinstance(v, (list, tuple, np.ndarray)):
        out = [None] * len(v)
        for k, x in enumerate(v): numbers.put(out, k, _encode(x, numbers))
        return out
    return v


def _encode_all(vals: list, numbers: _Numbers) -> list:
    """``[_encode(v, numbers) for v in vals]`` for the values one path takes at every position, with
    arrays of one length (and plain floats) encoded all at once: the same results, numpy over rows."""
    if vals and all(type(v) is float for v in vals):
        start = numbers.add(np.array(vals), False).start
        return [_Slot(start + r, 1, True) for r in range(len(vals))]
    arrs = [_number_array(v) for v in vals]
    if len(vals) < 2 or any(a is None for a in arrs) or len({a.size for a in arrs}) != 1:
        return [_encode(v, numbers) for v in vals]
    A = np.stack(arrs)
    if (n := A.shape[1]) >= LONG: return _long_rows(A, numbers)
    start = numbers.add(A.ravel(), False).start
    return [_Slot(start + r * n, n, False) for r in range(len(vals))]


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
    lists: dict[str, set] = {}
    for sp in specs:
        for k, v in sp.get("layout", {}).items():
            if isinstance(v, (list, tuple)) and v and all(isinstance(x, dict) for x in v): lists.setdefault(k, set()).add(len(v))
            elif k in lists or isinstance(v, (list, tuple)): lists.setdefault(k, set()).add(-1)
    itemwise = {k for k, n in lists.items() if len(n) == 1 and -1 not in n}
    figs = []                   # (traces, layout) with the itemwise lists as keys "annotations[0]"
    for sp in specs:
        lay = sp.get("layout", {})
        view = {k: v for k, v in lay.items() if k not in itemwise}
        view.update((f"{k}[{i}]", item) for k in itemwise for i, item in enumerate(lay.get(k, [])))
        figs.append((sp.get("data", []), view))
    counts = [len(t) for t, _ in figs]
    # the usual number of traces: the count that draws the most traces over all values (ln x: 4
    # traces right of 0 win over the bare curve left of it, where the moving traces are hidden; a
    # marker drawn at a few values only does not make every other value odd)
    n = max(set(counts), key=lambda c: (counts.count(c) * c, c))
    base_traces, base_layout = next(f for f in figs if len(f[0]) == n)
    # what moves: the flattened paths ("line.color") whose values differ from the base figure's,
    # each with its keys; what is the same object as in the base is not looked into
    moving: dict[int, dict[str, tuple]] = {}
    layout_paths: dict[str, tuple] = {}
    odd = False                     # a value with another number of traces
    for traces, lay in figs:
        if len(traces) != n:          # traces matched by index would be wrong here: hide what moves
            odd = True; continue
        for i, (t, b) in enumerate(zip(traces, base_traces)):
            if t is not b: _moves(t, b, "", (), moving.setdefault(i, {}))
        _moves(lay, base_layout, "", (), layout_paths)
    moving = {i: {**m, "visible": ("visible",)} if odd else m for i, m in moving.items() if m}
    idx, numbers, usual = sorted(moving), _Numbers(), [traces for traces, _ in figs if len(traces) == n]
    cols = {(i, p): iter(_encode_all([_at(t[i], keys) for t in usual], numbers)) for i in idx for p, keys in moving[i].items()}
    order = {i: sorted(moving[i]) for i in idx}
    steps = []
    for traces, _ in figs:
        if len(traces) != n: steps.append([{"visible": False} for _ in idx]); continue
        row = []
        for i in idx:
            d: dict = {}
            for p in order[i]: numbers.put(d, p, next(cols[i, p]))
            if "visible" in moving[i] and d["visible"] is None: d["visible"] = True
            row.append(d)
        steps.append(row)
    out = {"values": [float(v) for v in values], "ntraces": n, "traces": idx,
           "paths": sorted(set().union(*moving.values())) if moving else [], "steps": steps}
    if layout_paths:
        layout: list[dict] = [{} for _ in figs]
        for p in sorted(layout_paths):
            for d, v in zip(layout, _encode_all([_at(lay, layout_paths[p]) for _, lay in figs], numbers)): numbers.put(d, p, v)
        out["layout"] = layout
    numbers.fill(digits)
    return out


def _moves(t: dict, b: dict, prefix: str, keys: tuple, moved: dict) -> None:
    """Add to ``moved`` (path -> keys) the paths of ``_flatten(t)`` and ``_flatten(b)`` whose values
    differ (``_same``), or that only one of them has; without flattening either."""
    for k, v in t.items():
        bv = b.get(k, _MISSING)
        if v is bv: continue
        tv = type(v)
        if tv is type(bv) and (tv is str or tv is float or tv is int or tv is bool) and v == bv: continue   # (most)
        path = prefix + k
        vb = isinstance(v, dict) and not ("bdata" in v and "dtype" in v)        # a branch (``_branch``)
        bb = isinstance(bv, dict) and not ("bdata" in bv and "dtype" in bv)
        if vb and bb: _moves(v, bv, path + ".", keys + (k,), moved)
        elif vb or bb:
            _leaves(v if vb else bv, path + ".", keys + (k,), moved)
            if bv is not _MISSING: moved[path] = keys + (k,)
        elif path not in moved and not _same(v, bv): moved[path] = keys + (k,)
    if not t.keys() >= b.keys():
        for k, bv in b.items():
            if k in t: continue
            if _branch(bv): _leaves(bv, prefix + k + ".", keys + (k,), moved)
            else: moved[prefix + k] = keys + (k,)


def _leaves(d: dict, prefix: str, keys: tuple, moved: dict) -> None:
    for k, v in d.items():
        if _branch(v): _leaves(v, prefix + k + ".", keys + (k,), moved)
        else: moved[prefix + k] = keys + (k,)


def _at(d: dict, keys: tuple) -> Any:
    """``_flatten(d).get(path)`` for the path of ``keys``, without flattening."""
    for j, k in enumerate(keys):
        if (j and not _branch(d)) or (d := d.get(k, _MISSING)) is _MISSING: return None
    return None if _branch(d) else d


def frames_json(frames: dict) -> bytes:
    """The frames of one slider as compact JSON bytes (deterministic, so an unchanged frame set
    is byte-for-byte the same on the next rerun)."""
    return orjson.dumps(frames, option=orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY)
