"""Page: Taylor series and linearisation — approximations and how wrong they are."""
from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

import ui
from ui import audio, live_chart
from explorer import taylor as tx
from explorer.figures import taylor as tp
from explorer.figures import taylor_frames as tf
from explorer.figures.frames import slider_values
from explorer.numbers import subscript
from explorer.taylor import sweep as tsweep
from explorer.taylor.bounds import LAGRANGE_TEX

NPLAY = 20          # the ▶ button plays n = 0 .. max(NPLAY, n)
NMAX = 30
A_LO, A_HI = -3.0, 3.0
A_VALUES, N_VALUES = slider_values(A_LO, A_HI, 0.1), list(range(NMAX + 1))    # drag frames (issue #19)

# Every control reruns only the fragments that draw what it changes (its on_change names them,
# st.rerun(keys) from a callback): the controls themselves, the headers and the other pictures
# stay as they are. The values are read from st.session_state inside those fragments.
CHART_1D, SIDE_1D = "tay-1d-chart", "tay-1d-side"
SURF_2D, TEX_2D, ERR_2D = "tay-2d-surf", "tay-2d-tex", "tay-2d-err"
DEFAULTS = {"a": 0.0, "n": 3, "eps": -2.0, "w": 4.0,
            "x0": 0.5, "y0": 0.5, "r": 1.5, "eps2": -2.0, "s0": False, "s1": True, "s2": True, "hm": "T2"}


@st.cache_data(max_entries=64, show_spinner=False)
def expansion(text: str, a: float, order: int) -> tx.Expansion:
    return tx.expand_1d(text, a, order)


@st.cache_data(max_entries=64, show_spinner=False)
def curves(text: str, a: float, order: int, lo: float, hi: float) -> tx.Curves:
    return tx.curves_1d(text, expansion(text, a, order), (lo, hi), npts=121)


@st.cache_data(max_entries=64, show_spinner=False)
def radius(text: str, a: float, order: int) -> tx.Radius:
    return tx.radius_of_convergence(text, a, expansion(text, a, order).coeffs)


@st.cache_data(max_entries=64, show_spinner=False)
def terms_latex(text: str, a: float, order: int, n: int) -> tuple[str, list[str]]:
    """Tₙ in LaTeX and the coefficient blocks (the first six rows, then the rest)."""
    return expansion(text, a, order).terms_latex(n)


@st.cache_data(max_entries=64, show_spinner=False)
def f_line(text: str, w: float):
    """f over every window a can reach (so that the frames of a need not carry it)."""
    return tf.f_line(text, w, A_LO, A_HI)


# drag frames (issue #19): each set depends on the OTHER controls only, so a step of its own
# slider re-sends it as a short reference; the other slider's set is recomputed on release, as a
# slice of every Tₖ at every a (frame_window: f and w only, so a release of a, n or ε reuses it)
@st.cache_resource(max_entries=8, show_spinner=False)
def frame_jet(text: str) -> tuple:
    return tsweep.jet(text, A_VALUES, tf.NMAX), tf.radii(text, A_VALUES)


@st.cache_resource(max_entries=2, show_spinner=False)     # 2 MB each (every Tₖ at every a): the w now and before
def frame_window(text: str, w: float) -> tf.Window:
    return tf.prepare(text, w, A_VALUES, *frame_jet(text))


@st.cache_resource(max_entries=32, show_spinner=False)
def a_frames(text: str, n: int, k_eps: float, w: float) -> dict:
    return tf.a_frames(text, n, 10.0 ** k_eps, w, NPLAY, A_VALUES, f_line(text, w), win=frame_window(text, w))


@st.cache_resource(max_entries=32, show_spinner=False)
def n_frames(text: str, a: float, k_eps: float, w: float) -> dict:
    return tf.n_frames(text, a, 10.0 ** k_eps, w, radius(text, a, NPLAY), NPLAY, N_VALUES, f_line(text, w),
                       win=frame_window(text, w))


@st.cache_data(max_entries=64, show_spinner=False)
def local2d(text: str, x0: float, y0: float) -> tx.Local2D:
    return tx.local_2d(text, (x0, y0))


@st.cache_data(max_entries=64, show_spinner=False)
def formulas_latex(text: str, x0: float, y0: float) -> list[str]:
    """The formulas beside the surfaces (J, H, T₀, T₁, T₂, Δx), so that a step of r or ε reuses them."""
    return local2d(text, x0, y0).formulas()


@st.cache_data(max_entries=64, show_spinner=False)
def surfaces(text: str, x0: float, y0: float, r: float) -> dict:
    return tx.surfaces_2d(text, local2d(text, x0, y0), r, n=40)


def _get(key: str):
    """A control's value inside a fragment (the control itself may not have rerun)."""
    v = st.session_state.get(key)
    return DEFAULTS[key] if v is None else v


