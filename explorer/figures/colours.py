"""The figure builders' colours: the Okabe–Ito palette (Okabe & Ito 2008), whose hues stay apart
under protanopia, deuteranopia and tritanopia, with its light colours darkened (hue kept) to at
least 3:1 against the white chart background (WCAG 1.4.11, graphics): orange #E69F00 → #BD8200,
sky blue #56B4E9 → #4795C1, yellow #F0E442 → #97902A, reddish purple #CC79A7 → #BD709A. The same
values as ``ui.layout.OKABE_ITO`` (copied: explorer/ never imports ui). Colour is never the only
carrier of meaning: curves a figure tells apart also differ in dash or marker and carry a legend
name (tests/unit/test_colours.py checks both the contrast and the colour-blind separation)."""
from __future__ import annotations

BLUE = "#0072B2"        # 5.2:1 on white
VERMILION = "#D55E00"   # 3.9:1 (the palette's red)
DARK_VERMILION = "#A33F00"  # 6.4:1: vermilion darkened, hue kept; text too (>= 4.5:1), and apart from
#                             ORANGE under deuteranopia (the two plain ones are not: CIE76 ΔE 3)
GREEN = "#009E73"       # 3.4:1 (bluish green)
PURPLE = "#BD709A"      # 3.5:1 (reddish purple, darkened)
ORANGE = "#BD8200"      # 3.3:1 (orange, darkened)
SKY = "#4795C1"         # 3.3:1 (sky blue, darkened)
YELLOW = "#97902A"      # 3.3:1 (yellow, darkened)
BLACK = "#000000"
GREY = "#767676"        # 4.5:1: the neutral grey for guides and "nothing here"
DARK_GREY = "#555555"   # 7.5:1

OKABE_ITO = [BLUE, VERMILION, GREEN, PURPLE, ORANGE, SKY, YELLOW, BLACK]

# Sequential colour scales for maps (perceptually uniform, readable with any colour vision); a
# diverging "RdBu" stays for signed values centred on 0.
SEQUENTIAL = "Viridis"
SEQUENTIAL_ALT = "Cividis"
# Contour lines of f drawn on white: the dark half of viridis (every line >= 3.8:1 against white).
VIRIDIS_DARK = [[0.0, "#440154"], [0.25, "#472c7a"], [0.5, "#3b518a"], [0.75, "#2d728e"], [1.0, "#22908c"]]
