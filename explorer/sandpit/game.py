"""The Sandpit game: dip a stick into the hidden pit, at most ``MAX_DIPS`` times, and find its
deepest point. Games are immutable dataclasses; ``dip`` returns a new game and a message, and the
small functions below are the whole state machine the page drives (sync with the chosen pit,
restart, reveal, how a message is shown).
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace

from explorer.sandpit.pits import INTRO, KINDS, SIZE, Minima, Pit, pit_latex

MAX_DIPS = 25
WARN_AT = 5            # warn when this many dips (or fewer) remain
WIN_RADIUS = 0.15
LOCAL_RADIUS = 0.25    # "you are at the bottom of a dip" radius around a local minimum

MODES = {"gradient": "with gradient", "depth": "depth only"}


@dataclass(frozen=True)
class Dip:
    x: float
    y: float
    depth: float
    grad: tuple[float, float]     # ∇f at the dip (the arrow drawn is −∇f)


@dataclass(frozen=True)
class Game:
    kind: str
    seed: int
    mode: str
    dips: tuple[Dip, ...] = ()
    won: bool = False
    revealed: bool = False

    @property
    def remaining(self) -> int:
        return MAX_DIPS - len(self.dips)

    @property
    def over(self) -> bool:
        return self.won or self.remaining <= 0

    @property
    def lost(self) -> bool:
        return self.remaining <= 0 and not self.won

    @property
    def best(self) -> Dip | None:
        return max(self.dips, key=lambda d: d.depth) if self.dips else None


def new_game(kind: str, seed: int, mode: str = "gradient") -> Game:
    return Game(kind, int(seed), mode if mode in MODES else "gradient")


def with_mode(game: Game, mode: str) -> Game:
    """The same game seen in another mode (the dips stay)."""
    return replace(game, mode=mode if mode in MODES else "gradient")


def reveal(game: Game) -> Game:
    return replace(game, revealed=True)


def restart(game: Game) -> Game:
    """The same pit and mode, no dips."""
    return new_game(game.kind, game.seed, game.mode)


def sync(game: Game | None, kind: str, seed: int, mode: str) -> tuple[Game, bool]:
    """The game for the chosen pit and mode: ``game`` itself, ``game`` in the new mode, or a new
    game when the pit (kind or seed) changed. The flag says whether a new game started."""
    if game is None or (game.kind, game.seed) != (kind, seed):
        return new_game(kind, seed, mode), True
    if game.mode != mode:
        return with_mode(game, mode), False
    return game, False


@dataclass(frozen=True)
class DipResult:
    game: Game
    status: str      # "win" | "local" | "wall" | "miss" | "over" | "outside"
    message: str


def dip(game: Game, pit: Pit, minima: Minima, x: float, y: float) -> DipResult:
    """Dip the stick at (x, y): record depth (and ∇f), then score."""
    if game.over:
        return DipResult(game, "over", "The game is over: start a new pit to play again.")
    if not (0 <= x <= SIZE and 0 <= y <= SIZE) or not (math.isfinite(x) and math.isfinite(y)):
        return DipResult(game, "outside", f"({x:g}, {y:g}) is outside the pit: both coordinates lie in [0, 6].")
    gx, gy = pit.gradient(x, y)
    d = Dip(round(float(x), 4), round(float(y), 4), pit.depth(x, y), (float(gx), float(gy)))
    dips = game.dips + (d,)
    gxm, gym = minima.global_min
    if math.hypot(x - gxm, y - gym) <= WIN_RADIUS:
        g = replace(game, dips=dips, won=True, revealed=True)
        where = " on the wall" if minima.bottom_on_wall else ""
        return DipResult(g, "win", f"🎉 You found the bottom in {len(dips)} dips! Depth {d.depth:.3f} "
                                   f"(the deepest point is at ({gxm:.2f}, {gym:.2f}){where}).")
    left = MAX_DIPS - len(dips)
    g = replace(game, dips=dips, revealed=game.revealed or left <= 0)
    for lx, ly, lv in minima.traps:
        if math.hypot(x - lx, y - ly) <= LOCAL_RADIUS:
            msg = (f"Depth {d.depth:.3f}. You are at the bottom of a dip: every direction goes up "
                   "from here — but it is a *local* minimum, and somewhere else is deeper.")
            return DipResult(g, "local", _with_count(msg, left))
    for lx, ly, lv in minima.wall_lows:
        if math.hypot(x - lx, y - ly) <= LOCAL_RADIUS:
            msg = (f"Depth {d.depth:.3f}. You are near the lowest point along this wall, but the sand is "
                   "not flat here: it still slopes down beyond the wall, so this is no dip — and somewhere "
                   "inside is deeper.")
            return DipResult(g, "wall", _with_count(msg, left))
    return DipResult(g, "miss", _with_count(f"Depth {d.depth:.3f}.", left))


def _with_count(msg: str, left: int) -> str:
    if left <= 0:
        return msg + " That was your last dip: the pit is revealed."
    if left <= WARN_AT:
        return msg + f" ⚠️ Only {left} dip{'s' if left != 1 else ''} left!"
    return msg


# ---------------------------------------------------------------------------------------------
# What the page shows
RULES = ("**The rules.** A hidden surface lies under this 6 × 6 square. Find its deepest point in at most "
         f"{MAX_DIPS} dips. Tip: follow −∇f, and slow down where the arrows get short. The depth is −f; share "
         "the page's link: the pit, seed and mode are in it.")
OUT_OF_DIPS = "Out of dips! The surface is revealed below — the ⭐ was the bottom."


def board_notice(mode: str) -> str:
    """The "what to notice" under the board, for this mode."""
    return ("**click anywhere in the sand to dip the stick** (or, from the keyboard, aim the crosshair with "
            "“dip at x, y” or the arrows and press “Dip here”). Each dip reads the depth"
            + (" and the dark arrow is −∇f there: the way downhill." if mode == "gradient"
               else " only — no gradient, so you must compare depths.")
            + f" Get within {WIN_RADIUS} of the deepest point to win.")


def reveal_notice(minima: Minima) -> str:
    """The "what to notice" under the revealed 3D pit: what the marks on the board mean."""
    text = "every stick you dipped, on the real surface. The gold diamond is the bottom"
    text += " (on a wall of the pit)" if minima.bottom_on_wall else ""
    if minima.traps:
        return text + ("; the blue crosses on the board are local minima (∇f = 0, curving up every way) "
                       "that only look like the bottom from nearby.")
    return text + "; there is no other local minimum: from anywhere, going downhill leads there or to a wall."


def kind_for_label(label: str | None) -> str:
    return next((k for k, v in KINDS.items() if v == label), "intro")


def mode_for_label(label: str | None) -> str:
    return next((k for k, v in MODES.items() if v == label), "gradient")


def random_seed() -> int:
    return random.randint(1, 99999)


def message_style(status: str | None, text: str | None, game: Game) -> str | None:
    """How the last dip's message is shown: "win", "local", "warning", "depth" or None (none)."""
    if status in ("win", "local"):
        return status
    if status in ("over", "outside") or (text and game.remaining <= WARN_AT):
        return "warning"
    return "depth" if text else None


def progress_text(game: Game) -> str:
    best = game.best
    return (f"Dips used: {len(game.dips)} / {MAX_DIPS}"
            + (f" · deepest so far {best.depth:.3f} at ({best.x:.2f}, {best.y:.2f})" if best else ""))


def formula_latex(game: Game) -> str | None:
    """The intro pit's formula once revealed (``f(x, y) = ?`` before); None for the random pits."""
    if game.kind != "intro":
        return None
    return pit_latex(INTRO) if game.revealed else r"f(x, y) = \;?"
