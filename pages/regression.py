"""Page 6 · Regression: χ², least squares and fitting your own CSV (issue 8)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

import ui
from explorer import regression as rg
from explorer.figures import regression as rf
from explorer.expressions import ExpressionError, parse_expression, to_latex

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
SAMPLES = {"Sample: spring (straight line)": "spring_line.csv",
           "Sample: decay counts with σ": "decay_sigma.csv",
           "Sample: heights histogram": "heights_histogram.csv"}
GENERATED, UPLOAD = "Generated points", "Upload a CSV"
SOURCES = [GENERATED, *SAMPLES, UPLOAD]
VIEWS = ["Straight line: χ² by hand", "Nonlinear models and your own"]
TYPED = "Typed model"
MODELS = [*rg.BUILTIN_MODELS, TYPED]
DEFAULT_MODEL = {"heights_histogram.csv": "Gaussian", "decay_sigma.csv": "Exponential"}
NONE = "(none: all σ = 1)"
LIMIT_MB = rg.MAX_BYTES // (1024 * 1024)


# ---------------------------------------------------------------------------------------------
# cached explorer calls
@st.cache_data(max_entries=8, show_spinner=False)
def load_sample(fname: str) -> pd.DataFrame:
    return rg.read_table(DATA_DIR / fname)


@st.cache_data(max_entries=32, show_spinner=False)
def generated(n: int, noise: float, m: float, c: float, seed: int):
    return rg.generate_line_data(n, noise, m, c, seed)


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def read_upload(data: bytes) -> pd.DataFrame:
    return rg.read_table(data)


# The data arrays travel as unhashed ``_x, _y, _s`` arguments next to ``data_key``, a short tuple
# that names them exactly (the generator's settings, or the file's name, digest and columns):
# hashing a large uploaded column on every call would cost more than the step itself.
@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def fit_line(data_key, _x, _y, _s):
    return rg.line_fit(_x, _y, _s)


# Fits, descents and residual tables are read-only objects: st.cache_resource hands back the same
# object instead of unpickling a copy of every residual on each hit.
@st.cache_resource(max_entries=32, ttl=3600, show_spinner=False)
def fit_cached(model: str, p0: tuple, data_key, _x, _y, _s):
    return rg.fit_model(model, _x, _y, dict(p0), _s)


@st.cache_resource(max_entries=32, ttl=3600, show_spinner=False)
def descent_run(model: str, p0: tuple, data_key, _x, _y, _s):
    """A resumable descent: more steps continue the path already walked, fewer truncate it."""
    return rg.DescentRun(model, _x, _y, dict(p0), _s)


@st.cache_resource(max_entries=8, ttl=3600, show_spinner=False)      # n rows each: keep few
def residuals_cached(model: str, p0: tuple, data_key, _fit, _x, _y, _s):
    return rg.residual_table(model, _fit, _x, _y, _s)


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def grid_cached(model, params: tuple, px, py, xr, yr, data_key, _x, _y, _s):
    return rg.chi2_grid(model, _x, _y, dict(params), px, py, xr, yr, _s, n=40)


def keep_in(key: str, options=None, lo=None, hi=None):
    """A widget's remembered value must still be valid after the data changed."""
    if key not in st.session_state:
        return
    v = st.session_state[key]
    if (options is not None and v not in options) or (lo is not None and not (lo <= v <= hi)):
        del st.session_state[key]          # the widget starts again from its default


