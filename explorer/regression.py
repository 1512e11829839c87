"""Regression: reading a learner's CSV, χ², the straight line in closed form, steepest descent and
robust nonlinear least squares.

Everything here returns plain results (numbers, arrays, small dataclasses with the full iteration
history) that a chart and a test can both read.  No streamlit.

Public contract (other tests rely on it):

- ``fit_model(model, x, y, p0, sigma=None) -> ModelFit`` with ``params``/``stderr`` (dicts by
  parameter name), ``chi2``, ``reduced_chi2``, ``success`` and ``message``.  ``model`` is user
  text, parsed by the project's safe parser with variables ``("x",) + tuple(p0)``.
- ``read_table(source) -> pandas.DataFrame`` of the numeric columns, or ``DataError`` saying what
  is wrong with the file.  ``df.attrs["dropped_rows"]`` counts rows dropped for missing or
  non-numeric values.
"""
from __future__ import annotations

import codecs
import csv
import functools
import io
import math
import os
import re
import threading
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
import sympy as sp
from scipy import optimize

from explorer.expressions import (CONSTANTS, FUNCTIONS, ExpressionError, compile_expression,
                                  parse_expression, to_latex)

__all__ = [
    "DataError", "read_table", "MAX_BYTES", "MAX_COLUMNS", "MIN_ROWS",
    "LineFit", "line_fit", "chi2_line", "chi2_line_grid", "LineDescent", "line_descent",
    "ModelFit", "fit_model", "Descent", "steepest_descent", "DescentRun", "linear_in_parameters", "chi2_grid", "model_parameters",
    "BUILTIN_MODELS", "builtin_model", "guess_start", "model_values", "safe_csv", "subsample",
    "histogram", "generate_line_data",
]


class DataError(ValueError):
    """A data file (or data set) cannot be used; the message says what is wrong, in plain words."""


# =============================================================================================
# Reading a CSV
MAX_BYTES = 5 * 1024 * 1024       # matches .streamlit/config.toml server.maxUploadSize = 5 (MB)
MAX_COLUMNS = 1000
MIN_ROWS = 3
NA_MARKERS = ["", "NA", "N/A", "n/a", "na", "NaN", "nan", "NAN", "-", "--", "---", "?", "??", ".",
              "null", "NULL", "Null", "None", "none", "#N/A", "#NA", "#VALUE!", "#DIV/0!",
              "missing", "Missing", "MISSING", "inf", "-inf", "+inf", "Inf", "-Inf", "INF"]

