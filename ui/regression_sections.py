"""Sections of the Regression page: the data's controls (choose, generate or upload), and the
nonlinear tab's (issue 21): the fit's diagnostics, a second model compared with it, and the
downloads (report, tables, chart images). Widgets and charts only:
every number and sentence comes from ``explorer.regression`` (``report``, ``export``) and every
figure from ``explorer.figures.regression``."""
from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from explorer import regression as rg
from explorer.figures import regression as rf
from explorer.regression import export as ex
from explorer.regression import report as rp
from explorer.regression.datasets import inert
from ui.layout import chart_live, notice, presenting, results_table, row
from ui.widgets import number, select, slider

LEVELS = rp.LEVELS

GENERATED, UPLOAD = "Generated points", "Upload a CSV"
SOURCES = [GENERATED, *rg.SAMPLES, UPLOAD]
NONE = "(none: all σ = 1)"

load_sample = st.cache_data(max_entries=8, show_spinner=False)(rg.sample_table)
generated = st.cache_data(max_entries=32, show_spinner=False)(rg.generated)
read_upload = st.cache_data(max_entries=8, ttl=3600, show_spinner=False)(rg.read_table)


# The data
def data_section() -> rg.Dataset:
    """The data's controls; folded in presenter mode, so the chart starts on a 1024×768 first screen."""
    if presenting():
        with st.expander("The data: choose, generate or upload it", key="data_box"):
            return data_controls()
    st.header("The data")
    return data_controls()


def data_controls() -> rg.Dataset:
    source = select("Data", SOURCES, 0, key="data", widget=st.radio, horizontal=True)
    if st.session_state.get("_reg_source", source) != source:
        st.session_state.pop("model", None)       # a new data set starts from its suggested model
    st.session_state["_reg_source"] = source

    if source == GENERATED:
        with row():
            n = slider("N points", 5, 500, 30, 1, key="n")
            noise = slider("noise σ", 0.1, 5.0, 1.0, 0.1, key="noise")
            true_m = slider("true slope", -3.0, 3.0, 1.5, 0.1, key="tm")
            true_c = slider("true intercept", -5.0, 5.0, 2.0, 0.1, key="tc")
            seed = int(number("seed", 1, key="seed", min_value=0, max_value=99999, step=1))
        data = generated(int(n), float(noise), float(true_m), float(true_c), seed)
        st.caption(f"{len(data.x)} points yᵢ = {true_m:g}·xᵢ + {true_c:g} + noise, noise drawn from a normal "
                   f"distribution with σ = {noise:g} (each point's σᵢ = {noise:g}). Change the seed for new noise.")
        return data
    if source in rg.SAMPLES:
        table, name, digest = load_sample(rg.SAMPLES[source]), rg.SAMPLES[source], ""
    else:
        up = st.file_uploader(f"Upload a CSV (comma, semicolon or tab separated; decimal point or comma; "
                              f"with or without a header) — limit {rg.MAX_BYTES // 2 ** 20} MB",
                              type=["csv", "tsv", "txt"], key="upload")
        if up is not None:
            loaded, error = rg.accept_upload(up.name, up.getvalue(), st.session_state.get("_reg_table"),
                                             read=read_upload)
            st.session_state["_reg_table"] = loaded
            if error:
                st.error(f"{inert(up.name)} **cannot be used:** {error}", icon="⚠️")
                if loaded:
                    st.info(f"Still using the data loaded before: {inert(loaded.name)}.")
        loaded = st.session_state.get("_reg_table")
        if loaded is None:
            st.info("No file loaded yet — showing the spring sample until you upload one.")
            table, name, digest = load_sample("spring_line.csv"), "spring_line.csv", ""
        else:
            table, name, digest = loaded.table, loaded.name, loaded.digest
            st.caption(rg.describe_upload(loaded))

    cols = list(table.columns)
    tag = hashlib.sha1(("|".join(cols) + name).encode()).hexdigest()[:6]   # new columns: new selectboxes
    scol_opts = [NONE, *cols]
    with row():
        xcol = st.selectbox("x column", cols, index=0, key=f"xcol_{tag}")
        ycol = st.selectbox("y column", cols, index=1, key=f"ycol_{tag}")
        scol = st.selectbox("σ column (optional)", scol_opts, key=f"scol_{tag}",
                            index=scol_opts.index(rg.guess_sigma_column(cols) or NONE))
    data = rg.table_data(table, xcol, ycol, None if scol == NONE else scol, name, digest)
    st.info(rg.describe_rows(table), icon="🧮")
    if data.s is not None and not np.all(data.s > 0):
        st.warning("Some σ values are zero or negative: those points are left out of the fits.")
    if len(data.x) > rf.MAX_POINTS:
        st.caption(f"Charts show a random sample of {rf.MAX_POINTS:,} of the {len(data.x):,} points; "
                   "every fit uses all of them.")
    return data


def parameter_table(model: str, p0: dict, typed: bool):
    """The editable parameter table: start values (the automatic ones editable; a typed model's come
    from its start fields), lower and upper bounds and a *fixed* tick. (start, bounds, fixed)."""
    st.caption("Parameters: " + ("start values from the start fields above" if typed else
                                 "automatic start values from the shape of the data, yours to change")
               + "; give a parameter a lower and/or upper bound, or tick *fixed* to hold it at its start value.")
    edited = st.data_editor(rp.limits_table(p0), key="limits_" + hashlib.sha1(model.encode()).hexdigest()[:8],
                            hide_index=True, disabled=["parameter", "start"] if typed else ["parameter"],
                            column_config={"start": st.column_config.NumberColumn(format="%.6g"),
                                           "lower": st.column_config.NumberColumn(format="%.6g", help="None: no lower bound"),
                                           "upper": st.column_config.NumberColumn(format="%.6g", help="None: no upper bound"),
                                           "fixed": st.column_config.CheckboxColumn(help="held at its start value")})
    return rp.read_limits(edited, p0)