# ---------------------------------------------------------------------------------------------
# The data
def data_section():
    """Choose the data; returns (x, y, s, data_key, xlabel, ylabel, table, table_name)."""
    st.header("The data")
    source = ui.select("Data", SOURCES, 0, key="data", widget=st.radio, horizontal=True)
    xlabel, ylabel, table, table_name, table_digest = "x", "y", None, "", ""
    if st.session_state.get("_reg_source", source) != source:
        st.session_state.pop("model", None)       # a new data set starts from its suggested model
    st.session_state["_reg_source"] = source

    if source == GENERATED:
        with ui.row():
            n = ui.slider("N points", 5, 500, 30, 1, key="n")
            noise = ui.slider("noise σ", 0.1, 5.0, 1.0, 0.1, key="noise")
            true_m = ui.slider("true slope", -3.0, 3.0, 1.5, 0.1, key="tm")
            true_c = ui.slider("true intercept", -5.0, 5.0, 2.0, 0.1, key="tc")
            seed = int(ui.number("seed", 1, key="seed", min_value=0, max_value=99999, step=1))
        x, y, s = generated(int(n), float(noise), float(true_m), float(true_c), seed)
        data_key = ("generated", int(n), float(noise), float(true_m), float(true_c), seed)
        st.caption(f"{len(x)} points yᵢ = {true_m:g}·xᵢ + {true_c:g} + noise, noise drawn from a normal "
                   f"distribution with σ = {noise:g} (each point's σᵢ = {noise:g}). Change the seed for new noise.")
    elif source in SAMPLES:
        table, table_name = load_sample(SAMPLES[source]), SAMPLES[source]
    else:
        up = st.file_uploader(f"Upload a CSV (comma, semicolon or tab separated; decimal point or comma; "
                              f"with or without a header) — limit {LIMIT_MB} MB",
                              type=["csv", "tsv", "txt"], key="upload")
        if up is not None:
            raw = up.getvalue()
            digest = hashlib.sha256(raw).hexdigest()[:12]
            try:
                df_up = read_upload(raw)
                st.session_state["_reg_table"] = (up.name, digest, df_up)
            except rg.DataError as err:
                st.error(f"**{up.name} cannot be used:** {err}", icon="⚠️")
                prev = st.session_state.get("_reg_table")
                if prev:
                    st.info(f"Still using the data loaded before: **{prev[0]}**.")
        loaded = st.session_state.get("_reg_table")
        if loaded is None:
            st.info("No file loaded yet — showing the spring sample until you upload one.")
            table, table_name = load_sample("spring_line.csv"), "spring_line.csv"
        else:
            table_name, table_digest, table = loaded[0], loaded[1], loaded[2]
            st.caption(f"Loaded **{table_name}**: {len(table):,} rows, columns {', '.join(table.columns)} "
                       f"(separator {table.attrs.get('delimiter')!s}, decimal '{table.attrs.get('decimal')}', "
                       f"{table.attrs.get('encoding')}).")

    if table is not None:
        cols = list(table.columns)
        tag = hashlib.sha1(("|".join(cols) + table_name).encode()).hexdigest()[:6]
        sigma_guess = next((c for c in cols if c.lower() in ("sigma", "σ", "err", "error", "uncertainty", "dy")), NONE)
        c1, c2, c3 = st.columns(3)
        with c1:
            xcol = st.selectbox("x column", cols, index=0, key=f"xcol_{tag}")
        with c2:
            ycol = st.selectbox("y column", cols, index=1, key=f"ycol_{tag}")
        with c3:
            scol_opts = [NONE, *cols]
            scol = st.selectbox("σ column (optional)", scol_opts, index=scol_opts.index(sigma_guess),
                                key=f"scol_{tag}")
        x, y = table[xcol].to_numpy(float), table[ycol].to_numpy(float)
        s = None if scol == NONE else table[scol].to_numpy(float)
        xlabel, ylabel = xcol, ycol
        data_key = ("table", table_name, table_digest, xcol, ycol, scol)
        dropped = int(table.attrs.get("dropped_rows", 0))
        text_cols = table.attrs.get("text_columns") or []
        st.info(f"**{len(table):,} rows used.** "
                + (f"{dropped:,} row{'s' * (dropped != 1)} with missing or non-numeric values "
                   f"{'was' if dropped == 1 else 'were'} dropped." if dropped else "No rows were dropped.")
                + (f" Text columns left out: {', '.join(text_cols[:6])}." if text_cols else ""), icon="🧮")
        if s is not None and not np.all(s > 0):
            st.warning("Some σ values are zero or negative: those points are left out of the fits.")
        if len(x) > rf.MAX_POINTS:
            st.caption(f"Charts show a random sample of {rf.MAX_POINTS:,} of the {len(x):,} points; "
                       "every fit uses all of them.")
    return x, y, s, data_key, xlabel, ylabel, table, table_name


# ---------------------------------------------------------------------------------------------
ui.page_header(
    "6 · Regression",
    "What does *best fit* mean? Pick a data set, fit a straight line **by hand**, see the "
    "**χ² landscape** that least squares walks down, then fit **nonlinear models** — including "
    "your own data and your own typed model.")

