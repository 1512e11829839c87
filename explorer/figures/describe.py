"""What a chart shows, in words and as a table, for people who cannot see it (WCAG 1.1.1).

``describe(fig) -> (label, description, table)`` reads the figure's own numbers, so the words say
what the picture draws:

- ``label``: the chart's accessible name, its title as plain text (no HTML tags, no LaTeX); a figure
  without a title is named after its axes ("f(x) against x") or its traces.
- ``description``: a few short sentences (at most ``MAX_CHARS``), one per trace by kind: a curve's
  x range, y range and where its lowest and highest points are; a two-point line's ends and slope;
  a few markers' coordinates; a grid's (contour, heatmap, surface) x and y ranges and where its
  minimum and maximum are; then the chart's notes (annotations).
- ``table``: ``{"columns": [...], "rows": [[...], ...]}``, every trace's points (a curve thinned to at
  most ``MAX_ROWS`` rows), and for a grid its minimum and maximum.

It runs for every chart on every rerun, so it reads the figure's dicts as they are (as
``fastfig.figure_json`` does) and never builds or validates a plotly.py object: about 0.1-0.3 ms a
chart. Numbers are printed through ``explorer.numbers`` (3 significant figures).
"""
from __future__ import annotations

import base64
import functools
import html
import re
from typing import Any

import numpy as np

from explorer.figures import fastfig
from explorer.numbers import nice_text, round_sig

__all__ = ["describe", "plain", "MAX_CHARS", "MAX_ROWS"]

MAX_CHARS = 400     # the description's length limit (a screen reader reads it all at once)
MAX_ROWS = 50       # rows of a curve in the table
MAX_TABLE = 400     # rows of the whole table
DIGITS = 3

_TAG = re.compile(r"<[^>]*>")
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+)")
_TEX_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε", "varepsilon": "ε",
    "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "nabla": "∇", "partial": "∂", "pi": "π",
    "sigma": "σ", "Sigma": "Σ", "chi": "χ", "phi": "φ", "psi": "ψ", "omega": "ω", "cdot": "·",
    "times": "×", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "approx": "≈", "to": "→", "infty": "∞",
    "prime": "′", "pm": "±", "sqrt": "√", "sum": "Σ", "ne": "≠", "neq": "≠", "quad": " ", "qquad": " ",
}
_GRIDS = frozenset(("contour", "heatmap", "surface", "histogram2dcontour"))


def plain(text: Any) -> str:
    """Text as a screen reader should get it: HTML tags and entities and LaTeX markup removed
    (``<b>f</b>(x)`` → ``f(x)``, ``$\\nabla f$`` → ``∇ f``), whitespace collapsed."""
    if text is None:
        return ""
    return _plain(str(text))


@functools.lru_cache(maxsize=4096)
def _plain(s: str) -> str:
    if not any(c in s for c in "<&$\\"):
        return " ".join(s.split())
    s = s.replace("<br>", " ").replace("<br/>", " ").replace("<br />", " ")
    s = html.unescape(_TAG.sub("", s))
    if "$" in s or "\\" in s:
        s = _TEX_COMMAND.sub(lambda m: _TEX_SYMBOLS.get(m.group(1), "" if m.group(1) in ("mathrm", "text",
                             "mathbf", "left", "right", "displaystyle", "operatorname") else m.group(1)), s)
        s = s.replace("$", "").replace("{", "").replace("}", "").replace("\\,", " ").replace("\\", "")
    return " ".join(s.split())


def _num(v: float) -> str:
    """A number for the description: 3 significant figures, a true minus sign."""
    return nice_text(float(v), DIGITS).replace("-", "−")


def _title(obj: Any) -> str:
    if isinstance(obj, dict):
        return plain(obj.get("text"))
    return plain(obj)


def _spec(fig: Any) -> tuple[list, dict]:
    """The figure's trace dicts and layout dict, read without building or validating anything."""
    lazy = fastfig._spec(fig)
    if lazy is not None:
        return lazy["data"], lazy["layout"]
    if isinstance(fig, dict):
        return list(fig.get("data") or []), dict(fig.get("layout") or {})
    return list(fig._data), fig._layout


def _floats(v: Any) -> np.ndarray | None:
    """A property's numbers as a float array (None for gaps → NaN), or None if it holds no numbers."""
    if isinstance(v, dict) and "bdata" in v:             # a plotly.js typed array
        return _typed(v)
    if v is None or isinstance(v, (str, dict)):
        return None
    try:
        a = np.asarray(v, dtype=float)
    except (TypeError, ValueError):
        return None
    return a if a.size else None


_DTYPES = {"f8": "<f8", "f4": "<f4", "i1": "i1", "u1": "u1", "i2": "<i2", "u2": "<u2", "i4": "<i4", "u4": "<u4"}


