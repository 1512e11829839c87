"""Page 6 · Regression: χ², least squares and fitting your own CSV (issue 8)."""
from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

import ui
from explorer import regression as rg
from explorer.figures import regression as rf
from explorer.figures import regression_frames as rff
from explorer.figures.frames import frames_json, slider_values
from explorer.regression import formulas as fx
from ui import regression_sections as fs

VIEWS = ["Straight line: χ² by hand", "Nonlinear models and your own"]
TYPED = "Typed model"
MODELS = [*rg.BUILTIN_MODELS, TYPED]




# The arrays travel unhashed (``_x, _y, _s``) beside ``data.key``, which names them exactly: hashing
# a large column on every call costs more than the step. Fits, descents and residual tables are
# read-only: st.cache_resource hands back the object instead of unpickling a copy on each hit.
@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def fit_line(data_key, _x, _y, _s):
    return rg.line_fit(_x, _y, _s)


@st.cache_resource(max_entries=32, ttl=3600, show_spinner=False)
def fit_cached(model: str, p0: tuple, bounds: tuple, fixed: tuple, data_key, _x, _y, _s):
    return rg.fit_model(model, _x, _y, dict(p0), _s, bounds={k: (lo, hi) for k, lo, hi in bounds}, fixed=fixed)


@st.cache_resource(max_entries=32, ttl=3600, show_spinner=False)
def descent_run(model: str, p0: tuple, data_key, _x, _y, _s):
    """A resumable descent: more steps continue the path already walked, fewer truncate it."""
    return rg.DescentRun(model, _x, _y, dict(p0), _s)


@st.cache_resource(max_entries=8, ttl=3600, show_spinner=False)      # n rows each: keep few
def residuals_cached(model: str, p0: tuple, bounds: tuple, fixed: tuple, data_key, _fit, _x, _y, _s):
    return rg.residual_table(model, _fit, _x, _y, _s)


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def grid_cached(model, params: tuple, px, py, xr, yr, data_key, _x, _y, _s):
    return rg.chi2_grid(model, _x, _y, dict(params), px, py, xr, yr, _s, n=40)


# Drag frames of m and c (issue #19): those of one slider depend on the other's value (and the data),
# never on its own, so a release of m reuses m's and recomputes c's. Keyed by the slider's range (not
# its ~200 positions, which would be hashed on every call) and kept as the JSON bytes that travel.
@st.cache_resource(max_entries=64, ttl=3600, show_spinner=False)
def hand_frames(slider: str, other: float, rng: tuple, best: bool, data_key, _x, _y, _s) -> bytes:
    return frames_json(rff.hand_frames(_x, _y, _s, slider, other, slider_values(*rng), best))


@st.cache_resource(max_entries=64, show_spinner=False)
def landscape_frames(slider: str, other: float, rng: tuple, path_drawn: bool) -> bytes:
    return frames_json(rff.landscape_frames(slider, other, slider_values(*rng), path_drawn))


def keep_in(key: str, options=None, lo=None, hi=None):
    """A remembered value no longer valid for the data: the widget starts again from its default."""
    v = st.session_state.get(key)
    if v is not None and ((options is not None and v not in options) or (lo is not None and not lo <= v <= hi)):
        del st.session_state[key]


ui.page_header(
    "6 · Regression",
    "What does *best fit* mean? Pick a data set, fit a straight line **by hand**, see the "
    "**χ² landscape** that least squares walks down, then fit **nonlinear models** — including "
    "your own data and your own typed model.")


# The straight line
def straight_line(data: rg.Dataset, line):
    """The formulas stay put; the fragment between them is what m and c rerun."""
    st.header("Fit a straight line by hand")
    st.latex(fx.LINE_CHI2)
    by_hand(data, line)
    st.markdown("**The closed-form optimum** (set ∂χ²/∂m = ∂χ²/∂c = 0, with weights wᵢ = 1/σᵢ²):"
                + ui.display_math(fx.CLOSED_FORM))
    st.subheader("Result, uncertainties and goodness of fit")
    st.markdown(ui.results_table(rg.line_summary(line))
                + ui.display_math(fx.LINE_UNCERTAINTIES))
    st.caption("σ from the data's σ column: a reduced χ² near 1 says the scatter matches the stated σ."
               if line.has_sigma else
               "No σ given: every σᵢ = 1 and the uncertainties are scaled by the reduced χ² "
               "(the scatter itself estimates σ).")


