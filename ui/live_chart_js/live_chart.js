// live_chart: a plotly figure drawn in the main document and updated IN PLACE with Plotly.react, so
// plotly's uirevision keeps the camera a learner turned when Streamlit reruns the script.
// plotly.js is loaded once per browser document from the app server (a local file, no CDN).
const G = (window.__liveChart = window.__liveChart || { loading: null, views: new Map() });

function assetUrl(path) {
  // The app's base URL, taken from Streamlit's own bundle (works under a base path or a proxy).
  const tag = Array.from(document.querySelectorAll("script[src]")).find((s) => /\/static\/js\/index\.[^/]*\.js/.test(s.src));
  const base = tag ? tag.src.replace(/static\/js\/index\.[^/]*\.js.*$/, "") : window.location.origin + "/";
  return base + path.replace(/^\/+/, "");
}

function loadPlotly(path, fallback) {
  if (window.Plotly && window.Plotly.react) return Promise.resolve(window.Plotly);
  if (!G.loading) {
    G.loading = new Promise((resolve, reject) => {
      const tryLoad = (src, next) => {
        const s = document.createElement("script");
        s.src = src;
        s.async = true;
        s.dataset.liveChart = "1";
        s.onload = () => (window.Plotly && window.Plotly.react ? resolve(window.Plotly) : reject(new Error("plotly.js did not define Plotly")));
        s.onerror = () => {
          s.remove();
          if (next) tryLoad(next, null);
          else { G.loading = null; reject(new Error("could not load plotly.js from " + src)); }
        };
        document.head.appendChild(s);
      };
      const first = assetUrl(path);
      const second = fallback ? window.location.origin + fallback : null;
      tryLoad(first, second && second !== first ? second : null);
    });
  }
  return G.loading;
}

// --- Streamlit's plotly theme (what st.plotly_chart does with theme="streamlit") -------------
const LIGHT = {
  cat: ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700", "#ffd16a", "#6d3fc0", "#d5dae5"],
  seq: ["#e4f5ff", "#c7ebff", "#a6dcff", "#83c9ff", "#60b4ff", "#3d9df3", "#1c83e1", "#0068c9", "#0054a3", "#004280"],
  div: ["#7d353b", "#bd4043", "#ff4b4b", "#ff8c8c", "#ffc7c7", "#a6dcff", "#60b4ff", "#1c83e1", "#0054a3", "#004280"],
};

function isDark(colour) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(colour || "");
  if (!m) return false;
  const [r, g, b] = m.slice(1).map((h) => parseInt(h, 16));
  return 0.299 * r + 0.587 * g + 0.114 * b < 128;
}

function themeOf(el) {
  const cs = getComputedStyle(el);
  const v = (n, d) => (cs.getPropertyValue(n) || "").trim() || d;
  const list = (n, d) => {
    const a = v(n, "").split(",").map((x) => x.trim()).filter(Boolean);
    return a.length >= 10 && a.every((x) => x.startsWith("#")) ? a : d;
  };
  const bg = v("--st-background-color", "#ffffff");
  const dark = isDark(bg);
  return {
    bg, dark,
    cat: list("--st-chart-categorical-colors", LIGHT.cat),
    seq: list("--st-chart-sequential-colors", LIGHT.seq),
    div: list("--st-chart-diverging-colors", LIGHT.div),
    text: dark ? "#e6eaf1" : "#808495",       // gray30 / gray70
    strong: dark ? "#fafafa" : "#262730",     // gray10 / gray90
    grid: dark ? "#31333F" : "#e6eaf1",       // gray85 / gray30
    heading: v("--st-heading-color", v("--st-text-color", dark ? "#fafafa" : "#31333F")),
    body: v("--st-text-color", dark ? "#fafafa" : "#31333F"),
    border: v("--st-border-color", dark ? "rgba(250,250,250,0.2)" : "rgba(49,51,63,0.2)"),
    font: v("--st-font", '"Source Sans", sans-serif'),
    headingFont: v("--st-heading-font", v("--st-font", '"Source Sans", sans-serif')),
    green: v("--st-green-color", "#21c354"), red: v("--st-red-color", "#ff2b2b"), blue: v("--st-blue-color", "#1c83e1"),
    faded: dark ? "rgba(250,250,250,0.1)" : "rgba(49,51,63,0.1)", mix: v("--st-secondary-background-color", "#f0f2f6"),
  };
}

