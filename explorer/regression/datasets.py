"""The data a page fits: the generated line, the sample files, an upload that replaces the last
good one only when it reads, the chosen x, y and σ columns (with a guess at the σ column), and
sentences describing the table."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from explorer.regression.data import DataError, generate_line_data
from explorer.regression.reading import read_table

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
SAMPLES = {"Sample: spring (straight line)": "spring_line.csv",
           "Sample: decay counts with σ": "decay_sigma.csv",
           "Sample: heights histogram": "heights_histogram.csv"}
SUGGESTED_MODEL = {"heights_histogram.csv": "Gaussian", "decay_sigma.csv": "Exponential with background"}
SIGMA_NAMES = ("sigma", "σ", "err", "error", "errors", "uncertainty", "unc", "dy", "δy", "Δy", "stderr",
               "std", "sd", "s.d.")
# "sigma_y", "y_err", "error [1/s]", "dy (m)", "σ(y)", "u(y)": a σ word with the quantity or units
_SIGMA_WORDS = {"sigma", "σ", "err", "error", "errors", "uncertainty", "uncertainties", "unc", "stderr"}
_UNITS_TAIL = re.compile(r"\s*[\[(][^\[\]()]*[\])]\s*$")


@dataclass(frozen=True)
class Dataset:
    """x, y and σ (None: every σ = 1) as arrays, ``key`` a short tuple naming them exactly (for
    caches: hashing a large column on every call costs more than the step), axis labels, and the
    file's name ("" for generated data)."""
    x: np.ndarray
    y: np.ndarray
    s: np.ndarray | None
    key: tuple
    xlabel: str = "x"
    ylabel: str = "y"
    name: str = ""


@dataclass(frozen=True)
class Upload:
    name: str
    digest: str
    table: pd.DataFrame


def generated(n: int, noise: float, m: float, c: float, seed: int) -> Dataset:
    """N points around y = m x + c with normal noise σ (each point's σᵢ = noise), seeded."""
    x, y, s = generate_line_data(n, noise, m, c, seed)
    return Dataset(x, y, s, ("generated", int(n), float(noise), float(m), float(c), int(seed)))


def sample_table(fname: str) -> pd.DataFrame:
    return read_table(DATA_DIR / fname)


def suggested_model(name: str) -> str:
    """The built-in model a data set starts with."""
    return SUGGESTED_MODEL.get(name, "Straight line")


def accept_upload(name: str, raw: bytes, previous: Upload | None,
                  read: Callable[[bytes], pd.DataFrame] = read_table) -> tuple[Upload | None, str | None]:
    """The upload in use once a file arrives, and what is wrong with the file (None if nothing):
    a file that reads replaces the previous one; one that does not leaves the previous in use."""
    digest = hashlib.sha256(raw).hexdigest()[:12]
    try:
        return Upload(name, digest, read(raw)), None
    except DataError as err:
        return previous, str(err)


def _sigma_score(column: str) -> int:
    """2: a name for the y values' σ (σ, sigma_y, dy, error [1/s], u(y)); 1: a σ of another
    quantity (sigma_x, dx err); 0: not a σ column."""
    name = " ".join(str(column).lower().split())
    if re.fullmatch(r"(u|σ|sigma|δ|Δ)\s*\(\s*y?[^()]*\)", name):                   # u(y), σ(y)
        return 1 if re.search(r"\(\s*x", name) else 2
    while _UNITS_TAIL.search(name) and _UNITS_TAIL.sub("", name):                # "error [1/s]"
        name = _UNITS_TAIL.sub("", name)
    if name in SIGMA_NAMES:
        return 2
    tokens = [t for t in re.split(r"[\s_.\-:/]+", name) if t]
    if not tokens:
        return 0
    if re.fullmatch(r"(d|δ|Δ|delta)\s*y", name) or (tokens[0] in ("d", "δ", "Δ", "delta") and tokens[1:] == ["y"]):
        return 2
    if tokens[0] in _SIGMA_WORDS or tokens[-1] in _SIGMA_WORDS or tokens[0] in ("yerr", "ey", "sy", "dy"):
        return 1 if "x" in tokens or tokens[0] in ("xerr", "ex", "sx", "dx") else 2
    return 1 if tokens[0] in ("xerr", "dx") else 0


def guess_sigma_column(columns: Sequence[str]) -> str | None:
    """The column that holds each point's σ, going by its name (sigma, σ, err, dy, sigma_y,
    "error [1/s]", uncertainty, u(y) …), if any: one named for y before one named for x."""
    scored = [(_sigma_score(c), i, c) for i, c in enumerate(columns)]
    best = max((s for s in scored if s[0] == 2), default=None, key=lambda s: -s[1])
    return best[2] if best else None


def table_data(table: pd.DataFrame, xcol: str, ycol: str, scol: str | None, name: str = "",
               digest: str = "") -> Dataset:
    """The chosen columns of a table as a Dataset (``scol`` None: no σ column)."""
    s = None if scol is None else table[scol].to_numpy(float)
    return Dataset(table[xcol].to_numpy(float), table[ycol].to_numpy(float), s,
                   ("table", name, digest, xcol, ycol, scol), xcol, ycol, name)


def describe_rows(table: pd.DataFrame) -> str:
    """How many rows are used, how many were dropped, which text columns were left out."""
    dropped = int(table.attrs.get("dropped_rows", 0))
    text_cols = table.attrs.get("text_columns") or []
    comments = int(table.attrs.get("comment_lines", 0))
    units = table.attrs.get("units") or {}
    return (f"**{len(table):,} rows used.** "
            + (f"{dropped:,} row{'s' * (dropped != 1)} with missing or non-numeric values "
               f"{'was' if dropped == 1 else 'were'} dropped." if dropped else "No rows were dropped.")
            + (f" Text columns left out: {', '.join(_shown(c) for c in text_cols[:6])}." if text_cols else "")
            + (f" {comments} comment line{'s' * (comments != 1)} (starting with #) at the top "
               f"{'was' if comments == 1 else 'were'} skipped." if comments else "")
            + (" The line under the header was read as units: "
               + ", ".join(f"{_shown(k.rsplit(' [', 1)[0])} in {_shown(u)}" for k, u in units.items()) + "."
               if units else ""))


def _shown(name: object) -> str:
    """A column name or unit as it is when it is plain words and numbers, else as ``inert`` code."""
    text = str(name)
    return text if re.fullmatch(r"[\w .,%/()°µ-]*", text) else inert(text)


def inert(text: object) -> str:
    """A file or column name shown inside markdown as an inline code span, so that nothing in it
    (``**``, ``[a](b)``, ``![](img)``, ``<b>``, ``www.…``, ``$x$``) is rendered: only the text."""
    text = " ".join(str(text).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if "`" in text else f"{fence}{text}{fence}"


def describe_upload(upload: Upload) -> str:
    """What was read from an uploaded file: rows, columns, separator, decimal mark, encoding."""
    t = upload.table
    return (f"Loaded {inert(upload.name)}: {len(t):,} rows, columns {', '.join(inert(c) for c in t.columns)} "
            f"(separator {t.attrs.get('delimiter')!s}, decimal '{t.attrs.get('decimal')}', "
            f"{t.attrs.get('encoding')}).")
