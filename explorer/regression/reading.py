"""Reading a learner's CSV into a table of numeric columns: delimiter and decimal sniffing, header
detection, thousands separators, missing-value markers, and a plain-language ``DataError`` for
anything unusable."""
from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
import warnings

import numpy as np
import pandas as pd

from explorer.regression.data import DataError
from explorer.regression.decoding import MAX_BYTES, decode, looks_binary, read_bytes

MAX_COLUMNS = 1000
MAX_ROWS = 1_000_000          # lines of data (a 5 MB file of "1,2" lines has about 1.3 million)
MAX_LINE_CHARS = 50_000       # characters in one line (1,000 columns of 20-digit numbers is 21,000)
MIN_ROWS = 3
NA_MARKERS = ["", "NA", "N/A", "n/a", "na", "NaN", "nan", "NAN", "-", "--", "---", "?", "??", ".",
              "null", "NULL", "Null", "None", "none", "#N/A", "#NA", "#VALUE!", "#DIV/0!",
              "missing", "Missing", "MISSING", "inf", "-inf", "+inf", "Inf", "-Inf", "INF"]


_DELIMS = [",", ";", "\t", "|"]


def _sniff_delimiter(lines: list[str]) -> str | None:
    best, best_score, scores = None, (0, 0), {}
    for d in _DELIMS:
        counts = [line.count(d) for line in lines]
        if not any(counts):
            continue
        mode = max(set(counts), key=counts.count)
        if mode == 0:
            continue
        agree = counts.count(mode) / len(counts)
        score = scores[d] = (round(agree, 1), mode)
        if score > best_score:
            best, best_score = d, score
    if best is None and any(len(line.split()) > 1 for line in lines):
        return r"\s+"
    # "1,5;2,5": more commas than semicolons, yet every comma is a decimal comma between two digits
    data = lines[1:] or lines        # (a tab only at the ends of the lines does not count)
    others = [d for d in _DELIMS[1:] if scores.get(d, (0, 0))[0] >= best_score[0]
              and all(ln.strip().count(d) for ln in data)]
    if best == "," and others and all(ln.count(",") == len(re.findall(r"(?<=\d),(?=\d)", ln)) for ln in data):
        best = max(others, key=scores.get)
    return best


_NUM = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")          # 1,234,567.8
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$")         # 1.234.567,8
_THOUSANDS_SPACE = re.compile(r"^[+-]?\d{1,3}([ '’_\u00a0\u202f]\d{3})+([.,]\d*)?$")   # 1 234 567


_SPACE = r"[\s\p{Z}\x{0b}\x{1c}-\x{1f}\x{85}]*"       # what str.strip() strips (RE2 syntax, for pyarrow)
# every cell the steps below can turn into a number matches this (a looser shape: digits and the
# separators they remove, an exponent, inf / nan), so the others can be left out before them
_MAYBE_NUMBER = (rf"(?i)^{_SPACE}[+-]?(inf|infinity|nan|[\p{{Nd}}.,'’_ \x{{a0}}\x{{202f}}]+(e[+-]?\p{{Nd}}+)?)"
                 rf"{_SPACE}$")


def _text_cells(raw: pd.DataFrame, columns: list[int]):
    """The cells of ``columns`` of ``raw``, one column after another, as one pyarrow string array
    (pandas reads text columns as pyarrow strings: no Python object is made per cell)."""
    import pyarrow as pa
    chunks = [pa.chunked_array(pa.array(raw.iloc[:, i].astype("string[pyarrow]"))) for i in columns]
    return pa.chunked_array([c.cast(pa.large_string()) for ch in chunks for c in ch.chunks],
                            pa.large_string()).combine_chunks()


def _present(cells) -> np.ndarray:
    """True where a cell holds something other than blanks or a missing-value marker."""
    import pyarrow as pa
    import pyarrow.compute as pc
    marker = pc.is_in(pc.utf8_trim_whitespace(cells), value_set=pa.array(NA_MARKERS))
    return pc.and_(pc.is_valid(cells), pc.invert(marker)).to_numpy(zero_copy_only=False)


