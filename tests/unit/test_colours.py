"""The figure builders' colours (issue #20, "Colour"): every line and marker colour >= 3:1 against
the white chart background (WCAG 1.4.11, relative luminance as WCAG defines it), and the curves a
figure must tell apart either stay apart under simulated deuteranopia and protanopia (Machado,
Oliveira & Fernandes 2009, severity 1, on linear RGB; CIE76 ΔE in CIELAB, D65) or differ in dash."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from explorer.figures import chain_rule as cr
from explorer.figures import colours as C
from explorer.figures import derivatives as fd
from explorer.figures import multivariate as fm
from explorer.figures import optimise as fo
from explorer.figures import previews as fp
from explorer.figures import regression as fr

ROOT = Path(__file__).resolve().parents[2]

MACHADO = {      # Machado et al. 2009, Table 1, severity 1.0 (linear RGB → simulated linear RGB)
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
}
MIN_DELTA_E = 20.0


def _linear(colour: str) -> np.ndarray:
    h = colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    c = np.array([int(h[i:i + 2], 16) for i in (0, 2, 4)]) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def contrast_on_white(colour: str) -> float:
    r, g, b = _linear(colour)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def _lab(lin: np.ndarray) -> np.ndarray:
    m = np.array([[0.4124564, 0.3575761, 0.1804375],
                  [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = m @ lin / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, deficiency: str | None = None) -> float:
    la, lb = _linear(a), _linear(b)
    if deficiency:
        la, lb = (np.clip(MACHADO[deficiency] @ v, 0, 1) for v in (la, lb))
    return float(np.linalg.norm(_lab(la) - _lab(lb)))


# --- the yardsticks themselves, against known values -------------------------------------------
def test_contrast_and_delta_e_reference_values():
    assert contrast_on_white("#000000") == pytest.approx(21.0)
    assert contrast_on_white("#ffffff") == pytest.approx(1.0)
    assert contrast_on_white("#767676") == pytest.approx(4.54, abs=0.01)     # the classic 4.5:1 grey
    assert contrast_on_white("#777777") == pytest.approx(4.48, abs=0.01)     # WebAIM's checker
    assert contrast_on_white("#0000ff") == pytest.approx(8.59, abs=0.01)
    assert contrast_on_white("#ff0000") == pytest.approx(4.0, abs=0.01)
    assert contrast_on_white("#ff7f0e") < 3                                   # the old orange
    # CIELAB of pure red is (53.24, 80.09, 67.20): black to red is their length
    assert delta_e("#000000", "#ff0000") == pytest.approx(float(np.hypot(53.24, np.hypot(80.09, 67.20))), abs=0.1)
    # the classic confusion: red and green all but merge for a deuteranope, not for everyone else
    assert delta_e("#d62728", "#2ca02c") > 60
    assert delta_e("#d62728", "#2ca02c", "deuteranopia") < MIN_DELTA_E
    # each simulation keeps white white and black black (rows of the matrices add up to 1)
    for mat in MACHADO.values():
        np.testing.assert_allclose(mat.sum(axis=1), 1.0, atol=1e-5)


# --- every colour set >= 3:1 on white ------------------------------------------------------------
def _palette_constants() -> dict[str, str]:
    return {k: v for k, v in vars(C).items() if k.isupper() and isinstance(v, str) and v.startswith("#")}


SET = {
    **{f"colours.{k}": v for k, v in _palette_constants().items()},
    **{f"colours.OKABE_ITO[{i}]": v for i, v in enumerate(C.OKABE_ITO)},
    **{f"colours.VIRIDIS_DARK@{s}": v for s, v in C.VIRIDIS_DARK},
    **{f"derivatives.{k}": getattr(fd, k) for k in ("BLUE", "RED", "GREEN", "GREY", "ORANGE", "PURPLE")},
    **{f"multivariate.{k}": getattr(fm, k)
       for k in ("POINT", "XCOL", "YCOL", "DIRCOL", "GRADCOL", "EIG_NEG", "EIG_POS", "BOTTOM")},
    **{f"optimise.METHOD_COLOURS[{k}]": v for k, v in fo.METHOD_COLOURS.items()},
    **{f"optimise.ROOT_COLOURS[{i}]": v for i, v in enumerate(fo.ROOT_COLOURS)},
    "optimise.FAIL_COLOUR": fo.FAIL_COLOUR,
    **{f"regression.BAND_STYLE[{k}]": v[1] for k, v in fr.BAND_STYLE.items()},
    "regression.DESCENT_LINE": fr.DESCENT_LINE["color"],
}


@pytest.mark.parametrize("name", sorted(SET))
def test_every_colour_set_is_at_least_3_to_1_on_white(name):
    assert contrast_on_white(SET[name]) >= 3.0, f"{name} = {SET[name]}: {contrast_on_white(SET[name]):.2f}:1"


def test_the_palette_is_the_apps():
    """The same Okabe–Ito values as ui.layout's colorway (copied there: explorer/ never imports ui)."""
    text = (ROOT / "ui" / "layout.py").read_text()
    ui_list = re.search(r"^OKABE_ITO = \[(.*?)\]", text, re.M).group(1)
    assert [s.upper() for s in re.findall(r'"(#[0-9A-Fa-f]{6})"', ui_list)] == [c.upper() for c in C.OKABE_ITO]


