"""explorer.sandpit: surfaces, seeding, minima and scoring."""
import math

import numpy as np
import pytest

from explorer import sandpit as sb
from explorer.expressions import compile_expression
from explorer.multivariate import SANDPIT_INTRO

CASES = [(k, s) for k in sb.KINDS for s in (1, 2, 3)]


def test_intro_pit_is_the_course_surface():
    pit = sb.make_pit("intro", 0)
    f = compile_expression(SANDPIT_INTRO, ("x", "y"))
    g = np.linspace(0, 6, 31)
    X, Y = np.meshgrid(g, g)
    np.testing.assert_allclose(pit.value(X, Y), f(X, Y), rtol=1e-12)


@pytest.mark.parametrize("kind, seed", CASES)
def test_gradient_against_finite_differences(kind, seed):
    pit = sb.make_pit(kind, seed)
    rng = np.random.default_rng(0)
    pts = rng.uniform(0, 6, (20, 2))
    h = 1e-6
    gx, gy = pit.gradient(pts[:, 0], pts[:, 1])
    fdx = (pit.value(pts[:, 0] + h, pts[:, 1]) - pit.value(pts[:, 0] - h, pts[:, 1])) / (2 * h)
    fdy = (pit.value(pts[:, 0], pts[:, 1] + h) - pit.value(pts[:, 0], pts[:, 1] - h)) / (2 * h)
    np.testing.assert_allclose(gx, fdx, atol=1e-5 * (1 + np.abs(gx).max()))
    np.testing.assert_allclose(gy, fdy, atol=1e-5 * (1 + np.abs(gy).max()))


def test_seeding_is_reproducible_and_seeds_differ():
    for kind in ("smooth", "several", "rocks", "well"):
        assert sb.make_pit(kind, 42) == sb.make_pit(kind, 42)
        assert sb.make_pit(kind, 42) != sb.make_pit(kind, 43)
    # the same seed gives different kinds different surfaces
    assert sb.make_pit("smooth", 5).wells != sb.make_pit("rocks", 5).wells[:1] + sb.make_pit("smooth", 5).wells[1:]
    with pytest.raises(ValueError):
        sb.make_pit("lava", 1)


@pytest.mark.parametrize("kind, seed", CASES)
def test_global_minimum_is_the_lowest_point_of_a_dense_grid(kind, seed):
    pit = sb.make_pit(kind, seed)
    m = sb.find_minima(pit)
    g = np.linspace(0, 6, 601)
    X, Y = np.meshgrid(g, g)
    Z = pit.value(X, Y)
    assert m.global_value <= Z.min() + 1e-9
    assert m.global_value == pytest.approx(float(pit.value(*m.global_min)))
    i = np.unravel_index(Z.argmin(), Z.shape)
    assert math.hypot(X[i] - m.global_min[0], Y[i] - m.global_min[1]) < 0.02
    assert all(v >= m.global_value for _, _, v in m.local)


def test_intro_minimum_and_no_corner_called_a_local_minimum():
    m = sb.find_minima(sb.make_pit("intro", 0))
    assert m.global_min == pytest.approx((1.209, 4.011), abs=5e-3)
    assert m.global_value == pytest.approx(-46.154, abs=1e-2)
    # the well is the only point of the open square where ∇f = 0 with H positive definite: the
    # four corners of the upside-down bowl are lower than their neighbours only because the walls
    # stop the sand; they are wall lows, never local minima (the shallowest, (6, 0), is one of them)
    assert len(m.local) == 1 and m.local[0][:2] == pytest.approx(m.global_min)
    assert m.traps == () and not m.bottom_on_wall
    assert sorted((round(x), round(y)) for x, y, _ in m.wall) == [(0, 0), (0, 6), (6, 0), (6, 6)]
    assert not any(min(x, y, 6 - x, 6 - y) < 0.1 for x, y, _ in m.local)
    # sympy: at each corner ∇f ≠ 0, and −∇f points out of the square (the ground falls beyond the wall)
    import sympy as sp
    x, y = sp.symbols("x y")
    f = -((x - sp.Rational(41, 10)) ** 2 + (y - sp.Rational(9, 10)) ** 2) \
        - 30 * sp.exp(-((x - sp.Rational(3, 2)) ** 2 + (y - sp.Rational(37, 10)) ** 2) / sp.Rational(28, 10))
    for cx, cy, _ in m.wall:
        g = [float(sp.diff(f, v).subs({x: cx, y: cy})) for v in (x, y)]
        outward = (1 if cx > 3 else -1, 1 if cy > 3 else -1)
        assert -g[0] * outward[0] > 0.5 and -g[1] * outward[1] > 0.5, (cx, cy, g)