_MAGIC = [
    (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx or OpenDocument file?) — save it as CSV first"),
    (b"\x1f\x8b", "a gzip-compressed file — unpack it first"), (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (.xls?) — save it as CSV first"),
    (b"BZh", "a bzip2-compressed file — unpack it first"), (b"\xfd7zXZ", "an xz-compressed file — unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive"), (b"SQLite format", "an SQLite database"),
]


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def _read_bytes(source, max_bytes: int | None) -> tuple[bytes, str]:
    too_big = (lambda size: DataError(
        f"The file is too large ({_mb(size)}); the limit is {_mb(max_bytes)}."))
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, name = bytes(source), "data"
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise DataError(f"There is no file at {str(path)[:200]!r}.")
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise too_big(size)
        data, name = path.read_bytes(), path.name
    elif hasattr(source, "read"):
        size = getattr(source, "size", None)
        if max_bytes is not None and isinstance(size, int) and size > max_bytes:
            raise too_big(size)
        try:
            source.seek(0)
        except Exception:
            pass
        data = source.read(-1 if max_bytes is None else max_bytes + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        name = str(getattr(source, "name", "data"))
    else:
        raise DataError("This is not a file: give a path, bytes or an open file.")
    if max_bytes is not None and len(data) > max_bytes:
        raise too_big(len(data))
    return data, name


def _decode(data: bytes) -> tuple[str, str]:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DataError(f"This is not a CSV text file: it looks like {what}.")
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 with BOM"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise DataError("The file starts like UTF-16 text but cannot be decoded.") from None
    head = data[:4096]
    if b"\x00" in head:
        even = head[0::2].count(0) / max(1, len(head[0::2]))
        odd = head[1::2].count(0) / max(1, len(head[1::2]))
        enc = "utf-16-le" if odd > 0.4 and even < 0.1 else "utf-16-be" if even > 0.4 and odd < 0.1 else None
        if enc is None:
            raise DataError("This is not a CSV text file: it contains binary data.")
        try:
            return data.decode(enc), "UTF-16"
        except UnicodeDecodeError:
            raise DataError("This is not a CSV text file: it contains binary data.") from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    bad = sum(1 for ch in sample if ch not in "\t\r\n" and unicodedata.category(ch) in ("Cc", "Cs", "Co"))
    return bad > max(2, 0.01 * len(sample))


_DELIMS = [",", ";", "\t", "|"]


def _sniff_delimiter(lines: list[str]) -> str | None:
    best, best_score = None, (0, 0)
    for d in _DELIMS:
        counts = [line.count(d) for line in lines]
        if not any(counts):
            continue
        mode = max(set(counts), key=counts.count)
        if mode == 0:
            continue
        agree = counts.count(mode) / len(counts)
        score = (round(agree, 1), mode)
        if score > best_score:
            best, best_score = d, score
    if best is None and any(len(line.split()) > 1 for line in lines):
        return r"\s+"
    return best


_NUM = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")          # 1,234,567.8
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$")         # 1.234.567,8
_THOUSANDS_SPACE = re.compile(r"^[+-]?\d{1,3}([ '’_\u00a0\u202f]\d{3})+([.,]\d*)?$")   # 1 234 567


def _clean_numeric(values: pd.Series, decimal: str) -> pd.Series:
    """Text cells -> floats (NaN where not a number), understanding thousands separators."""
    s = values.astype("string").str.strip()
    s = s.mask(s.isin(NA_MARKERS))
    spaced = s.str.match(_THOUSANDS_SPACE.pattern, na=False)
    s = s.mask(spaced, s.str.replace(r"[ '’_\u00a0\u202f]", "", regex=True))
    if decimal == ",":
        thou = s.str.match(_THOUSANDS_COMMA.pattern, na=False)
        s = s.mask(thou, s.str.replace(".", "", regex=False))
        s = s.str.replace(",", ".", regex=False)
    else:
        thou = s.str.match(_THOUSANDS_DOT.pattern, na=False)
        s = s.mask(thou, s.str.replace(",", "", regex=False))
    return pd.to_numeric(s, errors="coerce").astype("float64")


def _clean_name(raw, i: int) -> str:
    name = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip().strip('"').strip()
    if len(name) > 60:
        name = name[:57] + "…"
    return name or f"column {i + 1}"


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            seen[n] += 1
            k = seen[n]
            while f"{n} ({k})" in seen:
                k += 1
            n = f"{n} ({k})"
        seen.setdefault(n, 1)
        out.append(n)
    return out


def _cell_is_number(cell: str, decimal: str) -> bool:
    c = cell.strip()
    if c in NA_MARKERS:
        return True
    if decimal == ",":
        c = c.replace(".", "").replace(",", ".") if _THOUSANDS_COMMA.match(c) else c.replace(",", ".")
    elif _THOUSANDS_DOT.match(c):
        c = c.replace(",", "")
    if _THOUSANDS_SPACE.match(c):
        c = re.sub(r"[ '’_\u00a0\u202f]", "", c)
    return bool(_NUM.match(c)) or c.lower() in ("inf", "-inf", "+inf", "nan", "infinity")


def read_table(source, max_bytes: int | None = MAX_BYTES) -> pd.DataFrame:
    """Read a CSV (comma, semicolon, tab, | or spaces; decimal point or comma; with or without a
    header; UTF-8 with or without BOM, UTF-16, Latin-1) into a DataFrame of its numeric columns.

    Rows with a missing or non-numeric value in a numeric column, and rows with too many fields,
    are dropped and counted in ``df.attrs["dropped_rows"]``.  Text columns are left out (named in
    ``df.attrs["text_columns"]``).  Anything unusable raises ``DataError`` with a plain message.
    ``max_bytes=None`` lifts the size limit (for trusted local files, e.g. a benchmark).
    """
    data, _name = _read_bytes(source, max_bytes)
    if not data.strip():
        raise DataError("The file is empty.")
    text, encoding = _decode(data)
    if _looks_binary(text):
        raise DataError("This is not a CSV text file: it contains binary or control characters.")
    text = text.lstrip("\ufeff")
    lines = [ln for ln in text[:200_000].splitlines()[:50] if ln.strip()]
    if not lines:
        raise DataError("The file is empty (only blank lines).")
    sep = _sniff_delimiter(lines)
    if sep is None:
        raise DataError("Only one column was found; a fit needs at least two columns (x and y), "
                        "separated by commas, semicolons or tabs.")
    sample = "\n".join(lines[1:] if len(lines) > 1 else lines)
    decimal = "," if sep != "," and re.search(r"\d,\d", sample) else "."

    common = dict(sep=sep, decimal=decimal, skipinitialspace=True, skip_blank_lines=True,
                  quotechar='"', keep_default_na=False, na_values=NA_MARKERS)
    if sep == r"\s+":
        common.pop("skipinitialspace")
    try:
        first = pd.read_csv(io.StringIO(text), header=None, nrows=1, dtype=str, **common)
    except (pd.errors.ParserError, csv.Error, ValueError) as err:
        raise DataError(_parser_message(err)) from None
    except pd.errors.EmptyDataError:
        raise DataError("The file is empty.") from None
    first_cells = ["" if pd.isna(v) else str(v) for v in first.iloc[0].tolist()]
    ncols = len(first_cells)
    if ncols > MAX_COLUMNS:
        raise DataError(f"The file has {ncols:,} columns; at most {MAX_COLUMNS:,} can be read.")
    header = not all(_cell_is_number(c, decimal) for c in first_cells)
    names = _dedupe([_clean_name(c, i) for i, c in enumerate(first_cells)]) if header \
        else [f"column {i + 1}" for i in range(ncols)]

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            raw = pd.read_csv(io.StringIO(text), header=None, skiprows=1 if header else 0,
                              names=list(range(ncols)), on_bad_lines="warn", engine="c",
                              low_memory=False, **common)
        except pd.errors.EmptyDataError:
            raw = pd.DataFrame(columns=list(range(ncols)))
        except (pd.errors.ParserError, csv.Error, ValueError, OverflowError) as err:
            raise DataError(_parser_message(err)) from None
        except MemoryError:
            raise DataError("The file is too large to read.") from None
    skipped = sum(str(w.message).count("Skipping line") for w in caught)
    if raw.shape[1] > ncols:           # pandas may add columns for ragged rows
        raw = raw.iloc[:, :ncols]
    if len(raw) == 0 and skipped == 0:
        raise DataError("The file has a header line but no data rows." if header
                        else "The file has no data rows.")

    numeric: dict[str, pd.Series] = {}
    text_columns: list[str] = []
    for i, name in zip(range(ncols), names):
        col = raw[i]
        if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
            vals = col.astype("float64")
        else:
            vals = _clean_numeric(col, decimal)
            present = col.astype("string").str.strip()
            present = present[present.notna() & ~present.isin(NA_MARKERS)]
            if len(present) and vals.notna().sum() < 0.5 * len(present):
                text_columns.append(name)
                continue
        vals = vals.where(np.isfinite(vals))
        if vals.notna().any():
            numeric[name] = vals
        elif len(raw):
            text_columns.append(name) if col.notna().any() else None
    if not numeric:
        raise DataError("No column of numbers was found" +
                        (f" (text columns: {', '.join(text_columns[:8])})." if text_columns else "."))
    if len(numeric) < 2:
        only = next(iter(numeric))
        raise DataError(f"Only one column of numbers (“{only}”) was found; a fit needs two "
                        "(x and y).")
    df = pd.DataFrame(numeric)
    before = len(df)
    df = df.dropna(how="any").reset_index(drop=True)
    dropped = before - len(df) + skipped
    if len(df) < MIN_ROWS:
        what = "no complete row" if len(df) == 0 else f"only {len(df)} complete row{'s' * (len(df) != 1)}"
        raise DataError(f"The file has {what} of numbers"
                        + (f" ({dropped} row{'s' * (dropped != 1)} with missing or non-numeric values dropped)"
                           if dropped else "")
                        + f"; at least {MIN_ROWS} are needed for a fit.")
    df.attrs.update(dropped_rows=int(dropped), skipped_lines=int(skipped), text_columns=text_columns,
                    delimiter={"\t": "tab", r"\s+": "spaces"}.get(sep, sep), decimal=decimal,
                    encoding=encoding, header=header, rows=len(df))
    return df


def _parser_message(err: Exception) -> str:
    msg = str(err)
    if "EOF inside string" in msg or "EOF while" in msg or "unexpected end of data" in msg:
        m = re.search(r"row (\d+)", msg)
        where = f" (starting near line {int(m.group(1)) + 1})" if m else ""
        return f"The file has an unbalanced quote character (\"){where}: a quoted field is never closed."
    if "field larger than field limit" in msg or "Buffer overflow" in msg:
        return "A field in the file is far too long to be a number."
    return "The file could not be read as a table: " + msg.splitlines()[0][:200]


# =============================================================================================
# Data helpers
def generate_line_data(n: int, noise: float, m: float, c: float, seed: int = 0,
                       x_range: tuple[float, float] = (0.0, 10.0)):
    """N noisy points around y = m x + c (seeded); σᵢ = noise for every point."""
    rng = np.random.default_rng(int(seed))
    x = np.sort(rng.uniform(*x_range, int(n)))
    s = max(float(noise), 1e-9)
    y = m * x + c + rng.normal(0.0, s, x.size)
    return x, y, np.full(x.size, s)


def subsample(n: int, max_points: int = 2000, seed: int = 0) -> np.ndarray:
    """Indices of at most ``max_points`` of ``n`` rows (all of them when n is small), sorted."""
    if n <= max_points:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, max_points, replace=False))


