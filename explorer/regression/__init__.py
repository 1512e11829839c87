"""Regression: reading a learner's CSV, χ², the straight line in closed form, gradient descent and
robust nonlinear least squares. Pure computation (no streamlit); every result is a plain value or
a small dataclass a chart and a test can both read.

One concept per module:

- ``data``: ``DataError``, cleaning (x, y, σ), the generated line, subsamples, histograms;
- ``decoding`` + ``reading``: ``read_table`` (bytes → text → a table of numeric columns);
- ``datasets``: samples, uploads, the chosen columns (and the σ-column guess), table summaries;
- ``line``: the straight line in closed form and its χ² landscape; ``line_descent``: descent on it;
- ``models``: typed and built-in models, their parameters and start values, the compiled model;
  ``fitting``: ``fit_model``; ``fit_result``: ``ModelFit``; ``uncertainty``: covariance,
  information criteria, bands; ``comparison``: ``compare_models``; ``descent``: resumable
  steepest descent on any model, and its χ² grid;
- ``export``: CSV downloads; ``ranges``: slider ranges and contour windows.

Public contract (other code relies on it):

- ``fit_model(model, x, y, p0, sigma=None, *, bounds=None, fixed=None) -> ModelFit`` with
  ``params``/``stderr`` (dicts by parameter name), ``chi2``, ``reduced_chi2``, ``success``,
  ``message``, ``dof`` (n − free parameters), ``aic``/``aicc``/``bic`` (lmfit's definitions),
  ``rmse``, ``r2`` (with ``r2_meaningful``), ``covariance`` and ``correlation`` (DataFrames over
  the free parameters, in ``p0`` order; ``covariance_scaled`` says scaled by reduced χ² or
  absolute), ``band(x, level, kind)`` and ``describe_uncertainty()``.  ``model`` is user text,
  parsed by the project's safe parser with variables ``("x",) + tuple(p0)``.  ``bounds`` maps a
  name to ``(lo, hi)``; ``fixed`` names parameters held at their ``p0`` value (stderr NaN).
- ``compare_models(simpler, richer) -> ModelComparison`` with ``delta_aicc``, ``f_test_p``,
  ``nested`` and ``sentence``.
- ``read_table(source) -> pandas.DataFrame`` of the numeric columns, or ``DataError`` saying what
  is wrong with the file.  ``df.attrs["dropped_rows"]`` counts rows dropped for missing or
  non-numeric values.
"""
from explorer.regression.data import DataError, generate_line_data, histogram, subsample
from explorer.regression.datasets import (SAMPLES, Dataset, Upload, accept_upload, describe_rows,
                                          describe_upload, generated, guess_sigma_column,
                                          sample_table, suggested_model, table_data)
from explorer.regression.decoding import MAX_BYTES
from explorer.regression.descent import Descent, DescentRun, chi2_grid, steepest_descent
from explorer.regression.export import descent_table, fit_table, residual_table, safe_csv
from explorer.regression.comparison import ModelComparison, compare_models
from explorer.regression.fitting import ModelFit, fit_model, fit_statistics
from explorer.regression.line import LineFit, chi2_line, chi2_line_grid, line_fit, line_summary
from explorer.regression.line_descent import LineDescent, describe_line_descent, line_descent
from explorer.regression.models import (BUILTIN_MODELS, DEFAULT_TYPED, MAX_PARAMETERS, MODEL_NOTES,
                                        _compiled_model, builtin_model, builtin_start, check_model, guess_start,
                                        linear_in_parameters, model_latex, model_parameters,
                                        model_values)
from explorer.regression.ranges import contour_windows, line_ranges, param_window
from explorer.regression.reading import MAX_COLUMNS, MIN_ROWS, read_table

__all__ = [
    "DataError", "read_table", "MAX_BYTES", "MAX_COLUMNS", "MIN_ROWS",
    "SAMPLES", "Dataset", "Upload", "accept_upload", "describe_rows", "describe_upload", "generated",
    "guess_sigma_column", "sample_table", "suggested_model", "table_data",
    "LineFit", "line_fit", "chi2_line", "chi2_line_grid", "LineDescent", "line_descent", "describe_line_descent",
    "ModelFit", "fit_model", "fit_statistics", "ModelComparison", "compare_models", "MODEL_NOTES", "Descent", "steepest_descent", "DescentRun", "chi2_grid",
    "linear_in_parameters", "model_parameters", "check_model", "builtin_start", "model_latex",
    "BUILTIN_MODELS", "DEFAULT_TYPED", "MAX_PARAMETERS", "builtin_model", "guess_start",
    "model_values", "_compiled_model",
    "safe_csv", "fit_table", "residual_table", "descent_table", "line_summary", "line_ranges", "param_window", "contour_windows",
    "subsample", "histogram", "generate_line_data",
]