@pytest.mark.parametrize("kind, seed", CASES + [("intro", 0), ("several", 0), ("rocks", 0)])
def test_local_minima_are_interior_stationary_points_with_positive_definite_hessian(kind, seed):
    """Checked against sympy's gradient and Hessian of the pit's formula, and against a dense grid:
    every strict minimum of a 601 × 601 grid away from the walls is one of the local minima found."""
    import sympy as sp
    pit = sb.make_pit(kind, seed)
    m = sb.find_minima(pit)
    x, y = sp.symbols("x y")
    from explorer.expressions import parse_expression
    f = parse_expression(sb.pit_text(pit), ("x", "y"))
    grad = [sp.lambdify((x, y), sp.diff(f, v)) for v in (x, y)]
    hess = sp.lambdify((x, y), sp.hessian(f, (x, y)))
    for lx, ly, lv in m.local:
        assert 1e-6 < min(lx, ly, 6 - lx, 6 - ly)             # inside the square, off the walls
        assert math.hypot(grad[0](lx, ly), grad[1](lx, ly)) < 1e-6 * (1 + abs(lv))
        assert np.all(np.linalg.eigvalsh(np.array(hess(lx, ly), float)) > 0)
        assert lv == pytest.approx(float(pit.value(lx, ly)))
    for wx, wy, _ in m.wall:
        assert min(wx, wy, 6 - wx, 6 - wy) < 1e-6          # on a wall
    g = np.linspace(0, 6, 601)
    X, Y = np.meshgrid(g, g)
    Z = pit.value(X, Y)
    core = Z[1:-1, 1:-1]
    strict = np.ones_like(core, bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                strict &= core < Z[1 + di:600 + di, 1 + dj:600 + dj]
    for i, j in zip(*np.nonzero(strict)):
        px, py = X[i + 1, j + 1], Y[i + 1, j + 1]
        if min(px, py, 6 - px, 6 - py) > 0.05:
            assert any(math.hypot(px - a, py - b) < 0.03 for a, b, _ in m.local), (px, py)


def test_kinds_have_their_character():
    for seed in (1, 2, 3):
        assert len(sb.find_minima(sb.make_pit("several", seed)).local) >= 3
        assert len(sb.find_minima(sb.make_pit("rocks", seed)).local) >= 4
        well = sb.make_pit("well", seed)
        wx, wy, _, width = well.wells[0]
        assert width < 0.2
        assert sb.find_minima(well).global_min == pytest.approx((wx, wy), abs=0.05)


def _game(kind="intro", seed=0, mode="gradient"):
    pit = sb.make_pit(kind, seed)
    return sb.new_game(kind, seed, mode), pit, sb.find_minima(pit)


def test_dip_reads_depth_and_gradient():
    game, pit, m = _game()
    r = sb.dip(game, pit, m, 3.0, 2.0)
    d = r.game.dips[-1]
    assert d.depth == pytest.approx(-float(pit.value(3.0, 2.0)))
    assert d.grad == pytest.approx(tuple(float(v) for v in pit.gradient(3.0, 2.0)))
    assert r.status == "miss" and not r.game.won and r.game.remaining == sb.MAX_DIPS - 1
    assert game.dips == ()                       # games are immutable


def test_winning_radius():
    game, pit, m = _game()
    gx, gy = m.global_min
    near = sb.dip(game, pit, m, gx + 0.14, gy)
    assert near.status == "win" and near.game.won and near.game.revealed and near.game.over
    far = sb.dip(game, pit, m, gx + 0.16, gy)
    assert far.status != "win" and not far.game.won
    assert sb.dip(near.game, pit, m, 1, 1).status == "over"


def test_local_minimum_is_told_so():
    game, pit, m = _game("several", 0)
    lx, ly, _ = m.traps[0]
    assert (lx, ly) == pytest.approx((0.754, 5.120), abs=2e-3)
    r = sb.dip(game, pit, m, lx, ly)
    assert r.status == "local" and "local" in r.message and not r.game.won


def test_a_corner_is_a_wall_low_not_a_local_minimum():
    game, pit, m = _game()               # the intro pit
    for cx, cy in ((0, 6), (6, 0)):      # the deepest corner and the shallowest
        r = sb.dip(game, pit, m, cx, cy)
        assert r.status == "wall" and "local" not in r.message and "beyond the wall" in r.message
        assert sb.message_style(r.status, r.message, r.game) == "depth"
    # in the middle of a wall, away from every wall low and trap: just the depth
    assert sb.dip(game, pit, m, 3.0, 6.0).status == "miss"
    assert "no other local minimum" in sb.reveal_notice(m)
    assert "blue crosses" in sb.reveal_notice(sb.find_minima(sb.make_pit("several", 0)))


def test_twenty_five_dips_with_a_warning_near_the_end():
    game, pit, m = _game("smooth", 7)
    gx, gy = m.global_min
    far = (0.0, 0.0) if math.hypot(gx, gy) > 1 else (6.0, 6.0)
    warned = []
    for i in range(sb.MAX_DIPS):
        r = sb.dip(game, pit, m, *far)
        game = r.game
        warned.append("left" in r.message)
    assert warned[:sb.MAX_DIPS - sb.WARN_AT - 1] == [False] * (sb.MAX_DIPS - sb.WARN_AT - 1)
    assert all(warned[sb.MAX_DIPS - sb.WARN_AT:-1])
    assert "last dip" in r.message and game.over and game.revealed and game.remaining == 0
    assert sb.dip(game, pit, m, gx, gy).status == "over"      # no 26th dip, not even a winning one


def test_outside_and_modes():
    game, pit, m = _game(mode="depth")
    assert game.mode == "depth"
    assert sb.dip(game, pit, m, 6.5, 1).status == "outside"
    assert sb.new_game("intro", 0, "nonsense").mode == "gradient"
    g2 = sb.with_mode(sb.dip(game, pit, m, 1, 1).game, "gradient")
    assert g2.mode == "gradient" and len(g2.dips) == 1
    assert sb.reveal(game).revealed


# ---------------------------------------------------------------------------------------------
# The formula written once, and the state machine the page drives
def test_the_intro_formula_is_written_once_and_reads_as_before():
    # the multivariate page's preset text (in URLs) and the revealed LaTeX, unchanged
    assert SANDPIT_INTRO == sb.INTRO_TEXT == sb.pit_text(sb.INTRO) == \
        "-((x - 4.1)^2 + (y - 0.9)^2) - 30 exp(-((x - 1.5)^2 + (y - 3.7)^2)/2.8)"
    assert sb.pit_latex(sb.INTRO) == \
        r"f = -\left((x-4.1)^2 + (y-0.9)^2\right) - 30\,e^{-\frac{(x-1.5)^2 + (y-3.7)^2}{2.8}}"
    assert sb.make_pit("intro", 3) == sb.Pit("intro", 3, -1.0, (4.1, 0.9), ((1.5, 3.7, 30.0, 2.8),))


@pytest.mark.parametrize("kind, seed", CASES)
def test_every_pit_text_parses_to_the_pit(kind, seed):
    pit = sb.make_pit(kind, seed)
    f = compile_expression(sb.pit_text(pit), ("x", "y"))
    g = np.linspace(0, 6, 13)
    X, Y = np.meshgrid(g, g)
    np.testing.assert_allclose(f(X, Y), pit.value(X, Y), rtol=1e-8, atol=1e-8)
    assert sb.pit_latex(pit).startswith("f = ")


def test_sync_restart_and_what_the_page_shows():
    game, fresh = sb.sync(None, "smooth", 4, "depth")
    assert fresh and (game.kind, game.seed, game.mode) == ("smooth", 4, "depth")
    pit = sb.make_pit("smooth", 4)
    played = sb.dip(game, pit, sb.find_minima(pit), 1, 1).game
    same, fresh = sb.sync(played, "smooth", 4, "gradient")
    assert not fresh and same.mode == "gradient" and same.dips == played.dips
    assert sb.sync(same, "smooth", 4, "gradient") == (same, False)
    assert sb.sync(same, "smooth", 5, "gradient")[1]
    again = sb.restart(same)
    assert again.dips == () and (again.kind, again.seed, again.mode) == ("smooth", 4, "gradient")
    assert sb.kind_for_label("narrow well") == "well" and sb.kind_for_label("lava") == "intro"
    assert sb.mode_for_label("depth only") == "depth" and sb.mode_for_label(None) == "gradient"
    assert 1 <= sb.random_seed() <= 99999
    assert sb.progress_text(game) == "Dips used: 0 / 25"
    assert sb.progress_text(played).startswith("Dips used: 1 / 25 · deepest so far ")
    assert sb.message_style(None, None, game) is None
    assert sb.message_style("win", "🎉", game) == "win" and sb.message_style("local", "t", game) == "local"
    assert sb.message_style("outside", "t", game) == "warning" and sb.message_style("miss", "t", game) == "depth"
    late = sb.Game("intro", 0, "gradient", dips=(played.dips[0],) * (sb.MAX_DIPS - sb.WARN_AT))
    assert sb.message_style("miss", "t", late) == "warning"
    assert sb.formula_latex(game) is None
    assert sb.formula_latex(sb.new_game("intro", 0)) == r"f(x, y) = \;?"
    assert sb.formula_latex(sb.reveal(sb.new_game("intro", 0))) == sb.pit_latex(sb.INTRO)
    assert "−∇f" in sb.board_notice("gradient") and "only" in sb.board_notice("depth")
    assert not game.lost and sb.Game("intro", 0, "gradient", dips=late.dips * 2).lost


def test_pit_session_keeps_the_game_in_a_mapping():
    state = {}
    session = sb.PitSession(state, lambda k, s: (pit := sb.make_pit(k, s), sb.find_minima(pit)))
    session.dip(1, 1)                                  # no game yet: nothing happens
    assert state == {}
    game = session.sync("intro", 0, "gradient")
    assert state[sb.PitSession.GAME] is game and session.message() == (None, None)
    session.click((3.004, 2.0))
    assert state[sb.PitSession.GAME].dips[-1].x == 3.0 and session.message()[0] == "depth"
    session.click(None)
    assert len(session.game.dips) == 1
    session.dip(1.2, 4.0)
    assert session.game.won and session.message()[0] == "win"
    session.restart()
    assert session.game.dips == () and session.message() == (None, None)
    session.dip(3, 3)
    session.sync("smooth", 2, "gradient")              # another pit: a new game, no old message
    assert session.game.kind == "smooth" and session.message() == (None, None)
    session.reveal()
    assert session.game.revealed