function replacePlaceholders(text, t) {
  const pad = (n) => "#" + String(n).padStart(6, "0");
  const pairs = [[32, t.green], [33, t.red], [34, t.blue], [35, t.text], [36, t.text], [37, t.strong],
    [38, t.bg], [39, t.faded], [40, t.mix]];
  for (let i = 0; i < 10; i++) pairs.push([1 + i, t.cat[i]], [11 + i, t.seq[i]], [21 + i, t.div[i]]);
  for (const [n, c] of pairs) text = text.split(pad(n)).join(c);
  return text;
}

function merge(target, src) {
  for (const [k, val] of Object.entries(src)) {
    if (val && typeof val === "object" && !Array.isArray(val)) {
      if (!target[k] || typeof target[k] !== "object" || Array.isArray(target[k])) target[k] = {};
      merge(target[k], val);
    } else target[k] = val;
  }
  return target;
}

function applyTheme(fig, t) {
  const layout = (fig.layout = fig.layout || {});
  const tpl = (layout.template = layout.template || {});
  tpl.layout = merge(tpl.layout || {}, {
    font: { color: t.text, family: t.font, size: 12 },
    title: { font: { family: t.headingFont, size: 16, color: t.heading }, pad: { l: 2 }, xanchor: "left", x: 0 },
    legend: { title: { font: { size: 12, color: t.text }, side: "top" }, valign: "top", bordercolor: "rgba(0,0,0,0)", borderwidth: 0, font: { size: 12, color: t.strong } },
    paper_bgcolor: t.bg, plot_bgcolor: t.bg,
    hoverlabel: { bgcolor: t.bg, bordercolor: t.border, font: { color: t.text, family: t.font, size: 12 } },
    margin: { pad: 8, r: 0, l: 0 },
    coloraxis: { colorbar: { thickness: 16, outlinewidth: 8, outlinecolor: "rgba(0,0,0,0)", len: 0.75, y: 0.5745, tickfont: { color: t.text, size: 12 } } },
  });
  if (typeof layout.title === "string") layout.title = { text: layout.title };
  if (layout.title && typeof layout.title.text === "string" && layout.title.text && !layout.title.text.startsWith("<b>"))
    layout.title.text = "<b>" + layout.title.text + "</b>";
}

// --- the camera of each chart, so a chart that React remounts comes back as it was ----------
function viewKey(key) { return window.location.pathname + "|" + key; }

function saveView(gd, key, rev) {
  const fl = gd._fullLayout || {};
  const cams = {};
  Object.keys(fl).filter((k) => /^scene\d*$/.test(k)).forEach((k) => { cams[k] = JSON.parse(JSON.stringify(fl[k].camera)); });
  G.views.set(viewKey(key), { rev, cams });
}

// --- draw after the script run -------------------------------------------------------------
// While Streamlit is still streaming a rerun's elements, a plot redraw (tens of ms for a contour
// map, more for a WebGL surface in software rendering) would hold up every element behind it:
// text, formulas and the other charts. So a chart that gets new data waits until the run has
// finished (the app root's data-test-script-state leaves "running"), or at most MAX_WAIT_MS,
// and then all waiting charts draw in one go. (A chart's first drawing does not wait.)
const MAX_WAIT_MS = 300;
G.pending = G.pending || new Map();

function runState() {
  const app = document.querySelector('[data-testid="stApp"]');
  return app ? app.getAttribute("data-test-script-state") : null;
}

function flush() {
  if (G.observer) { G.observer.disconnect(); G.observer = null; }
  if (G.timer) { clearTimeout(G.timer); G.timer = null; }
  const jobs = Array.from(G.pending.values());
  G.pending.clear();
  jobs.forEach((job) => job());
}

function drawAfterRun(gd, job) {
  if (!gd._fullLayout && !G.pending.has(gd)) {
    // a chart's FIRST drawing (page load, a tab opened) starts at once: while a page loads, drawing
    // each chart as it arrives overlaps the drawing with the rest of the run
    setTimeout(job, 0);
    return;
  }
  G.pending.set(gd, job);                 // a newer figure for the same chart replaces a waiting one
  if (G.timer) return;                    // a flush is already armed
  const app = document.querySelector('[data-testid="stApp"]');
  if (app && runState() === "running") {
    G.observer = new MutationObserver(() => { if (runState() !== "running") flush(); });
    G.observer.observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
    G.timer = setTimeout(flush, MAX_WAIT_MS);
  } else {
    G.timer = setTimeout(flush, 0);
  }
}

