"""Page: Multivariate calculus — surfaces, partial derivatives, Jacobian, Hessian and the Sandpit.

A thin page: widgets in, ``explorer.multivariate`` / ``explorer.sandpit`` calls, charts out.
"""
import math
import random

import streamlit as st

from ui import live_chart
import ui
from explorer import multivariate as mv
from explorer.figures import multivariate as mf
from explorer import sandpit as sb
from explorer.expressions import ExpressionError, parse_expression, to_latex
from explorer.symbolic import SymbolicTimeout

TABS = ["Surface", "Map", "Sandpit"]
PARTS = ["Partial derivatives (slices)", "Jacobian and Hessian", "Directional derivative"]


# ---------------------------------------------------------------------------------------------
# Cached explorer calls (keyed by text and numbers)
@st.cache_data(max_entries=64, show_spinner=False)
def _derivs(text: str):
    return mv.derivatives(text)


@st.cache_data(max_entries=64, show_spinner=False)
def _surface(text: str, xr: tuple, yr: tuple):
    return mv.surface(text, xr, yr, n=50)


@st.cache_data(max_entries=64, show_spinner=False)
def _arrows(text: str, xr: tuple, yr: tuple):
    return mv.gradient_arrows(_derivs(text), xr, yr, n=15)[:2]


@st.cache_data(max_entries=256, show_spinner=False)
def _point(text: str, x0: float, y0: float):
    return mv.analyse_point(_derivs(text), x0, y0)


@st.cache_data(max_entries=256, show_spinner=False)
def _slices(text: str, x0: float, y0: float, xr: tuple, yr: tuple):
    return mv.slices(text, _point(text, x0, y0), xr, yr)


@st.cache_data(max_entries=32, show_spinner=False)
def _map_jac(u: str, v: str):
    return mv.map_jacobian(u, v)


@st.cache_data(max_entries=32, show_spinner=False)
def _map_grid(u: str, v: str, xr: tuple, yr: tuple):
    return mv.map_grid(u, v, xr, yr)


@st.cache_data(max_entries=32, show_spinner=False)
def _det_shade(u: str, v: str, xr: tuple, yr: tuple):
    return mv.det_samples(_map_jac(u, v), xr, yr)


@st.cache_data(max_entries=64, show_spinner=False)
def _pit(kind: str, seed: int):
    pit = sb.make_pit(kind, seed)
    return pit, sb.find_minima(pit)


# ---------------------------------------------------------------------------------------------
ui.page_header(
    "Multivariate calculus",
    "One point (x₀, y₀) on a surface f(x, y), linked to every view of its derivatives: the gradient, "
    "the slices that give the partial derivatives, the tangent plane, the directional derivative, the "
    "Jacobian and the Hessian. Then a map R² → R² bending a grid, and the **Sandpit** game.")

tab_surface, tab_map, tab_pit = st.tabs(TABS, key="view", bind="query-params")

# =============================================================================================
# 1. Explore f(x, y)
PRESET_POINTS = {"bowl": (1.0, 1.0), "saddle": (1.0, 0.5), "Sandpit intro surface": (3.0, 2.0),
                 "Himmelblau": (1.0, 1.0), "Rosenbrock": (-1.0, 1.5), "peaks": (0.5, -0.5),
                 "sin x · cos y": (1.0, 0.5)}


def _follow_preset(text: str) -> None:
    """When the function changes to a preset, move the ranges and the point to that preset's."""
    last = st.session_state.get("_mv_last_f")
    st.session_state["_mv_last_f"] = text
    if last is None or last == text:
        return
    name = mv.preset_name(text)
    if name is None:
        return
    (a, b), (c, d) = mv.PRESET_RANGES[name]
    st.session_state.update(xmin=a, xmax=b, ymin=c, ymax=d)
    st.session_state["x0"], st.session_state["y0"] = PRESET_POINTS[name]


