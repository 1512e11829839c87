"""Module 1 · What is calculus?  From rise over run to the four rules (issue 3)."""
from __future__ import annotations

import math
import random

import streamlit as st

import ui
from ui import audio, live_chart
from explorer import derivatives as D
from explorer.figures import derivatives as F
from explorer.figures.frames import frames_json
from explorer.numbers import nice, nice_text

LO, HI = -3.0, 3.0
X0_VALUES = F.slider_values(LO, HI, 0.05)        # the positions of the x₀ and h sliders (drag frames)
LOGH_VALUES = F.slider_values(-8.0, 0.0, 0.25)


# ---------------------------------------------------------------------------------------------
# Cached explorer calls (keyed by text and numbers)
@st.cache_resource(max_entries=128, show_spinner=False)
def gradient(text: str) -> D.GradientData:
    """Shared, not copied (cache_resource): read on every slider step, never modified."""
    return D.gradient_data(text, LO, HI)


@st.cache_data(max_entries=256, show_spinner=False)
def errors(text: str, x0: float) -> D.DifferenceErrors:
    return D.difference_errors(text, x0, breaks=gradient(text).breaks)


@st.cache_data(max_entries=128, show_spinner=False)
def quotient(text: str) -> D.QuotientAttempt:
    return D.try_difference_quotient(text)


@st.cache_data(max_entries=128, show_spinner=False)
def steps(text: str):
    der = D.derivative_steps_cached(text)
    return der, D.equals_sympy_diff(der)


# drag frames (issue #19): each set depends on the OTHER controls only, so it is computed once per
# state of those and re-sent as a short reference while its own slider moves; kept as the JSON bytes
# the chart sends (encoded once, not on every rerun that sends them)
@st.cache_resource(max_entries=64, show_spinner=False)
def x0_frames(text: str, logh: float) -> dict[str, bytes]:
    return {k: frames_json(v) for k, v in F.x0_frames(text, gradient(text), 10.0 ** logh, X0_VALUES).items()}


@st.cache_resource(max_entries=64, show_spinner=False)
def h_frames(text: str, x0: float) -> dict[str, bytes]:
    hf = F.h_frames(text, gradient(text), x0, LOGH_VALUES, errors(text, x0))
    return {k: frames_json(v) for k, v in hf.items()}


@st.cache_resource(max_entries=64, show_spinner=False)
def gradient_frames(text: str) -> bytes:
    return frames_json(F.gradient_frames(text, gradient(text), X0_VALUES))


@st.cache_data(max_entries=64, show_spinner=False)
def match_q(seed: int, previous: str | None) -> D.MatchQuestion:
    return D.match_question(seed, previous)


@st.cache_data(max_entries=64, show_spinner=False)
def diff_q(seed: int, previous: str | None) -> D.DiffQuestion:
    return D.differentiate_question(seed, previous)


@st.cache_data(max_entries=256, show_spinner=False)
def small_chart(text: str, title: str, colour: str):
    x, y = D.curve(text, LO, HI)
    return F.small_curve(x, y, title, colour), D.candidate_note(text, LO, HI)


# ---------------------------------------------------------------------------------------------
ui.page_header(
    "What is calculus?",
    "Calculus measures **how fast things change**. For a straight line the gradient is *rise over run*; "
    "for a curve we take the rise over a tiny run and watch what happens as the run shrinks. "
    "Pick a function, move **x₀** and **h**, and see the secant become the tangent.")

text, expr = ui.function_input("f", D.PRESETS, key="f", variables=("x",))


def rise_and_gradient(text: str) -> None:
    """Sections 1-3. What depends only on f (the section header, the notes about the points where
    f has no derivative) sits outside the fragments: x₀ reruns `explore`, h only `rise_over_run`."""
    st.subheader("1 · Rise over run")
    explore(text)
    g = gradient(text)
    if not g.exact:
        st.info("sympy took too long to differentiate this f — showing a numeric result instead "
                "(central differences).", icon="⏱️")
    for bp in g.breaks:
        with st.container(border=True):
            st.markdown(f"**Not differentiable at x = {nice(bp.x)}** ({bp.kind}). {bp.message}"
                        + ui.display_math(D.limits_latex(bp)))


@st.fragment
def explore(text: str) -> None:
    """x₀ reruns from its slider to the gradient chart; h reruns only its own part (nested fragment)."""
    x0 = ui.slider("x₀ (the point)", LO, HI, 1.0, 0.05, key="x0")
    g = gradient(text)
    rise_over_run(text, x0, g)

    st.subheader("3 · The gradient function f′")
    s = D.secant(text, x0, 1e-3, g.breaks)
    ui.chart_live(F.gradient_figure(g, x0, s.f0, s.true_slope), key="gradient",
                  frames={"x0": gradient_frames(text)})
    ui.notice("the height of the lower curve at x₀ is the slope of the upper curve at x₀: where f climbs, "
              "f′ is positive; where f is flat (a peak or a valley), f′ crosses zero."
              + (" Open circles mark one-sided limits at the points where f has no derivative." if g.breaks else ""))
    # the h slider's drag frames (recomputed when x₀ was released), outside its own fragment
    hf = h_frames(text, x0)
    live_chart.send_frames("secant", {"logh": hf["secant"]})
    live_chart.send_frames("zoom", {"logh": hf["zoom"]})
    live_chart.send_frames("errors", {"logh": hf.get("errors")})


