"""A fit report to keep: the data, the model, the parameters ± standard errors (shown to the digits
their uncertainty supports), the bands' level, the statistics and the chart, as Markdown or HTML.

The report is built once as a list of blocks (heading, paragraph, table, image) and written out by
``markdown`` or ``html``; every piece of text that came from the user (file and column names, a
typed model) is escaped for the format it lands in.
"""
from __future__ import annotations

import base64
import html
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from explorer.numbers import nice_text, superscript
from explorer.regression.comparison import ModelComparison, compare_models
from explorer.regression.fit_result import ModelFit

LEVELS = {"68 %": 0.6827, "95 %": 0.95, "99 %": 0.99}    # 68 %: one standard error either side


def plus_minus(value: float, error: float, sig: int = 2) -> str:
    """``value ± error`` with the error to ``sig`` significant figures and the value to the same
    decimal place (the digits the uncertainty supports): 1.23456 ± 0.01234 → "1.235 ± 0.012";
    a common power of ten for very large or small values: "(1.235 ± 0.012)×10⁻⁷"."""
    if value is None or not math.isfinite(value):
        return nice_text(value)
    if error is None or not math.isfinite(error) or error <= 0:
        return f"{nice_text(value, 6)} ± undefined"
    place = math.floor(math.log10(error)) - (sig - 1)          # the last digit kept: 10**place
    if round(error / 10.0 ** place) >= 10 ** sig:               # 0.0996 → 0.10, not 0.100
        place += 1
    top = max(abs(value), error)
    exp = math.floor(math.log10(top))
    if -4 < exp < 6:                                            # plain decimals
        decimals = max(0, -place)
        v, e = _rounded(value, place), _rounded(error, place)
        return f"{v:.{decimals}f} ± {e:.{decimals}f}"
    decimals = max(0, exp - place)                              # a common factor 10^exp
    v, e = _rounded(value, place) / 10.0 ** exp, _rounded(error, place) / 10.0 ** exp
    return f"({v:.{decimals}f} ± {e:.{decimals}f})×10{superscript(exp)}"


def _rounded(v: float, place: int) -> float:
    """``v`` rounded to a multiple of 10**place (exact powers: dividing by 10**-k, not 10**k)."""
    return round(v / 10.0 ** place) * 10.0 ** place if place >= 0 else round(v * 10.0 ** -place) / 10.0 ** -place


def parameter_rows(fit: ModelFit) -> list[dict[str, str]]:
    """One row a parameter: its name, value ± standard error, and a note (fixed, on a bound, bounds)."""
    rows = []
    for k in fit.names:
        v, e = fit.params[k], fit.stderr.get(k, math.nan)
        if k in fit.fixed:
            rows.append({"parameter": k, "value ± standard error": nice_text(v, 6), "note": "held fixed"})
            continue
        lo, hi = fit.bounds.get(k, (-math.inf, math.inf))
        notes = []
        if math.isfinite(lo) or math.isfinite(hi):
            notes.append(f"bounds [{nice_text(lo, 6)}, {nice_text(hi, 6)}]")
        if k in fit.at_bound:
            notes.append("ended on a bound")
        rows.append({"parameter": k, "value ± standard error": plus_minus(v, e), "note": "; ".join(notes)})
    return rows


def statistics(fit: ModelFit) -> dict[str, str]:
    """The goodness-of-fit numbers by name, as text (R² with its caveat where it can mislead)."""
    k = len(fit.free)
    out = {"χ²": nice_text(fit.chi2, 6), "degrees of freedom (n − k)": f"{fit.dof} = {fit.n} − {k}",
           "reduced χ² (χ²/dof)": nice_text(fit.reduced_chi2, 4), "RMSE": nice_text(fit.rmse, 4),
           "AIC": nice_text(fit.aic, 6), "AICc": nice_text(fit.aicc, 6), "BIC": nice_text(fit.bic, 6)}
    r2 = nice_text(fit.r2, 4)
    out["R²"] = r2 if fit.r2_meaningful else f"{r2} (the model is not linear in its parameters: R² can mislead)"
    return out


def statistics_note(fit: ModelFit) -> str:
    """How the statistics are defined (lmfit's), in one sentence."""
    return ("AIC = n ln(χ²/n) + 2k, AICc = AIC + 2k(k+1)/(n − k − 1), BIC = n ln(χ²/n) + k ln n, with k the "
            f"free parameters (k = {len(fit.free)}); RMSE = √(Σ(yᵢ − f(xᵢ))²/n) in y's units.")


