"""AppTest of the multivariate page: defaults, linked widgets, badges, the map and the Sandpit."""
import pytest

from helpers import run_page

PAGE = "pages/multivariate.py"


def _text(at):
    return " ".join([e.value for e in at.success] + [e.value for e in at.info] + [e.value for e in at.warning]
                    + [e.value for e in at.error])


def _latex(at):
    return " ".join(e.value for e in at.latex)


def _captions(at):
    return " ".join(e.value for e in at.caption)


def _frame_carriers(at):
    """The hidden elements carrying drag frames (keys ``lf-<chart>-<slider>``, ui.live_chart.frames_key)."""
    return [c for c in at.get("bidi_component") if str(c.key).startswith("lf-")]


def _live(at):
    return [c for c in at.get("bidi_component") if not str(c.key).startswith("lf-")]


def _spec_bytes(at):
    """The charts' bytes (not the drag frames: ``_frame_bytes``)."""
    return sum(len(c.proto.spec) for c in at.get("plotly_chart")) + sum(c.proto.ByteSize() for c in _live(at))


def _frame_bytes(at):
    return sum(c.proto.ByteSize() for c in _frame_carriers(at))


def _charts(at):
    """Charts drawn by st.plotly_chart, and by ui.chart_live's component (drawn in place with
    Plotly.react: every chart on this page, the clickable maps included); not the frame carriers."""
    return len(at.get("plotly_chart")), len(_live(at))


def _button(at, label):
    return next(b for b in at.button if b.label.startswith(label))


