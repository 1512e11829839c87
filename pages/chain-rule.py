"""Page: Chain rule and neural networks (module 3)."""
from __future__ import annotations

import numpy as np
import streamlit as st

import ui
from explorer import chain_rule as cr
from explorer.figures import chain_rule as plots
from explorer.figures.chain_rule_frames import t_frames
from explorer.figures.frames import slider_values
from explorer import network as nn
from explorer.expressions import to_latex
from explorer.numbers import nice_text, tex_number
from explorer.symbolic import SymbolicTimeout, call
from ui import audio

ui.page_header(
    "Chain rule and neural networks",
    "Walk along a path across a surface and the height changes at the rate "
    "$\\frac{df}{dt} = \\frac{\\partial f}{\\partial x}\\frac{dx}{dt} + \\frac{\\partial f}{\\partial y}\\frac{dy}{dt}$. "
    "Backpropagation is the same rule applied layer after layer: below, it trains a small "
    "network to draw a heart, one chain-rule factor at a time.")


# =============================================================================================
# Part 1: the chain rule on a path
@st.cache_data(max_entries=64, show_spinner=False)
def _symbolic(f_text: str, x_text: str, y_text: str):
    return call(cr.chain_rule_symbolic, f_text, x_text, y_text, timeout=2.0)


@st.cache_data(max_entries=64, show_spinner=False)
def _curves(f_text: str, x_text: str, y_text: str):
    """The contour grid of f, and the path with g(t) along it."""
    return cr.contour_grid(f_text, n=61), cr.path_samples(f_text, x_text, y_text)


T_VALUES = slider_values(round(cr.T_RANGE[0], 2), round(cr.T_RANGE[1], 2), 0.02)   # the t slider's positions


@st.cache_resource(max_entries=32, show_spinner=False)    # drag frames of t (issue #19): per f and path
def _t_frames(f_text: str, x_text: str, y_text: str, exact: bool, _sym):
    return t_frames(_sym, f_text, x_text, y_text, T_VALUES)


def _path_preset_changed():
    choice = st.session_state["path"]
    if choice in cr.PATH_PRESETS:
        st.session_state["xt"], st.session_state["yt"] = cr.PATH_PRESETS[choice]


def _path_typed():
    st.session_state["path"] = cr.path_preset(st.session_state.get("xt"), st.session_state.get("yt")) or ui.CUSTOM


def _path_input() -> tuple[str, str, str | None]:
    """Path preset + x(t), y(t) boxes bound to the URL: the last valid pair, and its LaTeX (or None)."""
    names, circle = list(cr.PATH_PRESETS), cr.PATH_PRESETS["circle"]
    if "path" not in st.session_state and ("xt" in st.query_params or "yt" in st.query_params):
        # a shared link with a typed path: show it as "type your own" unless it is a preset
        pair = (st.query_params.get("xt", circle[0]), st.query_params.get("yt", circle[1]))
        st.session_state["path"] = cr.path_preset(*pair) or ui.CUSTOM
    with ui.row():
        ui.select("Path: preset", names + [ui.CUSTOM], index=names.index("circle"), key="path",
                  on_change=_path_preset_changed)
        st.text_input("x(t) =", value=circle[0], key="xt", bind="query-params", on_change=_path_typed,
                      max_chars=300)
        st.text_input("y(t) =", value=circle[1], key="yt", bind="query-params", on_change=_path_typed,
                      max_chars=300)
    typed = (st.session_state.get("xt", circle[0]), st.session_state.get("yt", circle[1]))
    (xt, yt), (ex, ey) = ui.last_valid("_path_last_valid", typed, lambda p: cr.parse_path(*p),
                                       fallback=circle, what="path")
    return xt, yt, (rf"\big(x(t),\,y(t)\big) = \Big({to_latex(ex)},\; {to_latex(ey)}\Big),\quad 0 \le t \le 2\pi"
                    if (xt, yt) == typed else None)


