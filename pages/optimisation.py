"""Page: Optimisation — Newton-Raphson, gradient descent and friends, Lagrange multipliers."""
from __future__ import annotations

import math

import streamlit as st

from ui import audio, keypad, live_chart, view3d
import ui
from explorer import optimise as opt
from explorer.optimise import drag, presets
from explorer.figures import optimise as figs

NEWTON_MAX = 50


# The explorer calls, cached by their text and numbers (a slider moved back redraws at once)
newton_run = st.cache_data(opt.newton_raphson, max_entries=128, show_spinner=False)
basins = st.cache_data(opt.newton_basins, max_entries=32, show_spinner=False)
descent_run = st.cache_data(opt.descend, max_entries=256, show_spinner=False)
surface_grid = st.cache_data(opt.grid, max_entries=32, show_spinner=False)
lagrange = st.cache_data(opt.lagrange_solve, max_entries=32, show_spinner=False)
walk = st.cache_data(opt.constraint_walk, max_entries=32, show_spinner=False)


# Drag frames (#19) and Play frames (#18): each set depends on the OTHER controls only; shared, not
# copied (cache_resource: read-only dicts), so an unchanged set is re-sent as a short reference
@st.cache_resource(max_entries=32, show_spinner=False)
def newton_frames(text: str, n: int, half: float) -> dict:
    return drag.newton_frames(text, n, (-half, half), NEWTON_MAX)

@st.cache_resource(max_entries=32, show_spinner=False)
def basin_frames(text: str, half: float) -> dict:
    return drag.basin_frames(basins(text, -half, half, 400, NEWTON_MAX), (-half, half))

@st.cache_resource(max_entries=64, show_spinner=False)
def play_frames(text: str, x0: float, half: float) -> list:
    return drag.play_frames(newton_run(text, x0, NEWTON_MAX), (-half, half))

@st.cache_resource(max_entries=32, show_spinner=False)
def step_frames(text: str, start: tuple, methods: tuple, iters: int, bounds, window: tuple) -> dict:
    return drag.step_frames(text, start, methods, iters, bounds, surface_grid(text, window), window)

ui.page_header(
    "Optimisation",
    "Three tools for finding where functions are zero, lowest or best under a constraint — each drawn "
    "one step at a time, with the cases where it goes wrong.")


# ---------------------------------------------------------------------------------------------
# 1 · Newton-Raphson
def _step(delta: int) -> None:
    st.session_state["n"] = int(min(NEWTON_MAX, max(0, st.session_state.get("n", 3) + delta)))

@st.fragment
def newton_steps(text: str, x0: float, res, half: float) -> None:
    """The steps drawn: a nested fragment, so n and its buttons rerun only this (not the basins)."""
    # one flex row (st.columns would send a block per column): the slider takes the width left
    with ui.row(gap="small", vertical_alignment="bottom"):
        n = ui.slider("Steps drawn n", 0, NEWTON_MAX, 3, 1, key="n")
        st.button("◀ Back", on_click=_step, args=(-1,))
        st.button("Step ▶", on_click=_step, args=(1,))

    # the verdict and what happened on the way, in one box (one element to send, not one per note);
    # in presenter mode under the chart, so that the chart starts on the projector's first screen
    notes = "".join(f"\n\n🔎 {note}" for note in res.notes)
    say = (lambda: st.success(f"**Converged.** {res.message}{notes}", icon="✅")) if res.success else \
        (lambda: st.warning(f"**Failure — {opt.FAILURES[res.status]}.** {res.message}{notes}", icon="⚠️"))
    if not ui.presenting():
        say()

    # drawn in place (Plotly.react); its ▶ Play runs the steps in the browser, dragging x₀ swaps frames
    shown = min(n, res.nit)
    ui.chart_live(drag.newton_play(res, shown, (-half, half), play_frames(text, x0, half)), key="newton_plot")
    if ui.presenting():
        say()
    xs, ys, yr = figs.newton_curve(res, shown, (-half, half))       # the curve as the chart shows it
    audio.play_as_sound(xs, ys, "f(x)", key="newton", ylim=yr)
    ui.notice("each red-orange tangent line starts at (xₙ, f(xₙ)) and its crossing of the axis is the next "
              "guess (the chart zooms to the guesses drawn, within ±w; ▶ Play draws them one by one). Near a root the crossings pile up "
              "fast; where the tangent is nearly flat the next guess is thrown far away (try x₀ = 1.99).")

    h = res.history
    rows = min(len(h), len(res.fx), shown + 1)
    table = {"n": list(range(rows)), "xₙ": h[:rows], "f(xₙ)": res.fx[:rows], "f′(xₙ)": res.dfx[:rows]}
    st.dataframe(table, hide_index=True, width="stretch", height=min(300, 38 + 35 * rows),
                 column_config={c: st.column_config.NumberColumn(format="%.10g") for c in ("xₙ", "f(xₙ)", "f′(xₙ)")})
    live_chart.send_frames("newton_plot", {"x0": newton_frames(text, int(n), float(half))})