def test_defaults_draw_every_view_small_enough():
    at = run_page(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert _charts(at) == (0, 3)          # the clickable contour map, 3D surface, slices (the open tab)
    assert "not a stationary point" in _text(at)
    # the point's value and gradient sit in the classification's box, as display math
    assert r"f(x_0, y_0) = f(1, 1) = 2," in _text(at) and r"= (2, 2)" in _text(at)
    assert at.button_group(key="part").value == "Partial derivatives (slices)"
    assert r"\frac{\partial f}{\partial x} = 2 x" in _latex(at)
    assert _spec_bytes(at) < 250_000, _spec_bytes(at)
    # drag frames (issue #19): x₀ and y₀ for the map, the surface and the slices, within the budget
    # of a first load (1.5 MB over the websocket with the charts)
    assert sorted(str(c.key) for c in _frame_carriers(at)) == sorted(
        f"lf-{k}-{s}" for k in ("p3d-fmap", "p3d-surf3d", "p3d-slices") for s in ("x0", "y0")), \
        [c.key for c in _frame_carriers(at)]
    assert 100_000 < _frame_bytes(at) < 600_000, _frame_bytes(at)
    assert sum("What to notice" in c.value for c in at.caption) == 3      # one per chart
    # the other two views of the point's derivatives, each in its tab (only the open one runs)
    at.session_state["part"] = "Jacobian and Hessian"
    at.run()
    assert _charts(at) == (0, 2) and r"H(x_0, y_0) = \begin{bmatrix}" in _latex(at)
    at.session_state["part"] = "Directional derivative"
    at.run()
    assert _charts(at) == (0, 3) and r"D_{\mathbf u} f" in _captions(at)       # formula with the notice
    assert sum("What to notice" in c.value for c in at.caption) == 3


def test_point_sliders_drive_the_badge():
    at = run_page(PAGE, {"part": "Jacobian and Hessian"})
    at.slider(key="x0").set_value(0.0)
    at.slider(key="y0").set_value(0.0).run()
    assert not at.exception
    assert "minimum" in " ".join(e.value for e in at.success)
    assert r"H(x_0, y_0) = \begin{bmatrix} 2 & 0 \\ 0 & 2 \end{bmatrix}" in _latex(at)
    assert r"\lambda_1 = 2" in _latex(at) and r"\det H = 4" in _latex(at)
    assert r"f(x_0, y_0) = f(0, 0) = 0," in _text(at) and r"|\nabla f| = 0" in _text(at)


def test_saddle_preset_and_typed_inconclusive():
    at = run_page(PAGE)
    at.selectbox(key="f_preset").select("saddle").run()
    at.slider(key="x0").set_value(0.0)
    at.slider(key="y0").set_value(0.0).run()
    assert "saddle point" in _text(at)
    at.text_input(key="f").input("x^4 + y^4").run()
    assert not at.exception
    assert "test inconclusive" in _text(at)


def test_preset_moves_the_window_and_the_point():
    at = run_page(PAGE)
    at.selectbox(key="f_preset").select("Himmelblau").run()
    assert not at.exception
    assert at.number_input(key="xmin").value == -5.0 and at.number_input(key="ymax").value == 5.0
    assert at.slider(key="x0").max == 5.0


def test_nearest_stationary_point_button():
    at = run_page(PAGE)
    at.selectbox(key="f_preset").select("Himmelblau").run()
    at.slider(key="x0").set_value(2.8)
    at.slider(key="y0").set_value(2.2).run()
    _button(at, "Go to the nearest").click().run()
    assert not at.exception
    assert at.slider(key="x0").value == pytest.approx(3.0, abs=1e-6)
    assert at.slider(key="y0").value == pytest.approx(2.0, abs=1e-6)
    assert "minimum" in " ".join(e.value for e in at.success)


def test_bad_input_is_explained_and_nothing_breaks():
    at = run_page(PAGE)
    at.text_input(key="f").input("x^2 + y(").run()
    assert not at.exception
    assert any("never closed" in e.value for e in at.error)
    assert at.text_input(key="f").value == "x^2 + y("
    assert _charts(at) == (0, 3)
    at.number_input(key="xmin").set_value(5.0).run()     # from > to
    assert not at.exception
    assert any("from < to" in e.value for e in at.error)


def test_theta_slider_gives_grad_dot_u():
    at = run_page(PAGE, {"x0": "1", "y0": "1", "part": "Directional derivative"})
    at.slider(key="theta").set_value(45).run()
    assert not at.exception
    assert r"\sin\theta = 2.828" in _captions(at)       # (2, 2)·(cos 45°, sin 45°) = 2√2
    assert r"|\nabla f| = 2.828 \text{ at } \theta = 45.0^\circ" in _captions(at)


def test_map_tab_polar_determinant_is_r():
    at = run_page(PAGE, {"view": "Map", "map": "polar → cartesian"})
    assert not at.exception, [e.value for e in at.exception]
    assert r"\det J = x" in _latex(at)
    at.slider(key="mx").set_value(1.5).run()
    assert r"\det J = 1.5" in _latex(at)
    assert r"J(1.5, " in _latex(at)                       # the Jacobian at the moved point
    assert "orientation kept" in _text(at)


def test_map_tab_typed_components_and_orientation_flip():
    at = run_page(PAGE, {"view": "Map"})
    at.radio(key="map").set_value("✏️ Type your own").run()
    at.text_input(key="u").input("y").run()
    at.text_input(key="v").input("x").run()
    assert not at.exception
    assert "orientation flipped" in _text(at)
    at.text_input(key="v").input("x +* 2").run()
    assert not at.exception and any("Cannot read that v(x, y)" in e.value for e in at.error)
    assert "Still drawing the last valid v(x, y): `x`" in _captions(at)       # the map in use is said
    assert "orientation flipped" in _text(at)


def test_sandpit_typed_dips_and_winning():
    at = run_page(PAGE, {"view": "Sandpit", "pit": "course intro", "seed": "1"})
    assert not at.exception, [e.value for e in at.exception]
    at.number_input(key="_dipx").set_value(3.0)
    at.number_input(key="_dipy").set_value(2.0)
    _button(at, "Dip here").click().run()
    game = at.session_state["_pit_game"]
    assert len(game.dips) == 1 and not game.won
    assert "Dips used: 1 / 25" in at.get("progress")[0].proto.text
    at.number_input(key="_dipx").set_value(1.2)
    at.number_input(key="_dipy").set_value(4.0)
    _button(at, "Dip here").click().run()
    assert at.session_state["_pit_game"].won
    assert "You found the bottom" in _text(at)
    assert _charts(at) == (0, 2)          # the board and the revealed 3D pit


def test_sandpit_seed_and_mode_come_from_the_url():
    at = run_page(PAGE, {"view": "Sandpit", "pit": "smooth", "seed": "777", "mode": "depth only"})
    assert not at.exception
    game = at.session_state["_pit_game"]
    assert (game.kind, game.seed, game.mode) == ("smooth", 777, "depth")
    _button(at, "Reveal").click().run()
    assert at.session_state["_pit_game"].revealed and _charts(at) == (0, 2)


# ---------------------------------------------------------------------------------------------
# The sliders, the point the results use and the charts always agree (issue #18)
def _sent_figures(monkeypatch):
    """Every live chart's figure as the browser receives it (JSON), in the order drawn."""
    import json
    from ui import live_chart
    sent = []
    real = live_chart.figure_json

    def capture(fig):
        out = real(fig)
        sent.append(json.loads(out))
        return out
    monkeypatch.setattr(live_chart, "figure_json", capture)
    return sent


def _marker(figs, name="(x₀, y₀)"):
    """The point as the last contour map drew it."""
    trace = next(t for f in reversed(figs) for t in f["data"] if t.get("name") == name)
    return trace["x"][0], trace["y"][0]


def _reading(at):
    import re
    m = re.search(r"f\(x_0, y_0\) = f\(([-\d.]+), ([-\d.]+)\)", _text(at))
    return float(m.group(1)), float(m.group(2))


def _agree(at, figs):
    sx, sy = at.slider(key="x0").value, at.slider(key="y0").value
    assert _reading(at) == pytest.approx((sx, sy), abs=1e-9)          # the results' point
    assert _marker(figs) == pytest.approx((sx, sy), abs=1e-6)           # the contour map's point
    assert (at.session_state["x0"], at.session_state["y0"]) == (sx, sy)
    return sx, sy


def test_an_invalid_or_huge_window_keeps_sliders_results_and_charts_on_one_point(monkeypatch):
    figs = _sent_figures(monkeypatch)
    at = run_page(PAGE)
    at.number_input(key="xmax").set_value(10.0).run()
    at.slider(key="x0").set_value(8.0).run()
    assert _agree(at, figs) == (8.0, 1.0)
    # x from > x to: the default window (−3…3) is drawn, the point moves inside it and it is said
    at.number_input(key="xmin").set_value(20.0).run()
    assert not at.exception
    assert any("x from -3 to 3, y from -3 to 3" in e.value for e in at.error)
    assert _agree(at, figs) == (3.0, 1.0)
    assert at.slider(key="x0").max == 3.0
    assert "x₀ was outside the window: it moved from 8 to the nearest value inside, 3." in \
        " ".join(e.value for e in at.info)
    # a valid window again: the point stays where it is (written again for the new slider)
    at.number_input(key="xmin").set_value(0.0).run()
    assert not at.error and _agree(at, figs) == (3.0, 1.0)
    assert not any("moved" in e.value for e in at.info)
    # x from = −1000: a slider of steps of 10, and still the same point everywhere
    at.number_input(key="xmin").set_value(-1000.0).run()
    s = at.slider(key="x0")
    assert (s.min, s.max, s.proto.step) == (-1000.0, 10.0, 10.0)
    assert not at.exception and _agree(at, figs) == (3.0, 1.0)
    # and from there back to a window without the point: it moves in, and the page says so
    at.number_input(key="xmin").set_value(5.0).run()
    assert _agree(at, figs) == (5.0, 1.0)
    assert "x₀ was outside the window: it moved from 3 to the nearest value inside, 5." in \
        " ".join(e.value for e in at.info)


def test_presenter_mode_keeps_3d_tick_labels_small(monkeypatch):
    figs = _sent_figures(monkeypatch)
    at = run_page(PAGE, {"present": "1"})
    assert not at.exception
    scenes = [f["layout"]["scene"] for f in figs if "scene" in f["layout"]]
    assert scenes
    for scene in scenes:
        for axis in ("xaxis", "yaxis", "zaxis"):
            assert scene[axis]["tickfont"]["size"] == 13 and scene[axis]["nticks"] == 6
    assert max(f["layout"]["font"]["size"] for f in figs) == 22     # presenter mode is on (2D text big)


def test_directional_title_has_a_real_subscript(monkeypatch):
    import json
    figs = _sent_figures(monkeypatch)
    at = run_page(PAGE, {"part": "Directional derivative"})
    assert not at.exception
    text = json.dumps(figs, ensure_ascii=False)
    assert "D_u" not in text and "D<sub>u</sub>f = ∇f · u for every θ" in text


def test_sandpit_intro_marks_no_corner_as_a_local_minimum(monkeypatch):
    figs = _sent_figures(monkeypatch)
    at = run_page(PAGE, {"view": "Sandpit", "pit": "course intro", "seed": "1"})
    at.number_input(key="_dipx").set_value(6.0)
    at.number_input(key="_dipy").set_value(0.0)
    _button(at, "Dip here").click().run()
    assert "beyond the wall" in _text(at) and "local" not in _text(at)
    _button(at, "Reveal").click().run()
    board = next(f for f in reversed(figs) if any(t.get("name") == "the bottom" for t in f["data"])
                 and "scene" not in f["layout"])
    assert not any(t.get("name") == "local minima" for t in board["data"])
    assert "no other local minimum" in _captions(at)


# ---------------------------------------------------------------------------------------------
# Keyboard alternatives (issue #20, WCAG 2.5.7): arrow buttons for the map's point, aim-and-dip
# for the Sandpit, buttons that turn the 3D views
def test_arrow_buttons_move_the_point_one_step_and_stop_at_the_edge(monkeypatch):
    figs = _sent_figures(monkeypatch)
    at = run_page(PAGE)
    start = _agree(at, figs)
    pad = at.button_group(key="_pad_fmap")
    assert pad.options == ["← Left", "↑ Up", "↓ Down", "→ Right"] or \
        [o.content for o in pad.proto.options] == ["← Left", "↑ Up", "↓ Down", "→ Right"]
    assert "Move the point by 0.5 (keyboard" in pad.label          # window −3…3: 1/20 of 6 → 0.5
    pad.set_value(["right"]).run()
    assert not at.exception
    assert _agree(at, figs) == pytest.approx((start[0] + 0.5, start[1]))
    assert at.button_group(key="_pad_fmap").value == []         # ready to be pressed again
    at.button_group(key="_pad_fmap").set_value(["right"]).run()
    at.button_group(key="_pad_fmap").set_value(["down"]).run()
    assert _agree(at, figs) == pytest.approx((start[0] + 1.0, start[1] - 0.5))
    # at the window's edge the point stays inside: x₀ = 3 is the right edge
    for _ in range(8):
        at.button_group(key="_pad_fmap").set_value(["right"]).run()
    assert _agree(at, figs)[0] == 3.0
    assert not at.exception


def test_sandpit_from_the_keyboard_aim_with_arrows_then_dip(monkeypatch):
    figs = _sent_figures(monkeypatch)
    at = run_page(PAGE, {"view": "Sandpit", "pit": "course intro", "seed": "1"})
    assert not at.exception

    def aim_marker():
        board = [f for f in figs if any(t.get("name") == "aim of “Dip here”" for t in f["data"])][-1]
        t = next(t for t in board["data"] if t.get("name") == "aim of “Dip here”")
        return t["x"][0], t["y"][0]
    assert aim_marker() == (3.0, 3.0)                          # the middle of the pit, as the inputs say
    for move in ("left", "left", "up"):                        # 0.25 a press
        at.button_group(key="_pad_pit").set_value([move]).run()
    assert (at.number_input(key="_dipx").value, at.number_input(key="_dipy").value) == (2.5, 3.25)
    assert aim_marker() == (2.5, 3.25)                         # the crosshair follows the inputs
    _button(at, "Dip here").click().run()
    game = at.session_state["_pit_game"]
    assert [(d.x, d.y) for d in game.dips] == [(2.5, 3.25)]
    assert "Dips used: 1 / 25" in at.get("progress")[0].proto.text
    # the aim stays inside the pit: 12 presses left (3 units from 2.5) end at x = 0
    for _ in range(12):
        at.button_group(key="_pad_pit").set_value(["left"]).run()
    assert at.number_input(key="_dipx").value == 0.0 and not at.exception


def test_3d_view_buttons_send_a_camera_and_a_new_revision():
    from explorer.multivariate import camera
    at = run_page(PAGE)
    sent = {}

    def payload_meta(key):
        import json
        for comp in at.get("bidi_component"):
            meta = json.loads(comp.proto.bytes.decode().partition("\n")[0])
            if meta.get("key") == key:
                return meta
    views = at.button_group(key="_view3d_btn_surf3d")
    assert views.value == []
    views.set_value(["Top"]).run()
    assert not at.exception
    cam, rev = at.session_state["_view3d_surf3d"]
    assert rev == 1 and cam == camera.camera(-90, 90, camera.angles(camera.DEFAULT_EYE)[2])
    at.button_group(key="_view3d_btn_surf3d").set_value(["Rotate ⟳ 15°"]).run()
    cam, rev = at.session_state["_view3d_surf3d"]
    assert rev == 2 and cam["eye"]["z"] == pytest.approx(2.165, abs=1e-3)
    sent["meta"] = payload_meta("surf3d")
    # once the chart component takes a camera, it receives this one (until then the call is harmless)
    if sent["meta"] is not None and "camera" in sent["meta"]:
        assert sent["meta"]["camera"] == cam and str(sent["meta"]["cameraRev"]) == "2"