def data_summary(x, y, s=None, name: str = "", xlabel: str = "x", ylabel: str = "y", dropped: int = 0) -> dict[str, str]:
    """The data in a few lines: source, columns, points used, ranges, σ."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y)
    if s is not None:                  # a point without a usable σ is left out of the fit too
        with np.errstate(invalid="ignore"):
            ok &= np.isfinite(np.asarray(s, float)) & (np.asarray(s, float) > 0)
    out = {"source": name or "generated points", "x column": xlabel, "y column": ylabel,
           "points used": f"{int(ok.sum()):,}" + (f" ({dropped} left out: missing or not finite"
                                                   + (" or σ not positive)" if s is not None else ")") if dropped else "")}
    if ok.any():
        out["x range"] = f"{nice_text(x[ok].min(), 6)} to {nice_text(x[ok].max(), 6)}"
        out["y range"] = f"{nice_text(y[ok].min(), 6)} to {nice_text(y[ok].max(), 6)}"
    out["σ"] = "given for each point (weighted fit)" if s is not None else "not given (every σ = 1)"
    return out


def compare_pair(first: ModelFit, second: ModelFit, names: tuple[str, str] = ("", "")) -> tuple[ModelComparison, bool]:
    """``compare_models`` with the fit of fewer free parameters as the simpler one; also whether
    ``first`` is the simpler. ``names`` (the built-in models' names, if they are) settle one nesting
    that parameter names cannot show: a straight line (m x + c) is a polynomial of degree ≥ 1 with
    its higher coefficients 0."""
    first_simpler = len(first.free) <= len(second.free)
    simpler, richer = (first, second) if first_simpler else (second, first)
    s_name, r_name = names if first_simpler else names[::-1]
    nested = None
    if s_name == "Straight line" and r_name == "Polynomial" and not simpler.fixed and not richer.fixed \
            and len(richer.free) > len(simpler.free):
        nested = True
    return compare_models(simpler, richer, nested=nested), first_simpler


LIMIT_COLUMNS = ("parameter", "start", "lower", "upper", "fixed")


def limits_table(p0: dict[str, float]) -> pd.DataFrame:
    """The editable parameter table the page shows: start values, open bounds, nothing fixed."""
    return pd.DataFrame({"parameter": list(p0), "start": [float(v) for v in p0.values()],
                         "lower": [None] * len(p0), "upper": [None] * len(p0), "fixed": [False] * len(p0)},
                        columns=list(LIMIT_COLUMNS)).astype({"lower": float, "upper": float})


def read_limits(table: pd.DataFrame, p0: dict[str, float]) -> tuple[dict, tuple, tuple]:
    """(start values, bounds, fixed names) from the edited parameter table, as hashable tuples for
    a cache: bounds = ((name, lo, hi), ...) with ±inf for an empty side; an empty or non-finite
    start keeps ``p0``'s value."""
    start, bounds, fixed = dict(p0), [], []
    for row in table.itertuples(index=False):
        name = str(row.parameter)
        if name not in p0:
            continue
        v = _number(row.start)
        if v is not None and math.isfinite(v):
            start[name] = v
        lo, hi = _number(row.lower), _number(row.upper)
        lo = -math.inf if lo is None or math.isnan(lo) else lo
        hi = math.inf if hi is None or math.isnan(hi) else hi
        if math.isfinite(lo) or math.isfinite(hi):
            bounds.append((name, lo, hi))
        if bool(row.fixed) and row.fixed == row.fixed:
            fixed.append(name)
    return start, tuple(bounds), tuple(fixed)


def _number(v) -> float | None:
    try:
        return None if v is None else float(v)
    except (TypeError, ValueError):
        return None


def comparison_summary(comparison: ModelComparison, first: tuple[str, ModelFit], second: tuple[str, ModelFit],
                       first_simpler: bool) -> dict[str, str]:
    """The comparison's numbers by name, as text, with each model named in its role."""
    (simple_name, simple_fit), (rich_name, rich_fit) = (first, second) if first_simpler else (second, first)
    k_s, k_r = len(simple_fit.free), len(rich_fit.free)
    out = {"simpler": f"{simple_name} ({k_s} free parameters)", "richer": f"{rich_name} ({k_r} free parameters)"}
    if k_s == k_r:
        out["simpler"] += " — as many as the other: 'simpler' is only the first"
    out["ΔAICc = AICc(richer) − AICc(simpler)"] = nice_text(comparison.delta_aicc, 4)
    if comparison.nested and math.isfinite(comparison.f_test_p):
        out["F test"] = (f"F = {nice_text(comparison.f_statistic, 4)} on ({comparison.dfn}, {comparison.dfd}) "
                         f"degrees of freedom, p = {nice_text(comparison.f_test_p, 3)}")
    else:
        out["F test"] = "does not apply (the models are not nested)" if not comparison.nested else "undefined"
    return out


@dataclass
class Report:
    """The report as blocks: ("h", text), ("p", text), ("table", header, rows), ("image", png, alt)."""
    title: str
    blocks: list = field(default_factory=list)

    def markdown(self) -> str:
        out = [f"# {_md(self.title)}", ""]
        for kind, *rest in self.blocks:
            if kind == "h":
                out += [f"## {_md(rest[0])}", ""]
            elif kind == "p":
                out += [_md(rest[0]), ""]
            elif kind == "table":
                header, rows = rest
                out += ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + " --- |" * len(header)]
                out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows] + [""]
            elif kind == "image":
                png, alt = rest
                out += [f"![{_md(alt)}](data:image/png;base64,{base64.b64encode(png).decode()})", ""]
        return "\n".join(out)

    def html(self) -> str:
        esc = html.escape
        body = [f"<h1>{esc(self.title)}</h1>"]
        for kind, *rest in self.blocks:
            if kind == "h":
                body.append(f"<h2>{esc(rest[0])}</h2>")
            elif kind == "p":
                body.append(f"<p>{esc(rest[0])}</p>")
            elif kind == "table":
                header, rows = rest
                body.append("<table><thead><tr>" + "".join(f"<th scope=\"col\">{esc(h)}</th>" for h in header)
                            + "</tr></thead><tbody>"
                            + "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
                            + "</tbody></table>")
            elif kind == "image":
                png, alt = rest
                body.append(f'<img alt="{esc(alt, quote=True)}" style="max-width:100%" '
                            f'src="data:image/png;base64,{base64.b64encode(png).decode()}">')
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<title>{esc(self.title)}</title><style>{_CSS}</style></head><body>\n"
                + "\n".join(body) + "\n</body></html>\n")