ERROR_FORMULAS = (
    # section 2's header, the error formulas and what ε is: one element, none of it depends on h;
    # one short formula a display, so each fits a 390 px phone column
    "### 2 · Why not just let h → 0 on a computer?\n\nA difference quotient makes two errors:"
    + ui.display_math(r"\text{error} = \underbrace{\text{truncation}}_{\text{shrinks with } h}"
                      r" + \underbrace{\text{round-off}}_{\text{grows as } 1/h}")
    + "**Forward** difference:"
    + ui.display_math(r"\frac{f(x_0+h)-f(x_0)}{h} = f'(x_0) + \tfrac{h}{2}f''(\xi) \pm \tfrac{2\varepsilon |f|}{h}")
    + "**Central** difference:"
    + ui.display_math(r"\frac{f(x_0+h)-f(x_0-h)}{2h} = f'(x_0) + \tfrac{h^2}{6}f'''(\xi)"
                      r" \pm \tfrac{\varepsilon |f|}{h}")
    + "The two errors balance near"
    + ui.display_math(r"h^*_{\text{fwd}}\approx\sqrt\varepsilon\approx 1.5\cdot10^{-8},")
    + ui.display_math(r"h^*_{\text{cen}}\approx\varepsilon^{1/3}\approx 6\cdot10^{-6}.")
    + "ε ≈ 2.2×10⁻¹⁶ is the spacing of double-precision numbers near 1: the relative round-off "
    "of every stored value.")


@st.fragment
def rise_over_run(text: str, x0: float, g: D.GradientData) -> None:
    logh = ui.slider("step h (log scale: h = 10^slider)", -8.0, 0.0, -0.5, 0.25, key="logh",
                     format="10^%.2f")
    h = 10.0 ** logh
    s = D.secant(text, x0, h, g.breaks)
    if not math.isfinite(s.f0):
        st.warning(f"f is not defined at x₀ = {nice(x0)}: move x₀ to where the curve is drawn.", icon="📍")
    for b in D.breaks_at(g.breaks, x0):
        st.warning(f"**No derivative at x₀ = {nice(x0)}.** {b.message}", icon="📍")

    a, b_ = st.columns([3, 2])
    with a:
        ui.chart_live(F.secant_figure(g.x, g.f, s, g.f_range), key="secant")
        audio.play_as_sound(g.x, g.f, "f(x)", key="secant")
    with b_:
        zoom = F.zoom_figure(text, s, g.breaks)
        if zoom is not None:
            ui.chart_live(zoom, key="zoom")
    # one caption for the pair of charts (one element per step fewer than a caption in each column)
    ui.notice(("**left,** " if zoom is not None else "")
              + "the orange secant joins two points of the curve; its slope is rise/run. Slide h to the "
              "left: the two points merge and the secant turns into the dashed green tangent."
              + (" **Right,** the close-up always spans a few h around x₀. Zoomed in far enough, a smooth "
                 "curve looks straight: that straight line is the tangent." if zoom is not None else ""))

    # the secant's numbers right under its picture, then section 2's header and formulas: one element
    # enough digits that f(x0+h) and f(x0) visibly differ
    st.markdown(ui.display_math(D.secant_latex(s, D.digits_for_step(h))) + ERROR_FORMULAS)
    e = errors(text, x0)
    if e.ok:
        fig = F.errors_figure(e, h)
        ui.chart_live(fig, key="errors", **F.errors_words(fig))
        ui.notice("going right to left, the error first falls (truncation: the secant bends less) and "
                  "then rises again (round-off: f(x₀+h) − f(x₀) loses digits). The stars mark the best h. "
                  "Central differences fall faster (∝ h²) and bottom out at a larger h.",
                  before=f"Here the best forward h is **≈ {nice_text(e.best_forward, 2)}** (error "
                         f"{nice_text(e.min_forward, 2)}), the best central h "
                         f"**≈ {nice_text(e.best_central, 2)}** (error {nice_text(e.min_central, 2)})."
                         + (" The central difference has no truncation error for this f at x₀ (it is exact "
                            "for quadratics), so only round-off is left." if e.central_truncation_free else ""))
    else:
        st.info("f or f′ is not defined at x₀, so there is no error to plot: move x₀.", icon="📍")
    # the x₀ drag frames last (recomputed when h was released); the h frames depend on x₀ only, so
    # `explore` sends them: an h step then does not send them again
    xf = x0_frames(text, logh)
    live_chart.send_frames("secant", {"x0": xf["secant"]})
    if zoom is not None:
        live_chart.send_frames("zoom", {"x0": xf["zoom"]})


rise_and_gradient(text)