def histogram(values, bins: int = 20):
    """Bin centres, counts and Poisson σ = √max(count, 1) of a sample (the heights task)."""
    counts, edges = np.histogram(np.asarray(values, float), bins=bins)
    return (edges[:-1] + edges[1:]) / 2, counts.astype(float), np.sqrt(np.maximum(counts, 1.0))


def _clean_xy(x, y, sigma):
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape:
        raise DataError(f"x and y have different lengths ({x.size} and {y.size}).")
    s = None if sigma is None else np.broadcast_to(np.asarray(sigma, dtype=float).ravel()
                                                   if np.ndim(sigma) else float(sigma), x.shape).astype(float)
    ok = np.isfinite(x) & np.isfinite(y)
    if s is not None:
        ok &= np.isfinite(s) & (s > 0)
    dropped = int(x.size - ok.sum())
    if dropped:
        x, y = x[ok], y[ok]
        s = None if s is None else s[ok]
    return x, y, s, dropped


def _weights(sigma, n):
    return np.ones(n) if sigma is None else 1.0 / np.asarray(sigma, float) ** 2


# =============================================================================================
# The straight line: χ², closed form, the landscape and gradient descent
@dataclass
class LineFit:
    m: float
    c: float
    sm: float            # standard error of m
    sc: float            # standard error of c
    cov_mc: float
    chi2: float
    reduced_chi2: float
    r2: float
    n: int
    dof: int
    has_sigma: bool
    dropped: int = 0
    stats: dict = field(default_factory=dict, repr=False)


def _line_stats(x, y, w) -> dict:
    S = w.sum()
    xm = (w * x).sum() / S
    ym = (w * y).sum() / S
    dx, dy = x - xm, y - ym
    return dict(S=S, xm=xm, ym=ym, Sxx=(w * dx * dx).sum(), Sxy=(w * dx * dy).sum(),
                Syy=(w * dy * dy).sum(), n=x.size)


def line_fit(x, y, sigma=None) -> LineFit:
    """Weighted least-squares line in closed form (centred sums, so large x stay accurate):

    m = Σwᵢ(xᵢ−x̄)(yᵢ−ȳ) / Σwᵢ(xᵢ−x̄)²,  c = ȳ − m x̄,  wᵢ = 1/σᵢ² (1 without σ).
    Without σ the uncertainties are scaled by the reduced χ² (σ estimated from the scatter).
    """
    x, y, s, dropped = _clean_xy(x, y, sigma)
    if x.size < 2:
        raise DataError("At least two points are needed to fit a line.")
    w = _weights(s, x.size)
    st = _line_stats(x, y, w)
    if not st["Sxx"] > 1e-300 or np.ptp(x) == 0:
        raise DataError("All x values are equal, so the slope cannot be found: a vertical spread "
                        "of points has no best straight line y = m x + c.")
    m = st["Sxy"] / st["Sxx"]
    c = st["ym"] - m * st["xm"]
    chi2 = max(float(st["Syy"] - m * st["Sxy"]), 0.0)
    r = y - (m * x + c)
    chi2_direct = float((w * r * r).sum())
    if math.isfinite(chi2_direct):
        chi2 = chi2_direct
    dof = x.size - 2
    red = chi2 / dof if dof > 0 else float("nan")
    var_m = 1.0 / st["Sxx"]
    var_c = 1.0 / st["S"] + st["xm"] ** 2 / st["Sxx"]
    cov = -st["xm"] / st["Sxx"]
    scale = 1.0 if s is not None else (red if dof > 0 else float("nan"))
    r2 = 1.0 - chi2 / st["Syy"] if st["Syy"] > 0 else float("nan")
    return LineFit(m=float(m), c=float(c), sm=float(math.sqrt(var_m * scale)) if scale == scale else float("nan"),
                   sc=float(math.sqrt(var_c * scale)) if scale == scale else float("nan"),
                   cov_mc=float(cov * scale), chi2=float(chi2), reduced_chi2=float(red), r2=float(r2),
                   n=int(x.size), dof=int(dof), has_sigma=s is not None, dropped=dropped, stats=st)