@st.fragment
def by_hand(data: rg.Dataset, line):
    ranges = rg.line_ranges(line)
    (mlo, mhi, mstep, mdef), (clo, chi, cstep, cdef) = ranges["m"], ranges["c"]
    keep_in("m", lo=mlo, hi=mhi); keep_in("c", lo=clo, hi=chi)
    with ui.row():
        m = ui.slider("slope m", mlo, mhi, mdef, mstep, key="m")
        c = ui.slider("intercept c", clo, chi, cdef, cstep, key="c")
    show_best = ui.toggle("show the least-squares line", False, key="best")
    rngs = {"m": (mlo, mhi, mstep), "c": (clo, chi, cstep)}      # the frames' positions: slider_values
    left, right = st.columns(2)
    with left:
        ui.chart_live(rf.hand_fit_figure(data.x, data.y, data.s, m, c, data.xlabel, data.ylabel,
                                         (line.m, line.c) if show_best else None), key="hand_plot",
                      frames={k: hand_frames(k, c if k == "m" else m, rngs[k], show_best, data.key, data.x, data.y,
                                             data.s) for k in rngs})
        st.latex(fx.chi2_reading(m, c, rg.chi2_line(m, c, data.x, data.y, data.s), line.chi2))
        ui.notice("each dark red segment is one residual yᵢ − (m xᵢ + c); χ² adds up their squares "
                  "(divided by σᵢ²). Move m and c to make χ² as small as you can.")
    with right:
        line_descent_view(line, m, c, (mlo, mhi), (clo, chi), rngs)


@st.fragment
def line_descent_view(line, m, c, mrange, crange, rngs):
    """The χ² landscape with the descent from (m, c): its own fragment, so the step-size and
    step-count sliders rerun only this chart."""
    with ui.row():
        rate = ui.slider("step size (× 1/L)", 0.1, 2.2, 0.9, 0.05, key="rate",
                         help="γ = rate / L, L the largest curvature of χ²: above 2 it diverges.")
        steps = ui.slider("descent steps", 1, 300, 60, 1, key="steps")
    path = rg.line_descent(line, m, c, rate, int(steps))
    ms, cs, Z = rg.chi2_line_grid(line, mrange, crange, n=50)   # 0.1 ms: no cache needed
    ui.chart_live(rf.landscape_figure(ms, cs, Z, (m, c), (line.m, line.c), path.m, path.c), key="landscape",
                  frames={k: landscape_frames(k, c if k == "m" else m, rngs[k], len(path.m) > 1) for k in rngs})
    ui.notice("χ² is a bowl over (m, c): the optimum (✕) is its bottom. Descent steps go "
              "straight downhill, across the contours — a long narrow valley makes them zigzag; "
              "a step size above 2 makes them fly out.",
              before=f"Gradient descent from your (m, c): {rg.describe_line_descent(path)}.")


# Nonlinear least squares
def choose_model(data: rg.Dataset, key: str, default: str, typed_default: str):
    """A built-in model (automatic start values) or a typed one (start fields): (name, model, p0)."""
    keep_in(key, options=MODELS)
    name = ui.select("Model" if key == "model" else "Second model", MODELS, MODELS.index(default), key=key,
                     widget=st.radio, horizontal=True) or default
    if name == TYPED:
        typed = st.text_input("Model in x — every other name is a parameter", typed_default, key=f"typed{key[5:]}",
                              bind="query-params", max_chars=300, help="e.g. b1*(1-exp(-b2*x)), a*x/(b+x), A*exp(-x/t)+B")
        model, names = ui.last_valid(f"_reg_typed{key[5:]}_ok", typed, rg.check_model, fallback=typed_default,
                                     what="model", drawing="fitting")
        if key != "model":
            return name, model, {nm: 1.0 for nm in names}
        st.caption("Start values (the solver needs somewhere to begin):")
        with ui.row():
            p0 = {nm: float(ui.number(f"start {nm}", 1.0, key=f"s_{nm}", format="%.6g")) for nm in names}
        return name, model, p0
    degree = int(ui.slider("polynomial degree", 0, 6, 2, 1, key=f"deg{key[5:]}")) if name == "Polynomial" else 2
    return (name, *rg.builtin_start(name, data.x, data.y, degree))