@st.fragment
def chain_rule_section():
    """f and the path: changing them reruns this; the t slider reruns only `at_t` below."""
    f_text, _ = ui.function_input("f", cr.F_PRESETS, key="f", variables=("x", "y"))
    x_text, y_text, path_tex = _path_input()
    try:
        sym = _symbolic(f_text, x_text, y_text)
    except SymbolicTimeout:
        sym = None
        st.info("The symbolic derivatives took too long — showing a numeric result instead.", icon="⏱️")
    # presenter mode puts the picture first (on a 1024×768 screen): path and rule go under the charts
    formulas = [tex for tex in (path_tex, cr.rule_tex(sym)) if tex]
    for tex in [] if ui.presenting() else formulas:
        st.latex(tex)
    at_t(f_text, x_text, y_text, sym)
    for tex in formulas if ui.presenting() else []:
        st.latex(tex)


@st.fragment
def at_t(f_text: str, x_text: str, y_text: str, sym) -> None:
    """The t slider, the two charts and the chain rule's numbers at t."""
    t0 = ui.slider("t", T_VALUES[0], T_VALUES[-1], 1.0, 0.02, key="t")
    at = (cr.chain_rule_at(sym, f_text, x_text, y_text, t0) if sym is not None
          else cr.chain_rule_numeric(f_text, x_text, y_text, t0))

    (g, Z), (t, xs, ys, gs) = _curves(f_text, x_text, y_text)
    frames = _t_frames(f_text, x_text, y_text, sym is not None, sym)
    c1, c2 = st.columns(2)
    with c1:
        ui.chart_live(plots.contour_with_path(g, Z, xs, ys, at), key="cr_contour", frames={"t": frames["cr_contour"]})
        ui.notice("the red-orange arrow is the velocity (dx/dt, dy/dt). Where it runs along a contour line "
                  "the height does not change, so df/dt = 0; where it crosses contours uphill, df/dt > 0.")
    with c2:
        ui.chart_live(plots.composed_with_tangent(t, gs, at), key="cr_curve", frames={"t": frames["cr_curve"]})
        audio.play_as_sound(t, gs, "g(t) = f(x(t), y(t))", key="cr_curve")
        ui.notice("the dashed tangent's slope is the chain-rule sum on the left, computed from the "
                  "partial derivatives alone, yet it touches the curve exactly.")

    st.latex(cr.reading_tex(at))
    if not np.isfinite(at.df_dt):
        st.warning("f or the path is undefined at this t: move t or change the function.", icon="⚠️")


st.header("1 · The chain rule on a path")
chain_rule_section()


# =============================================================================================
# Part 2: backpropagation
HIDDEN = ["6, 7", "6", "3", "4, 4", "8, 8", "12", "10, 10, 10"]
TARGET_NAMES = ["heart", "circle", "figure-eight", "typed"]
TYPED_DEFAULT = ("0.9 cos(2 pi t)^3", "0.9 sin(2 pi t)^3")
N_POINTS = 100
MAX_ITERATIONS = 200_000
TICK_SECONDS = 0.35
LEDGER_TICK_SECONDS = 1.0   # while playing the ledger follows the training at a calmer pace


def _typed_target() -> tuple[str, str]:
    c1, c2 = st.columns(2)
    with c1:
        st.text_input("target x(t), 0 ≤ t ≤ 1", value=TYPED_DEFAULT[0], key="tx", bind="query-params",
                      max_chars=300)
    with c2:
        st.text_input("target y(t), 0 ≤ t ≤ 1", value=TYPED_DEFAULT[1], key="ty", bind="query-params",
                      max_chars=300)
    typed = (st.session_state.get("tx", TYPED_DEFAULT[0]), st.session_state.get("ty", TYPED_DEFAULT[1]))
    pair, _ = ui.last_valid("_target_last_valid", typed, lambda p: nn.check_typed_target(*p, n=N_POINTS),
                            fallback=TYPED_DEFAULT, what="curve", drawing="training on")
    return pair


def _session() -> nn.TrainingSession:
    return st.session_state["_nn"]


