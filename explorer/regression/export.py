"""Downloads: the fitted parameters and the residuals as CSV that a spreadsheet never runs as
formulas."""
from __future__ import annotations

import csv
import io
from typing import Mapping

import numpy as np
import pandas as pd

from explorer.regression.data import clean_xy
from explorer.regression.fitting import ModelFit
from explorer.regression.models import model_values


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



def fit_table(fit: ModelFit) -> pd.DataFrame:
    """Parameters, standard errors and the fit statistics as a small table (for display and CSV)."""
    rows = [{"parameter": k, "value": fit.params[k], "standard error": fit.stderr[k]} for k in fit.names]
    rows += [{"parameter": "chi2", "value": fit.chi2, "standard error": float("nan")},
             {"parameter": "reduced chi2", "value": fit.reduced_chi2, "standard error": float("nan")}]
    return pd.DataFrame(rows)


def descent_table(start: Mapping[str, float], end) -> pd.DataFrame:
    """Each parameter's start value and its value after a descent (``end`` in ``start``'s order)."""
    return pd.DataFrame({"parameter": list(start), "start": list(start.values()), "after descent": end})


def residual_table(model: str, fit: ModelFit, x, y, sigma=None) -> pd.DataFrame:
    """x, y, fitted value, residual (and σ, residual/σ) for every usable row."""
    x, y, s, _ = clean_xy(x, y, sigma)
    fitted = model_values(model, fit.names, [fit.params[k] for k in fit.names], x)
    out = {"x": x, "y": y, "fitted": fitted, "residual": y - fitted}
    if s is not None:
        out["sigma"] = s
        out["residual/sigma"] = (y - fitted) / s
    return pd.DataFrame(out)
