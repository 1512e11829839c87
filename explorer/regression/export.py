"""Downloads: the fitted parameters, the residuals and the bands as CSV that a spreadsheet never
runs as formulas, and a chart as a PNG or SVG image (plotly's own export: kaleido driving a
headless Chromium)."""
from __future__ import annotations

import csv
import io
import os
import shutil
import threading
import warnings
from typing import Mapping

import numpy as np
import pandas as pd

from explorer.regression.data import clean_xy
from explorer.regression.fitting import ModelFit
from explorer.regression.models import model_values


_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")
# OWASP's CSV-injection list, plus the full-width forms some spreadsheets read as the same signs
_DANGEROUS += ("\uff1d", "\uff0b", "\uff0d", "\uff20")


def _escape_cell(v) -> str:
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        return repr(float(v))    # a number is data, never a formula: -1.5 stays a number
    text = "" if v is None else str(v)
    # leading blanks do not disarm a formula in every spreadsheet: look past them
    return "'" + text if text.lstrip(" ").startswith(_DANGEROUS) else text


def safe_csv(df: pd.DataFrame) -> str:
    """CSV text with every text cell (and header) that begins with =, +, -, @ (or tab/CR) prefixed
    by an apostrophe, so a spreadsheet never runs it as a formula (CSV injection). Numbers are
    written as numbers (a negative residual stays a number)."""
    out = io.StringIO()
    wr = csv.writer(out, lineterminator="\r\n")    # RFC 4180; and a cell holding \r or \n is quoted
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


def parameters_csv(fit: ModelFit, *, model_name: str, model_text: str, source: str = "",
                   xlabel: str = "x", ylabel: str = "y", sigma: str = "") -> str:
    """The fitted parameters as a CSV to keep, in three sections a spreadsheet shows one under the
    other: what was fitted (model, formula, data file, columns, N, degrees of freedom), the
    parameters (value, standard error; a fixed one says so instead of an error) and the statistics
    (χ², reduced χ²: a value each, no error column). Every text cell goes through the CSV-injection
    guard (a typed model "-A*x" or a file "=cmd.csv" is never a formula); no cell says "nan"."""
    num = lambda v: float(v) if v is not None and np.isfinite(v) else "undefined"
    rows = [["fit", "Calculus Explorer, Regression page"], ["model", model_name], ["f(x)", model_text],
            ["data", source or "generated points"], ["x column", xlabel], ["y column", ylabel],
            ["sigma column", sigma or "none (every sigma = 1)"],
            ["N (points used)", str(int(fit.n))], ["free parameters", str(len(fit.free))],
            ["degrees of freedom (N - free parameters)", str(int(fit.dof))], [],
            ["parameter", "value", "standard error", "note"]]
    for k in fit.names:
        fixed = k in fit.fixed
        rows.append([k, num(fit.params[k]), "" if fixed else num(fit.stderr.get(k)),
                     "held fixed at its start value" if fixed else ("ended on a bound" if k in fit.at_bound else "")])
    rows += [[], ["statistic", "value"], ["chi2", num(fit.chi2)], ["reduced chi2 (chi2 / dof)", num(fit.reduced_chi2)]]
    out = io.StringIO()
    wr = csv.writer(out, lineterminator="\r\n")
    wr.writerows([_escape_cell(c) for c in row] for row in rows)
    return out.getvalue()


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


def band_table(model: str, fit: ModelFit, xs, level: float = 0.95) -> pd.DataFrame:
    """x, the fitted curve and its confidence and prediction bands at ``level`` (a CSV download)."""
    xs = np.asarray(xs, float)
    out = {"x": xs, "fitted": model_values(model, fit.names, [fit.params[k] for k in fit.names], xs)}
    for kind in ("confidence", "prediction"):
        lo, hi = fit.band(xs, level=level, kind=kind)
        out[f"{kind} lower ({level * 100:g} %)"] = lo
        out[f"{kind} upper ({level * 100:g} %)"] = hi
    return pd.DataFrame(out)


# Chart images. kaleido (>= 1.0) drives a headless Chrome or Chromium through choreographer; here it
# is Debian's /usr/bin/chromium (BROWSER_PATH points kaleido at it when set). Starting a browser for
# each image costs ~5 s, so the first image starts kaleido's one server (a browser kept open: ~4 s
# for the first image, ~0.2 s each after that); one lock serialises the calls (the server has one
# queue). A server whose browser failed to start is stopped and each image then starts a browser of
# its own; a browser that stops answering ends image export (a message says so).
IMAGE_TIMEOUT = 60.0
_image_lock = threading.Lock()
_image_state = {"server": False, "broken": False, "hung": False, "last_error": None}