def _knobs() -> tuple[int, float, float]:
    """Iterations per step, learning rate and noise: read when training, not when moved."""
    ss = st.session_state
    return int(ss.get("steps", 100)), ss.get("rate", 7.0), ss.get("noise", 0.0)


def _draw_training() -> None:
    """Readings, the two training charts and the gradient check: rerun every tick while playing."""
    s = _session()
    s.tick(*_knobs())
    net, x, y = s.net, s.x, s.y
    act = net.activation

    st.markdown(ui.results_table({
        "Cost C": nice_text(s.cost, 5),
        "Iteration": f"{s.iteration:,}",
        "Status": "training ▶" if s.playing else "paused ⏸"}))

    c1, c2 = st.columns(2)
    with c1:
        ui.chart_live(plots.drawing(nn.to_plane(y, act), nn.to_plane(net.predict(x), act), s.iteration),
                      key="nn_drawing")
        ui.notice("the input is just t from 0 to 1; each output neuron draws one coordinate. "
                  "Watch the red-orange curve bend toward the grey target as the cost falls.")
    with c2:
        ui.chart_live(plots.cost_history(s.history), key="nn_cost")
        ui.notice("on a log scale steady progress is a straight line; plateaus are the network "
                  "stuck near a saddle before it finds the next feature of the curve. Too much "
                  "aggression makes the cost jump up.")

    chk = nn.gradient_check(net, x, y)
    st.markdown("**Gradient check.** Backpropagation's gradient $g_b$ against central finite differences "
                "$g_n = \\frac{C(w+\\varepsilon)-C(w-\\varepsilon)}{2\\varepsilon}$, $\\varepsilon = 10^{-6}$, "
                f"for every one of the {net.n_parameters} parameters, layer by layer:"
                + ui.display_math(nn.errors_tex(chk)))
    if chk.max_error < 1e-6:
        st.success(f"Backprop agrees with finite differences: largest relative error {nice_text(chk.max_error, 2)}.",
                   icon="✅")
    else:
        st.warning(f"Largest relative error {nice_text(chk.max_error, 2)}: the network is saturated or the "
                   "finite differences lose precision here.", icon="⚠️")


def ledger_section(n_layers: int, act: str, playing: bool) -> None:
    """The ledger's heading and general formulas stay put; only the fragment after them reruns
    when k changes (and about once a second while playing, so the ledger follows the training
    without adding its elements to every training tick)."""
    st.subheader("The backprop ledger")
    st.markdown("The chain rule layer by layer, from the output backwards (the row above feeds the "
                "one below):" + ui.display_math(nn.ledger_rules_tex(n_layers, act)))
    if playing:
        st.fragment(run_every=LEDGER_TICK_SECONDS)(ledger_panel)()
    else:
        st.fragment(ledger_panel)()


def ledger_panel() -> None:
    """Example k's every chain-rule factor (a fragment: choosing k redraws only this)."""
    s = _session()
    net, x, y = s.net, s.x, s.y
    ex = int(ui.slider("Training example k", 0, N_POINTS - 1, 25, 1, key="ex"))
    ck, layers = nn.ledger(net, x, y, ex)
    L = len(layers)
    st.markdown(f"Every factor of the chain rule for training example **k = {ex}** "
                f"(input t = {x[ex, 0]:.2f}), with its own cost "
                f"$C_k = |a^{{({L})}}_k - y_k|^2 = {tex_number(ck)}$ (C is the mean of these over the "
                f"{len(x)} examples). Read each row left to right:")
    ui.chart_live(plots.ledger_figure(layers), key="nn_ledger")
    ui.notice("∂C/∂W is the outer product of the column ∂C/∂z and the row a⁽ˡ⁻¹⁾: a weight barely "
              "moves when the neuron feeding it is quiet (a ≈ 0) or its own neuron is saturated "
              "(σ′ ≈ 0). Red is positive, blue negative.")


