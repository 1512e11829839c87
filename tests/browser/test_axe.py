"""Issue 20: an automated WCAG 2.2 AA scan (axe-core, through axe-playwright-python) of every page of
the app in normal mode, presenter mode (``?present=true``) and lecture mode (``?lecture=<lesson>&slide=0``),
after the page has fully drawn (every chart drawn): no violations. axe does not look at the text inside
charts (SVG), so the same scan also checks every chart text's contrast ("chart-text-contrast").

Lecture links always open their lesson's module page, so lecture mode is scanned on the six module
pages. Violations that only another file's owner can fix are strict xfails naming the owner and the
fix (see KNOWN): such a case still fails on any other violation, and fails loudly once the known one
is gone, so the marker is removed then.
"""
from __future__ import annotations

import pytest

from explorer import course
from helpers import wait_for_app

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MODES = {"normal": lambda path: "", "presenter": lambda path: "?present=true",
         "lecture": lambda path: f"?lecture={path}&slide=0"}

# Fully drawn: every live chart component holds a drawn plot (or its error text) and every
# st.plotly_chart has its SVG.
_DRAWN = """() => {
  const mounts = document.querySelectorAll('[class*="st-key-p3d-"]');
  const charts = [...document.querySelectorAll('.live-chart')];
  const plots = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  return charts.length >= mounts.length
    && charts.every(g => +g.dataset.liveChartRenders > 0 || g.textContent.startsWith('The chart'))
    && plots.every(c => c.querySelector('.main-svg'));
}"""


# axe-core does not check the text inside a chart's SVG: this does, as axe's color-contrast rule would
# (4.5:1, 3:1 for large text) against the plot area or the paper behind each text (and an annotation's
# own background). Heat map cell labels sit on cells of varying colour and are left out.
_CHART_TEXT = r"""() => {
  const rgb = (s) => { const m = (s || '').match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(',').map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const over = (fg, bg) => ({r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a), a: 1});
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const out = [];
  document.querySelectorAll('.js-plotly-plot').forEach((gd) => {
    const fl = gd._fullLayout; if (!fl) return;
    const paper = rgb(fl.paper_bgcolor) || {r: 255, g: 255, b: 255, a: 1};
    const paperBg = over(paper, {r: 255, g: 255, b: 255, a: 1});
    const plotBg = over(rgb(fl.plot_bgcolor) || paper, paperBg);
    const box = gd.getBoundingClientRect(); const sz = fl._size;
    const key = (gd.closest('[class*="st-key-"]') || {className: ''}).className.toString().match(/st-key-[\w-]+/);
    gd.querySelectorAll('text').forEach((t) => {
      if (!t.textContent.trim() || t.closest('.gl-container, .modebar')) return;
      if (t.closest('.heatmap-label')) return;   // over a cell whose colour varies
      const cs = getComputedStyle(t); if (cs.visibility === 'hidden' || cs.display === 'none') return;
      const r = t.getBoundingClientRect(); if (!r.width || !r.height) return;
      let fill = rgb(cs.fill); if (!fill) return;
      fill = {...fill, a: fill.a * parseFloat(cs.fillOpacity || 1) * parseFloat(cs.opacity || 1)};
      const cx = r.left + r.width / 2 - box.left, cy = r.top + r.height / 2 - box.top;
      const inside = !fl.scene && sz && cx > sz.l && cx < sz.l + sz.w && cy > sz.t && cy < sz.t + sz.h;
      let bg = inside ? plotBg : paperBg;
      const ann = t.closest('.annotation'); const bgRect = ann && ann.querySelector('rect.bg');
      if (bgRect) { const b = rgb(getComputedStyle(bgRect).fill); if (b) bg = over({...b, a: b.a * parseFloat(getComputedStyle(bgRect).fillOpacity || 1)}, bg); }
      const c = ratio(over(fill, bg), bg);
      const big = parseFloat(cs.fontSize) >= 24 || (parseFloat(cs.fontSize) >= 18.66 && +cs.fontWeight >= 700);
      if (c < (big ? 3 : 4.5) - 0.005) out.push({chart: key ? key[0] : '?', text: t.textContent.slice(0, 40), fill: cs.fill,
        bg: `rgb(${Math.round(bg.r)}, ${Math.round(bg.g)}, ${Math.round(bg.b)})`, ratio: Math.round(c * 100) / 100, cls: (t.getAttribute('class') || t.parentNode.getAttribute('class') || '')});
    });
  });
  return out;
}"""


class KnownViolation(AssertionError):
    """A violation that a file this test's author does not own causes (see KNOWN)."""


# (mode, page) -> {rule id: who must fix it, and how}
KNOWN: dict[tuple[str, str], dict[str, str]] = {}


def _cases():
    for mode in MODES:
        for p in course.PAGES:
            if mode == "lecture" and not p.module:
                continue
            known = KNOWN.get((mode, p.url_path))
            marks = [pytest.mark.xfail(strict=True, raises=KnownViolation,
                                       reason="; ".join(f"{r}: {why}" for r, why in known.items()))] if known else []
            yield pytest.param(mode, p.url_path, id=f"{mode}-{p.url_path}", marks=marks)


def _report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        for node in v["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"{v['id']}  {' '.join(map(str, node['target']))}\n    {v['help']}: {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


@pytest.mark.parametrize("mode, path", list(_cases()))
def test_no_axe_violations(page, app_url, axe, mode, path):
    page.goto(app_url + ("" if path == "home" else path) + MODES[mode](path))
    wait_for_app(page)
    page.wait_for_function(_DRAWN, timeout=90000)
    wait_for_app(page, quiet_ms=300)          # a lecture step may switch page or rerun once more
    page.wait_for_function(_DRAWN, timeout=90000)
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, f"/{path} ({mode}) raised: " + errors.first.inner_text()[:500]
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS},
                                     "resultTypes": ["violations"]})
    violations = results.response["violations"]
    low = page.evaluate(_CHART_TEXT)
    if low:
        violations.append({"id": "chart-text-contrast", "help": "Chart text must have a contrast of at least 4.5:1",
                           "nodes": [{"target": [t["chart"], f"text {t['text']!r} ({t['cls']})"],
                                      "failureSummary": f"{t['fill']} on {t['bg']}: {t['ratio']}:1"} for t in low]})
    known = KNOWN.get((mode, path), {})
    print(f"\n{mode} /{path}: {sum(len(v['nodes']) for v in violations)} violations "
          f"({', '.join(v['id'] for v in violations) or 'none'})")
    others = [v for v in violations if v["id"] not in known]
    assert not others, f"axe-core violations on /{path} ({mode}):\n{_report(others)}"
    left = [v for v in violations if v["id"] in known]
    if left:
        raise KnownViolation(f"known, for another owner, on /{path} ({mode}):\n{_report(left)}")
