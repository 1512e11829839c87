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
    // chart text (ticks, axis titles) at >= 4.5:1 on the background (WCAG 1.4.3); Streamlit's
    // gray70 #808495 is 3.8:1 on white
    text: dark ? "#e6eaf1" : "#5e6170",
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

// --- unchanged 3D surfaces are not rebuilt ------------------------------------------------------
// plotly.js's gl3d scene.plot calls update() on EVERY trace of a scene whenever anything in the figure
// changes. For a surface that rebuilds its mesh and contour lines: ~23 ms of every multivariate drag
// frame here (timed in the browser), and the same again in every rerun's Plotly.react. A surface or
// mesh3d whose input trace is unchanged, in a scene whose data scale is unchanged, would be rebuilt into
// the same pixels, so during one plotly call its update() only takes the new trace object. This reaches
// into plotly's scene objects (fullLayout.sceneN._scene.traces, dataScale): where they are not there,
// nothing is skipped and plotly draws as usual.
const HEAVY_3D = new Set(["surface", "mesh3d"]);

function sceneIds(gd) {           // "scene", "scene2", …: the chart's 3D scenes
  const fl = gd._fullLayout;
  return (fl && fl._subplots && fl._subplots.gl3d) || [];
}

function scenesOf(gd) {
  const fl = gd._fullLayout;
  return sceneIds(gd).map((id) => fl[id] && fl[id]._scene).filter((sc) => sc && sc.traces && Array.isArray(sc.dataScale));
}

// After a plotly call every surface is drawn at its scene's current scale: remember that scale.
function noteScales(gd) {
  scenesOf(gd).forEach((sc) => {
    Object.values(sc.traces).forEach((obj) => {
      if (obj && obj.data && HEAVY_3D.has(obj.data.type)) obj.__liveChartScale = sc.dataScale.slice();
    });
  });
}

// A 3D view the learner turned, written where plotly's next call reads it. plotly.js's gl3d scene saves
// a turned camera into the layout object the chart had when the scene was created; after a rerun's
// Plotly.react gd.layout is a new object, so the turn lands in the old one, and the next drag frame
// (or a resize) would redraw the scene at the figure's camera: the view jumped back. Before such a
// call the scene's camera goes into the current layout, as plotly's own save does.
function keepCameras(gd) {
  const fl = gd._fullLayout;
  sceneIds(gd).forEach((id) => {
    const turned = fl._preGUI && (id + ".camera") in fl._preGUI;     // plotly noted a turn by hand
    const cam = fl[id] && fl[id].camera;                             // and saved it here
    if (!turned || !cam || !gd.layout) return;
    gd.layout[id] = gd.layout[id] || {};
    if (!sameValue(gd.layout[id].camera, cam)) gd.layout[id].camera = JSON.parse(JSON.stringify(cam));
  });
}