def _clean_numeric(cells, decimal: str) -> np.ndarray:
    """Text cells (a pyarrow string array) -> floats (NaN where not a number), understanding
    thousands separators. Only cells shaped like a number (``_MAYBE_NUMBER``) are looked at, and all
    in pyarrow compute: with pandas' string methods (Python, a microsecond or two a cell), 5 MB of
    cells such as ``1 2`` took 2-3 s."""
    import pyarrow.compute as pc
    maybe = pc.fill_null(pc.match_substring_regex(cells, _MAYBE_NUMBER), False)
    out = np.full(len(cells), np.nan)
    if pc.any(maybe).as_py():
        out[maybe.to_numpy(zero_copy_only=False)] = _cells_to_numbers(cells.filter(maybe), decimal)
    return out


# The rules of ``_cell_is_number`` for ``_cells_to_numbers``, in RE2 (pyarrow's regular expressions)
# with ASCII digits: pandas' to_numeric, the last step, reads no other digits, so a cell with an
# Arabic-Indic or full-width digit never was a number (tests/unit/test_reading_speed.py checks both
# against the pandas steps they replace)
_SEPARATORS = "[ '’_\\x{a0}\\x{202f}]"
_RE2_THOUSANDS_SPACE = rf"^[+-]?[0-9]{{1,3}}({_SEPARATORS}[0-9]{{3}})+([.,][0-9]*)?$"
_RE2_THOUSANDS_DOT = r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$"
_RE2_THOUSANDS_COMMA = r"^[+-]?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]*)?$"
_RE2_NUM = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_RE2_INF = r"(?i)^[+-]?inf(inity)?$"        # "inf", "-inf", "+inf", "Inf", "INF" are NA_MARKERS