# ---------------------------------------------------------------------------------------------
# The straight line
def straight_line(x, y, s, line, xlabel, ylabel):
    """The formulas stay put; the fragment between them is what m and c rerun."""
    st.header("Fit a straight line by hand")
    st.latex(r"\chi^2(m,c)=\sum_i\left(\frac{y_i-(m\,x_i+c)}{\sigma_i}\right)^2")
    by_hand(x, y, s, line, xlabel, ylabel)
    st.markdown("**The closed-form optimum** (set ∂χ²/∂m = ∂χ²/∂c = 0, with weights wᵢ = 1/σᵢ²):"
                + ui.display_math(r"m=\frac{\sum_i w_i(x_i-\bar x)(y_i-\bar y)}{\sum_i w_i (x_i-\bar x)^2},\qquad "
                                  r"c=\bar y-m\,\bar x,\qquad \bar x=\frac{\sum_i w_i x_i}{\sum_i w_i}"))


@st.fragment
def by_hand(x, y, s, line, xlabel, ylabel):
    rng_ = rg.line_ranges(line)
    (mlo, mhi, mstep, mdef), (clo, chi, cstep, cdef) = rng_["m"], rng_["c"]
    keep_in("m", lo=mlo, hi=mhi)
    keep_in("c", lo=clo, hi=chi)
    with ui.row():
        m = ui.slider("slope m", mlo, mhi, mdef, mstep, key="m")
        c = ui.slider("intercept c", clo, chi, cdef, cstep, key="c")
    chi2_hand = rg.chi2_line(m, c, x, y, s)
    show_best = ui.toggle("show the least-squares line", False, key="best")
    left, right = st.columns(2)
    with left:
        ui.chart_live(rf.hand_fit_figure(x, y, s, m, c, xlabel, ylabel,
                                 (line.m, line.c) if show_best else None), key="hand_plot")
        st.latex(rf"\chi^2({m:.4g},\,{c:.4g}) = {chi2_hand:,.4g}"
                 rf"\qquad \chi^2_{{\min}} = {line.chi2:,.4g}")
        ui.notice("each red segment is one residual yᵢ − (m xᵢ + c); χ² adds up their squares "
                  "(divided by σᵢ²). Move m and c to make χ² as small as you can.")
    with right:
        line_descent_view(line, m, c, (mlo, mhi), (clo, chi))


@st.fragment
def line_descent_view(line, m, c, mrange, crange):
    """The χ² landscape with the descent from (m, c): its own fragment, so the step-size and
    step-count sliders rerun only this chart."""
    with ui.row():
        rate = ui.slider("step size (× 1/L)", 0.1, 2.2, 0.9, 0.05, key="rate",
                         help="γ = rate / L, L the largest curvature of χ²: above 2 it diverges.")
        steps = ui.slider("descent steps", 1, 300, 60, 1, key="steps")
    path = rg.line_descent(line, m, c, rate, int(steps))
    ms, cs, Z = rg.chi2_line_grid(line, mrange, crange, n=50)   # 0.1 ms: no cache needed
    ui.chart_live(rf.landscape_figure(ms, cs, Z, (m, c), (line.m, line.c), path.m, path.c), key="landscape")
    ui.notice("χ² is a bowl over (m, c): the optimum (✕) is its bottom. Descent steps go "
              "straight downhill, across the contours — a long narrow valley makes them zigzag; "
              "a step size above 2 makes them fly out.",
              before=f"Gradient descent from your (m, c): {path.reason}; "
                     f"ends at m = {path.m[-1]:.5g}, c = {path.c[-1]:.5g}, χ² = {path.chi2[-1]:.5g}.")


def line_results(line):
    st.subheader("Result, uncertainties and goodness of fit")
    st.markdown(ui.results_table({"m": f"{line.m:.5g} ± {line.sm:.2g}",
                                  "c": f"{line.c:.5g} ± {line.sc:.2g}",
                                  "R²": f"{line.r2:.4f}",
                                  "χ²": f"{line.chi2:.4g}",
                                  "reduced χ² = χ²/(N−2)": f"{line.reduced_chi2:.3g}"})
                + ui.display_math(
                    r"\sigma_m^2=\frac{1}{\sum_i w_i(x_i-\bar x)^2},\quad "
                    r"\sigma_c^2=\frac{1}{\sum_i w_i}+\frac{\bar x^2}{\sum_i w_i(x_i-\bar x)^2},\quad "
                    r"R^2 = 1-\frac{\chi^2}{\sum_i w_i (y_i-\bar y)^2}"))
    st.caption(("σ from the data's σ column: a reduced χ² near 1 says the scatter matches the stated σ."
                if line.has_sigma else
                "No σ given: every σᵢ = 1 and the uncertainties are scaled by the reduced χ² "
                "(the scatter itself estimates σ)."))