def chi2_line(m: float, c: float, x, y, sigma=None) -> float:
    """χ²(m, c) = Σ ((yᵢ − (m xᵢ + c)) / σᵢ)²."""
    x, y, s, _ = _clean_xy(x, y, sigma)
    r = y - (m * x + c)
    return float((_weights(s, x.size) * r * r).sum())


def _chi2_from_stats(st: dict, m, c):
    """χ²(m, c) from the centred weighted sums: cheap on any grid whatever the data size."""
    c_c = c + m * st["xm"] - st["ym"]          # intercept error at the centre
    return st["Syy"] - 2 * m * st["Sxy"] + m * m * st["Sxx"] + st["S"] * c_c * c_c


def chi2_line_grid(fit: LineFit, m_range, c_range, n: int = 50, digits: int = 4):
    """The χ² landscape over (m, c) on an n×n grid, values rounded to ``digits`` significant
    figures (small to send to the browser).  Returns (m values, c values, Z[c, m])."""
    ms = _round(np.linspace(*m_range, n), 6)
    cs = _round(np.linspace(*c_range, n), 6)
    M, C = np.meshgrid(ms, cs)
    Z = np.maximum(_chi2_from_stats(fit.stats, M, C), 0.0)
    return ms, cs, _round(Z, digits)


def _round(a, digits: int):
    a = np.asarray(a, dtype=float)
    with np.errstate(all="ignore"):
        mag = np.where(a == 0, 0, np.floor(np.log10(np.abs(np.where(a == 0, 1, a)))))
        f = 10.0 ** (digits - 1 - mag)
        out = np.round(a * f) / f
    return np.where(np.isfinite(out), out, a)


@dataclass
class LineDescent:
    m: np.ndarray
    c: np.ndarray
    chi2: np.ndarray
    reason: str
    converged: bool
    step: float          # the actual step size γ used (rate / L)


def line_descent(fit: LineFit, m0: float, c0: float, rate: float = 0.9, steps: int = 100,
                 tol: float = 1e-10) -> LineDescent:
    """The course's gradient descent on χ²(m, c): (m, c) ← (m, c) − γ ∇χ².

    γ = rate / L with L the largest eigenvalue of the Hessian of χ², so ``rate`` < 2 converges and
    ``rate`` > 2 runs away — both worth seeing.  Stops with a named reason.
    """
    st = fit.stats
    # gradient in (m, c): write c = c' - m x̄ with c' the intercept at the centre
    H = 2 * np.array([[st["Sxx"] + st["S"] * st["xm"] ** 2, st["S"] * st["xm"]],
                      [st["S"] * st["xm"], st["S"]]])
    L = float(np.linalg.eigvalsh(H).max())
    gamma = rate / L
    ms, cs, zs = [float(m0)], [float(c0)], [float(_chi2_from_stats(st, m0, c0))]
    reason, converged = f"stopped after the limit of {steps} steps", False
    start_scale = abs(zs[0]) + 1.0
    for _ in range(int(steps)):
        m, c = ms[-1], cs[-1]
        cc = c + m * st["xm"] - st["ym"]
        g_m = 2 * (m * st["Sxx"] - st["Sxy"]) + 2 * st["S"] * cc * st["xm"]
        g_c = 2 * st["S"] * cc
        m_new, c_new = m - gamma * g_m, c - gamma * g_c
        z = float(_chi2_from_stats(st, m_new, c_new))
        if not (math.isfinite(m_new) and math.isfinite(c_new) and math.isfinite(z)):
            reason = "stopped: the values became infinite or undefined"
            break
        ms.append(m_new); cs.append(c_new); zs.append(z)
        if z > 1e6 * start_scale:
            reason = "stopped: the steps grow without bound (the step size is too large — diverging)"
            break
        if math.hypot(g_m, g_c) * gamma < tol * (1 + abs(m_new) + abs(c_new)):
            reason, converged = f"converged after {len(ms) - 1} steps (the gradient vanished)", True
            break
    return LineDescent(np.array(ms), np.array(cs), np.array(zs), reason, converged, gamma)


# =============================================================================================
# Nonlinear models
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def model_parameters(text: str, variable: str = "x") -> list[str]:
    """Candidate parameter names in a typed model: every identifier except the variable, the
    functions and the constants (pi, e), in order of first appearance."""
    if not isinstance(text, str):
        return []
    text = unicodedata.normalize("NFKC", text)
    names: list[str] = []
    # numbers like 1e-3 contain an 'e' that is not a name: blank numbers out first
    stripped = re.sub(r"(?<![A-Za-z_0-9])(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", " ", text)
    for m in _IDENT.finditer(stripped):
        name = m.group()
        if name == variable or name in FUNCTIONS or name in CONSTANTS or name in names:
            continue
        names.append(name)
    return names


def _poly_text(degree: int) -> str:
    terms = ["a0"] + [f"a1*x" if k == 1 else f"a{k}*x^{k}" for k in range(1, degree + 1)]
    return " + ".join(terms)


BUILTIN_MODELS: dict[str, str] = {
    "Straight line": "m*x + c",
    "Polynomial": _poly_text(2),
    "Exponential": "A*exp(k*x)",
    "Gaussian": "A*exp(-(x - mu)^2/(2*sigma^2))",
    "Logistic": "L/(1 + exp(-k*(x - x0)))",
    "Power law": "A*x^b",
    "Sinusoid": "A*sin(w*x + phi) + c",
}


def builtin_model(name: str, degree: int = 2) -> str:
    if name == "Polynomial":
        return _poly_text(max(0, min(int(degree), 8)))
    return BUILTIN_MODELS[name]