def diagnostics(data: rg.Dataset, fit, res):
    """The parameters ± errors, the statistics, which uncertainty, the residuals and the correlation."""
    st.subheader("Parameters, uncertainty and goodness of fit")
    st.markdown(results_table({r["parameter"]: r["value ± standard error"] + (f" ({r['note']})" if r["note"] else "")
                                  for r in rp.parameter_rows(fit)}) + "\n\n" + results_table(rp.statistics(fit)))
    st.caption(fit.describe_uncertainty() + " " + rp.statistics_note(fit))
    left, right = st.columns(2)
    with left:
        chart_live(rf.residual_table_figure(res, data.xlabel), key="residual_plot")
    with right:
        chart_live(rf.residual_histogram_figure(*rf.normalised_residuals(fit, res.get("sigma"))), key="residual_hist")
    notice("a good model leaves residuals scattered evenly around 0 with no pattern, and normalised residuals "
           "shaped like the dashed standard normal curve (most within ±2); a curve or trend in them means "
           "the model misses a shape in the data.")
    if len(fit.free) >= 2:
        chart_live(rf.correlation_figure(fit.correlation), key="correlation")
        notice("a correlation near +1 or −1 means two parameters trade off: the data pin down a combination "
               "of them better than either alone.")


def compare(data: rg.Dataset, model_name, fit, name2, model2, fit2, typed: bool):
    """A second model on the same data: both curves, ΔAICc in words and the F test when nested."""
    st.caption("The second model starts from " + ("1 for every parameter" if typed else "automatic start values")
               + ", without bounds or fixed parameters.")
    if not fit2.success:
        st.warning(f"Second model: {fit2.message}")
    chart_live(rf.comparison_figure(data.x, data.y, data.s, [(f"{model_name}: {fit.model}", fit),
                                                             (f"{name2}: {model2}", fit2)],
                                    data.xlabel, data.ylabel), key="compare_plot")
    comparison, first_simpler = rp.compare_pair(fit, fit2, (model_name, name2))
    st.markdown(results_table(rp.comparison_summary(comparison, (model_name, fit), (name2, fit2), first_simpler)))
    notice(comparison.sentence)
    return name2, model2, fit2


def parameters_csv(data: rg.Dataset, model_name, model, fit) -> str:
    """The parameters file: the model, the data (file, columns, σ column), N, dof, the values."""
    table = data.key[0] == "table"
    sigma = (data.key[5] or "") if table else ("the noise σ of each generated point" if data.s is not None else "")
    return ex.parameters_csv(fit, model_name=model_name, model_text=model, source=data.name,
                             xlabel=data.xlabel, ylabel=data.ylabel, sigma=sigma)


def downloads(data: rg.Dataset, model_name, model, fit, level, second):
    """CSV tables, the report (Markdown, HTML, with the chart) and the chart as PNG and SVG."""
    figure = lambda: rf.fit_band_figure(data.x, data.y, data.s, fit, level, data.xlabel, data.ylabel)

    def report(fmt):
        png = ex.chart_image(figure(), "png")
        r = rp.fit_report(fit, model_name=model_name, model_text=model, level=level, image_png=png,
                          image_note=ex.image_export_problem() or "", second=second,
                          data=rp.data_summary(data.x, data.y, data.s, data.name, data.xlabel, data.ylabel, fit.dropped))
        return r.markdown() if fmt == "md" else r.html()
    st.subheader("Downloads")
    with row(gap="small"):
        st.download_button("⬇️ Report (Markdown)", data=lambda: report("md"), file_name="fit_report.md",
                           mime="text/markdown", key="dl_report_md")
        st.download_button("⬇️ Report (HTML)", data=lambda: report("html"), file_name="fit_report.html",
                           mime="text/html", key="dl_report_html")
        st.download_button("⬇️ Fitted parameters (CSV)", data=lambda: parameters_csv(data, model_name, model, fit),
                           file_name="fit_parameters.csv", mime="text/csv", key="dl_params")
        st.download_button("⬇️ Residuals (CSV)", data=lambda: rg.safe_csv(rg.residual_table(model, fit, data.x, data.y, data.s)),
                           file_name="fit_residuals.csv", mime="text/csv", key="dl_res")
        st.download_button("⬇️ Bands (CSV)", data=lambda: rg.safe_csv(ex.band_table(model, fit, rf.fit_curve(fit, data.x)[0], level)),
                           file_name="fit_bands.csv", mime="text/csv", key="dl_bands")
        problem = ex.image_export_problem()
        if not problem:
            for fmt in ("png", "svg"):
                st.download_button(f"⬇️ Chart ({fmt.upper()})", data=lambda fmt=fmt: ex.chart_image(figure(), fmt) or b"",
                                   file_name=f"fit_chart.{fmt}", mime="image/png" if fmt == "png" else "image/svg+xml",
                                   key=f"dl_{fmt}")
    st.caption("Text cells that begin with =, +, − or @ get a leading ' so a spreadsheet never runs them as formulas. "
               + (f"No PNG/SVG downloads here: {problem}; the chart's camera button saves a PNG." if problem else
                  "The first chart image takes a few seconds (the image exporter starts a browser)."))
