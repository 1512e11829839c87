"""Keyboard alternatives to a drag or a precise click (issue #20, WCAG 2.5.7): the 3D view buttons'
cameras (explorer.multivariate.camera) and the arrow buttons' steps (explorer.multivariate.clicks,
the Sandpit's aim, the descent map's start)."""
import math

import numpy as np
import pytest

from explorer import sandpit as sb
from explorer.multivariate import camera, clicks
from explorer.optimise import start_from_arrow

R0 = math.sqrt(3) * 1.25          # plotly's default eye distance


def eye(cam):
    return np.array([cam["eye"][k] for k in "xyz"])


def up(cam):
    return np.array([cam["up"][k] for k in "xyz"])


def test_angles_of_plotlys_default_eye():
    az, el, r = camera.angles(camera.DEFAULT_EYE)
    assert az == pytest.approx(45.0)
    assert el == pytest.approx(math.degrees(math.atan(1 / math.sqrt(2))))      # 35.26°
    assert r == pytest.approx(R0)
    assert eye(camera.camera(az, el, r)) == pytest.approx([1.25, 1.25, 1.25])
    with pytest.raises(ValueError):
        camera.angles((0, 0, 0))


def test_24_rotations_of_15_degrees_come_back_and_keep_the_distance():
    for start in (camera.default_camera(), camera.camera(-90, 90, 2.0), camera.camera(10, -30, 3.3),
                  camera.default_camera({"eye": {"x": -1.1, "y": 0.4, "z": 1.3}})):
        cam, r0 = start, np.linalg.norm(eye(start))
        zs = set()
        for k in range(24):
            cam = camera.apply("Rotate ⟳ 15°", cam)
            assert np.linalg.norm(eye(cam)) == pytest.approx(r0, rel=1e-12)
            zs.add(round(cam["eye"]["z"], 9))
            if k == 11:           # half-way: turned 180° about the vertical axis
                assert eye(cam)[:2] == pytest.approx(-eye(start)[:2], abs=1e-9)
        assert len(zs) == 1                                   # rotation keeps the height
        assert eye(cam) == pytest.approx(eye(start), abs=1e-9)
        assert up(cam) == pytest.approx(up(start), abs=1e-9)
        # and ⟲ undoes ⟳
        back = camera.apply("Rotate ⟲ 15°", camera.apply("Rotate ⟳ 15°", start))
        assert eye(back) == pytest.approx(eye(start), abs=1e-9)


def test_one_step_turns_by_15_degrees_the_right_way():
    cam = camera.default_camera()
    after = camera.apply("Rotate ⟲ 15°", cam)
    a0, a1 = (math.degrees(math.atan2(c["eye"]["y"], c["eye"]["x"])) for c in (cam, after))
    # ⟲ turns the SURFACE anticlockwise seen from above, so the eye moves clockwise: −15°
    assert a1 - a0 == pytest.approx(-15.0)
    cosang = eye(cam) @ eye(after) / (np.linalg.norm(eye(cam)) ** 2)
    el = math.radians(35.2643896828)
    # the angle between the two eyes: a 15° turn about z at elevation el
    assert cosang == pytest.approx(math.sin(el) ** 2 + math.cos(el) ** 2 * math.cos(math.radians(15)))


def test_standard_views():
    top = camera.apply("Top", None)
    assert eye(top) == pytest.approx([0, 0, R0]) and up(top) == pytest.approx([0, 1, 0])   # y up the screen
    front = camera.apply("Front", None)
    assert eye(front) == pytest.approx([0, -R0, 0]) and up(front) == pytest.approx([0, 0, 1])
    side = camera.apply("Side", None)
    assert eye(side) == pytest.approx([R0, 0, 0])
    # the standard views keep the distance the camera has
    far = camera.camera(0, 20, 4.0)
    assert np.linalg.norm(eye(camera.apply("Top", far))) == pytest.approx(4.0)
    # Default is the figure's own camera when it sets one, else plotly's
    own = {"eye": {"x": -1.5, "y": 0.5, "z": 1.3}}
    assert eye(camera.apply("Default", far, own)) == pytest.approx([-1.5, 0.5, 1.3])
    assert eye(camera.apply("Default", far)) == pytest.approx([1.25, 1.25, 1.25])
    with pytest.raises(ValueError):
        camera.apply("Spin", None)


def test_top_view_rotates_the_map_and_tilts_back_down_towards_the_front():
    top = camera.apply("Top", None)
    turned = camera.apply("Rotate ⟳ 15°", top)       # the map turns: the up vector turns with the eye's azimuth
    assert eye(turned) == pytest.approx([0, 0, R0])
    assert up(turned) == pytest.approx([-math.sin(math.radians(15)), math.cos(math.radians(15)), 0], abs=1e-12)
    # tilting down from the top lands on the side the picture's bottom was: the front (−y)
    cam = top
    for _ in range(6):
        cam = camera.apply("Tilt down 15°", cam)
    assert eye(cam) == pytest.approx(eye(camera.apply("Front", None)), abs=1e-9)
    # tilting stops at straight up and straight down
    for _ in range(10):
        cam = camera.apply("Tilt down 15°", cam)
    assert camera.angles(cam["eye"])[1] == pytest.approx(-90.0)
    for _ in range(20):
        cam = camera.apply("Tilt up 15°", cam)
    assert camera.angles(cam["eye"])[1] == pytest.approx(90.0)
    assert np.linalg.norm(eye(cam)) == pytest.approx(R0)