@st.fragment
def network_section():
    # columns, not a flex row: four across must hold at 1024 px (this is no slider's rerun scope)
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        target = ui.select("Target curve", TARGET_NAMES, 0, key="target")
    with c2:
        hidden = ui.select("Hidden layers (neurons)", HIDDEN, 0, key="hidden")
    with c3:
        act = ui.select("Activation σ", list(nn.ACTIVATIONS), 0, key="act", widget=st.radio,
                        horizontal=True)
    with c4:
        seed = int(ui.number("Seed", 0, key="seed", min_value=0, max_value=9999, step=1))
    tx, ty = _typed_target() if target == "typed" else (None, None)
    if target == "typed":
        st.caption("Typed curves are shrunk to fit the box [−0.95, 0.95]² the outputs can reach, when needed.")
    else:
        st.latex(rf"\begin{{aligned}}&\text{{target:}}\ (x(t), y(t)) =\\ &{nn.TARGET_LATEX[target]}\end{{aligned}}")

    knobs()

    config = nn.TrainingConfig(target, tx, ty, hidden, act, seed)
    if st.session_state.get("_nn") is None or _session().config != config:
        st.session_state["_nn"] = nn.TrainingSession(config, N_POINTS, MAX_ITERATIONS)
    s = _session()
    if s.scaled:
        st.caption("The typed curve was shrunk to fit inside the box the outputs can reach.")

    b1, b2, b3, _ = st.columns([1, 1, 1, 3])
    with b1:
        st.button("⏸ Pause" if s.playing else "▶ Play", key="nn_play", on_click=lambda: _session().toggle_play(),
                  type="primary", width="stretch")
    with b2:
        st.button("Step", key="nn_step", on_click=lambda: _session().step(*_knobs()), width="stretch", disabled=s.playing,
                  help="Train for the chosen number of iterations once.")
    with b3:
        st.button("↺ Reset", key="nn_reset", on_click=lambda: _session().reset(), width="stretch")

    if s.playing:
        # a fragment of its own, rerun by the browser every tick without any input: it trains
        # a batch of iterations and redraws; pausing removes it, which stops the timer
        st.fragment(run_every=TICK_SECONDS)(_draw_training)()
    else:
        _draw_training()
    ledger_section(len(s.net.weights), act, s.playing)


@st.fragment
def knobs():
    """Learning rate, noise and iterations per step: read at the next training step, so moving
    them redraws nothing else (a fragment of their own)."""
    with ui.row():
        ui.slider("Learning rate η (aggression)", 0.1, 20.0, 7.0, 0.1, key="rate")
        ui.slider("Gradient noise", 0.0, 3.0, 0.0, 0.1, key="noise",
                  help="Each gradient component is multiplied by (1 + noise·ξ), ξ ~ N(0, 1): "
                       "a stochastic descent that still goes downhill on average.")
        ui.select("Iterations per step / tick", [1, 10, 100, 1000], 2, key="steps",
                  widget=st.radio, horizontal=True)
    if st.session_state.get("act") == "tanh" and st.session_state.get("rate", 7.0) > 1.5:
        st.caption("Tip: tanh's slope is up to 4× the sigmoid's, so it trains best with aggression ≈ 0.3.")


st.divider()
st.header("2 · Backpropagation: teaching a network to draw")
st.markdown(
    "The network takes one number t ∈ [0, 1] and outputs two, a point (x, y). Steepest descent "
    "moves every weight and bias against the gradient of the cost, which backpropagation "
    "computes with the chain rule:" + ui.display_math(
    r"\begin{gathered}C = \frac{1}{N}\sum_{k=1}^{N}\big|a^{(L)}_k - y_k\big|^2\\ "
    r"a^{(l)} = \sigma\big(W^{(l)}a^{(l-1)} + b^{(l)}\big)\\[4pt] "
    r"W \leftarrow W - \eta\,\frac{\partial C}{\partial W},\qquad "
    r"b \leftarrow b - \eta\,\frac{\partial C}{\partial b}\end{gathered}"))
network_section()
