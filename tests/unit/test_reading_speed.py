"""read_table converts number-shaped text cells in pyarrow compute (issue 22: 5 MB of cells such as
``1 2`` took 2-3 s in pandas' per-cell Python string methods): the same numbers as those steps, the
right columns for the shapes that were slow, and no cell handed to the per-cell Python path."""
import itertools
import random
import sys
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from pandas.core.arrays.string_ import BaseStringArray
from pandas.core.strings.object_array import ObjectStringArrayMixin

from explorer.regression import DataError, read_table
from explorer.regression import reading
from explorer.regression.reading import _THOUSANDS_COMMA, _THOUSANDS_DOT, _THOUSANDS_SPACE, NA_MARKERS

ROWS = 3000


def _reference(cells: list[str], decimal: str) -> np.ndarray:
    """The pandas steps ``_cells_to_numbers`` replaced (the code before issue 22), cell by cell in
    Python. One change: a leading "+" is dropped before ``pd.to_numeric``, which reads
    "+745.123456789012345678" one unit in the last place off (pandas' own parser; Python's float(),
    pyarrow and pandas' read_csv agree on the correctly rounded value)."""
    s = pd.Series(cells, dtype=object).astype("string").str.strip()
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
    s = s.str.replace(r"^\+(?=[0-9.])", "", regex=True)
    return pd.to_numeric(s, errors="coerce").astype("float64").to_numpy()


def _fast(cells: list[str], decimal: str) -> np.ndarray:
    return reading._clean_numeric(pa.array(cells, pa.large_string()), decimal)


def _assert_same(cells: list[str]) -> None:
    for decimal in ".,":
        want, got = _reference(cells, decimal), _fast(cells, decimal)
        same = np.where(np.isnan(want), np.isnan(got), (want == got) & (np.signbit(want) == np.signbit(got)))
        wrong = [(cells[i], want[i], got[i]) for i in np.flatnonzero(~same)[:10]]
        assert not wrong, f"decimal {decimal!r}: (cell, before, now) {wrong}"


def test_every_short_cell_of_digits_and_separators_is_read_as_before():
    alphabet = list("09.,e+- _'’") + ["\u00a0", "\u202f", "\u0663", "E"]
    cells = ["".join(t) for n in range(1, 5) for t in itertools.product(alphabet, repeat=n)]
    assert len(cells) > 50_000
    _assert_same(cells)


def test_random_number_like_cells_are_read_as_before():
    rng = random.Random(22)
    spaces = ["", " ", "\t", "\u2005", "\u00a0", "\x85", "\u3000", "\x1c"]

    def cell() -> str:
        pad = rng.choice(spaces)
        groups = [str(rng.randint(1, 999))] + [f"{rng.randint(0, 999):03d}" for _ in range(rng.randint(0, 3))]
        return (pad + rng.choice(["", "+", "-"]) + rng.choice([",", ".", " ", "'", "’", "_", "\u202f", ""]).join(groups)
                + rng.choice(["", ".5", ",25", ".", ",", ".123456789012345678"])
                + rng.choice(["", "", "e5", "E-3", "e+400", "e-400", "e" + "9" * 25]) + rng.choice(["", pad]))
    mixed = "0123456789.,eE+- _'’\u00a0\u202f\u0663\uff11\t\x85"
    cells = [cell() for _ in range(20_000)]
    cells += ["".join(rng.choice(mixed) for _ in range(rng.randint(1, 12))) for _ in range(20_000)]
    cells += [repr(rng.lognormvariate(0, 40)) for _ in range(5_000)] + ["1" * 400, "0." + "1" * 400, "-0", "4.9e-324"]
    _assert_same(cells)


def test_infinity_nan_and_markers_in_any_case_are_read_as_before():
    words = [sign + "".join(w) for sign in ["", "+", "-", " ", "- "] for base in ["inf", "infinity", "nan", "infin"]
             for w in itertools.product(*[(c, c.upper()) for c in base])]
    _assert_same(words + NA_MARKERS + [f" {m} " for m in NA_MARKERS])
    got = _fast(["iNf", "-INFINITY", "+Infinity", "inf", "-Inf", "nan", "NaN"], ".")
    assert np.array_equal(got, [np.inf, -np.inf, np.inf] + [np.nan] * 4, equal_nan=True)


def test_no_decimal_digit_other_than_0_to_9_makes_a_number():
    """Python's re and float() read Arabic-Indic or full-width digits, pandas' to_numeric never did:
    such a cell stays not-a-number (the pyarrow rules use [0-9])."""
    digits = [chr(c) for c in range(128, sys.maxunicode) if unicodedata.category(chr(c)) == "Nd"]
    cells = digits + [d + "5" for d in digits] + ["1 23" + d for d in digits] + ["1" + d + ",5" for d in digits]
    _assert_same(cells)
    assert np.isnan(_fast(cells, ".")).all() and np.isnan(_fast(cells, ",")).all()