def _browser_path() -> str | None:
    given = os.environ.get("BROWSER_PATH")
    if given:
        return given if os.path.isfile(given) and os.access(given, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _server_alive() -> bool:
    """Is kaleido's server thread still running? (It ends, leaving every call waiting, when its
    browser fails to start.)"""
    try:
        from kaleido._sync_server import GlobalKaleidoServer
        thread = getattr(GlobalKaleidoServer(), "_thread", None)
        return thread is None or thread.is_alive()
    except Exception:      # noqa: BLE001 - kaleido's internals moved: assume alive, the timeout still guards
        return True


def image_export_problem() -> str | None:
    """Why charts cannot be exported as images here (None: they can, as far as we know)."""
    return _setup_problem() or _image_state["last_error"]


def _setup_problem() -> str | None:
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return "the image exporter (kaleido) is not installed on this server"
    if _browser_path() is None:
        return ("no Chrome or Chromium browser was found on this server for the image exporter"
                + (f" (BROWSER_PATH={os.environ['BROWSER_PATH']!r})" if os.environ.get("BROWSER_PATH") else ""))
    return None


def printable(fig) -> dict:
    """``fig`` as a plain figure for an image file: white background, visible grid lines (the
    page's charts take their look from the browser's theme, which a file does not have)."""
    spec = fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else dict(fig)
    layout = dict(spec.get("layout", {}))
    layout["template"] = "plotly_white"
    for axis in ("xaxis", "yaxis"):
        a = dict(layout.get(axis, {}))
        if a.get("gridcolor") == "#000039":
            a["gridcolor"] = "#d9d9d9"
        layout[axis] = a
    layout.setdefault("width", 900)
    layout.setdefault("height", 500)
    return {"data": spec.get("data", []), "layout": layout}


def _oneshot(pio, spec, fmt, scale) -> bytes:
    out = pio.to_image(spec, format=fmt, scale=scale, validate=False)
    _image_state["last_error"] = None
    return out


def chart_image(fig, fmt: str = "png", scale: float = 2.0) -> bytes | None:
    """The chart as PNG or SVG bytes through plotly's ``to_image`` (kaleido), or None when no
    exporter or browser is available (``image_export_problem()`` then says why)."""
    import plotly.io as pio
    if fmt not in ("png", "svg") or _setup_problem() or _image_state["hung"]:
        return None
    if not os.environ.get("BROWSER_PATH"):
        os.environ["BROWSER_PATH"] = _browser_path()
    spec = printable(fig)
    if not _image_lock.acquire(timeout=IMAGE_TIMEOUT):
        return None
    try:
        import kaleido
        if _image_state["broken"]:              # a browser of its own for this image (~5 s)
            return _oneshot(pio, spec, fmt, scale)
        if not _image_state["server"]:
            kaleido.start_sync_server(silence_warnings=True)
            _image_state["server"] = True
        result: dict = {}

        def work():
            try:
                with warnings.catch_warnings():        # "kopts is ignored if using a server"
                    warnings.simplefilter("ignore")
                    result["out"] = pio.to_image(spec, format=fmt, scale=scale, validate=False)
            except Exception as err:      # noqa: BLE001 - reported through result
                result["err"] = err
        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        waited = 0.0
        while worker.is_alive() and waited < IMAGE_TIMEOUT and _server_alive():
            worker.join(0.05)
            waited += 0.05
        if worker.is_alive():
            _image_state["broken"] = True
            if not _server_alive():        # its browser never started: stop it, one browser an image
                kaleido.stop_sync_server(silence_warnings=True)
                _image_state["server"] = False
                return _oneshot(pio, spec, fmt, scale)
            _image_state["hung"] = True    # a browser that stopped answering: no more images
            _image_state["last_error"] = "the image exporter did not answer in time"
            return None
        if "err" in result:
            raise result["err"]
        _image_state["last_error"] = None
        return result["out"]
    except Exception as err:      # noqa: BLE001 - any exporter failure: no image, and why
        _image_state["last_error"] = f"the image exporter failed ({type(err).__name__})"
        return None
    finally:
        _image_lock.release()
