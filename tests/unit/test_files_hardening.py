"""Files a visitor uploads or a lecturer writes cannot stall or crash the app (issue 22): the CSV
reader's bounds, the fit's budget, formula-safe downloads, and lesson files (nesting, BOM)."""
from __future__ import annotations

import csv
import io
import time

import numpy as np
import pytest

from explorer import lessons as L
from explorer.regression import reading
from explorer.regression.data import DataError
from explorer.regression.export import parameters_csv, safe_csv
from explorer.regression.fitting import MAX_FIT_ROWS, fit_model
from explorer.regression.reading import MAX_COLUMNS, read_table

MB = 1024 * 1024


def _timed(fn, *args, **kwargs):
    t = time.perf_counter()
    try:
        out = fn(*args, **kwargs)
    except DataError as err:
        out = err
    return out, time.perf_counter() - t


# ---------------------------------------------------------------------------------------------
# The CSV reader's bounds
@pytest.mark.parametrize("data", [b"," * (2 * MB - 1), b"x,y\n" + b"," * (2 * MB - 8) + b"\n1,2\n"],
                         ids=["one_line_of_commas", "commas_after_a_header"])
def test_a_2mb_line_of_commas_is_refused_fast(data):
    err, seconds = _timed(read_table, data)
    assert isinstance(err, DataError)
    assert "columns" in str(err) and f"at most {MAX_COLUMNS:,}" in str(err)
    assert seconds <= 0.5, seconds         # measured 0.02 s (was 15 s, and 100 s through the page)


def test_a_huge_field_is_refused_fast_with_its_row():
    data = b"x,y\n1,2\n2," + b"9" * (3 * MB) + b"\n3,4\n"
    err, seconds = _timed(read_table, data)
    assert isinstance(err, DataError) and "Row 3" in str(err) and "characters long" in str(err)
    assert seconds <= 0.5, seconds


def test_too_many_rows_are_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 1000)
    data = b"x,y\n" + b"1,2\n" * 5000
    err, seconds = _timed(read_table, data)
    assert isinstance(err, DataError) and "at most 1,000 rows" in str(err)
    assert len(read_table(data, max_bytes=None)) == 5000, "a trusted local file is not limited"


def test_a_600k_row_file_reads_and_its_fit_is_refused_quickly():
    rows = 600_000
    data = b"x,y\n" + b"".join(b"%d,%d\n" % (i % 10, i % 7) for i in range(rows))
    assert len(data) < 5 * MB
    table, seconds = _timed(read_table, data)
    assert len(table) == rows and seconds <= 2.0, seconds       # measured 0.2-0.6 s
    fit, seconds = _timed(fit_model, "A*exp(k*x)", table["x"].to_numpy(), table["y"].to_numpy(),
                          {"A": 1.0, "k": 0.1})
    assert not fit.success and f"at most {MAX_FIT_ROWS:,}" in fit.message and "600,000" in fit.message
    assert seconds <= 2.0, seconds                              # measured 0.16 s


def test_control_and_direction_characters_leave_column_names():
    table = read_table("x\u202e,\x07y\n1,2\n2,3\n3,5\n".encode())
    assert list(table.columns) == ["x", "y"]


# ---------------------------------------------------------------------------------------------
# The fit's budget
def _sinusoid(n):
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 10, n)
    return x, 2 * np.sin(7.3 * x + 1) + rng.normal(0, 0.1, n)


def test_a_50k_row_fit_finishes_within_its_budget():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 10, 50_000)
    y = 2 * np.exp(0.3 * x) + rng.normal(0, 0.1, x.size)
    fit, seconds = _timed(fit_model, "A*exp(k*x)", x, y, {"A": 1.0, "k": 0.1})
    assert fit.success, fit.message
    assert fit.params["A"] == pytest.approx(2, rel=1e-3) and fit.params["k"] == pytest.approx(0.3, rel=1e-4)
    assert seconds <= 2.0, seconds          # measured 0.26 s idle, 1.2-1.7 s at load 10 on 2 cores


def test_a_hard_50k_row_fit_stops_at_its_budget_and_says_so():
    x, y = _sinusoid(50_000)
    start = {"A": 1.0, "w": 1.0, "p": 0.0}
    fit, seconds = _timed(fit_model, "A*sin(w*x + p)", x, y, start, time_budget=1.0)
    assert seconds <= 2.0, seconds          # 78 s without a budget (13 starts)
    assert not fit.success
    # the budget runs out in the first solve ("not a converged fit") or, on a fast machine, during
    # the restarts the poor first fit asks for ("a better fit may exist"): either way it is said
    assert "time budget (1 s) ran out" in fit.message
    assert "not a converged fit" in fit.message or "starts, so a better fit may exist" in fit.message
    # the values reported are the best point evaluated: no worse than the start
    chi2_start = float(np.sum((y - np.sin(x)) ** 2))
    assert np.isfinite(fit.chi2) and fit.chi2 <= chi2_start
    assert fit.nfev >= 1