def test_every_button_gives_a_valid_plotly_camera():
    import plotly.graph_objects as go
    cam = None
    for label in camera.BUTTONS * 2:
        cam = camera.apply(label, cam)
        go.layout.scene.Camera(cam)          # raises on anything plotly does not accept
        assert all(math.isfinite(v) for part in ("eye", "up", "center") for v in cam[part].values())
        assert np.linalg.norm(up(cam)) == pytest.approx(1.0)
        assert abs(up(cam) @ eye(cam)) < 1e-9 or up(cam) @ np.array([0, 0, 1.0]) == 1.0


# ---------------------------------------------------------------------------------------------
# Arrow buttons: one coarse step, on the sliders' grid, inside the window
def test_pad_step_is_about_a_twentieth_of_the_window_and_at_least_one_slider_step():
    assert clicks.pad_step(-3, 3, 0.05) == 0.5
    assert clicks.pad_step(-1000, 10, 10.0) == 100.0
    assert clicks.pad_step(0, 0.1, 0.01) == 0.01          # never less than a slider step
    assert clicks.pad_step(-2, 2, 0.05) == 0.2


@pytest.mark.parametrize("point, move, want", [
    ((1.0, 1.0), "right", (1.5, 1.0)), ((1.0, 1.0), "left", (0.5, 1.0)),
    ((1.0, 1.0), "up", (1.0, 1.5)), ((1.0, 1.0), "down", (1.0, 0.5)),
    ((2.8, -2.9), "right", (3.0, -2.9)), ((2.8, -2.9), "down", (2.8, -3.0)),     # clamped at the edges
    ((3.0, 0.0), "right", (3.0, 0.0)),
    ((0.123, 0.0), "right", (0.6, 0.0)),                  # off the grid: lands on the slider's grid
])
def test_nudge(point, move, want):
    assert clicks.nudge(point, move, (-3, 3), (-3, 3), 0.05) == pytest.approx(want, abs=1e-12)


def test_nudge_lands_exactly_on_slider_values():
    p = (-3.0, -3.0)
    for _ in range(12):
        p = clicks.nudge(p, "right", (-3, 3), (-3, 3), 0.05)
        p = clicks.nudge(p, "up", (-3, 3), (-3, 3), 0.05)
        k = (p[0] + 3) / 0.05
        assert k == round(k) and p[0] == round(p[0], 6)
    assert p == (3.0, 3.0)
    assert "0.5" in clicks.pad_label((-3, 3), (-3, 3), 0.05)
    assert "0.5 in x, 0.2 in y" in clicks.pad_label((-3, 3), (-2, 2), 0.05)


def test_sandpit_aim_moves_a_quarter_and_stays_in_the_pit():
    state = {}
    ps = sb.PitSession(state, lambda kind, seed: (sb.make_pit(kind, seed), sb.find_minima(sb.make_pit(kind, seed))))
    ps.sync("intro", 1, "gradient")
    assert ps.aim() == (3.0, 3.0)
    ps.nudge("left")
    ps.nudge("up")
    assert ps.aim() == (2.75, 3.25)
    ps.dip_at_aim()
    assert [(d.x, d.y) for d in ps.game.dips] == [(2.75, 3.25)]
    for _ in range(30):
        ps.nudge("down")
    assert ps.aim() == (2.75, 0.0)
    # the bottom of the intro pit, (1.21, 4.01), is reached from the keyboard: typed, then dipped
    state["_dipx"], state["_dipy"] = 1.2, 4.0
    ps.dip_at_aim()
    assert ps.game.won


def test_descent_start_arrows_use_the_maps_window_and_the_sliders_range():
    assert start_from_arrow((2.0, 1.5), "left", (-3, 3, -3, 3)) == (1.5, 1.5)
    assert start_from_arrow((2.0, 1.5), "up", (-2, 2, -1, 3)) == (2.0, 1.7)
    assert start_from_arrow((5.9, 6.0), "up", (-3, 3, -3, 3)) == (5.9, 6.0)
    assert start_from_arrow((5.9, 6.0), "right", (-3, 3, -3, 3)) == (6.0, 6.0)


def test_the_board_draws_the_keyboard_aim_while_the_game_is_on():
    from explorer.figures import fastfig
    from explorer.figures import multivariate as mf
    pit = sb.make_pit("intro", 1)
    minima = sb.find_minima(pit)
    game = sb.new_game("intro", 1, "gradient")
    fig = mf.pit_board(game, pit, minima, aim=(2.5, 3.25))
    fastfig.validate(fig)                                    # plotly accepts every property
    aim = [t for t in fig.data if t.name == "aim of “Dip here”"]
    assert len(aim) == 1 and (aim[0].x, aim[0].y) == ((2.5,), (3.25,))
    assert aim[0].marker.symbol == "cross-thin-open"         # a shape, not a colour, marks it
    won = sb.dip(game, pit, minima, *minima.global_min).game
    assert won.over and not [t for t in mf.pit_board(won, pit, minima, aim=(1, 1)).data if t.name.startswith("aim")]