def only(*keys: str):
    """on_change: rerun just these fragments (st.rerun with fragment keys, from a callback). Should
    one of them not have been drawn in the last run, the whole page reruns instead."""
    def rerun_them():
        try:
            st.rerun(list(keys))
        except StreamlitAPIException:
            st.rerun()
    return rerun_them


ui.page_header(
    "Taylor series and linearisation",
    "Build a function from its derivatives at **one point**: "
    r"$T_n(x) = \sum_{k=0}^{n} \frac{f^{(k)}(a)}{k!}(x-a)^k$. "
    "See where the approximation holds, where it fails, and carry the idea to two variables "
    "with the Jacobian $J$ and the Hessian $H$.")


# =============================================================================================
def _one_d_state(text: str):
    """(a, n, ε, lo, hi, order, expansion) from the sliders."""
    a, n = round(float(_get("a")), 4), int(_get("n"))
    w = float(_get("w"))
    order = max(NPLAY, n)
    return a, n, 10.0 ** float(_get("eps")), round(a - w, 4), round(a + w, 4), order, expansion(text, a, order)


@st.fragment
def controls_1d() -> None:
    """The sliders, alone in a fragment: a step reruns (through its on_change) only the fragments
    that draw what it changes: ε only the chart; a, n and the window the chart and the column
    beside it. Neither the sliders nor the headers are sent again."""
    both = only(CHART_1D, SIDE_1D)
    with ui.row(gap="small"):     # (a small gap: one line at 1024 px too)
        ui.slider("expansion point a", A_LO, A_HI, DEFAULTS["a"], 0.1, key="a", on_change=both)
        ui.slider("order n", 0, NMAX, DEFAULTS["n"], 1, key="n", on_change=both)
        ui.slider("tolerance ε = 10^k, k =", -8.0, 0.0, DEFAULTS["eps"], 0.5, key="eps",
                  on_change=only(CHART_1D))
        ui.slider("window half-width", 1.0, 8.0, DEFAULTS["w"], 0.5, key="w", on_change=both)


@st.fragment(key=CHART_1D)
def chart_1d(text: str) -> None:
    a, n, eps, lo, hi, order, exp = _one_d_state(text)
    if not exp.ok:
        st.warning(f"**No Taylor polynomial at a = {a:g}:** {exp.message} Move a, or pick another function.",
                   icon="🚧")
        return
    if exp.message:
        st.info(exp.message, icon="⏱️")
    w = float(_get("w"))
    c = curves(text, a, order, lo, hi)
    fig = tp.figure_1d(c, a, n, eps, radius(text, a, order), nplay=order, f_line=f_line(text, w))
    ui.chart_live(fig, key="t1d")
    ui.notice("near a the red Tₙ hugs f, and each extra order widens the green band where the error is "
              "below ε. Press ▶ to watch n grow (it runs in your browser). Below, the error on a log "
              "scale falls like |x − a|ⁿ⁺¹ near a and stays under the grey Lagrange bound; outside the "
              "purple radius of convergence more terms make it *worse*. While you drag a or n, Tₙ "
              "follows the handle and the error curves wait for you to let go.")
    audio.play_as_sound(c.x, c.f, "f(x)", key="t1d")
    # the drag frames last, so the chart and the numbers are not held up by them
    k_eps = float(_get("eps"))
    live_chart.send_frames("t1d", {"a": a_frames(text, n, k_eps, w), "n": n_frames(text, a, k_eps, w)})


@st.fragment(key=SIDE_1D)
def side_1d(text: str) -> None:
    """The terms of Tₙ, the radius of convergence and the largest error per order: two markdown
    elements (headers, formulas and captions merged) and the table in a scrolling box."""
    a, n, eps, lo, hi, order, exp = _one_d_state(text)
    if not exp.ok:
        return
    poly, blocks = terms_latex(text, a, order, n)
    which = "Exact coefficients (sympy)" if exp.exact is not None else "Numeric coefficients (mpmath)"
    st.markdown(f"### The terms of T{subscript(n)}" + ui.display_math(rf"T_{{{n}}}(x) = {poly}")
                + f":small[:gray[{which}, f⁽ᵏ⁾(a)/k!:]]" + ui.display_math(blocks[0]))
    if len(blocks) > 1:
        with st.expander(f"all {n + 1} coefficients"):
            st.latex(blocks[1])
    rad = radius(text, a, order)
    r_tex = rad.latex()
    if r_tex is None:
        rtext = "\n\n:small[:gray[Not known for this function.]]\n\n"
    else:
        rtext = ui.display_math(r_tex) + f":small[:gray[{rad.reason}]]\n\n"
    st.markdown("### Radius of convergence" + rtext + "### Largest error on the window\n\n"
                ":small[:gray[The grey curve is Lagrange's bound on the error:]]"
                + ui.display_math(LAGRANGE_TEX))
    with st.expander("The largest error for every order (table)", expanded=not ui.presenting()):
        st.markdown(tx.error_table(curves(text, a, order, lo, hi), n))
    ui.notice("inside the radius the largest error shrinks as n grows (your n is in bold); when the "
              "window reaches past a singularity it grows instead.")