# ---------------------------------------------------------------------------------------------
# Nonlinear least squares
@st.fragment
def nonlinear(data_key, x, y, s, xlabel, ylabel, default_model):
    st.header("Nonlinear least squares")
    keep_in("model", options=MODELS)
    model_name = ui.select("Model", MODELS, MODELS.index(default_model), key="model",
                           widget=st.radio, horizontal=True)
    if model_name is None:
        model_name = default_model
    if model_name == TYPED:
        typed = st.text_input("Model in x — every other name is a parameter", "b1*(1-exp(-b2*x))",
                              key="typed", bind="query-params", max_chars=300,
                              help="e.g. b1*(1-exp(-b2*x)), a*x/(b+x), A*exp(-x/t)+B")
        names = rg.model_parameters(typed)
        model = None
        try:
            if not names:
                raise ExpressionError("The model has no parameter: use names such as a, b, k besides x.")
            if len(names) > 10:
                raise ExpressionError(f"Too many parameters ({len(names)}); at most 10.")
            parse_expression(typed, ("x", *names))
            model = typed
            st.session_state["_reg_typed_ok"] = typed
        except (ExpressionError, ValueError) as err:
            st.error(f"**Cannot read that model:** {err}", icon="⚠️")
            last = st.session_state.get("_reg_typed_ok", "b1*(1-exp(-b2*x))")
            st.caption(f"Still fitting the last valid model: `{last}`")
            model, names = last, rg.model_parameters(last)
        st.caption("Start values (the solver needs somewhere to begin):")
        cols = st.columns(min(len(names), 5))
        p0 = {}
        for i, nm in enumerate(names):
            with cols[i % len(cols)]:
                p0[nm] = float(ui.number(f"start {nm}", 1.0, key=f"s_{nm}", format="%.6g"))
    else:
        degree = 2
        if model_name == "Polynomial":
            degree = int(ui.slider("polynomial degree", 0, 6, 2, 1, key="deg"))
        model = rg.builtin_model(model_name, degree)
        try:
            p0 = rg.guess_start(model_name, x, y, degree)
        except Exception:                       # a shape the guesser cannot read: start at 1
            p0 = {k: 1.0 for k in rg.model_parameters(model)}
        st.caption("Automatic start values from the shape of the data: "
                   + ", ".join(f"{k} = {v:.4g}" for k, v in p0.items()))
    names = list(p0)
    st.latex("f(x) = " + to_latex(parse_expression(model, ("x", *names))))
    if model_name == "Gaussian":
        st.caption("The course's heights task: fit the bell curve's centre μ and width σ to a "
                   "histogram (A scales it to the counts).")

    fit = fit_cached(model, tuple(p0.items()), data_key, x, y, s)
    nonlinear_descent(data_key, model, p0, fit, x, y, s, xlabel, ylabel)

    if fit.residuals is not None and all(np.isfinite(fit.params[k]) for k in names):
        res = residuals_cached(model, tuple(p0.items()), data_key, fit, x, y, s)
        normalised = "residual/sigma" in res
        ui.chart_live(rf.residual_figure(res["x"].to_numpy(), res["residual/sigma" if normalised else "residual"].to_numpy(),
                                 normalised, xlabel), key="residual_plot")
        ui.notice("a good model leaves residuals scattered evenly around 0 with no pattern"
                  + (" and most within ±2σ" if normalised else "") + "; a curve or trend in them "
                  "means the model misses a shape in the data.")
        d1, d2 = st.columns(2)
        d1.download_button("⬇️ Fitted parameters (CSV)", data=lambda: rg.safe_csv(rg.fit_table(fit)),
                           file_name="fit_parameters.csv", mime="text/csv", key="dl_params")
        d2.download_button("⬇️ Residuals (CSV)", data=lambda: rg.safe_csv(res),
                           file_name="fit_residuals.csv", mime="text/csv", key="dl_res")
        st.caption("Text cells that begin with =, +, − or @ get a leading ' so a spreadsheet "
                   "never runs them as formulas.")