// Run call() (a plotly call) with the heavy 3D traces at the input indices `still` kept as they are.
function keepStill3D(gd, still, call) {
  const undo = [];
  if (still.size && gd._fullData) {
    const uids = new Set();
    still.forEach((i) => { const t = gd._fullData[i]; if (t && HEAVY_3D.has(t.type)) uids.add(t.uid); });
    scenesOf(gd).forEach((sc) => uids.forEach((uid) => {
      const obj = sc.traces[uid];
      if (!obj || typeof obj.update !== "function" || !obj.__liveChartScale) return;
      const real = obj.update;
      const own = Object.prototype.hasOwnProperty.call(obj, "update");
      obj.update = function (data) {
        const s = obj.__liveChartScale;
        if (data && data.type === obj.data.type && sc.dataScale.every((v, k) => v === s[k])) { obj.data = data; return undefined; }
        return real.call(obj, data);
      };
      undo.push(() => { if (own) obj.update = real; else delete obj.update; });
    }));
  }
  try { return call(); } finally { undo.forEach((f) => f()); noteScales(gd); }
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
  const cut0 = text.indexOf("\n");
  const head = JSON.parse(text.slice(0, cut0));
  if (head.kind === "frames") { registerFrames(head, text.slice(cut0 + 1), parentElement); return; }
  let gd = parentElement.__liveChartDiv;
  if (!gd || !gd.isConnected) {
    const wrap = document.createElement("div");   // role="figure" with the chart's name (applyMeta)
    wrap.className = "live-chart-figure";
    gd = document.createElement("div");
    gd.className = "live-chart";
    gd.style.width = "100%";
    wrap.appendChild(gd);
    parentElement.appendChild(wrap);
    parentElement.__liveChartDiv = gd;
  }
  gd.__liveChartComponent = component;      // the latest one: its setTriggerValue reaches Python
  const seq = (gd.__liveChartSeq = (gd.__liveChartSeq || 0) + 1);
  const cut = text.indexOf("\n");  // payload: one line of options, then the figure's JSON
  const m = head;
  gd.style.height = m.height + "px";
  applyMeta(gd, m);
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
    const heavy = (fig.data || []).map((t) => (t && HEAVY_3D.has(t.type) ? JSON.stringify(t) : null));
    const before = gd.__liveChartHeavy || [];
    const still = new Set(heavy.flatMap((j, i) => (j !== null && j === before[i] ? [i] : [])));
    gd.__liveChartHeavy = heavy;
    return keepStill3D(gd, still, () => Plotly.react(gd, { data: fig.data || [], layout, config, frames: fig.frames })).then(() => {
      gd.__liveChartDrawn = sig;
      noteScales(gd);                        // what the scene was drawn at (also when plotly drew later)
      if (fresh) {
        gd.on("plotly_relayout", () => saveView(gd, m.key, gd.__liveChartRev));
        if (window.ResizeObserver) {
          let w = gd.clientWidth;
          new ResizeObserver(() => {
            if (gd.clientWidth !== w && gd._fullLayout && !m.width) { w = gd.clientWidth; keepCameras(gd); Plotly.Plots.resize(gd); }
          }).observe(gd);
        }
        if (saved && saved.rev === rev && Object.keys(saved.cams).length) {
          const upd = {};
          Object.entries(saved.cams).forEach(([k, c]) => { upd[k + ".camera"] = c; });
          (Plotly._guiRelayout || Plotly.relayout)(gd, upd);
        }
      }
      if (m.click) { const d = gd.querySelector(".nsewdrag"); if (d) d.style.cursor = "crosshair"; }
      if (m.camera && m.cameraRev != null) {
        // a view button: apply its camera to every scene once per camera_rev, else keep the user's view
        const ck = viewKey(m.key);
        G.cameraRevs = G.cameraRevs || new Map();
        if (G.cameraRevs.get(ck) !== m.cameraRev) {
          G.cameraRevs.set(ck, m.cameraRev);
          const upd = {};
          Object.keys(gd._fullLayout).filter((k) => /^scene\d*$/.test(k)).forEach((k) => { upd[k + ".camera"] = m.camera; });
          if (Object.keys(upd).length) (Plotly._guiRelayout || Plotly.relayout)(gd, upd);
        }
      }
      chartDrawn(gd, m.key);
      if (fresh) revealMainChart(gd, m);
      menuButtons(gd, layout, Plotly);
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

// ===== drag frames: the chart follows a slider WHILE it is dragged (issue #19), from frames computed in Python
// (explorer/figures/frames.py). Streamlit's slider (react-aria, a native <input type=range> inside
// .st-key-<slider>) updates its value attribute at every pointer move and tells the server only on
// release; one MutationObserver on the document sees those changes, and each chart holding frames
// for that slider swaps in the nearest frame in the next animation frame with ONE plotly call
// (Plotly.restyle of the moving traces only; the layout only where it changes: see drawWanted). No maths here, no message to the server: the release
// rerun then draws the exact figure with Plotly.react.
//
// Counters for tests and benchmarks, on the plot div: dataset.liveChartDragFrames (frames drawn),
// __liveChartDragMs (ms from the last pointer/key event to the end of the plotly call, last 500).
G.frames = G.frames || new Map();      // chart view key -> Map(slider -> frames)
G.rawFrames = G.rawFrames || new Map(); // the same, not decoded yet: Map(slider -> {body, el}) (registerFrames)
G.charts = G.charts || new Map();      // chart view key -> plot div

function decode(v) {
  // long arrays from frames._quantised: 16-bit steps from lo (-32768 = a gap) -> plain numbers;
  // from frames._constant: one number (null = a gap) repeated n times
  if (v && typeof v === "object" && !Array.isArray(v)) {
    if (v.dtype === "c" && Number.isInteger(v.n) && v.n >= 0) return new Array(v.n).fill(v.v == null ? null : v.v);
    if (v.dtype === "q2" && typeof v.bdata === "string") {
      const bin = atob(v.bdata);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      return Array.from(new Int16Array(bytes.buffer), (q) => (q === -32768 ? null : v.lo + v.step * q));
    }
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = decode(x);
    return out;
  }
  if (Array.isArray(v)) return v.map(decode);
  return v;
}

// "ax" values (explorer/figures/regression_frames.py): shared[a] + t * shared[b], from the frame
// set's "shared" arrays (sent once a set), null where either is null: a residual that moves with the
// slider's value costs a few bytes a frame instead of the whole array.
function axDecode(v, shared) {
  if (v && typeof v === "object" && !Array.isArray(v)) {
    if (v.dtype === "ax" && Array.isArray(shared[v.a]) && Array.isArray(shared[v.b])) {
      const a = shared[v.a], b = shared[v.b];
      return a.map((p, i) => (p == null || b[i] == null ? null : p + v.t * b[i]));
    }
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = axDecode(x, shared);
    return out;
  }
  if (Array.isArray(v)) return v.map((x) => axDecode(x, shared));
  return v;
}

function installOnce() {
  if (G.dragInstalled) return;
  G.dragInstalled = true;
  // lastInput: the pointer or key event a drag frame answers; lastUserAct: the person scrolled,
  // clicked, touched or typed (not a mere pointer move), so revealMainChart stops
  const INPUT = new Set(["pointermove", "pointerdown", "keydown"]);
  const stamp = (e) => {
    const now = performance.now();
    if (INPUT.has(e.type)) { G.lastInput = now; G.lastInputType = e.type; }
    if (e.type !== "pointermove") G.lastUserAct = now;
  };
  ["pointermove", "pointerdown", "keydown", "wheel", "touchstart"].forEach((t) =>
    document.addEventListener(t, stamp, { capture: true, passive: true }));
  const style = document.createElement("style");   // the frame carriers take no room in the page
  style.textContent = '[class*="st-key-lf-"]{display:none!important}';
  document.head.appendChild(style);
  new MutationObserver((records) => {
    const seen = new Set();
    for (const r of records) {
      const t = r.target;
      if (!(t instanceof HTMLInputElement) || t.type !== "range" || seen.has(t)) continue;
      seen.add(t);
      const box = t.closest('[class*="st-key-"]');
      const cls = box && Array.from(box.classList).find((c) => c.startsWith("st-key-"));
      if (cls) sliderMoved(cls.slice(7), parseFloat(t.getAttribute("value")));
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["value"] });
}

function nearest(values, v) {
  let lo = 0, hi = values.length - 1;
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (values[mid] <= v) lo = mid; else hi = mid; }
  return Math.abs(values[hi] - v) < Math.abs(values[lo] - v) ? hi : lo;
}

function sliderMoved(slider, value) {
  if (!Number.isFinite(value)) return;
  const charts = new Set([...G.frames.keys(), ...G.rawFrames.keys()]);
  charts.forEach((vk) => {
    const F = framesFor(vk, slider);
    const gd = G.charts.get(vk);
    if (F && F.__el && !F.__el.isConnected) { G.frames.get(vk).delete(slider); return; }   // no longer sent
    if (!F || !gd || !gd.isConnected) return;
    gd.__liveChartWant = { F, i: nearest(F.values, value) };
    if (!gd.__liveChartRaf) gd.__liveChartRaf = requestAnimationFrame(() => drawWanted(gd));
  });
}

function getPath(obj, path) {
  // "line.color", "annotations[0].x"
  return path.replace(/\[(\d+)\]/g, ".$1").split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function sameValue(a, b) {
  if (a === b) return true;
  if (a == null || b == null || typeof a !== "object" || typeof b !== "object") return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

// At most one drag frame per animation frame and per chart: sliderMoved only records the wanted
// frame (intermediate values are dropped) and schedules drawWanted once; a frame already on screen
// is not drawn again. A drawn frame restyles only the moving traces (F.traces) and touches the
// layout only for the entries whose value differs from what is shown: Plotly.restyle when only
// traces move, Plotly.relayout when only the layout does, one Plotly.update when both do.
function drawWanted(gd) {
  gd.__liveChartRaf = 0;
  const want = gd.__liveChartWant;
  const Plotly = window.Plotly;
  if (!want || !Plotly || !gd._fullLayout || gd.__liveChartBusy) return;
  const { F, i } = want;
  if (gd.__liveChartShown && gd.__liveChartShown.F === F && gd.__liveChartShown.i === i) return;
  if (!gd.data || gd.data.length !== F.ntraces) return;    // drawn figure differs from the frames' one
  const step = F.steps[i];
  const upd = {};
  F.paths.forEach((p) => {
    // a trace that does not move this path keeps its own value (undefined = leave it)
    upd[p] = F.traces.map((t, j) => (p in step[j] ? step[j][p] : getPath(gd.data[t], p)));
  });
  const lay = {};
  if (F.layout) {
    Object.entries(F.layout[i]).forEach(([p, v]) => {
      if (p === "title.text" && typeof v === "string" && v && !v.startsWith("<b>")) v = "<b>" + v + "</b>";
      if (!sameValue(getPath(gd.layout, p), v)) lay[p] = v;
    });
  }
  const traces = F.traces.length > 0, layout = Object.keys(lay).length > 0;
  const t0 = G.lastInput || performance.now();
  gd.__liveChartDrawn = null;          // the next rerun's figure is drawn even if it is the last one
  gd.__liveChartShown = { F, i };
  if (!traces && !layout) return;      // nothing on screen differs
  gd.__liveChartBusy = true;
  const done = () => {
    gd.__liveChartBusy = false;
    noteScales(gd);
    const ms = performance.now() - t0;
    gd.dataset.liveChartDragFrames = String((+gd.dataset.liveChartDragFrames || 0) + 1);
    const log = (gd.__liveChartDragMs = gd.__liveChartDragMs || []);
    log.push(ms);
    if (log.length > 500) log.shift();
    const again = gd.__liveChartWant;
    if (again && (again.F !== F || again.i !== i) && !gd.__liveChartRaf)
      gd.__liveChartRaf = requestAnimationFrame(() => drawWanted(gd));
  };
  const call = !layout ? () => Plotly.restyle(gd, upd, F.traces)
    : !traces ? () => Plotly.relayout(gd, lay)
    : () => Plotly.update(gd, upd, lay, F.traces);
  const still = new Set(gd.data.map((_, t) => t).filter((t) => !F.traces.includes(t)));
  keepCameras(gd);
  let p;
  try { p = Promise.resolve(keepStill3D(gd, still, call)); } catch (err) { p = Promise.reject(err); }
  p.then(done, (err) => { console.error("live_chart frames", err); done(); });
}

// The hidden element carrying one slider's frames for one chart. Its JSON is only kept here: it is
// parsed and decoded when the browser is next idle (after the rerun's messages and redraws), or at
// once if that slider moves first. Decoding it on arrival (1-6 ms a step) held up every message of
// the rerun behind it.
function registerFrames(m, body, el) {
  installOnce();
  const vk = viewKey(m.chart);
  const decoded = G.frames.get(vk), raw = G.rawFrames.get(vk) || new Map();
  const old = decoded && decoded.get(m.slider);
  if (old && old.__body === body) { old.__el = el; return; }   // the same frames (a cached message)
  const waiting = raw.get(m.slider);
  if (waiting && waiting.body === body) { waiting.el = el; return; }
  if (old) decoded.delete(m.slider);                           // stale from now on
  const rec = { body, el };
  raw.set(m.slider, rec);
  G.rawFrames.set(vk, raw);
  const later = window.requestIdleCallback || ((f) => setTimeout(f, 200));
  later(() => { if (raw.get(m.slider) === rec) framesFor(vk, m.slider); }, { timeout: 1000 });
}

// The decoded frames of `slider` for the chart `vk` (decoding them now if they are still raw), or undefined.
function framesFor(vk, slider) {
  const raw = G.rawFrames.get(vk);
  const rec = raw && raw.get(slider);
  if (rec) {
    raw.delete(slider);
    if (!raw.size) G.rawFrames.delete(vk);
    const F = decode(JSON.parse(rec.body));
    if (Array.isArray(F.shared)) { F.steps = axDecode(F.steps, F.shared); delete F.shared; }
    F.__body = rec.body;
    F.__el = rec.el;             // its carrier: once Streamlit removes it, the frames are stale
    if (!G.frames.has(vk)) G.frames.set(vk, new Map());
    G.frames.get(vk).set(slider, F);
  }
  const sets = G.frames.get(vk);
  return sets && sets.get(slider);
}

// --- presenter mode: a page opens on its main picture --------------------------------------------
// On a 1024×768 projector the presenter's big fonts push a module page's first chart mostly below
// the screen (10-38 % of it showed). In presenter mode (meta.reveal) the page's first chart, once
// drawn, is scrolled into view with its bottom at the screen's bottom, so the controls just above it
// show too; checked again while the page settles (formulas typeset above it move it down). Never
// after the person has scrolled, clicked, touched or pressed a key since the chart appeared.
function revealMainChart(gd, m) {
  if (!m.reveal) return;
  installOnce();                     // the input listeners that set G.lastUserAct
  const born = performance.now();
  const reveal = () => {
    if ((G.lastUserAct || 0) > born || !gd.isConnected) return;
    if (document.querySelector('[data-testid="stMain"] .live-chart') !== gd) return;   // not the first chart
    const r = gd.getBoundingClientRect();
    if (r.top >= 0 && r.bottom <= window.innerHeight) return;                      // already on screen
    gd.scrollIntoView({ block: r.height > window.innerHeight ? "start" : "end" });
  };
  reveal();
  [300, 1000, 2000].forEach((ms) => setTimeout(reveal, ms));
}

// Called by the chart after every Plotly.react: the committed figure is on screen.
function chartDrawn(gd, key) {
  installOnce();
  G.charts.set(viewKey(key), gd);
  gd.__liveChartShown = null;
  gd.__liveChartWant = null;
}

// ===== chart meta: what a chart says to assistive technology (issue #20), updated on every rerun.
// The wrapper around the plot gets role="figure" and the chart's label as its accessible name; the
// description (a sentence generated in Python from the chart's numbers) sits in a visually hidden
// element the wrapper points to with aria-describedby; a table becomes a native
// <details><summary>Show as table</summary><table>, built with textContent only (never HTML).
let counter = 0;

const HIDDEN = "position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;" +
  "clip:rect(0,0,0,0);clip-path:inset(50%);white-space:nowrap;border:0";

// The disclosure itself is built once per chart; its table only while it is open (and again when it is
// opened after the numbers changed): rebuilding up to 400 rows on every rerun for a closed
// disclosure cost a few ms of every slider step.
function tableDisclosure() {
  const details = document.createElement("details");
  details.className = "live-chart-table";
  details.style.cssText = "margin-top:0.25rem;font-size:0.875rem";
  const summary = document.createElement("summary");
  summary.textContent = "Show as table";
  summary.style.cursor = "pointer";
  details.appendChild(summary);
  details.addEventListener("toggle", () => { if (details.open) fillTable(details); });
  return details;
}

function fillTable(details) {
  const t = details.__table;
  if (!t || details.__filled === t) return;
  details.__filled = t;
  const old = details.querySelector(":scope > .live-chart-table-box");
  if (old) old.remove();
  const box = document.createElement("div");
  box.className = "live-chart-table-box";
  box.style.cssText = "max-width:100%;overflow-x:auto";
  box.tabIndex = 0;                                // a scrollable region must take focus (axe)
  const table = document.createElement("table");
  table.style.cssText = "border-collapse:collapse;margin-top:0.25rem";
  if (t.caption) { const c = document.createElement("caption"); c.textContent = t.caption; table.appendChild(c); }
  const thead = document.createElement("thead");
  const hr = document.createElement("tr");
  t.columns.forEach((c) => {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = c;
    th.style.cssText = "text-align:left;padding:0.1rem 0.6rem;border-bottom:1px solid currentColor";
    hr.appendChild(th);
  });
  thead.appendChild(hr);
  table.appendChild(thead);
  const tbody = document.createElement("tbody");
  t.rows.forEach((row) => {
    const tr = document.createElement("tr");
    row.forEach((cell) => {
      const td = document.createElement("td");
      td.textContent = cell;
      td.style.cssText = "padding:0.1rem 0.6rem;font-variant-numeric:tabular-nums";
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
  });
  table.appendChild(tbody);
  box.appendChild(table);
  details.appendChild(box);
}

function applyMeta(gd, m) {
  const wrap = gd.parentElement;
  if (!wrap) return;
  if (m.label || m.description) {
    wrap.setAttribute("role", "figure");
    if (m.label) wrap.setAttribute("aria-label", m.label); else wrap.removeAttribute("aria-label");
  } else {
    wrap.removeAttribute("role");
    wrap.removeAttribute("aria-label");
  }
  let desc = wrap.querySelector(":scope > .live-chart-description");
  if (m.description) {
    if (!desc) {
      desc = document.createElement("div");
      desc.className = "live-chart-description";
      desc.id = "live-chart-desc-" + (++counter);
      desc.style.cssText = HIDDEN;
      wrap.appendChild(desc);
    }
    if (desc.textContent !== m.description) desc.textContent = m.description;
    wrap.setAttribute("aria-describedby", desc.id);
  } else if (desc) {
    desc.remove();
    wrap.removeAttribute("aria-describedby");
  }
  let details = wrap.querySelector(":scope > .live-chart-table");
  if (!m.table) { if (details) details.remove(); return; }
  if (!details) { details = tableDisclosure(); wrap.appendChild(details); }   // kept: an open table stays open
  // closed: only the numbers are kept (the table is built when opened); open: rebuilt if they changed
  const same = details.open && JSON.stringify(details.__table) === JSON.stringify(m.table);
  if (!same) details.__table = m.table;
  if (details.open) fillTable(details);
}

// ===== plotly's own buttons (▶ Play / ‖ Pause of an animation: layout.updatemenus) are drawn in SVG,
// which a keyboard cannot reach (issue #20, WCAG 2.1.1). Each one gets a native <button> twin before
// the plot, out of sight until it takes focus (like a skip link), so a mouse user sees plotly's
// buttons and a keyboard or screen-reader user Tabs to the same actions: the twin calls the same
// plotly method with the same arguments. Rebuilt only when the buttons change.
const MENU_CSS = ".live-chart-menu{display:flex;gap:.5rem;flex-wrap:wrap}" +
  ".live-chart-menu button:not(:focus){" + HIDDEN + "}" +
  ".live-chart-menu button{font:inherit;font-size:0.95rem;color:inherit;background:transparent;cursor:pointer;" +
  "border:1px solid currentColor;border-radius:0.5rem;padding:0.25rem 0.75rem;margin:0.25rem 0}" +
  ".live-chart-menu button:focus-visible{outline:3px solid #1c6fd6;outline-offset:2px}";

function menuButtons(gd, layout, Plotly) {
  const wrap = gd.parentElement;
  if (!wrap) return;
  if (!document.getElementById("live-chart-menu-css")) {
    const st = document.createElement("style");
    st.id = "live-chart-menu-css";
    st.textContent = MENU_CSS;
    document.head.appendChild(st);
  }
  const menus = (layout.updatemenus || []).filter((u) => u && u.visible !== false && (u.type || "dropdown") === "buttons");
  const buttons = [];
  menus.forEach((u) => (u.buttons || []).forEach((b) => {
    if (b && b.visible !== false && b.label && typeof Plotly[b.method] === "function") buttons.push(b);
  }));
  const sig = JSON.stringify(buttons.map((b) => [b.label, b.method, b.args]));
  let bar = wrap.querySelector(":scope > .live-chart-menu");
  if (sig === (wrap.__liveChartMenu || "[]") && (bar || !buttons.length)) return;
  wrap.__liveChartMenu = sig;
  if (bar) bar.remove();
  if (!buttons.length) return;
  bar = document.createElement("div");
  bar.className = "live-chart-menu";
  buttons.forEach((b) => {
    const el = document.createElement("button");
    el.type = "button";
    el.textContent = b.label;
    el.addEventListener("click", () => {
      const p = Plotly[b.method](gd, ...(b.args || []));
      if (p && p.catch) p.catch(() => {});      // an animation interrupted by another: not an error
    });
    bar.appendChild(el);
  });
  wrap.insertBefore(bar, gd);
}
