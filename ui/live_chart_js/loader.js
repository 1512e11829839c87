// live_chart loader: the only JavaScript sent with every chart message. It imports the real module
// (ui/live_chart_js/live_chart.js, served by the app like plotly.js) once per browser document and hands it
// each update, so a slider step carries the figure and not the chart code.
const L = (window.__liveChartLoader = window.__liveChartLoader || { mod: null });

function appBase() {
  const tag = Array.from(document.querySelectorAll("script[src]")).find((s) => /\/static\/js\/index\.[^/]*\.js/.test(s.src));
  return tag ? tag.src.replace(/static\/js\/index\.[^/]*\.js.*$/, "") : window.location.origin + "/";
}

export default function (component) {
  const { data } = component;
  if (!data) return;
  const text = typeof data === "string" ? data : new TextDecoder().decode(data);
  const m = JSON.parse(text.slice(0, text.indexOf("\n")));
  if (!L.mod) {
    L.mod = import(appBase() + m.module).catch(() => import(window.location.origin + m.moduleFallback));
    L.mod.catch(() => { L.mod = null; });
  }
  L.mod.then((mod) => mod.default(component)).catch((err) => {
    component.parentElement.textContent = "The chart could not be drawn: " + (err && err.message ? err.message : err);
    console.error("live_chart", err);
  });
}