def _ranges(text: str):
    (a, b), (c, d) = mv.default_range(text)
    # (columns, not a flex row: four number boxes in a row would wrap at 1024 px; this row is not
    # in any slider's rerun scope)
    cols = st.columns(4)
    with cols[0]:
        xmin = ui.number("x from", float(a), key="xmin", min_value=-1000.0, max_value=1000.0, step=0.5)
    with cols[1]:
        xmax = ui.number("x to", float(b), key="xmax", min_value=-1000.0, max_value=1000.0, step=0.5)
    with cols[2]:
        ymin = ui.number("y from", float(c), key="ymin", min_value=-1000.0, max_value=1000.0, step=0.5)
    with cols[3]:
        ymax = ui.number("y to", float(d), key="ymax", min_value=-1000.0, max_value=1000.0, step=0.5)
    xr, yr = (float(xmin), float(xmax)), (float(ymin), float(ymax))
    if not (xr[0] < xr[1] and yr[0] < yr[1]):
        st.error("Each range needs **from < to**; drawing the default window for this function instead.",
                 icon="⚠️")
        xr, yr = (float(a), float(b)), (float(c), float(d))
    return xr, yr


def _point_slider(label, key, lo, hi, default, step):
    v = st.session_state.get(key)
    if v is not None and not (lo <= v <= hi):
        st.session_state[key] = mv.snap(v, lo, hi, step)
    default = mv.snap(default, lo, hi, step)
    return ui.slider(label, lo, hi, default, step, key=key)


def symbolic_derivatives(text: str) -> None:
    """J and H in x and y, under the function (outside the point's fragment: a point step does
    not redraw these formulas)."""
    try:
        lat = _derivs(text).latex()
    except SymbolicTimeout:
        return              # explore() says so
    with st.expander("The Jacobian J = ∇fᵀ and the Hessian H of f", expanded=True):
        st.latex(lat["J"] + r",\qquad " + lat["H"])


def _start_point(text: str, xr: tuple, yr: tuple) -> tuple[float, float]:
    return PRESET_POINTS.get(mv.preset_name(text) or "", (0.5 * (xr[0] + xr[1]), 0.5 * (yr[0] + yr[1])))


def view_controls(text: str, xr: tuple, yr: tuple) -> tuple[bool, bool]:
    """The surface's toggles and the jump to a stationary point. Outside the point's fragment (they
    rerun the page, rarely), so a point step re-sends fewer elements."""
    px, py = _start_point(text, xr, yr)

    def to_stationary():
        try:
            derivs = _derivs(text)
        except SymbolicTimeout:
            return
        pa0 = _point(text, float(st.session_state.get("x0", px)), float(st.session_state.get("y0", py)))
        found = mv.nearest_stationary_point(derivs, pa0.x0, pa0.y0, xr, yr)
        if found is None:
            st.session_state["_mv_nostat"] = True
        else:
            st.session_state["x0"], st.session_state["y0"] = (round(found[0], 9), round(found[1], 9))

    c3, c4, c5 = st.columns(3)
    with c3:
        planes = ui.toggle("cutting planes x = x₀, y = y₀", True, key="planes")
    with c4:
        tangent = ui.toggle("tangent plane", False, key="tplane")
    with c5:
        st.button("Go to the nearest point where ∇f = 0", on_click=to_stationary,
                  help="Newton's method on ∇f = 0 from the current point (scipy.optimize.root)")
    if st.session_state.pop("_mv_nostat", False):
        st.info("No stationary point found near here inside the window; try another starting point.")
    return planes, tangent


