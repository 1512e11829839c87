"""Issue 18: no formula a lecturer must read is wider than its column. On the chain rule and Taylor
pages, at 1024×768, in the normal view and in presenter mode, every display formula (``st.latex``
and ``$$…$$`` in markdown) and every inline formula fits its column: no sideways scrolling and
nothing cut off."""
import pytest

from helpers import assert_no_exception, wait_for_app

pytestmark = pytest.mark.browser

# For every formula: its own width (scrollWidth: what would need scrolling), the width of the
# element container that holds it (one per st.latex / st.markdown, inside its column), and how
# far its drawn glyphs reach past that container's right edge.
_WIDTHS = """() => [...document.querySelectorAll('.katex')].map(k => {
    const display = k.closest('.katex-display');
    const box = display || k;
    const col = k.closest('[data-testid="stElementContainer"]');
    const html = k.querySelector('.katex-html') || k;
    const right = Math.max(...[...html.querySelectorAll('.base')].map(b => b.getBoundingClientRect().right),
                           html.getBoundingClientRect().right);
    const tex = k.querySelector('annotation');
    return {text: (tex ? tex.textContent : k.textContent).trim().slice(0, 80), display: !!display, content: box.scrollWidth,
            column: col ? col.clientWidth : null,
            past: col ? right - col.getBoundingClientRect().right : null};
})"""

PAGES = {
    # the chain rule on the default hill and circle, with its longest preset (the tilted ripple)
    "chain-rule": ["chain-rule", "chain-rule?f=sin(x*y/2)%20%2B%20x/3"],
    "taylor": ["taylor"],
}


def _bare(tex: str) -> str:
    """A formula's source without spaces, alignment marks and a leading ``aligned``."""
    return tex.replace(" ", "").replace("&", "").removeprefix("\\begin{aligned}")


def _check(page, url: str, min_formulas: int) -> list[dict]:
    page.goto(url)
    wait_for_app(page)
    page.wait_for_function(f"() => document.querySelectorAll('.katex-display').length >= {min_formulas}",
                           timeout=60000)
    page.wait_for_timeout(500)
    assert_no_exception(page)
    formulas = page.evaluate(_WIDTHS)
    assert all(f["column"] for f in formulas), [f["text"] for f in formulas if not f["column"]]
    return formulas


@pytest.mark.parametrize("present", [False, True], ids=["normal", "presenter"])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_formula_fits_its_column_at_1024(page, app_url, name, present):
    page.set_viewport_size({"width": 1024, "height": 768})
    for path in PAGES[name]:
        url = app_url + path + (("&" if "?" in path else "?") + "present=true" if present else "")
        formulas = _check(page, url, 6)
        shown = " | ".join(f["text"][:25] for f in formulas)
        # the formulas the issue names are among those measured
        if name == "taylor":
            for start in ("J=", "H=", "T_0", "T_1", "T_2", "|f(x)-T_n"):
                assert any(_bare(f["text"]).startswith(start) for f in formulas), (start, shown)
        else:
            assert any(_bare(f["text"]).startswith("\\frac{df}{dt}=") for f in formulas), shown
        too_wide = [f for f in formulas
                    if (f["display"] and f["content"] > f["column"] + 1) or f["past"] > 1]
        assert not too_wide, (url, too_wide)