def guess_start(name: str, x, y, degree: int = 2) -> dict[str, float]:
    """Automatic starting values for a built-in model, from the shape of the data."""
    x, y, _, _ = _clean_xy(x, y, None)
    if x.size > 5000:
        idx = subsample(x.size, 5000)
        x, y = x[idx], y[idx]
    span = float(np.ptp(x)) or 1.0
    if name == "Straight line":
        m, c = np.polyfit(x, y, 1) if np.ptp(x) > 0 else (0.0, float(np.mean(y)))
        return {"m": float(m), "c": float(c)}
    if name == "Polynomial":
        d = max(0, min(int(degree), 8))
        coef = np.polynomial.polynomial.polyfit(x, y, d) if np.ptp(x) > 0 else [float(np.mean(y))] + [0.0] * d
        return {f"a{k}": float(v) for k, v in enumerate(coef)}
    if name == "Exponential":
        pos = y > 0
        if pos.sum() >= 2 and np.ptp(x[pos]) > 0:
            k, lnA = np.polyfit(x[pos], np.log(y[pos]), 1)
            return {"A": float(np.exp(lnA)), "k": float(k)}
        return {"A": float(np.max(np.abs(y))) or 1.0, "k": -1.0 / span}
    if name == "Gaussian":
        w = np.clip(y - min(0.0, float(np.min(y))), 0, None)
        if w.sum() <= 0:
            w = np.ones_like(y)
        mu = float((w * x).sum() / w.sum())
        sd = float(np.sqrt((w * (x - mu) ** 2).sum() / w.sum())) or span / 4
        return {"A": float(np.max(y)), "mu": mu, "sigma": sd}
    if name == "Logistic":
        order = np.argsort(x)
        xs, ys = x[order], y[order]
        lo, hi = float(np.min(ys)), float(np.max(ys))
        L = hi if abs(hi) >= abs(lo) else lo
        half = np.argmin(np.abs(ys - L / 2))
        k = 8.0 / span * (1 if np.corrcoef(xs, ys)[0, 1] >= 0 else -1) if np.ptp(ys) > 0 else 1.0 / span
        return {"L": L * 1.02 or 1.0, "k": float(k), "x0": float(xs[half])}
    if name == "Power law":
        pos = (x > 0) & (y > 0)
        if pos.sum() >= 2 and np.ptp(x[pos]) > 0:
            b, lnA = np.polyfit(np.log(x[pos]), np.log(y[pos]), 1)
            return {"A": float(np.exp(lnA)), "b": float(b)}
        return {"A": 1.0, "b": 1.0}
    if name == "Sinusoid":
        c = float(np.mean(y))
        best = (np.inf, 1.0, 0.0, 0.0)
        n = x.size
        wmax = math.pi * max(n - 1, 1) / span          # ~ Nyquist for evenly spread points
        for w in np.linspace(2 * math.pi / (4 * span), min(wmax, 2 * math.pi * 50 / span), 400):
            Amat = np.column_stack([np.sin(w * x), np.cos(w * x), np.ones_like(x)])
            coef, *_ = np.linalg.lstsq(Amat, y, rcond=None)
            res = float(((Amat @ coef - y) ** 2).sum())
            if res < best[0]:
                best = (res, w, coef[0], coef[1])
        _, w, a, b = best
        A = math.hypot(a, b) or float(np.std(y)) or 1.0
        return {"A": float(A), "w": float(w), "phi": float(math.atan2(b, a)), "c": c}
    raise KeyError(name)


@functools.lru_cache(maxsize=128)
def _compiled_model(model: str, names: tuple[str, ...]):
    variables = ("x",) + names
    expr = parse_expression(model, variables)
    f = compile_expression(expr, variables)
    jac = []
    try:
        for n in names:
            d = sp.diff(expr, sp.Symbol(n))
            if sp.count_ops(d) > 4000:
                raise ValueError("derivative too large")
            jac.append(compile_expression(d, variables))
    except Exception:
        jac = None                     # finite differences instead
    return expr, f, jac


@functools.lru_cache(maxsize=128)
def linear_in_parameters(model: str, names: tuple[str, ...]) -> bool:
    """Is the model linear in its parameters (a straight line, a polynomial, a·sin x + b …)?

    Then χ² is an exact quadratic bowl in the parameters with a single minimum, so one local
    solve finds it and restarts from other starts can only repeat it."""
    expr, _, _ = _compiled_model(model, tuple(names))
    symbols = {sp.Symbol(n) for n in names}
    try:
        return all(not (sp.diff(expr, s).free_symbols & symbols) for s in symbols)
    except Exception:
        return False


def model_values(model: str, names: Sequence[str], params: Sequence[float], x) -> np.ndarray:
    """The model evaluated at ``x`` (NaN where undefined)."""
    _, f, _ = _compiled_model(model, tuple(names))
    x = np.asarray(x, float)
    return f(x, *[np.full_like(x, float(v)) for v in params])


@dataclass
class ModelFit:
    params: dict
    stderr: dict
    chi2: float
    reduced_chi2: float
    success: bool
    message: str
    names: tuple = ()
    start: dict = field(default_factory=dict)
    covariance: np.ndarray | None = None
    residuals: np.ndarray | None = None     # yᵢ − f(xᵢ) on the rows used
    n: int = 0
    dof: int = 0
    nfev: int = 0
    starts_tried: int = 0
    dropped: int = 0
    r2: float = float("nan")
    latex: str = ""


def _fail(names, p0, message, n=0, dropped=0) -> ModelFit:
    nan = float("nan")
    return ModelFit(params={k: float(p0[k]) for k in names}, stderr={k: nan for k in names},
                    chi2=nan, reduced_chi2=nan, success=False, message=message, names=tuple(names),
                    start={k: float(p0[k]) for k in names}, n=n, dropped=dropped)