_CSS = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111;"
        "background:#fff}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #888;"
        "padding:.25rem .6rem;text-align:left}th{background:#eee}code{background:#f3f3f3}")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def _md(text: str) -> str:
    """Plain text for Markdown: its special characters escaped (no markup, no HTML, no links)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def _cell(text: str) -> str:
    return _md(text)


def fit_report(fit: ModelFit, *, model_name: str, model_text: str, data: dict[str, str], level: float,
               image_png: bytes | None = None, image_note: str = "",
               second: tuple[str, str, ModelFit] | None = None) -> Report:
    """The report of ``fit`` (``data`` from ``data_summary``; ``level`` the bands' level;
    ``second`` = (name, model text, fit) of a compared model)."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    r = Report(f"Fit report: {model_name}")
    r.blocks.append(("p", f"Made by Calculus Explorer (Regression page), {stamp}."))
    r.blocks.append(("h", "Data"))
    r.blocks.append(("table", ["", "value"], list(data.items())))
    r.blocks.append(("h", "Model"))
    r.blocks.append(("p", f"f(x) = {model_text}   ({model_name}; every name other than x is a parameter)"))
    r.blocks.append(("p", fit.message))
    r.blocks.append(("h", "Parameters"))
    rows = parameter_rows(fit)
    r.blocks.append(("table", ["parameter", "value ± standard error", "note"], [list(row.values()) for row in rows]))
    r.blocks.append(("p", "Each value is shown to the digits its standard error supports (the error to two "
                          "significant figures). " + fit.describe_uncertainty()))
    r.blocks.append(("h", "Statistics"))
    r.blocks.append(("table", ["statistic", "value"], list(statistics(fit).items())))
    r.blocks.append(("p", statistics_note(fit)))
    r.blocks.append(("h", "Bands"))
    r.blocks.append(("p", f"The chart shows the {level * 100:g} % confidence band (where the true curve lies; "
                          f"dashed) and the {level * 100:g} % prediction band (where a new point lies; dotted), "
                          "by the delta method with Student's t at n − k degrees of freedom."))
    if second is not None:
        name2, text2, fit2 = second
        comparison, first_simpler = compare_pair(fit, fit2, (model_name, name2))
        r.blocks.append(("h", "Compared with a second model"))
        r.blocks.append(("p", f"Second model: f(x) = {text2} ({name2}), fitted without bounds or fixed parameters."))
        r.blocks.append(("table", ["", model_name, name2],
                         [[k, statistics(fit)[k], statistics(fit2)[k]] for k in ("χ²", "reduced χ² (χ²/dof)", "AICc")]))
        summary = comparison_summary(comparison, (model_name, fit), (name2, fit2), first_simpler)
        r.blocks.append(("table", ["", "value"], list(summary.items())))
        r.blocks.append(("p", comparison.sentence))
    r.blocks.append(("h", "Chart"))
    if image_png:
        r.blocks.append(("image", image_png, f"Data, fitted curve and {level * 100:g} % bands"))
    else:
        r.blocks.append(("p", "The chart could not be included" + (f": {image_note}." if image_note else ".")))
    return r