def _cells_to_numbers(cells, decimal: str) -> np.ndarray:
    """Cells shaped like numbers (a pyarrow string array) -> floats (NaN where not a number): strip,
    missing-value markers, thousands separators (space-like, then ``,`` or ``.``), decimal comma,
    then the number itself, ±infinity in any case; all in pyarrow compute, at C speed."""
    import pyarrow as pa
    import pyarrow.compute as pc
    none = pa.scalar(None, cells.type)

    def where(mask, then, other):
        return pc.if_else(pc.fill_null(mask, False), then, other)

    def rewrite(s, pattern, drop):       # without the characters ``drop`` in the cells matching ``pattern``
        hit = pc.fill_null(pc.match_substring_regex(s, pattern), False)
        if pc.any(hit).as_py():          # (only those: 5 MB of cells through the regex took 0.2 s)
            s = pc.replace_with_mask(s, hit, pc.replace_substring_regex(s.filter(hit), drop, ""))
        return s

    s = pc.utf8_trim_whitespace(cells)              # what pandas' str.strip() does on these cells
    s = where(pc.is_in(s, value_set=pa.array(NA_MARKERS)), none, s)
    s = rewrite(s, _RE2_THOUSANDS_SPACE, _SEPARATORS)
    if decimal == ",":
        s = pc.replace_substring(rewrite(s, _RE2_THOUSANDS_COMMA, r"\."), ",", ".")
    else:
        s = rewrite(s, _RE2_THOUSANDS_DOT, ",")
    out = pc.cast(where(pc.match_substring_regex(s, _RE2_NUM), s, none), pa.float64())
    if pc.any(pc.match_substring(pc.ascii_lower(s), "inf")).as_py():    # (cheaper than a regex on every cell)
        out = where(pc.match_substring_regex(s, _RE2_INF), where(pc.starts_with(s, "-"), -np.inf, np.inf), out)
    return pc.fill_null(out, np.nan).to_numpy(zero_copy_only=False)


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
    ``max_bytes=None`` lifts the size and row limits (for trusted local files, e.g. a benchmark).
    Bounds, checked before pandas parses anything: ``MAX_ROWS`` lines, ``MAX_COLUMNS`` fields and
    ``MAX_LINE_CHARS`` characters in a line (a 2 MB line of commas is refused in milliseconds).
    """
    data, _name = read_bytes(source, max_bytes)
    if not data.strip():
        raise DataError("The file is empty.")
    text, encoding = decode(data)
    if looks_binary(text):
        raise DataError("This is not a CSV text file: it contains binary or control characters.")
    text = text.lstrip("\ufeff")
    if "\r" in text:      # Windows and old Mac line ends: the line and field bounds below count "\n"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, comments = _strip_comment_lines(text)
    if max_bytes is not None:            # a trusted local file (max_bytes=None) may have more rows
        _check_rows(text)
    lines = [ln for ln in text[:200_000].splitlines()[:50] if ln.strip()]
    if not lines:
        raise DataError("The file is empty (only blank lines).")
    sep = _sniff_delimiter(lines)
    if sep is None:
        raise DataError("Only one column was found; a fit needs at least two columns (x and y), "
                        "separated by commas, semicolons or tabs.")
    _check_fields(text, sep)
    _check_line_length(text)
    sample = "\n".join(lines[1:] if len(lines) > 1 else lines)
    decimal = "," if sep != "," and re.search(r"\d,\d", sample) else "."

    common = dict(sep=sep, decimal=decimal, skipinitialspace=True, skip_blank_lines=True,
                  quotechar='"', keep_default_na=False, na_values=NA_MARKERS)
    if sep == r"\s+":
        common.pop("skipinitialspace")
    try:
        first = pd.read_csv(io.StringIO(text[:200_000]), header=None, nrows=8, dtype=str,
                            on_bad_lines="skip", **common)
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
    units = _units_row(first, decimal) if header else None
    if units:
        names = _dedupe([n if n.endswith((f"[{u}]", f"({u})")) else f"{n} [{u}]"
                         for n, u in zip(names, units)])
    skip_top = (1 if header else 0) + (1 if units else 0)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            raw = pd.read_csv(io.StringIO(text), header=None, skiprows=skip_top,
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
    # the columns pandas already read as numbers, all at once (column by column, a 5 MB file of
    # 1,000 columns spent seconds in pandas' per-column overhead); ±inf become missing values
    num_idx = [i for i, dt in enumerate(raw.dtypes)
               if pd.api.types.is_numeric_dtype(dt) and not pd.api.types.is_bool_dtype(dt)]
    block = raw.iloc[:, num_idx].to_numpy(dtype="float64", copy=True)
    present = ~np.isnan(block).all(axis=0)
    block[~np.isfinite(block)] = np.nan
    finite = ~np.isnan(block).all(axis=0)
    where = {i: j for j, i in enumerate(num_idx)}
    # the other columns (text, or numbers with thousands separators or decimal commas) also at once:
    # one long column of their cells, cleaned in one pass (column by column, 5 MB of 1,000 text
    # columns took 6 s); ``cleaned`` holds the numbers (NaN where none), one column each
    text_idx = [i for i in range(ncols) if i not in where]
    text_at = {i: j for j, i in enumerate(text_idx)}
    cells = _text_cells(raw, text_idx)
    shape = (len(text_idx), len(raw))
    cleaned = _clean_numeric(cells, decimal).reshape(shape).T
    n_present = _present(cells).reshape(shape).sum(axis=1)
    n_number = (~np.isnan(cleaned)).sum(axis=0)
    has_cell = cells.is_valid().to_numpy(zero_copy_only=False).reshape(shape).any(axis=1)
    for i, name in zip(range(ncols), names):
        if i in where:
            j = where[i]
            if finite[j]:
                numeric[name] = pd.Series(block[:, j], index=raw.index)
            elif len(raw) and present[j]:
                text_columns.append(name)
            continue
        j = text_at[i]
        if n_present[j] and n_number[j] < 0.5 * n_present[j]:
            text_columns.append(name)
        elif np.isfinite(cleaned[:, j]).any():
            numeric[name] = pd.Series(np.where(np.isfinite(cleaned[:, j]), cleaned[:, j], np.nan), index=raw.index)
        elif len(raw) and has_cell[j]:
            text_columns.append(name)
    if not numeric:
        raise DataError("No column of numbers was found" +
                        (f" (text columns: {', '.join(_shown(c) for c in text_columns[:8])})."
                         if text_columns else "."))
    if len(numeric) < 2:
        only = next(iter(numeric))
        raise DataError(f"Only one column of numbers ({_shown(only)}) was found; a fit needs two "
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
                    encoding=encoding, header=header, rows=len(df), comment_lines=int(comments),
                    units=dict(zip(names, units)) if units else {})
    return df


def _shown(name: str) -> str:
    """A column name inside a message, inert: the page shows messages as markdown, where a header
    such as ``![](http://…)`` or ``<img …>`` would otherwise load an image or render HTML."""
    from explorer.regression.datasets import inert     # datasets imports this module
    return inert(name)


def _check_rows(text: str) -> None:
    """Refuse, before any parsing, a file with more lines than ``MAX_ROWS``."""
    rows = text.count("\n") + 1
    if rows > MAX_ROWS + 2:
        raise DataError(f"The file has {rows:,} lines; at most {MAX_ROWS:,} rows of data can be read.")


def _check_fields(text: str, sep: str) -> None:
    """Refuse a line with more than ``MAX_COLUMNS`` fields before pandas reads it (pandas spends
    seconds on a line of 200,000 empty fields); only lines with at least that many characters can
    have so many, and a regular expression finds them without a Python loop over every line."""
    for m in re.finditer(rf"^[^\n]{{{MAX_COLUMNS},}}", text, flags=re.M):
        line = m.group()
        fields = len(line.split()) if sep == r"\s+" else line.count(sep) + 1
        if fields > MAX_COLUMNS:
            line_no = text.count("\n", 0, m.start()) + 1
            raise DataError(f"The file has {fields:,} columns (line {line_no:,}); at most {MAX_COLUMNS:,} "
                            "can be read.")


def _check_line_length(text: str) -> None:
    """Refuse a line longer than ``MAX_LINE_CHARS`` (no table of numbers has one)."""
    # anchored at line starts: unanchored, the search restarted at every character of every line
    # (8 s on a 5 MB file of 999-comma lines)
    long_line = re.search(rf"^[^\n]{{{MAX_LINE_CHARS + 1}}}", text, flags=re.M)
    if long_line:
        line_no = text.count("\n", 0, long_line.start()) + 1
        raise DataError(f"Row {line_no:,} of the file is more than {MAX_LINE_CHARS:,} characters long: "
                        "a field far too long to be a number, or not a table of numbers at all.")


_FIRST_DATA_LINE = re.compile(r"\n[^\S\n]*[^\s#]")    # searched in "\n" + text: a literal first, fast
_INDENTED_COMMENT = re.compile(r"\n[^\S\n]+#")
_COMMENT_LINE = re.compile(r"\n[^\S\n]*#")


def _strip_comment_lines(text: str) -> tuple[str, int]:
    """``text`` without its leading comment lines (those starting with #, blank lines between
    them), and how many comment lines there were. Searches and counts, not a loop over lines
    (a file of a million comment lines took 1.6 s)."""
    if not text.lstrip().startswith("#"):
        return text, 0
    first = _FIRST_DATA_LINE.search("\n" + text)
    cut = len(text) if first is None else first.start()      # where the first data line starts
    head = "\n" + text[:cut]
    count = len(_COMMENT_LINE.findall(head)) if _INDENTED_COMMENT.search(head) else head.count("\n#")
    return text[cut:], count


def _units_row(peek: pd.DataFrame, decimal: str) -> list[str] | None:
    """The units under the header (``s, m`` or ``[s], [m]``), if the line after the header is text
    in every column while the lines below it are numbers (in at least two columns); else None."""
    if len(peek) < 3:
        return None
    cells = ["" if pd.isna(v) else str(v).strip() for v in peek.iloc[1].tolist()]
    if any(not c or _cell_is_number(c, decimal) or len(c) > 30 for c in cells):
        return None
    below = peek.iloc[2:]
    numeric_columns = sum(all(pd.isna(v) or _cell_is_number(str(v), decimal) for v in below[i])
                          and below[i].notna().any() for i in below.columns)
    if numeric_columns < 2:
        return None
    return [_clean_name(re.sub(r"^[\[(](.*)[\])]$", r"\1", c).strip(), i) for i, c in enumerate(cells)]


def _parser_message(err: Exception) -> str:
    msg = str(err)
    if "EOF inside string" in msg or "EOF while" in msg or "unexpected end of data" in msg:
        m = re.search(r"row (\d+)", msg)
        where = f" (starting near line {int(m.group(1)) + 1})" if m else ""
        return f"The file has an unbalanced quote character (\"){where}: a quoted field is never closed."
    if "field larger than field limit" in msg or "Buffer overflow" in msg:
        return "A field in the file is far too long to be a number."
    return "The file could not be read as a table: " + msg.splitlines()[0][:200]