def _count_python_cells(monkeypatch) -> dict:
    """Counts the cells pandas' per-cell Python string methods and to_numeric are handed."""
    seen = {"cells": 0}

    def counting(original):
        def wrapper(self, *args, **kwargs):
            seen["cells"] += len(self)
            return original(self, *args, **kwargs)
        return wrapper

    monkeypatch.setattr(ObjectStringArrayMixin, "_str_map", counting(ObjectStringArrayMixin._str_map))
    monkeypatch.setattr(BaseStringArray, "_str_map", counting(BaseStringArray._str_map))
    to_numeric = pd.to_numeric

    def counting_to_numeric(arg, *args, **kwargs):
        seen["cells"] += len(arg) if hasattr(arg, "__len__") else 1
        return to_numeric(arg, *args, **kwargs)
    monkeypatch.setattr(pd, "to_numeric", counting_to_numeric)
    return seen


def _lines(row, n: int = ROWS) -> bytes:
    return "".join(row(i) + "\n" for i in range(n)).encode()


def test_cells_like_1_2_are_a_text_column_without_python_per_cell(monkeypatch):
    seen = _count_python_cells(monkeypatch)
    with pytest.raises(DataError, match=r"No column of numbers was found \(text columns: `1 1`, `1 1 \(2\)`\)"):
        read_table(_lines(lambda i: f"{i % 9 + 1} {i % 7 + 1},{i % 5 + 1} {i % 3 + 1}"))
    assert seen["cells"] < 100, f"{seen['cells']} cells went through pandas' Python string methods"


def test_spaced_thousands_are_numbers_without_python_per_cell(monkeypatch):
    seen = _count_python_cells(monkeypatch)
    df = read_table(_lines(lambda i: f"{i % 999 + 1} {i % 1000:03d},{i % 97 + 1}\u202f{i * 7 % 1000:03d}"))
    assert seen["cells"] < 100
    assert list(df.columns) == ["column 1", "column 2"] and len(df) == ROWS
    assert df.iloc[1].tolist() == [2001.0, 2007.0] and df.iloc[-1].tolist() == [3999.0, 90993.0]


def test_plain_decimals_without_python_per_cell(monkeypatch):
    seen = _count_python_cells(monkeypatch)
    df = read_table(b"x,y\n" + _lines(lambda i: f"{i / 10 + 0.5},{i / 4 + 2.5}"))
    assert seen["cells"] < 100
    assert list(df.columns) == ["x", "y"] and len(df) == ROWS and df.iloc[3].tolist() == [0.8, 3.25]


@pytest.mark.parametrize("header", [b"", b"x;y\n"])
def test_semicolons_with_thousands_dots_and_decimal_commas(monkeypatch, header):
    """``1.234,5;2.345,6``: two commas a line against one semicolon, every comma between two digits, so
    the semicolon separates (before, past a few lines the comma won and the columns were nonsense)."""
    seen = _count_python_cells(monkeypatch)
    df = read_table(header + _lines(lambda i: f"{i % 999 + 1}.{i % 1000:03d},{i % 10};{i % 97 + 1}.{i * 7 % 1000:03d},5"))
    assert seen["cells"] < 100
    assert df.attrs["delimiter"] == ";" and df.attrs["decimal"] == ","
    assert list(df.columns) == (["x", "y"] if header else ["column 1", "column 2"]) and len(df) == ROWS
    assert df.iloc[1].tolist() == [2001.1, 2007.5]


def test_tabs_with_decimal_commas_on_many_lines():
    df = read_table(b"x\ty\n" + _lines(lambda i: f"{i},5\t{i + 1},25"))
    assert df.attrs["delimiter"] == "tab" and df.iloc[2].tolist() == [2.5, 3.25]


def test_commas_stay_the_separator_when_a_tab_only_ends_the_lines():
    df = read_table(_lines(lambda i: f"{i},{i * 2}\t", 60))
    assert df.attrs["delimiter"] == "," and df.iloc[3].tolist() == [3.0, 6.0]


def test_a_mostly_empty_column_of_spaced_numbers_is_numeric():
    """Blank cells count neither as numbers nor as text: three spaced numbers in twelve rows make a
    column of numbers, and the other rows are dropped as incomplete."""
    rows = [f"{i},{i * i},{'1 234' if i % 4 == 0 else ''}" for i in range(12)]
    df = read_table(("x,y,z\n" + "\n".join(rows) + "\n").encode())
    assert list(df.columns) == ["x", "y", "z"] and df["z"].tolist() == [1234.0] * 3
    assert df.attrs["dropped_rows"] == 9 and df.attrs["text_columns"] == []