def newton_section() -> None:
    """The header and the iteration formula stay put; the fragments below them are what reruns."""
    st.header("1 · Newton-Raphson: roots by following tangents")
    st.latex(r"x_{n+1} = x_n - \frac{f(x_n)}{f'(x_n)}")
    newton_function()

@st.fragment
def newton_function() -> None:
    """A new f reruns the section's charts; x₀ and w rerun only `newton_view` (not the f input)."""
    text, _ = ui.function_input("f", presets.NEWTON_PRESETS, key="nf", variables=("x",))
    newton_view(text)

@st.fragment
def newton_view(text: str) -> None:
    with ui.row():
        x0 = ui.slider("Start x₀", -10.0, 10.0, 3.1, 0.01, key="x0")
        half = ui.slider("Window: x from −w to w", 1.0, 40.0, 5.0, 0.5, key="w")
    res = newton_run(text, x0, NEWTON_MAX)
    newton_steps(text, x0, res, half)

    b = basins(text, -half, half, 400, NEWTON_MAX)
    ui.chart_live(figs.basin_figure(b, x0), key="basin_plot", frames={"x0": basin_frames(text, float(half))})
    ui.notice("the strip colours every starting point x₀ in the window by the root Newton ends at "
              f"(grey: no root within {NEWTON_MAX} steps). Basins are not intervals around each root — "
              "near the places where f′ = 0 the colours interleave, so a tiny change of x₀ changes the "
              "answer; and where f dips towards the axis without crossing it (the quiz polynomial near "
              "x = 3) Newton wanders about without finding anything.")

def _pair(spec=(1, 1)):
    """Two charts side by side; stacked full width in presenter mode, where they need the room."""
    return (st.container(), st.container()) if ui.presenting() else st.columns(list(spec))


# ---------------------------------------------------------------------------------------------
# 2 · Descent in 2D
def _dmap_clicked() -> None:
    """A click on the contour map: start from there (snapped to the sliders' step and range)."""
    start = opt.start_from_click(live_chart.clicked_point("dmap"), *presets.START_RANGE)
    if start is not None:
        st.session_state["sx"], st.session_state["sy"] = start

def _dmap_arrow(move: str, window: tuple) -> None:
    """An arrow button under the map (the keyboard's click): move the start one step of the window."""
    held = (st.session_state["sx"], st.session_state["sy"])
    st.session_state["sx"], st.session_state["sy"] = opt.start_from_arrow(held, move, window, *presets.START_RANGE)

def descent_section() -> None:
    """The header and the update rules stay put; the fragments below them are what reruns."""
    st.header("2 · Gradient descent and friends in two dimensions")
    st.latex(r"\begin{aligned} \text{steepest descent: } & \mathbf{x} \leftarrow \mathbf{x} - \gamma\nabla f \\"
             r"\text{Newton: } & \mathbf{x} \leftarrow \mathbf{x} - H^{-1}\nabla f \\"
             r"\text{momentum: } & \mathbf{v} \leftarrow 0.9\,\mathbf{v} - \gamma\nabla f,\quad "
             r"\mathbf{x} \leftarrow \mathbf{x} + \mathbf{v} \end{aligned}")
    st.caption("**Hybrid** (the course's sandpit strategy): take the Newton step −H⁻¹∇f unless it points "
               "uphill or is longer than 2, then take −γ∇f instead. **Adam**: steps of length ≈ γ "
               "scaled per coordinate by running averages of ∇f and ∇f².")
    descent_function()