@st.fragment
def explore(text: str, xr: tuple, yr: tuple, planes: bool, tangent: bool) -> None:
    """Everything that moves with the point (x₀, y₀): a point step reruns this fragment only, so it
    holds as few elements as it can (each one costs the browser a re-render on every step)."""
    try:
        derivs = _derivs(text)
    except SymbolicTimeout:
        st.warning("Differentiating this function took too long — try a simpler formula.", icon="⏳")
        return
    step_x, step_y = mv.nice_step(xr[1] - xr[0]), mv.nice_step(yr[1] - yr[0])
    px, py = _start_point(text, xr, yr)

    def on_click():
        pt = mv.point_from_click(live_chart.clicked_point("fmap"), xr, yr, step_x, step_y)
        if pt is not None:
            st.session_state["x0"], st.session_state["y0"] = pt

    # One pair of columns holds the sliders and the two charts: x₀ over the 3D surface, y₀ over the
    # contour map (the same layout as a row of sliders above a row of charts, 5 elements fewer).
    left, right = st.columns(2)
    with left:
        x0 = _point_slider("x₀", "x0", xr[0], xr[1], px, step_x)
    with right:
        y0 = _point_slider("y₀", "y0", yr[0], yr[1], py, step_y)
    pa = _point(text, float(x0), float(y0))
    grid = _surface(text, xr, yr)
    sl = _slices(text, float(x0), float(y0), xr, yr)
    with right:
        ui.chart_live(mf.contour_figure(grid, _arrows(text, xr, yr), pa), key="fmap", on_click=on_click)
        ui.notice("**click the map to move the point.** The white arrows are ∇f: they cross the contour "
                  "lines at right angles and point uphill; the red arrow −∇f points straight downhill. "
                  "The dotted lines through the point are the Hessian's eigenvectors: the directions of greatest and least "
                  "curvature (turquoise: curving up, orange: curving down).")

    # the point's value and gradient, and what kind of point it is: one box
    badge = {"minimum": ("🟢", st.success), "maximum": ("🔴", st.success), "saddle": ("🟠", st.success),
             "inconclusive": ("⚪", st.warning), "not stationary": ("➡️", st.info),
             "undefined": ("❔", st.warning)}[pa.classification.kind]
    # (\displaystyle in $…$, not $$…$$: the line may break after "," on a narrow screen)
    badge[1](r"$\displaystyle "
             + rf"f(x_0, y_0) = f({mv.fmt(x0)}, {mv.fmt(y0)}) = {mv.fmt(pa.f)},\qquad "
             rf"\nabla f = \left(\frac{{\partial f}}{{\partial x}}, \frac{{\partial f}}{{\partial y}}\right)"
             rf" = ({mv.fmt(pa.grad[0])}, {mv.fmt(pa.grad[1])}),\quad |\nabla f| = {mv.fmt(pa.grad_norm)}"
             + "$\n\n"
             + f"{badge[0]} **{pa.classification.label}** — {pa.classification.reason}")

    # The point's derivatives, one view at a time: only the chosen view runs on a point step (a
    # segmented control is one element; tabs would be four, on every step).
    part = ui.select("View of the point's derivatives", PARTS, 0, key="part", widget=st.segmented_control,
                     required=True, label_visibility="collapsed") or PARTS[0]
    if part == PARTS[0]:
        lat = derivs.latex()
        st.latex(rf"\frac{{\partial f}}{{\partial x}} = {lat['fx']} \;\Big|_{{(x_0,y_0)}} = {mv.fmt(pa.grad[0])}"
                 rf"\qquad \frac{{\partial f}}{{\partial y}} = {lat['fy']} \;\Big|_{{(x_0,y_0)}} = {mv.fmt(pa.grad[1])}")
        ui.chart_live(mf.slices_figure(sl, pa), key="slices")
        ui.notice("hold y at y₀ and f becomes a curve in x alone: its tangent's slope is ∂f/∂x. "
                  "Likewise for x = x₀ and ∂f/∂y. Move x₀ and watch only the right-hand slice change shape.")
    elif part == PARTS[1]:
        # (their formulas in x and y are drawn once, under the function: they do not change with the point)
        pl = mv.point_latex(pa)
        st.latex(r"\begin{gathered} " + pl["J"] + r",\qquad " + pl["H"] + r" \\[4pt] "
                 + pl["eig"] + r",\qquad " + pl["det"] + r" \end{gathered}")
        st.caption("The classification above reads H's eigenvalues where ∇f ≈ 0: both positive, a "
                   "minimum; both negative, a maximum; mixed signs, a saddle; a zero one, inconclusive.")
    else:
        directional(pa)

    with left:
        # Filled LAST: a 3D redraw is the slowest thing the browser does in a step (software WebGL),
        # so every other view updates before it starts.
        ui.chart3d(mf.surface_figure(grid, pa, sl, planes=planes, tangent=tangent), key="surf3d")
        ui.notice("the red curve is the slice y = y₀ and the blue one x = x₀: the surface cut by the two "
                  "planes. With the tangent plane on, it touches the surface at the point and tilts "
                  "exactly as much as ∂f/∂x and ∂f/∂y say.")