// --- clicks: the data coordinates under the mouse, sent to Python as a trigger value ----------
function onPlotClick(gd, e) {
  const fl = gd._fullLayout;
  const drag = gd.querySelector(".nsewdrag");
  const comp = gd.__liveChartComponent;
  if (!fl || !fl.xaxis || !fl.yaxis || !drag || !comp || gd._dragged) return;
  const r = drag.getBoundingClientRect();
  const px = e.clientX - r.left, py = e.clientY - r.top;
  if (!(px >= 0 && py >= 0 && px <= r.width && py <= r.height)) return;
  const x = fl.xaxis.p2d(px), y = fl.yaxis.p2d(py);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return;
  gd.dataset.liveChartClicks = String((+gd.dataset.liveChartClicks || 0) + 1);
  comp.setTriggerValue("click", { x, y });
}

export default function (component) {
  const { data, parentElement } = component;
  if (!data) return;
  const text = typeof data === "string" ? data : new TextDecoder().decode(data);
  let gd = parentElement.__liveChartDiv;
  if (!gd || !gd.isConnected) {
    gd = document.createElement("div");
    gd.className = "live-chart";
    gd.style.width = "100%";
    parentElement.appendChild(gd);
    parentElement.__liveChartDiv = gd;
  }
  gd.__liveChartComponent = component;      // the latest one: its setTriggerValue reaches Python
  const seq = (gd.__liveChartSeq = (gd.__liveChartSeq || 0) + 1);
  const cut = text.indexOf("\n");  // payload: one line of options, then the figure's JSON
  const m = JSON.parse(text.slice(0, cut));
  gd.style.height = m.height + "px";
  if (m.click && !gd.__liveChartClick) {
    gd.__liveChartClick = true;
    gd.addEventListener("click", (e) => onPlotClick(gd, e));
  }
  const draw = () => loadPlotly(m.asset, m.fallback).then((Plotly) => {
    if (seq !== gd.__liveChartSeq || !gd.isConnected) return;
    const t = m.theme === "streamlit" ? themeOf(parentElement) : null;
    const sig = (t ? t.bg + t.text : "") + text;
    if (gd._fullLayout && gd.__liveChartDrawn === sig) return;   // the same figure: nothing to redraw
    let spec = text.slice(cut + 1);
    spec = t ? replacePlaceholders(spec, t) : spec;
    const fig = JSON.parse(spec);
    if (t) applyTheme(fig, t);
    const layout = (fig.layout = fig.layout || {});
    if (m.layout) merge(layout, m.layout);   // margin, uirevision: sent beside the figure
    layout.height = m.height;
    if (m.width) layout.width = m.width; else { delete layout.width; layout.autosize = true; }
    const config = Object.assign({ displaylogo: false, responsive: true, showSendToCloud: false }, m.config || {});
    const remove = new Set(config.modeBarButtonsToRemove || []);
    ["lasso2d", "select2d", "sendChartToCloud"].forEach((b) => remove.add(b));
    config.modeBarButtonsToRemove = Array.from(remove);
    const rev = JSON.stringify(layout.uirevision === undefined ? null : layout.uirevision);
    const fresh = !gd._fullLayout;
    const saved = fresh ? G.views.get(viewKey(m.key)) : null;
    return Plotly.react(gd, { data: fig.data || [], layout, config, frames: fig.frames }).then(() => {
      gd.__liveChartDrawn = sig;
      if (fresh) {
        gd.on("plotly_relayout", () => saveView(gd, m.key, gd.__liveChartRev));
        if (window.ResizeObserver) {
          let w = gd.clientWidth;
          new ResizeObserver(() => {
            if (gd.clientWidth !== w && gd._fullLayout && !m.width) { w = gd.clientWidth; Plotly.Plots.resize(gd); }
          }).observe(gd);
        }
        if (saved && saved.rev === rev && Object.keys(saved.cams).length) {
          const upd = {};
          Object.entries(saved.cams).forEach(([k, c]) => { upd[k + ".camera"] = c; });
          (Plotly._guiRelayout || Plotly.relayout)(gd, upd);
        }
      }
      if (m.click) { const d = gd.querySelector(".nsewdrag"); if (d) d.style.cursor = "crosshair"; }
      gd.__liveChartRev = rev;
      gd.dataset.liveChartRenders = String((+gd.dataset.liveChartRenders || 0) + 1);
    });
  }).catch((err) => {
    gd.textContent = "The chart could not be drawn: " + (err && err.message ? err.message : err);
    gd.style.height = "auto";
    console.error("live_chart", err);
  });
  drawAfterRun(gd, draw);
}