@st.fragment
def descent_function() -> None:
    """f and the strategy: these rerun the whole section below the formulas."""
    text, _ = ui.function_input("f", presets.DESCENT_PRESETS, key="df", variables=("x", "y"))
    if text == presets.SANDPIT:
        st.caption("The Sandpit surface is used **as given**: the phone is at the bottom of the pit near "
                   "(1.2, 4.0), the deepest point inside the sandpit's walls [0, 6]². Its negative would "
                   "turn the pit into a hump and send every method to the hill-top at (4.2, 0.79) — the "
                   "wrong place. Outside the walls the surface keeps falling, so a run that leaves them "
                   "is stopped. Newton, which only looks for ∇f = 0, happily climbs the hill at (4.2, 0.79).")

    # a new preset: jump to its usual start (before the sliders exist)
    jump = presets.start_on_change(st.session_state.get("_df_last"), text)
    if jump is not None:
        st.session_state["sx"], st.session_state["sy"] = jump
    st.session_state["_df_last"] = text

    # the strategy comes first: the start and step sliders below it rerun only `descent_view`
    with ui.row(gap="small", vertical_alignment="bottom"):
        method = ui.select("Strategy", list(opt.METHODS), 0, key="meth", widget=st.radio,
                           horizontal=True, format_func=lambda m: opt.METHODS.get(m, m))
        race = ui.toggle("Race all five", False, key="race",
                         help="Run every strategy from the same start and compare")
    descent_view(text, method, race)

@st.fragment
def descent_view(text: str, method: str, race: bool) -> None:
    view = presets.descent_view(text)
    lo, hi, step = presets.START_RANGE
    # four sliders in one flex row; the small gap keeps them on one line at 1024 px too
    with ui.row(gap="small"):
        sx = ui.slider("Start x", lo, hi, view.start[0], step, key="sx")
        sy = ui.slider("Start y", lo, hi, view.start[1], step, key="sy")
        lr = ui.slider("Step size γ", 0.001, 1.0, 0.1, 0.001, key="lr", format="%.3f")
        iters = ui.slider("Max steps", 10, 1000, 300, 10, key="iters")

    start = (float(sx), float(sy))
    window = view.around(start)              # the view grows to include the start
    bounds = window if view.walls else None
    methods = list(opt.METHODS) if race else [method]
    runs = [descent_run(text, start, m, float(lr), int(iters), bounds=bounds) for m in methods]

    main = runs[0] if not race else None
    if main is not None:
        box = st.success if main.success else st.warning
        box(f"**{opt.METHODS[main.method]}:** {main.message}", icon="✅" if main.success else "⚠️")
    else:
        st.markdown("**The race** — same start, same γ, same step budget:")
        st.dataframe(({
            "strategy": [opt.METHODS[r.method] for r in runs],
            "steps": [r.nit for r in runs],
            "converged": ["✅" if r.success else "⚠️" if r.status == "stationary" else "❌" for r in runs],
            "ends at": [f"({r.x[0]:.4g}, {r.x[1]:.4g})" for r in runs],
            "f at the end": [float(r.values[-1]) if len(r.values) else float("nan") for r in runs],
            "outcome": [r.message for r in runs],
        }), hide_index=True, width="stretch")

    g = surface_grid(text, window)
    c1, c2 = _pair()
    with c1:
        ui.chart_live(figs.descent_contour(g, runs, window), key="dmap", on_click=_dmap_clicked)
        keypad.arrow_pad(opt.start_arrow_label(view.window, step), "dmap", lambda m: _dmap_arrow(m, view.window))
        ui.notice("steepest descent crosses the contours at right angles and zig-zags across narrow "
                  "valleys; Newton jumps straight to the bottom of a bowl but heads for ANY flat point "
                  "(maxima and saddles too). Click anywhere on the map (or press the arrows) to start from there.")
    with c2:
        cam, rev = view3d.view_buttons("dsurf", figs.surface_camera(window, start))     # its Default: the chart's
        ui.chart3d(figs.descent_surface(g, runs, window), key="dsurf", camera=cam, camera_rev=rev)
        ui.notice("the same paths lifted onto the surface: each step should go downhill — the ones "
                  "that climb are Newton steps aimed at a hill-top or saddle.")
    ui.chart_live(figs.descent_values(runs), key="dvals")
    ui.notice("on a log scale a straight falling line means steady (linear) convergence; Newton's "
              "curve plunges once it is close — the number of correct digits doubles each step.")
    # the step γ's drag frames last (recomputed when the start, strategy or step budget changed)
    fr = step_frames(text, start, tuple(methods), int(iters), bounds, tuple(window))
    for key in ("dmap", "dsurf", "dvals"):
        live_chart.send_frames(key, {"lr": fr[key]})