def fit_model(model: str, x, y, p0: Mapping[str, float], sigma=None, *, restarts: int | None = None,
              seed: int = 0) -> ModelFit:
    """Nonlinear least squares of ``model`` (text in x and the parameters named in ``p0``).

    Robust: a trust-region solve with Jacobian scaling from the start, several restarts from
    log-scaled perturbations of the start (the best χ² wins), then a Levenberg–Marquardt polish.
    The Jacobian is symbolic (sympy) when possible.  Honest about failure: ``success`` is False
    with a message when the solver did not converge, the covariance is not finite, residuals are
    not finite, the parameters never moved from the start, or the solver warned.
    Raises ``ExpressionError`` (a ValueError) for a model that cannot be read.
    """
    names = tuple(p0)
    if not names:
        raise ValueError("p0 must name at least one parameter")
    if "x" in names:
        raise ValueError("'x' is the variable, not a parameter")
    start = np.array([float(p0[k]) for k in names], dtype=float)
    expr, f, jac = _compiled_model(model, names)
    try:
        x, y, s, dropped = _clean_xy(x, y, sigma)
    except DataError as err:
        return _fail(names, p0, str(err))
    n, p = x.size, len(names)
    if not np.all(np.isfinite(start)):
        return _fail(names, p0, "A start value is not a finite number.", n, dropped)
    if n == 0:
        return _fail(names, p0, "There are no usable data points (all missing or not finite).", n, dropped)
    if n < p:
        return _fail(names, p0, f"Only {n} data points for {p} parameters: the fit is not determined.",
                     n, dropped)
    if np.ptp(x) == 0:
        return _fail(names, p0, "All x values are equal, so the model's shape in x cannot be fitted "
                                "(the parameters are not identifiable).", n, dropped)
    w = np.ones(n) if s is None else 1.0 / s
    ones = np.ones(n)

    def resid(pv):
        return (f(x, *[pv_i * ones for pv_i in pv]) - y) * w

    jac_fn = "2-point"
    if jac is not None:
        def jac_fn(pv):
            args = [pv_i * ones for pv_i in pv]
            return np.column_stack([j(x, *args) for j in jac]) * w[:, None]

    def solve(p_start, method="trf", budget=400):
        kw = dict(ftol=1e-14, xtol=1e-14, gtol=1e-14, max_nfev=budget * (p + 1))
        if method == "trf":
            return optimize.least_squares(resid, p_start, jac=jac_fn, method="trf", x_scale="jac", **kw)
        return optimize.least_squares(resid, p_start, jac=jac_fn, method="lm", x_scale="jac", **kw)

    def chi2_of(r):
        return float(r.fun @ r.fun) if np.all(np.isfinite(r.fun)) else np.inf

    rng = np.random.default_rng(seed)
    if restarts is None:          # a linear model's χ² has one minimum: restarts only repeat it
        restarts = 0 if linear_in_parameters(model, names) else int(np.clip(2_000_000 // max(n, 1), 2, 12))
    starts = [start]
    for k in range(restarts):
        factor = 10.0 ** rng.uniform(-1.5, 1.5, p) if k >= 2 else np.full(p, 10.0 ** (1 if k == 0 else -1))
        jitter = np.where(start == 0, rng.normal(0, 1.0, p), 0.0)
        starts.append(start * factor + jitter)

    best, best_chi2, nfev, first_error = None, np.inf, 0, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, ps in enumerate(starts):
            try:
                r = solve(ps, budget=400 if i == 0 else 40)
            except (ValueError, np.linalg.LinAlgError, FloatingPointError, OverflowError) as err:
                first_error = first_error or err
                continue
            nfev += r.nfev
            c2 = chi2_of(r)
            if c2 < best_chi2 * (1 - 1e-12):
                best, best_chi2 = r, c2
        if best is not None and not best.success:      # a restart won but stopped early: finish it
            try:
                r = solve(best.x)
                nfev += r.nfev
                if chi2_of(r) <= best_chi2:
                    best, best_chi2 = r, chi2_of(r)
            except (ValueError, np.linalg.LinAlgError, FloatingPointError, OverflowError):
                pass
    if best is None:
        return _fail(names, p0, "The model cannot be evaluated at the start values (it gives "
                                "undefined or infinite values there); try other start values.", n, dropped)
    # polish the best with Levenberg–Marquardt, catching the solver's warnings honestly
    caught_msgs: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            pol = solve(best.x, "lm") if n >= p else None
            nfev += pol.nfev if pol is not None else 0
            if pol is not None and chi2_of(pol) <= best_chi2:
                best_lm = pol
            else:
                best_lm = None
        except (ValueError, np.linalg.LinAlgError):
            best_lm = None
    caught_msgs = [str(wm.message).splitlines()[0][:160] for wm in caught
                   if issubclass(wm.category, (optimize.OptimizeWarning, RuntimeWarning, UserWarning))]
    final = best_lm if best_lm is not None else best
    pv = final.x
    r = final.fun
    chi2 = float(r @ r)
    dof = n - p
    red = chi2 / dof if dof > 0 else float("nan")

    # covariance from the Jacobian at the solution (as curve_fit: pseudo-inverse via SVD)
    problems: list[str] = []
    J = final.jac
    cov = None
    if J is None or not np.all(np.isfinite(J)):
        problems.append("the Jacobian at the solution is not finite")
    else:
        _, sv, VT = np.linalg.svd(J, full_matrices=False)
        thresh = np.finfo(float).eps * max(J.shape) * (sv[0] if sv.size else 0)
        if sv.size < p or np.any(sv <= thresh):
            problems.append("the covariance cannot be estimated: the parameters are not all "
                            "identifiable from these data (the Jacobian is singular)")
            cov = np.full((p, p), np.inf)
        else:
            cov = (VT.T / sv ** 2) @ VT
            if s is None:
                cov = cov * red if dof > 0 else np.full((p, p), np.inf)
                if dof <= 0:
                    problems.append("no degrees of freedom are left to estimate the uncertainties")
    stderr_arr = np.sqrt(np.diag(cov)) if cov is not None else np.full(p, np.nan)
    if cov is not None and not np.all(np.isfinite(cov)) and not any("covariance" in q for q in problems):
        problems.append("the covariance is not finite")
    if not np.all(np.isfinite(r)):
        problems.append("the residuals are not finite")
    if not (best.success or (best_lm is not None and best_lm.success)):
        problems.append(f"the solver did not converge ({final.message})")
    if np.array_equal(pv, start) and not _stationary(J, r):
        problems.append("the parameters never moved from their start values (the model may not "
                        "depend on them, or the solver could not take a step)")
    if caught_msgs:
        problems.append("the solver warned: " + "; ".join(dict.fromkeys(caught_msgs)))
    success = not problems
    if success:
        message = (f"Converged: χ² = {chi2:.6g}"
                   + (f", reduced χ² = {red:.4g}" if dof > 0 else "")
                   + (f" (best of {len(starts)} starts, {nfev} model evaluations)." if len(starts) > 1 else
                      f" ({nfev} model evaluations; the model is linear in its parameters, so "
                      "χ² has a single minimum and one start suffices)."))
    else:
        message = "The fit did not really succeed: " + "; ".join(problems) + "."
    if dropped:
        message += f" {dropped} point(s) with missing or non-finite values were left out."
    yw = y * (np.ones(n) if s is None else 1 / s)
    ss_tot = float(((y - y.mean()) ** 2).sum())
    raw_res = y - f(x, *[v * ones for v in pv])
    r2 = 1 - float((raw_res ** 2).sum()) / ss_tot if ss_tot > 0 else float("nan")
    del yw
    return ModelFit(params={k: float(v) for k, v in zip(names, pv)},
                    stderr={k: float(v) for k, v in zip(names, stderr_arr)},
                    chi2=chi2, reduced_chi2=float(red), success=success, message=message,
                    names=names, start={k: float(v) for k, v in zip(names, start)}, covariance=cov,
                    residuals=raw_res, n=n, dof=dof, nfev=int(nfev), starts_tried=len(starts),
                    dropped=dropped, r2=float(r2), latex=to_latex(expr))


def _stationary(J, r) -> bool:
    """Is χ² flat at this point (gradient Jᵀr negligible relative to the problem's scales)?  A fit
    whose start already is the optimum (e.g. a linear model started at its exact solution) has not
    failed just because its parameters did not move."""
    if J is None or not (np.all(np.isfinite(J)) and np.all(np.isfinite(r))):
        return False
    g = J.T @ r
    scale = np.linalg.norm(J, axis=0) * (np.linalg.norm(r) + 1e-300)
    return bool(np.all(scale > 0) and np.all(np.abs(g) <= 1e-8 * scale))


# ---------------------------------------------------------------------------------------------
# Steepest descent on χ² (the course's method), with a backtracking line search
@dataclass
class Descent:
    path: np.ndarray          # (steps + 1, p) parameter values
    chi2: np.ndarray
    reason: str
    converged: bool
    names: tuple


def _weighted_sample(x, y, sigma, limit: int):
    """Clean (x, y, σ), keep at most ``limit`` points (an even subsample), and the weights 1/σ."""
    x, y, s, _ = _clean_xy(x, y, sigma)
    if x.size > limit:
        idx = subsample(x.size, limit)
        x, y, s = x[idx], y[idx], None if s is None else s[idx]
    return x, y, (np.ones(x.size) if s is None else 1.0 / s)


def steepest_descent(model: str, x, y, p0: Mapping[str, float], sigma=None, steps: int = 200,
                     tol: float = 1e-9) -> Descent:
    """p ← p − γ ∇χ²(p), with γ found by halving until χ² drops (Armijo).  Stops with a reason:
    converged, gradient vanished, non-finite values, runaway growth, no downhill step, or the limit."""
    return DescentRun(model, x, y, p0, sigma, tol).result(steps)


class DescentRun:
    """A steepest descent (see ``steepest_descent``) that can be continued.

    ``result(steps)`` is exactly ``steepest_descent(..., steps=steps)``, but only the iterations
    not taken yet are computed: a path of 310 steps continues the 300 already walked, and a
    shorter one is a prefix of the path (the iteration never looks at the step limit).  Safe to
    share between threads (one lock)."""

    def __init__(self, model: str, x, y, p0: Mapping[str, float], sigma=None, tol: float = 1e-9):
        self.names = tuple(p0)
        _, self._f, self._jac = _compiled_model(model, self.names)
        self._x, self._y, self._w = _weighted_sample(x, y, sigma, 20000)
        self._ones = np.ones(self._x.size)
        self._tol = tol
        self._lock = threading.Lock()
        self._p = np.array([float(p0[k]) for k in self.names])
        self._path, self._zs = [self._p.copy()], [self._chi2(self._p)]
        self._gamma, self._g0 = 1e-3, None
        self.iterations = 0                      # loop iterations begun
        self._stop: tuple[str, bool] | None = None   # (reason, converged) once the loop ended
        if not math.isfinite(self._zs[0]):
            self._stop = ("stopped at once: χ² is undefined at the start values", False)

    def _chi2(self, pv):
        r = (self._y - self._f(self._x, *[v * self._ones for v in pv])) * self._w
        v = float(r @ r)
        return v if math.isfinite(v) else math.inf

    def _grad(self, pv):
        f, x, ones, w, h = self._f, self._x, self._ones, self._w, 1e-7
        r = (self._y - f(x, *[v * ones for v in pv])) * w
        if self._jac is not None:
            J = np.column_stack([j(x, *[v * ones for v in pv]) for j in self._jac]) * w[:, None]
        else:
            J = np.column_stack([(f(x, *[(v + (h * max(1, abs(v)) if i == k else 0)) * ones
                                        for i, v in enumerate(pv)]) - f(x, *[v * ones for v in pv]))
                                 / (h * max(1, abs(pv[k]))) for k in range(len(pv))]) * w[:, None]
        return -2 * J.T @ r

    def _advance(self, steps: int) -> None:
        while self._stop is None and self.iterations < steps:
            it = self.iterations
            self.iterations += 1
            p = self._p
            g = self._grad(p)
            if not np.all(np.isfinite(g)):
                self._stop = ("stopped: the gradient is not finite", False)
                break
            gn = float(np.linalg.norm(g))
            self._g0 = self._g0 or gn
            if gn <= 1e-14 * (1 + self._g0):
                self._stop = (f"converged after {it} steps (the gradient vanished)", True)
                break
            gamma = max(self._gamma * 2, 1e-300)
            z0 = self._zs[-1]
            for _ in range(80):
                trial = p - gamma * g
                zt = self._chi2(trial)
                if zt <= z0 - 1e-4 * gamma * gn * gn:
                    break
                gamma /= 2
            else:
                self._gamma = gamma
                self._stop = ("stopped: no downhill step could be found (a flat or rough χ²)", False)
                break
            self._gamma = gamma
            if np.max(np.abs(trial)) > 1e12:
                self._stop = ("stopped: the parameters grow without bound (runaway)", False)
                break
            self._p = trial
            self._path.append(trial.copy()); self._zs.append(zt)
            if abs(z0 - zt) <= self._tol * max(1.0, abs(z0)):
                self._stop = (f"converged after {it + 1} steps (χ² stopped changing)", True)
                break

    def result(self, steps: int) -> Descent:
        """The descent with at most ``steps`` steps (what ``steepest_descent`` returns)."""
        steps = int(steps)
        with self._lock:
            self._advance(steps)
            if self._stop is not None and self.iterations <= steps:
                reason, converged = self._stop
                path, zs = self._path, self._zs
            else:
                reason, converged = f"stopped after the limit of {steps} steps", False
                path, zs = self._path[:max(steps, 0) + 1], self._zs[:max(steps, 0) + 1]
            return Descent(np.array(path), np.array(zs), reason, converged, self.names)


def chi2_grid(model: str, x, y, params: Mapping[str, float], px: str, py: str,
              x_range, y_range, sigma=None, n: int = 40, digits: int = 4):
    """χ² over two chosen parameters (the others held at ``params``) on an n×n grid, rounded."""
    names = tuple(params)
    _, f, _ = _compiled_model(model, names)
    x, y, w = _weighted_sample(x, y, sigma, 4000)
    a = _round(np.linspace(*x_range, n), 6)
    b = _round(np.linspace(*y_range, n), 6)
    A, B = np.meshgrid(a, b)
    args = []
    for k in names:
        if k == px:
            args.append(A.ravel()[:, None])
        elif k == py:
            args.append(B.ravel()[:, None])
        else:
            args.append(np.full((1, 1), float(params[k])))
    vals = f(x[None, :], *args)
    r = (y[None, :] - vals) * w[None, :]
    Z = (r * r).sum(axis=1).reshape(A.shape)
    Z[~np.isfinite(Z)] = np.nan
    return a, b, _round(Z, digits)


# =============================================================================================
# Downloads
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _escape_cell(v) -> str:
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        return repr(float(v))    # a number is data, never a formula: -1.5 stays a number
    text = "" if v is None else str(v)
    return "'" + text if text.startswith(_DANGEROUS) else text


def safe_csv(df: pd.DataFrame) -> str:
    """CSV text with every text cell (and header) that begins with =, +, -, @ (or tab/CR) prefixed
    by an apostrophe, so a spreadsheet never runs it as a formula (CSV injection). Numbers are
    written as numbers (a negative residual stays a number)."""
    out = io.StringIO()
    wr = csv.writer(out, lineterminator="\n")
    wr.writerow([_escape_cell(c) for c in df.columns])
    for row in df.itertuples(index=False, name=None):
        wr.writerow([_escape_cell(v) for v in row])
    return out.getvalue()


# =============================================================================================
# Ranges for sliders and contour windows (kept out of the page: no maths there)
def _nice(v: float, digits: int = 3) -> float:
    return float(_round(np.array([v]), digits)[0])


def line_ranges(fit: LineFit) -> dict:
    """Slider ranges for m and c around the optimum, and a hand-picked default off the optimum."""
    xm, span_x = fit.stats["xm"], 1.0
    half_m = max(3 * (fit.sm if math.isfinite(fit.sm) else 0), 0.8 * abs(fit.m), 1e-3)
    m_lo, m_hi = _nice(fit.m - half_m), _nice(fit.m + half_m)
    half_c = max(3 * (fit.sc if math.isfinite(fit.sc) else 0), 0.8 * abs(fit.c), half_m * max(abs(xm), 1.0), 1e-3)
    c_lo, c_hi = _nice(fit.c - half_c), _nice(fit.c + half_c)
    del span_x
    return dict(m=(m_lo, m_hi, _nice((m_hi - m_lo) / 200, 2), _nice(fit.m - 0.55 * half_m)),
                c=(c_lo, c_hi, _nice((c_hi - c_lo) / 200, 2), _nice(fit.c + 0.55 * half_c)))


def param_window(best: float, se: float, others: Sequence[float] = ()) -> tuple[float, float]:
    """A contour window for one parameter: around the best value, wide enough for the others
    (the descent path and its start)."""
    vals = [best] + [v for v in others if math.isfinite(v)]
    lo, hi = min(vals), max(vals)
    width = max(hi - lo, 6 * se if math.isfinite(se) else 0, 0.2 * abs(best), 1e-3)
    pad = 0.15 * width
    if hi - lo < width:
        mid = (hi + lo) / 2
        lo, hi = mid - width / 2, mid + width / 2
    return float(lo - pad), float(hi + pad)


def fit_table(fit: ModelFit) -> pd.DataFrame:
    """Parameters, standard errors and the fit statistics as a small table (for display and CSV)."""
    rows = [{"parameter": k, "value": fit.params[k], "standard error": fit.stderr[k]} for k in fit.names]
    rows += [{"parameter": "chi2", "value": fit.chi2, "standard error": float("nan")},
             {"parameter": "reduced chi2", "value": fit.reduced_chi2, "standard error": float("nan")}]
    return pd.DataFrame(rows)


def residual_table(model: str, fit: ModelFit, x, y, sigma=None) -> pd.DataFrame:
    """x, y, fitted value, residual (and σ, residual/σ) for every usable row."""
    x, y, s, _ = _clean_xy(x, y, sigma)
    fitted = model_values(model, fit.names, [fit.params[k] for k in fit.names], x)
    out = {"x": x, "y": y, "fitted": fitted, "residual": y - fitted}
    if s is not None:
        out["sigma"] = s
        out["residual/sigma"] = (y - fitted) / s
    return pd.DataFrame(out)