def test_restarts_cut_short_by_the_budget_are_not_called_a_success():
    x, y = _sinusoid(3000)
    fit = fit_model("A*sin(w*x + p)", x, y, {"A": 1.0, "w": 1.0, "p": 0.0}, restarts=200, time_budget=0.3)
    assert not fit.success and "ran out after" in fit.message and "of 201 starts" in fit.message


def test_no_budget_and_small_fits_are_unchanged():
    x = np.linspace(0, 1, 50)
    y = 3 * x + 1
    a = fit_model("m*x + c", x, y, {"m": 1.0, "c": 0.0})
    b = fit_model("m*x + c", x, y, {"m": 1.0, "c": 0.0}, time_budget=None)
    assert a.success and b.success and a.params == pytest.approx(b.params)
    assert a.params["m"] == pytest.approx(3) and a.params["c"] == pytest.approx(1)


# ---------------------------------------------------------------------------------------------
# Downloads never run as spreadsheet formulas (OWASP CSV injection), numbers stay numbers
def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_text_cells_are_neutralised_and_negative_numbers_stay_numbers():
    import pandas as pd
    df = pd.DataFrame({"=HYPERLINK(\"http://x\")": ["=1+2", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\r=1", " =1", "plain"],
                       "value": [-1.5, 2.0, -0.0, 1e-300, -3.0, 4.0, 5.0, -6.25]})
    rows = _cells(safe_csv(df))
    assert rows[0][0].startswith("'=")
    texts = [r[0] for r in rows[1:]]
    assert texts[:7] == ["'=1+2", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "'\r=1", "' =1"]
    assert texts[7] == "plain"
    values = [r[1] for r in rows[1:]]
    assert float(values[0]) == -1.5 and values[0] == "-1.5", "a negative number is not a formula"
    assert all(not v.startswith("'") for v in values)


def test_parameters_csv_neutralises_model_and_file_names():
    x = np.linspace(0, 1, 20)
    fit = fit_model("-A*x + c", x, -2 * x + 1, {"A": 1.0, "c": 0.0})
    rows = _cells(parameters_csv(fit, model_name="Typed", model_text="-A*x + c", source="=cmd.csv",
                                 xlabel="@x", ylabel="+y"))
    flat = {r[0]: r[1] for r in rows if len(r) >= 2}
    assert flat["f(x)"] == "'-A*x + c" and flat["data"] == "'=cmd.csv"
    assert flat["x column"] == "'@x" and flat["y column"] == "'+y"
    assert float(flat["A"]) == pytest.approx(2) and not flat["A"].startswith("'")


# ---------------------------------------------------------------------------------------------
# Lesson files
LESSON = 'title = "T"\nmodule = "taylor"\n\n[[steps]]\npage = "taylor"\ncaption = "c"\n'


@pytest.mark.parametrize("text", ["a = " + "[" * 500 + "]" * 500, "a = " + "[" * 500,
                                  "a = " + "{b = " * 500 + "1" + "}" * 500])
def test_deeply_nested_lesson_files_get_a_clear_message(text):
    with pytest.raises(L.LessonError, match="nested too deeply"):
        L.loads(text)


def test_a_bom_is_accepted(tmp_path):
    assert L.loads("\ufeff" + LESSON).title == "T"
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + LESSON.encode())
    assert L.load(path).title == "T"


def test_bad_lesson_files_are_skipped_with_their_problem(tmp_path):
    (tmp_path / "good.toml").write_text(LESSON, encoding="utf-8")
    (tmp_path / "deep.toml").write_text("a = " + "[" * 500, encoding="utf-8")
    (tmp_path / "latin.toml").write_bytes(b'title = "\xe9"\n')
    (tmp_path / "huge.toml").write_text("# " + "x" * (L.MAX_FILE_CHARS + 10), encoding="utf-8")
    problems: dict[str, str] = {}
    assert list(L.load_all(tmp_path, problems)) == ["good"]
    assert "nested too deeply" in problems["deep.toml"]
    assert "not UTF-8" in problems["latin.toml"]
    assert "too long" in problems["huge.toml"]
    assert list(L.load_all(tmp_path)) == ["good"], "without a problems dict: skipped quietly, as before"


def test_a_budget_stop_without_a_symbolic_jacobian_still_reports_errors():
    from explorer.regression.models import _compiled_model
    model = "A*abs(sin(w*x)) + c*sign(x - 5)"
    assert _compiled_model(model, ("A", "w", "c")).raw_jac is None, "the finite-difference path"
    rng = np.random.default_rng(0)
    x = rng.uniform(0.1, 10, 50_000)
    y = 2 * np.abs(np.sin(7.3 * x)) + rng.normal(0, 0.1, x.size)
    fit, seconds = _timed(fit_model, model, x, y, {"A": 1.0, "w": 1.0, "c": 0.0}, time_budget=0.3)
    assert seconds <= 2.0 and not fit.success and "time budget" in fit.message
    assert all(np.isfinite(v) and v > 0 for v in fit.stderr.values()), fit.stderr
