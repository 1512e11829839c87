"""read_table loads or cleanly refuses every awkward or hostile CSV (each written to a tmp file)."""
import gzip
import io
import zipfile

import numpy as np
import pytest

from explorer.regression import DataError, MAX_BYTES, read_table

MB = 1024 * 1024

# name: (bytes, expected columns or None for refusal, expected first row, dropped rows, message part)
GOOD = {
    "plain": (b"x,y\n1,2\n2,3\n3,5\n", ["x", "y"], [1, 2], 0),
    "semicolon_decimal_comma": (b"x;y\n1,5;2,25\n2,5;3,5\n3,5;4,75\n", ["x", "y"], [1.5, 2.25], 0),
    "tabs": (b"x\ty\n1\t2\n2\t3\n3\t5\n", ["x", "y"], [1, 2], 0),
    "tabs_decimal_comma": (b"x\ty\n1,5\t2\n2,5\t3\n3,5\t5\n", ["x", "y"], [1.5, 2], 0),
    "spaces": (b"x y\n1 2\n2 3\n3 5\n", ["x", "y"], [1, 2], 0),
    "utf8_bom": ("\ufeffx,y\n1,2\n2,3\n3,5\n".encode("utf-8"), ["x", "y"], [1, 2], 0),
    "utf16": ("x,y\n1,2\n2,3\n3,5\n".encode("utf-16"), ["x", "y"], [1, 2], 0),
    "utf16le_no_bom": ("x,y\n1,2\n2,3\n3,5\n".encode("utf-16-le"), ["x", "y"], [1, 2], 0),
    "latin1": ("größe,höhe\n1,2\n2,3\n3,5\n".encode("latin-1"), ["größe", "höhe"], [1, 2], 0),
    "no_header": (b"1,2\n2,3\n3,5\n", ["column 1", "column 2"], [1, 2], 0),
    "duplicate_names": (b"x,x,y\n1,2,3\n2,3,4\n3,4,5\n", ["x", "x (2)", "y"], [1, 2, 3], 0),
    "padded_names": (b"  x  ,   y \n1,2\n2,3\n3,5\n", ["x", "y"], [1, 2], 0),
    "empty_name": (b"x,,y\n1,2,3\n2,3,4\n3,4,5\n", ["x", "column 2", "y"], [1, 2, 3], 0),
    "text_column": (b"name,x,y\nann,1,2\nbob,2,3\ncy,3,5\n", ["x", "y"], [1, 2], 0),
    "thousands_quoted": (b'x,y\n"1,000",2\n"2,500",3\n"3,000",5\n', ["x", "y"], [1000, 2], 0),
    "thousands_dot_decimal_comma": (b"x;y\n1.234,5;2\n2.345,5;3\n3.456,5;4\n", ["x", "y"], [1234.5, 2], 0),
    "missing_markers": (b"x,y\n1,NA\n2,-\n3,?\n4,5\n5,6\n6,8\n7,\n", ["x", "y"], [4, 5], 4),
    "inf_nan_1e400": (b"x,y\n1,inf\n2,nan\n3,1e400\n4,5\n5,6\n6,8\n", ["x", "y"], [4, 5], 3),
    "non_numeric_cells": (b"x,y\n1,2\n2,abc\n3,5\n4,6\n", ["x", "y"], [1, 2], 1),
    "ragged_rows": (b"x,y\n1,2\n2,3,4\n3\n4,5\n5,6\n", ["x", "y"], [1, 2], 2),
    "all_equal_x": (b"x,y\n1,2\n1,3\n1,5\n", ["x", "y"], [1, 2], 0),
    "blank_lines_crlf": (b"x,y\r\n\r\n1,2\r\n2,3\r\n\r\n3,5\r\n", ["x", "y"], [1, 2], 0),
    "quoted_fields": (b'"x","y"\n"1","2"\n"2","3"\n"3","5"\n', ["x", "y"], [1, 2], 0),
    "scientific": (b"x,y\n1e-3,2E5\n2e-3,3e5\n3e-3,5e5\n", ["x", "y"], [1e-3, 2e5], 0),
    "formula_names": (b"=cmd|' /c calc'!A0,y\n1,2\n2,3\n3,5\n", ["=cmd|' /c calc'!A0", "y"], [1, 2], 0),
}

