#!/usr/bin/env python3
"""Upload -> fitted chart drawn, for a 10,000-row CSV, in headless Chromium (issue 21: <= 1 s).

Starts the app (`streamlit run streamlit_app.py` on a free port), opens the Regression page's
nonlinear tab with "Upload a CSV" in a new browser session per run, and times from the moment the
file is handed to the uploader to the moment the fit's chart (``model_plot``) holds the new data
(its scatter has the points of the uploaded file, up to the charts' sample of
``explorer.figures.regression.MAX_POINTS``, its first point the file's) and plotly has finished
drawing it (the chart's ``dataset.liveChartRenders`` grew; see ui/live_chart_js/live_chart.js). It
also reports when the page's whole run is over (the descent, the χ² contour, the tables). Each run
uploads a file of its own (other noise), so no cache of an earlier run is hit. Every wait gives up
after 60 s with the chart's state. Prints every run and the median; ``--json FILE`` writes them.

Usage (from the project root): python benchmarks/upload_probe.py [--rows 10000] [--runs 5]
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from explorer.figures.regression import MAX_POINTS  # noqa: E402
from explorer.regression.data import subsample  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

IDLE = """() => { const a = document.querySelector('[data-testid="stApp"]');
                  return !!a && a.getAttribute('data-test-script-state') === 'notRunning'; }"""

CHART = '.st-key-p3d-model_plot .js-plotly-plot'

# The fit chart's state: the plot div (ui/live_chart_js/live_chart.js counts its finished
# Plotly.react calls in dataset.liveChartRenders) and its data trace AS PLOTLY DREW IT. The figure
# travels as base64 typed arrays, which plotly.js decodes into gd._fullData; gd.data keeps the
# {dtype, bdata} spec, whose ``.length`` is undefined: the old wait (gd.data[i].x.length === n)
# could never be true, and the probe hung until its timeout.
STATE = """() => {
  const gd = document.querySelector('CHART');
  if (!gd || !gd._fullData) return null;
  const t = gd._fullData.find(d => d.name === 'data' && (d.mode || '').includes('markers'));
  return { gd, renders: +(gd.dataset.liveChartRenders || 0), n: t ? t._length : 0,
           y0: t && t.y && t.y.length ? +t.y[0] : null };
}""".replace("CHART", CHART)

# Mark the chart drawn before the upload, so a redraw of the SAME div (renders grows) or a new div
# (the old one is gone) counts as "drawn again"; and note when the app's rerun begins (the upload
# has reached the server), to split the time into transfer + queue and the script's run.
MARK = """() => { const s = (STATE)(); window.__probeGd = s && s.gd; window.__probeRenders = s ? s.renders : 0;
  window.__probeRunStart = null;
  const app = document.querySelector('[data-testid="stApp"]');
  const mo = new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') === 'running') { window.__probeRunStart = performance.now(); mo.disconnect(); }
  });
  mo.observe(app, { attributes: true, attributeFilter: ['data-test-script-state'] }); }"""

# Truthy (the page's clock, performance.now()) at the first animation frame where the fit's chart
# has finished a Plotly.react since the upload AND shows the uploaded file: its data trace holds
# ``n`` points and its first point's y is the file's (each run's file has its own noise).
DRAWN = """([n, y0]) => {
  const s = (STATE)();
  if (!s) return false;
  const again = s.gd !== window.__probeGd || s.renders > window.__probeRenders;
  return again && s.n === n && s.y0 !== null && Math.abs(s.y0 - y0) <= 1e-6 * (1 + Math.abs(y0))
         ? performance.now() : false;
}"""

DIAGNOSE = """() => { const s = (STATE)(); const a = document.querySelector('[data-testid="stApp"]');
  return { chart: !!s, renders: s && s.renders, before: window.__probeRenders, points: s && s.n,
           y0: s && s.y0, state: a && a.getAttribute('data-test-script-state') }; }"""
MARK, DRAWN, DIAGNOSE = (js.replace("STATE", STATE) for js in (MARK, DRAWN, DIAGNOSE))
IDLE_AT = "() => (" + IDLE + ")() ? performance.now() : false"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server():
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(240):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).read() == b"ok":
                return proc, f"http://127.0.0.1:{port}/"
        except Exception:
            time.sleep(0.25)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit("the app did not start")


def stop_server(proc) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
    except Exception:
        proc.kill()


def write_csv(path: Path, rows: int, seed: int) -> None:
    """A decay with noise, x from 0 to 100: the shape of a counting experiment."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0.0, 100.0, rows)
    y = 800 * np.exp(-0.03 * x) + 20 + rng.normal(0, 5, rows)
    path.write_text("time,counts\n" + "\n".join(f"{a:.5f},{b:.4f}" for a, b in zip(x, y)) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", help="write the runs here")
    args = ap.parse_args()

    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright
    tmp = Path(tempfile.mkdtemp(prefix="upload_probe_"))
    files = []
    for i in range(args.runs + 1):          # one for an untimed warm-up run
        files.append(tmp / f"counts_{i}.csv")
        write_csv(files[-1], args.rows, seed=i)
    shown = min(args.rows, MAX_POINTS)
    first = int(subsample(args.rows, MAX_POINTS)[0])       # the first point the chart draws
    first_y = {f: float(f.read_text().splitlines()[1 + first].split(",")[1]) for f in files}
    url_tail = "regression?view=" + quote("Nonlinear models and your own") + "&data=" + quote("Upload a CSV")
    proc, url = start_server()
    times, idle, begun = [], [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
            for i, path in enumerate(files):
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = ctx.new_page()
                page.set_default_timeout(120_000)
                page.goto(url + url_tail)
                page.wait_for_selector(CHART + ' svg.main-svg')
                page.wait_for_function(IDLE)
                page.wait_for_timeout(500)
                page.evaluate(MARK)
                t0 = page.evaluate("performance.now()")
                page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
                try:
                    t1 = page.wait_for_function(DRAWN, arg=[shown, first_y[path]], polling="raf",
                                                timeout=60_000).json_value()
                    t2 = page.wait_for_function(IDLE_AT,
                                                polling="raf", timeout=60_000).json_value()
                except PlaywrightTimeout:
                    raise SystemExit(f"run {i}: the fit's chart did not show the uploaded {shown} points "
                                     f"within 60 s: {page.evaluate(DIAGNOSE)}") from None
                run_start = page.evaluate("window.__probeRunStart")
                if page.locator('[data-testid="stException"]').count():
                    raise SystemExit("the page shows an exception")
                ctx.close()
                if i:                         # the first run warms the server's imports up
                    times.append((t1 - t0) / 1000)
                    idle.append((t2 - t0) / 1000)
                    begun.append((run_start - t0) / 1000)
                    print(f"run {i}: chart drawn {times[-1]:.3f} s (the rerun began at {begun[-1]:.3f} s), "
                          f"whole page's run over {idle[-1]:.3f} s", flush=True)
            browser.close()
    finally:
        stop_server(proc)
        for f in files:
            f.unlink(missing_ok=True)
        tmp.rmdir()
    med = statistics.median(times)
    print(f"upload -> fitted chart drawn, {args.rows:,} rows: median {med:.3f} s of {len(times)} runs "
          f"(min {min(times):.3f}, max {max(times):.3f}); target <= 1 s: {'PASS' if med <= 1 else 'FAIL'}")
    print(f"upload -> the app's rerun begins (file sent, queued): median {statistics.median(begun):.3f} s; "
          f"-> the page's whole run over (descent, χ² contour, tables): median {statistics.median(idle):.3f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": args.rows, "runs_s": times, "median_s": med,
                                               "page_idle_s": idle, "rerun_begun_s": begun}, indent=1))


if __name__ == "__main__":
    main()
