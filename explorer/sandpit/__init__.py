"""The Sandpit: find the deepest point of a hidden surface on a 6 × 6 square by dipping a stick.

- ``pits``: the surfaces (``Pit``, ``make_pit``, the course's ``INTRO`` pit and its formula as text
  and LaTeX) and their minima (``find_minima``: a fine grid polished by L-BFGS-B within the walls; local
  minima only where ∇f = 0 and H is positive definite, wall lows apart).
- ``game``: the game (``Game``, ``dip``, ``sync``, ``restart``, ``reveal``) and how it is shown.
- ``session``: ``PitSession``, the game as the page keeps it between reruns.

The depth a dip reads is −f (bigger is deeper); a dip within ``WIN_RADIUS`` of the global minimum
of f on the square wins.
"""
from explorer.sandpit.game import (LOCAL_RADIUS, MAX_DIPS, MODES, OUT_OF_DIPS, RULES, WARN_AT, WIN_RADIUS,
                                   Dip, DipResult, Game, board_notice, dip, formula_latex, kind_for_label, message_style,
                                   mode_for_label, new_game, progress_text, random_seed, restart,
                                   reveal, reveal_notice, sync, with_mode)
from explorer.sandpit.pits import (INTRO, INTRO_TEXT, KINDS, SIZE, Minima, Pit, find_minima, make_pit,
                                   pit_latex, pit_text)
from explorer.sandpit.session import PitSession

__all__ = ["LOCAL_RADIUS", "MAX_DIPS", "MODES", "OUT_OF_DIPS", "RULES", "board_notice", "WARN_AT", "WIN_RADIUS", "Dip", "DipResult", "Game",
           "dip", "formula_latex", "kind_for_label", "message_style", "mode_for_label", "new_game",
           "progress_text", "random_seed", "restart", "reveal", "reveal_notice", "sync", "with_mode",
           "INTRO", "INTRO_TEXT", "KINDS", "SIZE", "Minima", "Pit", "find_minima", "make_pit",
           "pit_latex", "pit_text", "PitSession"]