# ---------------------------------------------------------------------------------------------
st.subheader("4 · From the definition")
st.latex(r"f'(x) = \lim_{h\to 0}\frac{f(x+h)-f(x)}{h}")
attempt = quotient(text)
q = attempt.result
if q is not None:
    st.markdown(q.how + ui.display_math(D.definition_latex(q)))
    if q.limit is None:
        st.info(q.note, icon="ℹ️")
elif attempt.why == "timeout":
    st.info("sympy took too long to simplify this quotient — showing a numeric result instead: "
            f"at x = 1 the quotient with h = 10⁻⁵ is ≈ {nice_text(D.numeric_quotient(text, 1.0, 1e-5), 6)}.",
            icon="⏱️")
else:
    st.info(f"sympy could not work with this quotient ({attempt.why}); the rules below still apply.", icon="ℹ️")

# ---------------------------------------------------------------------------------------------
st.subheader("5 · The rules, step by step")
with st.expander("The rules in one place", expanded=False):
    st.latex(D.RULES_LATEX)
der, same = steps(text)


def show_steps(der: D.Derivation, limit: int = 40) -> None:
    for stp in der.steps[:limit]:
        pad = "⠀⠀" * stp.depth + ("↳ " if stp.depth else "")
        st.markdown(f"{pad}**{stp.title}**")
        st.latex(stp.latex)
    if len(der.steps) > limit:
        st.caption(f"… {len(der.steps) - limit} more steps not shown.")


show_steps(der)
if not der.simplified:
    st.info("sympy took too long to simplify the result — showing it as the rules assembled it.", icon="⏱️")
st.caption("✅ The result equals `sympy.diff(f, x)`." if same else
           "⚠️ Could not confirm this equals `sympy.diff` (it may differ only where f is undefined).")


# ---------------------------------------------------------------------------------------------
def _new_match(previous: str) -> None:
    ss = st.session_state
    ss["mq_prev"], ss["mq_seed"] = previous, ss["mq_seed"] + 1
    ss.pop("mq_pick", None)


def _new_diff(previous: str) -> None:
    ss = st.session_state
    ss["dq_prev"], ss["dq_seed"] = previous, ss["dq_seed"] + 1
    ss["dq_answer"] = ""
    ss.pop("dq_checked", None)


def show_verdict(v: D.Verdict) -> None:
    show, icon = {"right": (st.success, "✅"), "wrong": (st.error, "❌"), "unreadable": (st.error, "⚠️")}[v.kind]
    show(v.message, icon=icon)


@st.fragment
def self_check() -> None:
    st.subheader("6 · Self-check")
    ss = st.session_state
    ss.setdefault("mq_seed", random.randrange(10 ** 6))
    ss.setdefault("dq_seed", random.randrange(10 ** 6))
    tab1, tab2 = st.tabs(["Match the graph", "Differentiate this"])
    with tab1:
        mq = match_q(ss["mq_seed"], ss.get("mq_prev"))
        st.markdown("Here is the graph of **f**. Which graph is the graph of its derivative **f′**?")
        fig, note = small_chart(mq.f_text, "f(x)", F.BLUE)
        ui.chart(fig, key="mq_f", label="Graph of f")
        ui.notice("find where f is flat (peaks, valleys): f′ must be zero there; where f climbs, f′ is above zero.")
        cols = st.columns(len(mq.options))
        for i, (col, opt) in enumerate(zip(cols, mq.options)):
            with col:
                fig, note = small_chart(opt, f"{mq.labels[i]}", F.GREEN)
                ui.chart(fig, key=f"mq_opt{i}", label=f"Graph {mq.labels[i]}")
                ui.notice(f"{mq.labels[i]} is {note}")
        pick = st.radio("Your answer", mq.labels, index=None, horizontal=True, key="mq_pick")
        b1, b2 = st.columns([1, 5])
        if b1.button("Check", key="mq_check", disabled=pick is None):
            show_verdict(D.mark_match(mq, pick))
            st.latex(mq.answer_latex)
        b2.button("New question", key="mq_new", on_click=_new_match, args=(mq.f_text,))
    with tab2:
        dq = diff_q(ss["dq_seed"], ss.get("dq_prev"))
        st.markdown("Differentiate:")
        st.latex(rf"f(x) = {dq.latex}")
        ans = st.text_input("f′(x) =", key="dq_answer", placeholder="e.g. 2x cos(x^2)", max_chars=300)
        b1, b2 = st.columns([1, 5])
        checked = b1.button("Check", key="dq_check")
        if checked or ss.get("dq_checked") == dq.text:
            ss["dq_checked"] = dq.text
            verdict = D.mark_derivative_answer(dq, ans)
            if verdict is not None:
                show_verdict(verdict)
            st.latex(rf"f'(x) = {dq.answer_latex}")
            with st.expander("Worked steps", expanded=True):
                show_steps(D.derivative_steps_cached(dq.text))
        b2.button("New question", key="dq_new", on_click=_new_diff, args=(dq.text,))


self_check()