def _typed(v: dict) -> np.ndarray | None:
    try:
        a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=_DTYPES[v["dtype"]]).astype(float)
        return a.reshape([int(n) for n in str(v["shape"]).split(",")]) if "shape" in v else a
    except (KeyError, ValueError, TypeError):
        return None


def _axis_names(layout: dict, trace: dict) -> tuple[str, str, str]:
    """The trace's x, y (and z) variable names: its axes' titles, or x, y, z."""
    if trace.get("type", "scatter") in ("surface", "scatter3d", "mesh3d", "cone", "streamtube"):
        scene = layout.get(trace.get("scene") or "scene") or {}
        names = [_title((scene.get(k) or {}).get("title")) for k in ("xaxis", "yaxis", "zaxis")]
        return names[0] or "x", names[1] or "y", names[2] or "z"
    xa = "xaxis" + str(trace.get("xaxis") or "x")[1:]
    ya = "yaxis" + str(trace.get("yaxis") or "y")[1:]
    return (_title((layout.get(xa) or {}).get("title")) or "x",
            _title((layout.get(ya) or {}).get("title")) or "y", "z")


def _span(a: np.ndarray) -> str:
    lo, hi = np.nanmin(a), np.nanmax(a)
    return _num(lo) if lo == hi else f"{_num(lo)}…{_num(hi)}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _point(*vs: float) -> str:
    return "(" + ", ".join(_num(v) for v in vs) + ")"


def _curve(name: str, x: np.ndarray, y: np.ndarray, xn: str, yn: str, mode: str) -> tuple[str, list]:
    """A 2D scatter trace in words and table rows."""
    ok = np.isfinite(x) & np.isfinite(y)
    n = int(ok.sum())
    if n == 0:
        return f"{name}: nothing drawn.", []
    xs, ys = x[ok], y[ok]
    rows = _rows(name, xs, ys)
    if "lines" in mode and n == 2 and xs[1] != xs[0]:
        slope = (ys[1] - ys[0]) / (xs[1] - xs[0])
        return f"{name}: a line through {_point(xs[0], ys[0])} and {_point(xs[1], ys[1])}, slope {_num(slope)}.", rows
    if n <= 3:
        pts = _and([_point(a, b) for a, b in zip(xs, ys)])
        return f"{name}: {'point' if n == 1 else 'points'} {pts}.", rows
    if "lines" not in mode:
        return f"{name}: {n} points, {xn} {_span(xs)}, {yn} {_span(ys)}.", rows
    i, j = int(np.argmin(ys)), int(np.argmax(ys))
    return (f"{name}: {xn} {_span(xs)}; {yn} from {_num(ys[i])} at {xn} = {_num(xs[i])} "
            f"to {_num(ys[j])} at {xn} = {_num(xs[j])}."), rows


def _curve3d(name: str, x, y, z, mode: str) -> tuple[str, list]:
    ok = np.isfinite(x) & np.isfinite(y) & np.isfinite(z)
    n = int(ok.sum())
    if n == 0:
        return f"{name}: nothing drawn.", []
    xs, ys, zs = x[ok], y[ok], z[ok]
    rows = _rows(name, xs, ys, zs)
    if n <= 3:
        return f"{name}: {'point' if n == 1 else 'points'} " + _and(list(map(_point, xs, ys, zs))) + ".", rows
    kind = "a path" if "lines" in mode else f"{n} points"
    return f"{name}: {kind}, x {_span(xs)}, y {_span(ys)}, z {_span(zs)}.", rows


def _grid(name: str, trace: dict, xn: str, yn: str, zn: str) -> tuple[str, list]:
    z = _floats(trace.get("z"))
    if z is None or z.ndim != 2 or not np.isfinite(z).any():
        return f"{name}: no values.", []
    ny, nx = z.shape
    x, y = _floats(trace.get("x")), _floats(trace.get("y"))
    x = np.arange(nx, dtype=float) if x is None else x
    y = np.arange(ny, dtype=float) if y is None else y

    def at(k: int) -> tuple[float, float]:
        i, j = divmod(k, nx)
        xv = x[i, j] if x.ndim == 2 else x[j]
        yv = y[i, j] if y.ndim == 2 else y[i]
        return float(xv), float(yv)

    flat = np.where(np.isfinite(z), z, np.nan).ravel()
    kmin, kmax = int(np.nanargmin(flat)), int(np.nanargmax(flat))
    (x0, y0), (x1, y1) = at(kmin), at(kmax)
    kind = {"surface": "surface", "heatmap": "heat map"}.get(trace.get("type"), "contour map")
    text = (f"{name}: {kind} over {xn} {_span(x)}, {yn} {_span(y)}; {zn} from {_num(flat[kmin])} at "
            f"{_point(x0, y0)} to {_num(flat[kmax])} at {_point(x1, y1)}.")
    rows = [[f"{name} (minimum)", *_cells(x0, y0, flat[kmin])], [f"{name} (maximum)", *_cells(x1, y1, flat[kmax])]]
    return text, rows