@st.fragment
def directional(pa) -> None:
    theta_deg = ui.slider("direction θ (degrees)", 0, 360, 30, 5, key="theta")
    theta = math.radians(theta_deg)
    d = mv.directional_derivative(pa.grad, theta)
    best = math.degrees(mv.steepest_angle(pa.grad))
    ui.chart_live(mf.directional_figure(pa.grad, theta), key="dirfig")
    # the formula with this θ's numbers and the notice in one caption: one element fewer on every step
    ui.notice("the slope in direction θ is the shadow of ∇f on u (left, dotted): a cosine wave in θ, largest (= |∇f|) when u points along ∇f, "
              "zero along the contour line (90° away), most negative along −∇f.",
              before=ui.display_math(
              rf"D_{{\mathbf u}} f = \nabla f \cdot \mathbf u = ({mv.fmt(pa.grad[0])})\cos\theta + "
              rf"({mv.fmt(pa.grad[1])})\sin\theta = {mv.fmt(d)}\qquad \text{{largest}} = |\nabla f| = "
              rf"{mv.fmt(pa.grad_norm)} \text{{ at }} \theta = {best:.1f}^\circ"))


@st.fragment
def surface_section() -> None:
    """The Surface view's body: a change of the function, the window or a toggle reruns this, not the
    page's header, navigation and sidebar; a point step reruns only ``explore`` inside it."""
    f_text, _ = ui.function_input("f", mv.PRESETS, key="f", variables=mv.VARS)
    _follow_preset(f_text)
    xr, yr = _ranges(f_text)
    symbolic_derivatives(f_text)
    planes, tangent = view_controls(f_text, xr, yr)
    explore(f_text, xr, yr, planes, tangent)


with tab_surface:
    if tab_surface.open is not False:
        surface_section()

# =============================================================================================
# 2. The Jacobian of a map R² → R²
CUSTOM_MAP = "✏️ Type your own"


def _map_changed():
    name = st.session_state.get("map")
    if name in mv.MAP_PRESETS:
        st.session_state["mx"], st.session_state["my"] = mv.MAP_POINTS[name]
        st.session_state["u"], st.session_state["v"] = mv.MAP_PRESETS[name]


def _component(label: str, key: str, default: str):
    text = st.text_input(f"{label}(x, y)", value=default, key=key, bind="query-params", max_chars=300)
    try:
        parse_expression(text, mv.VARS)
        st.session_state[f"_{key}_ok"] = text
        return text
    except ExpressionError as err:
        st.error(f"**Cannot read {label}(x, y):** {err}", icon="⚠️")
        return st.session_state.get(f"_{key}_ok", default)


@st.fragment
def map_section() -> None:
    names = list(mv.MAP_PRESETS) + [CUSTOM_MAP]
    name = ui.select("Map", names, 0, key="map", widget=st.radio, horizontal=True,
                     on_change=_map_changed)
    name = name or names[0]
    if name == CUSTOM_MAP:
        cu, cv = st.columns(2)
        du, dv = mv.MAP_PRESETS["swirl"]
        with cu:
            u_text = _component("u", "u", du)
        with cv:
            v_text = _component("v", "v", dv)
        xr, yr = (-2.0, 2.0), (-2.0, 2.0)
        p0 = (0.5, 0.5)
    else:
        u_text, v_text = mv.MAP_PRESETS[name]
        xr, yr = mv.MAP_RANGES[name]
        p0 = mv.MAP_POINTS[name]
    try:
        mj = _map_jac(u_text, v_text)
    except SymbolicTimeout:
        st.warning("Differentiating this map took too long — try simpler components.", icon="⏳")
        return
    lat = mj.latex()
    # the map and its Jacobian in x and y: they do not move with the point, so outside its fragment
    st.latex(r"\begin{gathered} " + rf"u(x, y) = {to_latex(mj.u)},\qquad v(x, y) = {to_latex(mj.v)}"
             + r" \\[6pt] " + lat["J"] + r",\qquad " + lat["det"] + r" \end{gathered}")
    if name == "polar → cartesian":
        st.caption("Here x plays r and y plays θ: (r, θ) ↦ (r cos θ, r sin θ).")
    map_point(mj, u_text, v_text, xr, yr, p0)


