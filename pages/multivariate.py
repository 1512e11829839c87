"""Page: Multivariate calculus — surfaces, partial derivatives, Jacobian, Hessian and the Sandpit.

A thin page: widgets in, ``explorer.multivariate`` / ``explorer.sandpit`` calls, charts out."""
import math

import streamlit as st

from ui import keypad, live_chart, view3d
from ui import multivariate_drag as mvui
import ui
from explorer import multivariate as mv
from explorer.figures import multivariate as mf
from explorer import sandpit as sb
from explorer.expressions import parse_expression
from explorer.symbolic import SymbolicTimeout

PARTS = ["Partial derivatives (slices)", "Jacobian and Hessian", "Directional derivative"]
CUSTOM_MAP = "✏️ Type your own"


# Cached explorer calls (keyed by text and numbers) ------------------------------------------
_cache = st.cache_data(max_entries=64, show_spinner=False)
_cache_points = st.cache_data(max_entries=256, show_spinner=False)
_cache_maps = st.cache_data(max_entries=32, show_spinner=False)
_derivs = _cache(mv.derivatives)
_map_jac = _cache_maps(mv.map_jacobian)
_map_grid = _cache_maps(mv.map_grid)
@_cache
def _surface(text, xr, yr): return mv.surface(text, xr, yr, n=50)
@_cache
def _arrows(text, xr, yr): return mv.gradient_arrows(_derivs(text), xr, yr, n=15)[:2]
@_cache_points
def _point(text, x0, y0): return mv.analyse_point(_derivs(text), x0, y0)
@_cache_points
def _slices(text, x0, y0, xr, yr): return mv.slices(text, _point(text, x0, y0), xr, yr)
@_cache_maps
def _det_shade(u, v, xr, yr): return mv.det_samples(_map_jac(u, v), xr, yr)
@_cache
def _pit(kind, seed): return (pit := sb.make_pit(kind, seed)), sb.find_minima(pit)


# ---------------------------------------------------------------------------------------------
ui.page_header(
    "Multivariate calculus",
    "One point (x₀, y₀) on a surface f(x, y), linked to every view of its derivatives: the gradient, "
    "the slices that give the partial derivatives, the tangent plane, the directional derivative, the "
    "Jacobian and the Hessian. Then a map R² → R² bending a grid, and the **Sandpit** game.")
tab_surface, tab_map, tab_pit = st.tabs(["Surface", "Map", "Sandpit"], key="view", bind="query-params")
POINT = mv.PointState(st.session_state)      # the window and the points (x₀, y₀), (mx, my)
PIT = sb.PitSession(st.session_state, _pit)   # the game: an immutable sb.Game, replaced by each action


# =============================================================================================
# 1. Explore f(x, y)
def _point_slider(label, key, lo, hi, default, step):
    POINT.keep_in_window(key, lo, hi, step)
    return ui.slider(label, lo, hi, mv.snap(default, lo, hi, step), step, key=key)

def symbolic_derivatives(text: str) -> None:
    """J and H in x and y, under the function (outside the point's fragment: a point step does not
    redraw these formulas)."""
    try:
        lat = _derivs(text).latex()
    except SymbolicTimeout:
        return              # explore() says so
    with st.expander("The Jacobian J = ∇fᵀ and the Hessian H of f", expanded=not ui.presenting()):
        st.latex(lat["J"] + r",\qquad " + lat["H"])

def view_controls(text: str, xr: tuple, yr: tuple) -> tuple[bool, bool]:
    """The surface's toggles and the jump to a stationary point. Outside the point's fragment (they
    rerun the page, rarely), so a point step re-sends fewer elements."""
    def to_stationary():
        try:
            POINT.go_to_stationary(_derivs(text), mv.start_point(text, xr, yr), xr, yr)
        except SymbolicTimeout:
            return
    c3, c4, c5 = st.columns(3)
    with c3: planes = ui.toggle("planes x = x₀, y = y₀", True, key="planes")
    with c4: tangent = ui.toggle("tangent plane", False, key="tplane")
    with c5:
        st.button("Go to the nearest point where ∇f = 0", on_click=to_stationary,
                  help="Newton's method on ∇f = 0 from the current point (scipy.optimize.root)")
    if POINT.no_stationary_found():
        st.info("No stationary point found near here inside the window; try another starting point.")
    return planes, tangent