def _cells(*vs: float) -> list:
    return [None if not np.isfinite(v) else float(v) for v in round_sig(np.asarray(vs, dtype=float), 4)]


def _rows(name: str, *cols: np.ndarray) -> list:
    """Table rows of finite points: every point, or MAX_ROWS spread evenly over them (ends kept)."""
    n = len(cols[0])
    keep = np.linspace(0, n - 1, MAX_ROWS).round().astype(int) if n > MAX_ROWS else slice(None)
    values = round_sig(np.column_stack([c[keep] for c in cols]), 4)
    return [[name, *row] for row in values.tolist()]


def describe(fig: Any) -> tuple[str, str, dict]:
    """The chart's accessible name, a description from its numbers, and its data as a table."""
    data, layout = _spec(fig)
    sentences: list[str] = []
    rows: list[list] = []
    names_seen: list[str] = []
    three = False
    first_axes: tuple[str, str, str] | None = None
    for k, trace in enumerate(data):
        if not isinstance(trace, dict) or trace.get("visible", True) in (False, "legendonly"):
            continue
        kind = trace.get("type", "scatter")
        name = plain(trace.get("name")) or f"trace {k + 1}"
        xn, yn, zn = _axis_names(layout, trace)
        first_axes = first_axes or (xn, yn, zn)
        mode = str(trace.get("mode") or "lines+markers")   # plotly's default draws the line too
        if kind in _GRIDS:
            text, r = _grid(name, trace, xn, yn, zn)
            three = True
        elif kind == "scatter3d":
            x, y, z = (_floats(trace.get(c)) for c in "xyz")
            if x is None or y is None or z is None or not (len(x) == len(y) == len(z)):
                continue
            text, r = _curve3d(name, x, y, z, mode)
            three = True
        elif kind in ("scatter", "scattergl"):
            x, y = _floats(trace.get("x")), _floats(trace.get("y"))
            if y is None or y.ndim != 1:
                continue
            x = np.arange(len(y), dtype=float) if x is None or x.shape != y.shape else x
            text, r = _curve(name, x, y, xn, yn, mode)
        else:
            text, r = f"{name}: a {kind} trace.", []
        sentences.append(text)
        names_seen.append(name)
        rows.extend(r)
    label = _title(layout.get("title"))
    if not label:
        xt = _title((layout.get("xaxis") or {}).get("title"))
        yt = _title((layout.get("yaxis") or {}).get("title"))
        scene = layout.get("scene") or {}
        zt = _title((scene.get("zaxis") or {}).get("title"))
        if xt and yt:
            label = f"{yt} against {xt}"
        elif zt:
            label = f"{zt} over {first_axes[0]} and {first_axes[1]}" if first_axes else zt
        elif names_seen:
            label = "Chart of " + ", ".join(names_seen[:3])
        else:
            label = "Chart"
    notes = [t for t in (plain(a.get("text")) for a in layout.get("annotations") or () if isinstance(a, dict)) if t]
    description = _fit(sentences, "Notes: " + "; ".join(n[:80] for n in notes[:3]) + "." if notes else "")
    # the columns are named after the axes when the chart has one set of them (no side-by-side panels)
    xn, yn, zn = first_axes if first_axes and not any(k[5:] for k in layout if k[:5] in ("xaxis", "yaxis")) \
        else ("x", "y", "z")
    columns = ["series", xn, yn] + ([zn] if three else [])
    if three:
        rows = [r + [None] * (4 - len(r)) if len(r) < 4 else r for r in rows]
    return label, description, {"columns": columns, "rows": rows[:MAX_TABLE], "caption": label}


def _fit(sentences: list[str], notes: str) -> str:
    """The trace sentences that fit in ``MAX_CHARS`` (saying how many more the table holds), then the
    notes if they fit too."""
    out: list[str] = []
    used = 0
    for i, s in enumerate(sentences):
        rest = len(sentences) - i
        tail = f"{rest - 1} more in the table." if rest > 1 else ""
        if out and used + len(s) + 1 + len(tail) + 1 > MAX_CHARS:
            out.append(f"{rest} more in the table.")
            used += len(out[-1]) + 1
            break
        out.append(s if len(s) <= MAX_CHARS else s[:MAX_CHARS - 1] + "…")
        used += len(out[-1]) + 1
    if notes and used + len(notes) <= MAX_CHARS:
        out.append(notes)
    return " ".join(out)