def test_text_colour_is_at_least_4_5_to_1():
    """The derivatives figures write labels in RED (the run, the rise, "your h")."""
    assert fd.RED == C.DARK_VERMILION
    assert contrast_on_white(C.DARK_VERMILION) >= 4.5


# Hex literals left in the six builders: each >= 3:1, except the few that are not lines or markers
# drawn on white (the Sandpit's sand floor, a white marker fill with a black outline, the theme's
# grid-colour placeholder, the cividis text picker's white, the chain rule's near-black labels).
NOT_ON_WHITE = {"#e8d3a2", "#ffffff", "#000039"}
FILES = ["derivatives", "multivariate", "optimise", "regression", "chain_rule", "previews", "colours"]


@pytest.mark.parametrize("module", FILES)
def test_no_hard_coded_colour_below_3_to_1(module):
    text = (ROOT / "explorer" / "figures" / f"{module}.py").read_text()
    found = {h.lower() for h in re.findall(r'"(#[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{3})"', text)} - NOT_ON_WHITE
    low = {h: round(contrast_on_white(h), 2) for h in found if contrast_on_white(h) < 3.0}
    assert not low, f"{module}.py: {low}"
    named = re.findall(r'color="(crimson|gray|grey|gold|orange|red|green|lightgr[ae]y)"', text)
    assert not named, f"{module}.py still uses named colours {named}"


# --- pairs that must be told apart ---------------------------------------------------------------
# (what, colour a, dash a, colour b, dash b); "markers" counts as a dash of its own
PAIRS = [
    ("derivatives: f vs secant", fd.BLUE, "solid", fd.ORANGE, "solid"),
    ("derivatives: secant vs tangent", fd.ORANGE, "solid", fd.GREEN, "dash"),
    ("derivatives: secant vs run and rise", fd.ORANGE, "solid", fd.RED, "markers"),
    ("derivatives: tangent vs run and rise", fd.GREEN, "dash", fd.RED, "markers"),
    ("derivatives: f vs f′", fd.BLUE, "solid", fd.GREEN, "solid"),
    ("derivatives: forward vs central error", fd.ORANGE, "solid", fd.PURPLE, "solid"),
    ("multivariate: slice y = y₀ vs x = x₀", fm.XCOL, "solid", fm.YCOL, "solid"),
    ("multivariate: eigenvector λ < 0 vs λ > 0", fm.EIG_NEG, "dot", fm.EIG_POS, "dot"),
    ("multivariate: −∇f vs u(θ)", fm.POINT, "solid", fm.DIRCOL, "solid"),
    ("multivariate: −∇f vs eigenvector λ < 0", fm.POINT, "solid", fm.EIG_NEG, "dot"),
    ("multivariate: −∇f vs eigenvector λ > 0", fm.POINT, "solid", fm.EIG_POS, "dot"),
    ("optimise: ∇f vs ∇g (and the curve g = 0)", C.BLUE, "solid", C.VERMILION, "solid"),
    ("regression: residuals vs your line", C.DARK_VERMILION, "solid", C.ORANGE, "solid"),
    ("regression: your line vs least squares", C.ORANGE, "solid", C.GREEN, "dash"),
    ("regression: library fit vs descent's end", C.GREEN, "solid", C.ORANGE, "dash"),
    ("regression: confidence vs prediction band", fr.BAND_STYLE["confidence"][1], fr.BAND_STYLE["confidence"][0],
     fr.BAND_STYLE["prediction"][1], fr.BAND_STYLE["prediction"][0]),
    ("chain rule: target vs the network's drawing", C.GREY, "markers", C.VERMILION, "solid"),
]
PAIRS += [(f"optimise: {a} vs {b}", fo.METHOD_COLOURS[a], fo.METHOD_DASHES[a], fo.METHOD_COLOURS[b],
           fo.METHOD_DASHES[b]) for i, a in enumerate(fo.METHOD_COLOURS) for b in list(fo.METHOD_COLOURS)[i + 1:]]