BADGES = {"minimum": ("🟢", st.success), "maximum": ("🔴", st.success), "saddle": ("🟠", st.success),
          "inconclusive": ("⚪", st.warning), "not stationary": ("➡️", st.info), "undefined": ("❔", st.warning)}

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
    px, py = mv.start_point(text, xr, yr)
    # One pair of columns holds the sliders and the two charts: x₀ over the 3D surface, y₀ over the
    # contour map (the same layout as a row of sliders above a row of charts, 5 elements fewer).
    left, right = st.columns(2)
    with left: x0 = _point_slider("x₀", "x0", xr[0], xr[1], px, step_x)
    with right: y0 = _point_slider("y₀", "y0", yr[0], yr[1], py, step_y)
    if moved := POINT.moved_note():
        st.info(moved, icon="↔️")      # the sliders, f and the charts all use the moved point
    pa = _point(text, float(x0), float(y0))
    grid = _surface(text, xr, yr)
    sl = _slices(text, float(x0), float(y0), xr, yr)
    with right:
        ui.chart_live(mf.contour_figure(grid, _arrows(text, xr, yr), pa), key="fmap",
                      on_click=lambda: POINT.click(live_chart.clicked_point("fmap"), xr, yr, step_x, step_y))
        keypad.arrow_pad(mv.pad_label(xr, yr, step_x, step_y), "fmap", lambda m: POINT.nudge(m, xr, yr, step_x, step_y))
        ui.notice("**click the map (or press the arrows above) to move the point.** The white arrows are ∇f: they cross the contour lines at "
                  "right angles and point uphill; the red-orange arrow −∇f points straight downhill. The dotted lines "
                  "through the point are the Hessian's eigenvectors: the directions of greatest and least "
                  "curvature (sky blue: curving up, orange: curving down).")
    # the point's value and gradient, and what kind of point it is: one box
    # (\displaystyle in $…$, not $$…$$: the line may break after "," on a narrow screen)
    icon, box = BADGES[pa.classification.kind]
    pl = mv.point_latex(pa)
    box(r"$\displaystyle " + pl["reading"] + f"$\n\n{icon} **{pa.classification.label}** — "
        + pa.classification.reason)
    # The point's derivatives, one view at a time: only the chosen view runs on a point step (a
    # segmented control is one element; tabs would be four, on every step).
    part = ui.select("View of the point's derivatives", PARTS, 0, key="part", widget=st.segmented_control,
                     required=True, label_visibility="collapsed") or PARTS[0]
    if part == PARTS[0]:
        st.latex(mv.partials_latex(derivs, pa))
        ui.chart_live(mf.slices_figure(sl, pa), key="slices")
        ui.notice("hold y at y₀ and f becomes a curve in x alone: its tangent's slope is ∂f/∂x. "
                  "Likewise for x = x₀ and ∂f/∂y. Move x₀ and watch only the right-hand slice change shape.")
    elif part == PARTS[1]:
        # (their formulas in x and y are drawn once, under the function: they do not change with the point)
        st.latex(pl["J, H"])
        st.caption("The classification above reads H's eigenvalues where ∇f ≈ 0: both positive, a "
                   "minimum; both negative, a maximum; mixed signs, a saddle; a zero one, inconclusive.")
    else:
        directional(pa)
    with left:
        # Filled LAST: a 3D redraw is the slowest thing the browser does in a step (software WebGL),
        # so every other view updates before it starts.
        chart = st.container()      # the view buttons under the chart (on a projector the chart comes first)
        cam, rev = view3d.view_buttons("surf3d")
        with chart:
            ui.chart3d(mf.surface_figure(grid, pa, sl, planes=planes, tangent=tangent), key="surf3d", camera=cam,
                       camera_rev=rev)
        ui.notice("the red-orange curve is the slice y = y₀ and the blue one x = x₀: the surface cut by the two planes. "
                  "With the tangent plane on, it touches the surface at the point and tilts exactly as much as "
                  "∂f/∂x and ∂f/∂y say.")
    # the drag frames of x₀ and y₀ last: the charts and readings above never wait for them
    mvui.send_point_frames(text, derivs, grid, xr, yr, (step_x, step_y), (x0, y0), planes, tangent,
                           ("surf3d", "fmap", "slices") if part == PARTS[0] else ("surf3d", "fmap"))

@st.fragment
def directional(pa) -> None:
    theta_deg = ui.slider("direction θ (degrees)", 0, 360, 30, 5, key="theta")
    ui.chart_live(mf.directional_figure(pa.grad, math.radians(theta_deg)), key="dirfig")
    # the formula with this θ's numbers and the notice in one caption: one element fewer on every step
    ui.notice("the slope in direction θ is the shadow of ∇f on u (left, dotted): a cosine wave in θ, largest "
              "(= |∇f|) when u points along ∇f, zero along the contour line (90° away), most negative along −∇f.",
              before=ui.display_math(mv.directional_latex(pa, theta_deg)))

@st.fragment
def surface_section() -> None:
    """The Surface view's body: a change of the function, the window or a toggle reruns this, not the
    page's header, navigation and sidebar; a point step reruns only ``explore`` inside it."""
    f_text, _ = ui.function_input("f", mv.PRESETS, key="f", variables=mv.VARS)
    POINT.follow_preset(f_text)
    win = mvui.ranges(f_text)
    symbolic_derivatives(f_text)
    planes, tangent = view_controls(f_text, win.xr, win.yr)
    explore(f_text, win.xr, win.yr, planes, tangent)

with tab_surface:
    if tab_surface.open is not False:
        surface_section()


# =============================================================================================
# 2. The Jacobian of a map R² → R²
def _component(label: str, key: str, default: str) -> str:
    text = st.text_input(f"{label}(x, y)", value=default, key=key, bind="query-params", max_chars=300)
    return ui.last_valid(f"_{key}_ok", text, lambda t: parse_expression(t, mv.VARS), fallback=default,
                         what=f"{label}(x, y)")[0]