# =============================================================================================
def _two_d_state(text: str):
    x0, y0, r = round(float(_get("x0")), 4), round(float(_get("y0")), 4), round(float(_get("r")), 4)
    return x0, y0, r, local2d(text, x0, y0)


@st.fragment
def controls_2d() -> None:
    """The point, the window and what the 3D chart shows. x₀ and y₀ rerun the surfaces, the formulas
    and the error map; the window the surfaces and the map; a toggle only the surfaces."""
    with ui.row():
        ui.slider("x₀", -2.0, 2.0, DEFAULTS["x0"], 0.1, key="x0", on_change=only(SURF_2D, TEX_2D, ERR_2D))
        ui.slider("y₀", -2.0, 2.0, DEFAULTS["y0"], 0.1, key="y0", on_change=only(SURF_2D, TEX_2D, ERR_2D))
        ui.slider("window half-width", 0.5, 3.0, DEFAULTS["r"], 0.25, key="r", on_change=only(SURF_2D, ERR_2D))
    with ui.row():
        ui.toggle("show T₀", DEFAULTS["s0"], key="s0", on_change=only(SURF_2D))
        ui.toggle("show T₁ (plane)", DEFAULTS["s1"], key="s1", on_change=only(SURF_2D))
        ui.toggle("show T₂ (quadric)", DEFAULTS["s2"], key="s2", on_change=only(SURF_2D))


@st.fragment
def controls_error() -> None:
    """The error map's own controls, beside it: they rerun only the map."""
    ui.slider("tolerance ε = 10^k, k =", -6.0, 0.0, DEFAULTS["eps2"], 0.5, key="eps2", on_change=only(ERR_2D))
    ui.select("error of", ["T1", "T2"], 1, key="hm", widget=st.segmented_control,
              format_func=lambda s: {"T1": "T₁", "T2": "T₂"}[s], on_change=only(ERR_2D))


@st.fragment(key=SURF_2D)
def surfaces_2d(text: str) -> None:
    x0, y0, r, loc = _two_d_state(text)
    if not loc.ok:
        st.warning(f"**No expansion at ({x0:g}, {y0:g}):** {loc.message} Move the point.", icon="🚧")
        return
    shown = {"T0": bool(_get("s0")), "T1": bool(_get("s1")), "T2": bool(_get("s2"))}
    ui.chart3d(tp.figure_2d_surfaces(surfaces(text, x0, y0, r), loc, shown), key="t3d")
    ui.notice("the plane T₁ touches f at the black point and tilts with it (that is J); the quadric T₂ "
              "also bends like f (that is H), so it stays close over a wider patch.")


@st.fragment(key=TEX_2D)
def formulas_2d(text: str) -> None:
    """J, H, T₀, T₁, T₂ and Δx: one markdown element, each formula on display lines of its own."""
    x0, y0, r, loc = _two_d_state(text)
    if not loc.ok:
        return
    st.markdown("".join(ui.display_math(t) for t in formulas_latex(text, x0, y0)).strip())


@st.fragment(key=ERR_2D)
def error_2d(text: str) -> None:
    x0, y0, r, loc = _two_d_state(text)
    if not loc.ok:
        return
    eps = 10.0 ** float(_get("eps2"))
    sf = surfaces(text, x0, y0, r)
    ui.chart_live(tp.figure_2d_error(sf, loc, _get("hm"), eps), key="t2err")
    area = tx.share_below(sf, eps)
    ui.notice("the dashed white curve encloses where |f − T₁| < ε, the solid cyan one where |f − T₂| < ε: "
              "the quadratic approximation holds much further out from (x₀, y₀).",
              before=f"Share of the window with |f − T₁| < ε: **{100 * area['E1']:.0f} %**; "
                     f"with |f − T₂| < ε: **{100 * area['E2']:.0f} %**.")


st.header("One variable: f(x) ≈ Tₙ(x)")
text_1d = ui.function_input("f", tx.PRESETS_1D, key="f", variables=("x",))[0]
controls_1d()
left, right = st.columns([11, 9])
with left:
    chart_1d(text_1d)
with right:
    side_1d(text_1d)

st.divider()
st.header("Two variables: the tangent plane and the quadratic")
text_2d = ui.function_input("g", tx.PRESETS_2D, key="g", variables=("x", "y"))[0]
controls_2d()
left, right = st.columns([3, 2])
with left:
    surfaces_2d(text_2d)
with right:
    formulas_2d(text_2d)
left, right = st.columns([3, 2])
with left:
    error_2d(text_2d)
with right:
    controls_error()
    st.caption("Near (x₀, y₀) the error of T₁ shrinks like |Δx|², that of T₂ like |Δx|³: "
               "the smaller ε, the more the quadric wins.")