BAD = {
    "empty": (b"", "empty"),
    "whitespace_only": (b"  \n\n \n", "empty"),
    "header_only": (b"x,y\n", "no data rows"),
    "one_row": (b"x,y\n1,2\n", "1 complete row"),
    "single_column": (b"x\n1\n2\n3\n", "one column"),
    "text_only": (b"a,b\nfoo,bar\nbaz,qux\nx,y\n", "No column of numbers"),
    "one_numeric_column": (b"name,y\nann,2\nbob,3\ncy,5\n", "Only one column of numbers"),
    "unbalanced_quote": (b'x,y\n1,2\n"2,3\n4,5\n', "unbalanced quote"),
    "png_renamed": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
    "xlsx_renamed": (None, "xlsx"),
    "gzip_renamed": (gzip.compress(b"x,y\n1,2\n2,3\n3,5\n"), "gzip"),
    "binary_noise": (np.random.default_rng(0).integers(0, 256, 4000, dtype=np.uint8).tobytes(), "not a CSV"),
    "ten_thousand_columns": ((",".join(f"c{i}" for i in range(10_000)) + "\n" +
                              ",".join("1" for _ in range(10_000)) + "\n").encode(), "10,000 columns"),
    "five_mb_field": (b"x,y\n1," + b"9" * (5 * MB - 100) + b"a\n2,3\n", "row"),
    "over_the_limit": (b"x,y\n" + b"1,2\n" * (MAX_BYTES // 4 + 10), "too large"),
    "all_missing": (b"x,y\nNA,NA\n-,?\n", "no column of numbers"),
}


def xlsx_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


@pytest.mark.parametrize("name", list(GOOD))
def test_awkward_files_load(tmp_path, name):
    data, columns, first, dropped = GOOD[name]
    path = tmp_path / f"{name}.csv"
    path.write_bytes(data)
    df = read_table(path)
    assert list(df.columns) == columns
    assert df.iloc[0].tolist() == pytest.approx(first)
    assert df.attrs["dropped_rows"] == dropped
    assert all(np.issubdtype(t, np.floating) for t in df.dtypes)
    assert np.isfinite(df.to_numpy()).all()
    # the same file as bytes and as an open file-like object gives the same table
    assert read_table(data).equals(df)
    assert read_table(io.BytesIO(data)).equals(df)


@pytest.mark.parametrize("name", list(BAD))
def test_bad_files_are_refused_with_a_message(tmp_path, name):
    data, words = BAD[name]
    if data is None:
        data = xlsx_bytes()
    path = tmp_path / f"{name}.csv"
    path.write_bytes(data)
    with pytest.raises(DataError) as err:
        read_table(path)
    assert words.lower() in str(err.value).lower(), str(err.value)
    assert isinstance(err.value, ValueError)
    assert len(str(err.value)) < 400, "a readable message, not a dump"


def test_size_limit_can_be_lifted_for_trusted_files(tmp_path):
    data = b"x,y\n" + b"1,2\n2,3\n" * (MAX_BYTES // 8 + 10)
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    with pytest.raises(DataError, match="too large"):
        read_table(path)
    assert len(read_table(path, max_bytes=None)) == 2 * (MAX_BYTES // 8 + 10)


def test_at_least_25_files_tried():
    assert len(GOOD) + len(BAD) >= 25


def test_all_equal_x_loads_but_the_fit_refuses():
    from explorer.regression import fit_model, line_fit
    df = read_table(GOOD["all_equal_x"][0])
    with pytest.raises(DataError, match="equal"):
        line_fit(df["x"], df["y"])
    assert not fit_model("m*x + c", df["x"], df["y"], {"m": 1, "c": 0}).success


def test_guess_sigma_column_goes_by_name():
    from explorer.regression import guess_sigma_column
    assert guess_sigma_column(["t", "counts", "sigma"]) == "sigma"
    assert guess_sigma_column(["x", "y", "DY"]) == "DY"
    assert guess_sigma_column(["x", "y", "σ"]) == "σ"
    assert guess_sigma_column(["x", "y", "weight"]) is None


def test_an_upload_that_fails_keeps_the_previous_one():
    from explorer.regression import Upload, accept_upload, describe_upload
    good, error = accept_upload("mine.csv", b"x;y\n1;2\n2;3\n3;5\n4;NA\n", None)
    assert error is None and isinstance(good, Upload) and good.name == "mine.csv"
    assert list(good.table.columns) == ["x", "y"] and len(good.digest) == 12
    assert "Loaded `mine.csv`: 3 rows, columns `x`, `y` (separator ;" in describe_upload(good)
    kept, error = accept_upload("photo.csv", b"\x89PNG\r\n\x1a\nxxxx", good)
    assert kept is good and "PNG" in error
    none, error = accept_upload("photo.csv", b"\x89PNG\r\n\x1a\nxxxx", None)
    assert none is None and error
    other, _ = accept_upload("mine.csv", b"x,y\n1,5\n2,3\n3,5\n", good)
    assert other.digest != good.digest, "the same name with other bytes is another file"


def test_table_data_and_its_description():
    from explorer.regression import describe_rows, generated, sample_table, suggested_model, table_data
    df = read_table(b"name,x,y,err\nann,1,2,0.5\nbob,2,3,0.5\ncy,3,5,0.5\ndi,4,NA,1\n")
    d = table_data(df, "x", "y", "err", "f.csv", "abc")
    assert d.xlabel == "x" and d.ylabel == "y" and d.name == "f.csv"
    assert d.key == ("table", "f.csv", "abc", "x", "y", "err")
    assert d.x.tolist() == [1, 2, 3] and d.s.tolist() == [0.5, 0.5, 0.5]
    assert table_data(df, "x", "y", None).s is None
    assert describe_rows(df) == ("**3 rows used.** 1 row with missing or non-numeric values was dropped. "
                                 "Text columns left out: name.")
    assert describe_rows(read_table(b"x,y\n1,2\n2,3\n3,5\n")) == "**3 rows used.** No rows were dropped."
    g = generated(30, 1.0, 1.5, 2.0, 7)
    assert len(g.x) == 30 and np.all(g.s == 1.0) and g.key == ("generated", 30, 1.0, 1.5, 2.0, 7)
    assert np.array_equal(generated(30, 1.0, 1.5, 2.0, 7).y, g.y), "seeded"
    assert suggested_model("heights_histogram.csv") == "Gaussian" and suggested_model("") == "Straight line"
    assert len(sample_table("decay_sigma.csv")) >= 3


# issue 18: comment lines, a units row, σ columns by their usual names
def test_leading_comment_lines_are_skipped_and_counted():
    from explorer.regression import describe_rows
    df = read_table(b"# decay run 3, detector B\n#   operator: ann\n\nt,counts\n0,100\n10,80\n20,61\n")
    assert list(df.columns) == ["t", "counts"], "the header is the first line after the comments"
    assert df["counts"].tolist() == [100, 80, 61] and df.attrs["dropped_rows"] == 0
    assert df.attrs["comment_lines"] == 2
    assert "2 comment lines (starting with #) at the top were skipped." in describe_rows(df)
    plain = read_table(b"t,counts\n0,100\n10,80\n20,61\n")
    assert plain.attrs["comment_lines"] == 0 and "comment" not in describe_rows(plain)
    # a '#' later in the file is not a comment line to skip (and '#N/A' stays a missing value)
    later = read_table(b"x,y\n1,2\n2,#N/A\n3,5\n4,6\n")
    assert later.attrs["comment_lines"] == 0 and later.attrs["dropped_rows"] == 1


@pytest.mark.parametrize("units_line, units", [(b"s, m, m", ["s", "m", "m"]),
                                               (b"[s],[m],[m]", ["s", "m", "m"]),
                                               (b"(s);(m);(m)", ["s", "m", "m"])])
def test_a_units_row_is_kept_as_units_not_dropped(units_line, units):
    from explorer.regression import describe_rows
    sep = b";" if b";" in units_line else b","
    body = sep.join([b"t", b"x", b"err"]) + b"\n" + units_line + b"\n" + b"\n".join(
        sep.join(str(v).encode() for v in row) for row in [(0, 1.5, 0.1), (1, 2.5, 0.1), (2, 4.0, 0.2)])
    df = read_table(body)
    assert list(df.columns) == [f"t [{units[0]}]", f"x [{units[1]}]", f"err [{units[2]}]"]
    assert df.attrs["dropped_rows"] == 0 and len(df) == 3 and df.iloc[0].tolist() == [0, 1.5, 0.1]
    assert df.attrs["units"] == dict(zip(df.columns, units))
    assert "read as units: t in s, x in m, err in m." in describe_rows(df)


def test_a_text_line_that_is_not_a_units_row_is_still_dropped():
    # numbers in one column of the second line: a bad data row, not units
    df = read_table(b"x,y\n1,oops\n2,3\n3,5\n4,7\n")
    assert list(df.columns) == ["x", "y"] and df.attrs["units"] == {} and df.attrs["dropped_rows"] == 1
    # a unit already in the name is not repeated
    df = read_table(b"t [s],y\ns,m\n0,1\n1,2\n2,3\n")
    assert list(df.columns) == ["t [s]", "y [m]"]


def test_comment_lines_units_and_an_error_column_together():
    from explorer.regression import guess_sigma_column, table_data
    df = read_table(b"# counts per second\ntime, rate, error [1/s]\ns, 1/s, 1/s\n0,100,10\n10,80,9\n20,60,8\n")
    assert list(df.columns) == ["time [s]", "rate [1/s]", "error [1/s]"]
    assert guess_sigma_column(list(df.columns)) == "error [1/s]"
    d = table_data(df, "time [s]", "rate [1/s]", "error [1/s]")
    assert d.xlabel == "time [s]" and d.ylabel == "rate [1/s]" and d.s.tolist() == [10, 9, 8]


@pytest.mark.parametrize("name", ["error [1/s]", "err", "dy", "sigma_y", "uncertainty", "σ", "u(y)", "DY",
                                  "y_err", "Error (m)", "Δy", "sigma"])
def test_sigma_column_names_are_recognised(name):
    from explorer.regression import guess_sigma_column
    assert guess_sigma_column(["t", "y", name]) == name


@pytest.mark.parametrize("cols", [["x", "y", "weight"], ["x", "u", "y"], ["x", "y", "dx"], ["e", "y"],
                                  ["x", "y", "sigma_x"], ["x", "y", "errand"]])
def test_names_that_are_not_a_sigma_of_y_are_not_guessed(cols):
    from explorer.regression import guess_sigma_column
    assert guess_sigma_column(cols) is None


def test_the_y_sigma_is_preferred_to_the_x_sigma():
    from explorer.regression import guess_sigma_column
    assert guess_sigma_column(["x", "sigma_x", "y", "sigma_y"]) == "sigma_y"
    assert guess_sigma_column(["x", "dx", "y", "dy"]) == "dy"


def test_file_and_column_names_are_shown_inert():
    """A hostile file name or header is shown as a code span: no link, image, bold or HTML."""
    import re
    from explorer.regression import accept_upload, describe_upload
    up, error = accept_upload("![x](http://evil.example/a.png) www.evil.example `q`.csv",
                              b"**b**,<img src=x>,[a](javascript:alert(1))\n1,2,3\n2,3,4\n3,4,5\n", None)
    assert error is None
    text = describe_upload(up)
    spans = re.findall(r"(`+) ?(.*?) ?\1(?!`)", text)
    assert [s[1] for s in spans] == ["![x](http://evil.example/a.png) www.evil.example `q`.csv",
                                     "**b**", "<img src=x>", "[a](javascript:alert(1))"]
    outside = re.sub(r"(`+) ?(.*?) ?\1(?!`)", "", text)
    assert not set(outside) & set("[]<>!*`") and "evil" not in outside