# ---------------------------------------------------------------------------------------------
# 3 · Lagrange multipliers
def _problem_changed() -> None:
    name = st.session_state.get("prob")
    if name in presets.LAGRANGE:
        f, g, _ = presets.LAGRANGE[name]
        st.session_state["lf"], st.session_state["lf_preset"] = f, name
        st.session_state["lg"], st.session_state["lg_preset"] = g, name

@st.fragment
def lagrange_walk(ftext: str, gtext: str, window: tuple, wk, points) -> None:
    """The moving point: a nested fragment, so its slider reruns only the walk and its two charts."""
    # three decimals: at the default two, a step of 0.005 would not show on the slider
    pos = ui.slider("Move the point along the constraint", 0.0, 1.0, 0.1, 0.005, key="pos", format="%.3f")
    if wk is None:
        st.warning("The constraint curve g = 0 does not pass through this window, so there is nothing to walk along.")
        idx = 0
    else:
        idx = int(round(pos * (len(wk.x) - 1)))
        cos = float(wk.parallel[idx]) if math.isfinite(wk.parallel[idx]) else 0.0
        # the reading of f rides in the bar's label: one element where a metric beside it was four
        st.progress(cos, text=f"How parallel are ∇f and ∇g?  |cos θ| = {cos:.3f}"
                    + ("  — parallel: a candidate point!" if cos > 0.999 else "")
                    + f"  ·  f at the point = {wk.f[idx]:.5g}")
    fg = surface_grid(ftext, window, 60)
    gg = surface_grid(gtext, window, 60) if wk is None else None
    c1, c2 = _pair([3, 2])
    with c1:
        ui.chart_live(figs.lagrange_figure(fg, gg, wk, idx, points, window), key="lmap")
        ui.notice("slide the point along the red-orange curve: where f is largest or smallest on it, the curve "
                  "just touches a contour of f, so ∇f and ∇g point along the same line (|cos θ| = 1). "
                  "λ is the ratio of their lengths.")
    with c2:
        if wk is not None:
            ui.chart_live(figs.along_figure(wk, idx, points), key="lalong")
            ui.notice("the constrained problem becomes a 1D one: f along the curve. Its peaks and "
                      "troughs are exactly the Lagrange points marked on the map.")

def lagrange_section() -> None:
    """The header and the condition stay put; the fragments below them are what reruns."""
    st.header("3 · Lagrange multipliers: the best point on a curve")
    st.latex(r"\nabla f = \lambda \nabla g, \qquad g(x, y) = 0")
    lagrange_problem()

@st.fragment
def lagrange_problem() -> None:
    ui.select("Problem", list(presets.LAGRANGE), 0, key="prob", on_change=_problem_changed)
    c1, c2 = st.columns(2)
    with c1:
        ftext, _ = ui.function_input("f", presets.LAGRANGE_F, key="lf", variables=("x", "y"))
    with c2:
        gtext, _ = ui.function_input("g", presets.LAGRANGE_G, key="lg", variables=("x", "y"),
                                     help="The constraint is g(x, y) = 0: type the left-hand side.")
    window = presets.lagrange_window(ftext, gtext)
    sol = lagrange(ftext, gtext, window)
    wk = walk(ftext, gtext, window)
    if sol.note:
        st.info(sol.note)
    lagrange_walk(ftext, gtext, window, wk, sol.points)
    st.markdown(f"**Solutions of ∇f = λ∇g, g = 0** ({'exact, by sympy' if sol.method == 'symbolic' else 'numeric root finding from many starts along the curve'}):")
    if sol.points:
        st.dataframe(({
            "x": [p.x for p in sol.points], "y": [p.y for p in sol.points], "λ": [p.lam for p in sol.points],
            "f": [p.f for p in sol.points],
            "kind": [{"max": "constrained maximum", "min": "constrained minimum"}.get(p.kind, "neither")
                     for p in sol.points]}),
            hide_index=True, width="stretch",
            column_config={c: st.column_config.NumberColumn(format="%.8g") for c in ("x", "y", "λ", "f")})
    else:
        st.info("No solutions found in this window.")

newton_section()
descent_section()
lagrange_section()