@st.fragment
def map_point(mj, u_text: str, v_text: str, xr: tuple, yr: tuple, p0: tuple) -> None:
    """The point and the square: a step of their sliders reruns only this."""
    sx, sy = mv.nice_step(xr[1] - xr[0], 80), mv.nice_step(yr[1] - yr[0], 80)
    with ui.row():
        a = _point_slider("point x", "mx", xr[0], xr[1], p0[0], sx)
        b = _point_slider("point y", "my", yr[0], yr[1], p0[1], sy)
        h = ui.slider("square size dx = dy", 0.02, 0.5, 0.2, 0.02, key="h")
    sq = mv.square_image(mj, float(a), float(b), float(h))
    fig = mf.map_figure(_map_grid(u_text, v_text, xr, yr), sq, _det_shade(u_text, v_text, xr, yr), (a, b))
    ui.chart_live(fig, key="mapfig")
    ui.notice("the grid's straight lines bend, yet every small square lands as an almost-parallelogram. "
              "The shading is det J, the local area scale: blue where det J > 0 (orientation kept), red "
              "where det J < 0 (flipped), pale where det J ≈ 0 (areas squashed).")
    J = sq.J
    cl, cr = st.columns([1, 1])
    with cl:
        ui.chart_live(mf.square_zoom_figure(sq), key="mapzoom")
        ui.notice("close up, the true image of the square (red) is the parallelogram spanned by J·dx and "
                  "J·dy (dashed). Shrink the square and the two agree.")
    with cr:
        st.latex(r"\begin{gathered} "
                 rf"J({mv.fmt(a)}, {mv.fmt(b)}) = \begin{{bmatrix}} {mv.fmt(J[0, 0])} & {mv.fmt(J[0, 1])} \\ "
                 rf"{mv.fmt(J[1, 0])} & {mv.fmt(J[1, 1])} \end{{bmatrix}},\qquad \det J = {mv.fmt(sq.det)}"
                 r" \\[10pt] "
                 rf"\frac{{\text{{area of image}}}}{{\text{{area of square}}}} = {mv.fmt(sq.area_ratio)} "
                 rf"\;\approx\; \det J = {mv.fmt(sq.det)}"
                 r" \end{gathered}")
    if sq.det > 0:
        st.success("det J > 0: orientation kept — turning from J·dx to J·dy is still anticlockwise.", icon="🔄")
    elif sq.det < 0:
        st.warning("det J < 0: orientation flipped — the image is a mirror image (J·dx to J·dy turns clockwise).",
                   icon="🪞")
    else:
        st.info("det J = 0 here: the square is squashed flat (the map is not locally invertible).")


with tab_map:
    if tab_map.open is not False:
        st.markdown("A map sends each point (x, y) to (u, v). Its **Jacobian** J is the matrix of "
                    "partial derivatives: the best linear approximation of the map near a point.")
        map_section()

# =============================================================================================
# 3. The Sandpit
GAME = "_pit_game"
MSG = "_pit_msg"


def _current(kind: str, seed: int, mode: str) -> sb.Game:
    game = st.session_state.get(GAME)
    if game is None or (game.kind, game.seed) != (kind, seed):
        game = sb.new_game(kind, seed, mode)
        st.session_state[GAME] = game
        st.session_state.pop(MSG, None)
    elif game.mode != mode:
        game = sb.with_mode(game, mode)
        st.session_state[GAME] = game
    return game


def _dip_at(x: float, y: float) -> None:
    game = st.session_state.get(GAME)
    if game is None:
        return
    pit, minima = _pit(game.kind, game.seed)
    res = sb.dip(game, pit, minima, x, y)
    st.session_state[GAME] = res.game
    st.session_state[MSG] = (res.status, res.message)


def _on_pit_click():
    pt = mv.point_from_click(live_chart.clicked_point("pitboard"), (0.0, sb.SIZE), (0.0, sb.SIZE), 0.01)
    if pt is not None:
        _dip_at(*pt)


def _on_typed_dip():
    _dip_at(float(st.session_state.get("_dipx", 3.0)), float(st.session_state.get("_dipy", 3.0)))


def _new_seed():
    st.session_state["seed"] = random.randint(1, 99999)


