"""The Sandpit game as the page keeps it: an immutable ``Game`` and the last dip's message in a
mapping (the page passes ``st.session_state``; the tests a dict). Every action replaces the game."""
from __future__ import annotations

from collections.abc import Callable, MutableMapping

from explorer.sandpit.game import Game, dip, message_style, restart, reveal, sync
from explorer.sandpit.pits import SIZE, Minima, Pit


class PitSession:
    GAME, MSG = "_pit_game", "_pit_msg"
    AIM = ("_dipx", "_dipy")    # the number inputs that aim the next dip from the keyboard
    AIM_STEP, PAD_STEP = 0.05, 0.25   # their step, and how far an arrow button moves the aim

    def __init__(self, state: MutableMapping, pit: Callable[[str, int], tuple[Pit, Minima]]):
        """``pit(kind, seed)`` gives the pit and its minima (the page passes its cached maker)."""
        self.state, self.pit = state, pit

    @property
    def game(self) -> Game | None:
        return self.state.get(self.GAME)

    def sync(self, kind: str, seed: int, mode: str) -> Game:
        """The game for the chosen pit and mode (a new pit starts a new game and clears the message)."""
        game, fresh = sync(self.game, kind, seed, mode)
        self.state[self.GAME] = game
        if fresh:
            self.state.pop(self.MSG, None)
        return game

    def dip(self, x: float, y: float) -> None:
        if self.game is not None:
            res = dip(self.game, *self.pit(self.game.kind, self.game.seed), x, y)
            self.state[self.GAME] = res.game
            self.state[self.MSG] = (res.status, res.message)

    def click(self, xy) -> None:
        """A click on the board (data coordinates, or None) dips there, to 0.01."""
        from explorer.multivariate.clicks import point_from_click
        point = point_from_click(xy, (0.0, SIZE), (0.0, SIZE), 0.01)
        if point is not None:
            self.dip(*point)

    def aim(self) -> tuple[float, float]:
        """Where the keyboard's next dip goes (the number inputs; the middle of the pit at first)."""
        return tuple(float(self.state.get(k, SIZE / 2)) for k in self.AIM)

    def nudge(self, move: str) -> None:
        """An arrow button (``explorer.multivariate.clicks.MOVES``) moves the aim one pad step,
        on the inputs' 0.05 grid and inside the pit."""
        from explorer.multivariate.clicks import nudge
        side = (0.0, SIZE)
        aim = nudge(self.aim(), move, side, side, self.AIM_STEP, self.AIM_STEP, pad=(self.PAD_STEP,) * 2)
        self.state[self.AIM[0]], self.state[self.AIM[1]] = aim

    def dip_at_aim(self) -> None:
        """The "Dip here" button: dip where the number inputs aim."""
        self.dip(*self.aim())

    def restart(self) -> None:
        if self.game is not None:
            self.state[self.GAME] = restart(self.game)
        self.state.pop(self.MSG, None)

    def reveal(self) -> None:
        if self.game is not None:
            self.state[self.GAME] = reveal(self.game)

    def message(self) -> tuple[str | None, str | None]:
        """``(style, text)`` of the last dip's message (``message_style``), or (None, None)."""
        status, text = self.state.get(self.MSG, (None, None))
        return (message_style(status, text, self.game) if self.game is not None else None), text