@st.fragment
def nonlinear(data: rg.Dataset):
    st.header("Nonlinear least squares")
    model_name, model, p0 = choose_model(data, "model", rg.suggested_model(data.name), rg.DEFAULT_TYPED)
    st.latex("f(x) = " + rg.model_latex(model, list(p0)))
    if model_name in rg.MODEL_NOTES:
        st.caption(rg.MODEL_NOTES[model_name])
    p0, bounds, fixed = fs.parameter_table(model, p0, typed=model_name == TYPED)
    level = fs.LEVELS[ui.select("Bands' confidence level", list(fs.LEVELS), 1, key="level", widget=st.radio, horizontal=True)]
    fit = fit_cached(model, tuple(p0.items()), bounds, fixed, data.key, data.x, data.y, data.s)
    nonlinear_descent(data, model, p0, fit, level)
    if fit.residuals is None or not all(np.isfinite(fit.params[k]) for k in p0):
        return
    fs.diagnostics(data, fit, residuals_cached(model, tuple(p0.items()), bounds, fixed, data.key, fit, data.x, data.y, data.s))
    second = None
    if ui.toggle("Compare with a second model", False, key="compare"):
        name2, model2, p02 = choose_model(data, "model2", "Polynomial" if model_name != "Polynomial" else "Straight line",
                                          "a*x^2 + b*x + c")
        fit2 = fit_cached(model2, tuple(p02.items()), (), (), data.key, data.x, data.y, data.s)
        second = fs.compare(data, model_name, fit, name2, model2, fit2, typed=name2 == TYPED)
    fs.downloads(data, model_name, model, fit, level, second)


@st.fragment
def nonlinear_descent(data: rg.Dataset, model, p0, fit, level):
    """Steepest descent next to the library fit: its own fragment, so the step-count slider and
    the contour's parameter pickers rerun only this part (the fit and residuals stay put)."""
    names = list(p0)
    steps = int(ui.slider("steepest-descent steps", 10, 2000, 300, 10, key="iters"))
    desc = descent_run(model, tuple(p0.items()), data.key, data.x, data.y, data.s).result(steps)

    left, right = st.columns(2)
    with left:
        st.subheader("Steepest descent (the course's method)")
        st.latex(fx.DESCENT_RULE)
        st.dataframe(rg.descent_table(p0, desc.x), hide_index=True)
        st.caption(f"χ² = {desc.chi2[-1]:.6g} after {desc.nit} steps — {desc.message}. "
                   "(γ is halved until χ² drops: a backtracking line search.)")
    with right:
        st.subheader("Library solver (trust region + Levenberg–Marquardt)")
        st.latex(fx.SOLVER_UNCERTAINTY)
        st.dataframe(rg.fit_table(fit), hide_index=True)
        (st.success if fit.success else st.warning)(fit.message)
        if fit.success and fit.dof > 0:
            st.caption(rg.fit_statistics(fit))

    curves = rf.fit_and_descent_curves(model, names, [fit.params[k] for k in names], desc.x, data.x)[1:]
    ui.chart_live(rf.fit_band_figure(data.x, data.y, data.s, fit, level, data.xlabel, data.ylabel, curves),
                  key="model_plot", config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": "fit_chart", "scale": 2}})
    ui.notice("when the two curves overlap, the slow steepest descent has reached the same minimum as the library "
              "solver. The confidence band (dashed) is where the true curve lies; the prediction band (dotted), "
              "wider, is where a new point would fall, at the chosen level.")

    if len(names) >= 2:
        tag = hashlib.sha1(",".join(names).encode()).hexdigest()[:6]   # the model's own pickers
        with ui.row():
            px = ui.select("contour: horizontal parameter", names, 0, key=f"px_{tag}")
            py = ui.select("contour: vertical parameter", names, 1, key=f"py_{tag}")
        if px == py:
            st.info("Pick two different parameters for the χ² contour.")
        else:
            xr, yr = rg.contour_windows(fit, desc.history, px, py)
            A, B, Z = grid_cached(model, tuple(fit.params.items()), px, py, xr, yr, data.key, data.x, data.y, data.s)
            ui.chart_live(rf.parameter_landscape_figure(A, B, Z, fit.params, desc.history, px, py), key="nl_landscape")
            ui.notice("the descent path (black dashes, white ◆) runs downhill across the contours from the start "
                      "(●); the library solver's optimum is the ✕. Other parameters are held at "
                      "their best values, so the path is a projection.")


# One fragment: a data slider reruns the data and the open tab (only the open one runs), not the header.
@st.fragment
def body():
    data = fs.data_section()
    line = None
    try:
        line = fit_line(data.key, data.x, data.y, data.s)
    except rg.DataError as err:
        st.error(f"**No straight-line fit:** {err}", icon="⚠️")
    tab_line, tab_nonlinear = st.tabs(VIEWS, key="view", bind="query-params")
    with tab_line:
        if tab_line.open is not False and line is not None:
            straight_line(data, line)
    with tab_nonlinear:
        if tab_nonlinear.open is not False:
            nonlinear(data)


body()