@st.fragment
def map_section() -> None:
    names = list(mv.MAP_PRESETS) + [CUSTOM_MAP]
    name = ui.select("Map", names, 0, key="map", widget=st.radio, horizontal=True,
                     on_change=lambda: mv.follow_map_preset(st.session_state, st.session_state["map"])) or names[0]
    u_text, v_text = mv.MAP_PRESETS.get(name, mv.CUSTOM_START)
    if name == CUSTOM_MAP:
        cu, cv = st.columns(2)
        with cu: u_text = _component("u", "u", u_text)
        with cv: v_text = _component("v", "v", v_text)
    try:
        mj = _map_jac(u_text, v_text)
    except SymbolicTimeout:
        st.warning("Differentiating this map took too long — try simpler components.", icon="⏳")
        return
    # the map and its Jacobian in x and y: they do not move with the point, so outside its fragment
    st.latex(mj.latex()["all"])
    if name == "polar → cartesian":
        st.caption("Here x plays r and y plays θ: (r, θ) ↦ (r cos θ, r sin θ).")
    map_point(mj, u_text, v_text, *mv.map_window(name))

ORIENTATION = {"kept": (st.success, "🔄"), "flipped": (st.warning, "🪞"), "flat": (st.info, None)}

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
    ui.notice("the grid's straight lines bend, yet every small square lands as an almost-parallelogram. The "
              "shading is det J, the local area scale: blue where det J > 0 (orientation kept), red where "
              "det J < 0 (flipped), pale where det J ≈ 0 (areas squashed).")
    cl, cr = st.columns([1, 1])
    with cl:
        ui.chart_live(mf.square_zoom_figure(sq), key="mapzoom")
        ui.notice("close up, the true image of the square (red-orange) is the parallelogram spanned by J·dx and "
                  "J·dy (dashed). Shrink the square and the two agree.")
    with cr: st.latex(mv.square_latex(sq, a, b))
    box, icon = ORIENTATION[sq.orientation]
    box(mv.ORIENTATION_TEXT[sq.orientation], icon=icon)

with tab_map:
    if tab_map.open is not False:
        st.markdown("A map sends each point (x, y) to (u, v). Its **Jacobian** J is the matrix of "
                    "partial derivatives: the best linear approximation of the map near a point.")
        map_section()


# =============================================================================================
# 3. The Sandpit
@st.fragment
def sandpit() -> None:
    """The pit's settings; a dip (a click, a typed dip, reveal, start again) reruns only ``pit_game``."""
    # (columns hold their widths at 1024 px; this row is outside the game's rerun scope)
    c1, c2, c3, c4 = st.columns([2.2, 1.3, 2, 1.2])
    with c1: kind = sb.kind_for_label(ui.select("Pit", list(sb.KINDS.values()), 0, key="pit"))
    with c2: seed = int(ui.number("Seed", 1, key="seed", min_value=0, max_value=99999, step=1))
    with c3:
        mode = sb.mode_for_label(ui.select("Mode", list(sb.MODES.values()), 0, key="mode", widget=st.radio,
                                           horizontal=True))
    with c4:
        st.button("🎲 New random pit", on_click=lambda: st.session_state.update(seed=sb.random_seed()),
                  help="A new seed (the link changes too, so a class can share the same pit)")
    pit_game(kind, seed, mode)

MESSAGE_BOXES = {"win": (st.success, None), "local": (st.info, "🕳️"), "warning": (st.warning, None),
                 "depth": (st.info, "📏")}

@st.fragment
def pit_game(kind: str, seed: int, mode: str) -> None:
    game = PIT.sync(kind, seed, mode)
    pit, minima = _pit(kind, seed)
    st.progress(len(game.dips) / sb.MAX_DIPS, text=sb.progress_text(game))
    board, side = st.columns([3, 2])
    with board:
        ui.chart_live(mf.pit_board(game, pit, minima, aim=PIT.aim()), key="pitboard",
                      on_click=lambda: PIT.click(live_chart.clicked_point("pitboard")))
        ui.notice(sb.board_notice(game.mode))
    with side:
        # the dip's message sits beside the board, not above it: appearing after the first dip, it
        # would push the board down under the pointer and a quick second click would miss
        style, text = PIT.message()
        if style is not None:
            box, icon = MESSAGE_BOXES[style]
            box(text, icon=icon)
        if game.lost:
            st.error(sb.OUT_OF_DIPS)
        formula = sb.formula_latex(game)
        st.markdown(sb.RULES + (ui.display_math(formula) if formula else ""))
        keypad.dip_controls(PIT, game)      # the keyboard's way to dip: aim, then "Dip here"
        with ui.row():
            st.button("Reveal the pit", on_click=PIT.reveal, disabled=game.revealed)
            st.button("Start again", on_click=PIT.restart)
    if game.revealed:
        cam, rev = view3d.view_buttons("pit3d")
        ui.chart3d(mf.pit_3d(pit, game, minima), key="pit3d", camera=cam, camera_rev=rev)
        ui.notice(sb.reveal_notice(minima))

with tab_pit:
    if tab_pit.open is not False:
        sandpit()