# basins side by side on the strip are filled boxes (no dash): neighbours, and every root vs "fails"
ROOTS = fo.ROOT_COLOURS
PAIRS += [(f"optimise: basin {i} vs {(i + 1) % len(ROOTS)}", ROOTS[i], "fill", ROOTS[(i + 1) % len(ROOTS)], "fill")
          for i in range(len(ROOTS))]
PAIRS += [(f"optimise: basin {i} vs fails", c, "fill", fo.FAIL_COLOUR, "fill") for i, c in enumerate(ROOTS)]


@pytest.mark.parametrize("pair", PAIRS, ids=[p[0] for p in PAIRS])
def test_pairs_told_apart_under_colour_vision_deficiencies(pair):
    what, a, dash_a, b, dash_b = pair
    if dash_a != dash_b:
        return                                      # the dash (or the markers) tells them apart
    for kind in MACHADO:
        d = delta_e(a, b, kind)
        assert d >= MIN_DELTA_E, f"{what}: {a} vs {b} ΔE {d:.1f} under {kind}"


def test_the_old_colours_would_have_failed():
    """The yardstick bites: the audit's pairs (tab10 red vs green, orange vs vermilion) fail it."""
    assert delta_e("#d62728", "#2ca02c", "deuteranopia") < MIN_DELTA_E      # gradient vs hybrid, before
    assert delta_e(C.VERMILION, C.ORANGE, "deuteranopia") < MIN_DELTA_E     # why the residuals are darker


def test_methods_have_five_different_dashes_and_the_figures_use_them():
    assert set(fo.METHOD_DASHES) == set(fo.METHOD_COLOURS)
    assert len(set(fo.METHOD_DASHES.values())) == len(fo.METHOD_DASHES)
    from explorer import optimise as opt
    runs = [opt.descend("x^2 + 10y^2", (2.5, 1.0), m, 0.05, 60) for m in ("gradient", "hybrid")]
    fig = fo.descent_values(runs)
    dashes = [t.line.dash for t in fig.data if t.type == "scatter"]
    colours = [t.line.color for t in fig.data if t.type == "scatter"]
    assert dashes == ["solid", "dot"] and colours == [C.VERMILION, C.GREEN]


def test_derivative_figures_draw_in_these_colours():
    from explorer import derivatives as D
    g, s = D.gradient_data("sin(x)"), D.secant("sin(x)", 1.0, 0.5)
    figs = [fd.secant_figure(g.x, g.f, s, g.f_range), fd.zoom_figure("sin(x)", s),
            fd.errors_figure(D.difference_errors("sin(x)", 1.0), 1e-3), fd.gradient_figure(g, 1.0, s.f0, s.true_slope)]
    seen = set()
    for fig in figs:
        for t in fig.data:
            for c in (t.line.color, t.marker.color):
                if isinstance(c, str) and c not in ("black", "#000000"):
                    seen.add(c)
                    assert contrast_on_white(c) >= 3, f"{t.name}: {c}"
        for a in fig.layout.annotations:
            if a.font.color:
                assert contrast_on_white(a.font.color) >= 4.5, f"label {a.text!r}: {a.font.color}"
    assert {fd.BLUE, fd.ORANGE, fd.GREEN, fd.RED} <= seen
    by_name = {t.name.split(",")[0]: t for t in figs[0].data}
    assert by_name["secant"].line.color == C.ORANGE and by_name["secant"].line.dash is None      # solid
    assert by_name["tangent"].line.color == C.GREEN and by_name["tangent"].line.dash == "dash"
    assert by_name["run h"].mode == "lines+markers" and by_name["run h"].line.color == C.DARK_VERMILION


def test_chain_rule_target_and_drawing():
    t = np.linspace(0, 2 * np.pi, 20)
    target = np.column_stack([np.cos(t), np.sin(t)]) * 0.8
    fig = cr.drawing(target, target * 0.5, 10)
    target_trace, drawn = fig.data[0], fig.data[1]
    assert contrast_on_white(target_trace.line.color) >= 3 and contrast_on_white(target_trace.marker.color) >= 3
    assert "markers" in target_trace.mode and drawn.mode == "lines"        # told apart without colour
    assert drawn.line.color == C.VERMILION


def test_previews_partial_sums_differ_in_dash():
    fig = fp.taylor()
    dashes = [t.line.dash for t in fig.data[1:]]
    assert len(set(dashes)) == len(dashes) == 3
    assert all(contrast_on_white(t.line.color) >= 3 for t in fig.data)