@st.fragment
def nonlinear_descent(data_key, model, p0, fit, x, y, s, xlabel, ylabel):
    """Steepest descent next to the library fit: its own fragment, so the step-count slider and
    the contour's parameter pickers rerun only this part (the fit and residuals stay put)."""
    names = list(p0)
    steps = int(ui.slider("steepest-descent steps", 10, 2000, 300, 10, key="iters"))
    desc = descent_run(model, tuple(p0.items()), data_key, x, y, s).result(steps)

    left, right = st.columns(2)
    with left:
        st.subheader("Steepest descent (the course's method)")
        st.latex(r"\mathbf p \leftarrow \mathbf p-\gamma\,\nabla_{\mathbf p}\chi^2,\quad "
                 r"\nabla\chi^2=-2\sum_i\frac{y_i-f(x_i;\mathbf p)}{\sigma_i^2}\,\nabla_{\mathbf p}f")
        end = desc.path[-1]
        st.dataframe(pd.DataFrame({"parameter": names, "start": [p0[k] for k in names],
                                   "after descent": end}), hide_index=True)
        st.caption(f"χ² = {desc.chi2[-1]:.6g} after {len(desc.path) - 1} steps — {desc.reason}. "
                   "(γ is halved until χ² drops: a backtracking line search.)")
    with right:
        st.subheader("Library solver (trust region + Levenberg–Marquardt)")
        st.latex(r"\min_{\mathbf p}\ \chi^2(\mathbf p),\quad "
                 r"\sigma_{p_k}=\sqrt{\big[(J^\top W J)^{-1}\big]_{kk}}")
        st.dataframe(rg.fit_table(fit), hide_index=True)
        (st.success if fit.success else st.warning)(fit.message)
        if fit.success and fit.dof > 0:
            st.caption(f"χ² = {fit.chi2:.6g}, reduced χ² = χ²/(N − {len(names)}) = "
                       f"{fit.reduced_chi2:.4g}, R² = {fit.r2:.4f}")

    xs = np.linspace(float(np.nanmin(x)), float(np.nanmax(x)), 300)
    curves = [("library fit", xs, rg.model_values(model, names, [fit.params[k] for k in names], xs),
               "#2ca02c", "solid"),
              ("steepest descent", xs, rg.model_values(model, names, end, xs), "#ff7f0e", "dash")]
    ui.chart_live(rf.model_figure(x, y, s, curves, xlabel, ylabel), key="model_plot")
    ui.notice("when the two curves overlap, the slow steepest descent has reached the same "
              "minimum as the library solver; when it has not, more steps (or better starts) are needed.")

    if len(names) >= 2:
        k1, k2 = st.columns(2)
        keep_in("px", options=names)
        keep_in("py", options=names)
        with k1:
            px = ui.select("contour: horizontal parameter", names, 0, key="px")
        with k2:
            py = ui.select("contour: vertical parameter", names, 1, key="py")
        if px == py:
            st.info("Pick two different parameters for the χ² contour.")
        else:
            i, j = names.index(px), names.index(py)
            best = fit.params
            xr = rg.param_window(best[px], fit.stderr[px], [desc.path[0, i], desc.path[-1, i]])
            yr = rg.param_window(best[py], fit.stderr[py], [desc.path[0, j], desc.path[-1, j]])
            A, B, Z = grid_cached(model, tuple(best.items()), px, py, xr, yr, data_key, x, y, s)
            fig = rf.landscape_figure(A, B, Z, (desc.path[0, i], desc.path[0, j]), (best[px], best[py]),
                                      desc.path[:, i], desc.path[:, j], px, py,
                                      title=f"χ² over ({px}, {py}), the others at their best values")
            ui.chart_live(fig, key="nl_landscape")
            ui.notice("the descent path (white) runs downhill across the contours from the start "
                      "(●); the library solver's optimum is the ✕. Other parameters are held at "
                      "their best values, so the path is a projection.")


# ---------------------------------------------------------------------------------------------
# The page body is one fragment: a data slider reruns the data and the open tab, not the page's
# header, navigation and sidebar. The two halves of the module are tabs: only the open one runs.
@st.fragment
def body():
    x, y, s, data_key, xlabel, ylabel, table, table_name = data_section()
    line = None
    try:
        line = fit_line(data_key, x, y, s)
    except rg.DataError as err:
        st.error(f"**No straight-line fit:** {err}", icon="⚠️")
    tab_line, tab_nonlinear = st.tabs(VIEWS, key="view", bind="query-params")
    with tab_line:
        if tab_line.open is not False and line is not None:
            straight_line(x, y, s, line, xlabel, ylabel)
            line_results(line)
    with tab_nonlinear:
        if tab_nonlinear.open is not False:
            nonlinear(data_key, x, y, s, xlabel, ylabel,
                      DEFAULT_MODEL.get(table_name, "Straight line") if table is not None else "Straight line")


body()