def _restart():
    game = st.session_state.get(GAME)
    if game is not None:
        st.session_state[GAME] = sb.new_game(game.kind, game.seed, game.mode)
    st.session_state.pop(MSG, None)


def _reveal():
    game = st.session_state.get(GAME)
    if game is not None:
        st.session_state[GAME] = sb.reveal(game)


@st.fragment
def sandpit() -> None:
    """The pit's settings; a dip (a click, a typed dip, reveal, start again) reruns only ``pit_game``."""
    # (columns hold their widths at 1024 px; this row is outside the game's rerun scope)
    c1, c2, c3, c4 = st.columns([2.2, 1.3, 2, 1.2])
    with c1:
        label = ui.select("Pit", list(sb.KINDS.values()), 0, key="pit")
        kind = next((k for k, v in sb.KINDS.items() if v == label), "intro")
    with c2:
        seed = int(ui.number("Seed", 1, key="seed", min_value=0, max_value=99999, step=1))
    with c3:
        mlabel = ui.select("Mode", list(sb.MODES.values()), 0, key="mode", widget=st.radio, horizontal=True)
        mode = next((k for k, v in sb.MODES.items() if v == mlabel), "gradient")
    with c4:
        st.button("🎲 New random pit", on_click=_new_seed, help="A new seed (the link changes too, so "
                                                                "a class can share the same pit)")
    pit_game(kind, seed, mode)


@st.fragment
def pit_game(kind: str, seed: int, mode: str) -> None:
    game = _current(kind, seed, mode)
    pit, minima = _pit(kind, seed)
    dips_used = len(game.dips)
    st.progress(dips_used / sb.MAX_DIPS, text=f"Dips used: {dips_used} / {sb.MAX_DIPS}"
                + (f" · deepest so far {game.best.depth:.3f} at ({game.best.x:.2f}, {game.best.y:.2f})"
                   if game.best else ""))
    status, text = st.session_state.get(MSG, (None, None))
    if status == "win":
        st.success(text)
    elif status == "local":
        st.info(text, icon="🕳️")
    elif status in ("over", "outside") or (text and game.remaining <= sb.WARN_AT):
        st.warning(text)
    elif text:
        st.info(text, icon="📏")
    if game.remaining <= 0 and not game.won:
        st.error("Out of dips! The surface is revealed below — the ⭐ was the bottom.")

    board, side = st.columns([3, 2])
    with board:
        ui.chart_live(mf.pit_board(game, pit, minima), key="pitboard", on_click=_on_pit_click)
        ui.notice("**click anywhere in the sand to dip the stick.** Each dip reads the depth"
                  + (" and the dark arrow is −∇f there: the way downhill." if game.mode == "gradient"
                     else " only — no gradient, so you must compare depths.")
                  + f" Get within {sb.WIN_RADIUS} of the deepest point to win.")
    with side:
        formula = ""
        if game.kind == "intro":
            formula = ui.display_math(
                r"f = -\left((x-4.1)^2 + (y-0.9)^2\right) - 30\,e^{-\frac{(x-1.5)^2 + (y-3.7)^2}{2.8}}"
                if game.revealed else r"f(x, y) = \;?")
        st.markdown("**The rules.** A hidden surface lies under this 6 × 6 square. Find its deepest "
                    f"point in at most {sb.MAX_DIPS} dips. Tip: follow −∇f, and slow down where the arrows "
                    "get short. The depth is −f; share the page's link: the pit, seed and mode are in it."
                    + formula)
        st.number_input("dip at x", 0.0, sb.SIZE, 3.0, 0.05, key="_dipx")
        st.number_input("dip at y", 0.0, sb.SIZE, 3.0, 0.05, key="_dipy")
        st.button("Dip here", on_click=_on_typed_dip, disabled=game.over, type="primary")
        with ui.row():
            st.button("Reveal the pit", on_click=_reveal, disabled=game.revealed)
            st.button("Start again", on_click=_restart)
    if game.revealed:
        ui.chart3d(mf.pit_3d(pit, game, minima), key="pit3d")
        ui.notice("every stick you dipped, on the real surface. The gold diamond is the bottom; "
                  "the blue crosses on the map are local minima that only look like the bottom from nearby.")


with tab_pit:
    if tab_pit.open is not False:
        sandpit()
