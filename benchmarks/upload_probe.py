#!/usr/bin/env python3
"""Upload -> fitted chart drawn, for a 10,000-row CSV, in headless Chromium (issue 21: <= 1 s).

Starts the app (`streamlit run streamlit_app.py` on a free port), opens the Regression page's
nonlinear tab with "Upload a CSV" in a new browser session per run, and times from the moment the
file is handed to the uploader to the moment the fit's chart (``model_plot``) holds the new data
(its scatter has the points of the uploaded file, up to the charts' sample of
``explorer.figures.regression.MAX_POINTS``) and the app has finished its run. Each run uploads a
file of its own (other noise), so no cache of an earlier run is hit. Prints every run and the
median; ``--json FILE`` writes them.

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

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

IDLE = """() => { const a = document.querySelector('[data-testid="stApp"]');
                  return !!a && a.getAttribute('data-test-script-state') === 'notRunning'; }"""

# Resolves with performance.now() at the first animation frame where the fit's chart shows n
# points in its scatter and the script run is over (polled every frame, so the clock is the page's).
DRAWN = """n => new Promise(resolve => {
  const start = performance.now();
  const check = () => {
    if (performance.now() - start > 60000) return resolve(null);     // never drawn: say so, do not hang
    const gd = document.querySelector('.st-key-p3d-model_plot .js-plotly-plot');
    const app = document.querySelector('[data-testid="stApp"]');
    const pts = gd && gd.data ? Math.max(0, ...gd.data.filter(t => (t.mode || '').includes('markers'))
                                                   .map(t => (t.x || []).length)) : 0;
    if (pts === n && gd.querySelector('svg.main-svg .scatterlayer')
        && app.getAttribute('data-test-script-state') === 'notRunning') resolve(performance.now());
    else requestAnimationFrame(check);
  };
  check();
})"""


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

    from playwright.sync_api import sync_playwright
    tmp = Path(tempfile.mkdtemp(prefix="upload_probe_"))
    files = []
    for i in range(args.runs + 1):          # one for an untimed warm-up run
        files.append(tmp / f"counts_{i}.csv")
        write_csv(files[-1], args.rows, seed=i)
    shown = min(args.rows, MAX_POINTS)
    url_tail = "regression?view=" + quote("Nonlinear models and your own") + "&data=" + quote("Upload a CSV")
    proc, url = start_server()
    times = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
            for i, path in enumerate(files):
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = ctx.new_page()
                page.set_default_timeout(120_000)
                page.goto(url + url_tail)
                page.wait_for_selector('.st-key-p3d-model_plot .js-plotly-plot svg.main-svg')
                page.wait_for_function(IDLE)
                page.wait_for_timeout(500)
                t0 = page.evaluate("performance.now()")
                page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
                t1 = page.evaluate(DRAWN, shown)
                if t1 is None:
                    raise SystemExit(f"run {i}: the fit's chart did not show {shown} points within 60 s")
                if page.locator('[data-testid="stException"]').count():
                    raise SystemExit("the page shows an exception")
                ctx.close()
                if i:                         # the first run warms the server's imports up
                    times.append((t1 - t0) / 1000)
                    print(f"run {i}: {times[-1]:.3f} s", flush=True)
            browser.close()
    finally:
        stop_server(proc)
        for f in files:
            f.unlink(missing_ok=True)
        tmp.rmdir()
    med = statistics.median(times)
    print(f"upload -> fitted chart, {args.rows:,} rows: median {med:.3f} s of {len(times)} runs "
          f"(min {min(times):.3f}, max {max(times):.3f}); target <= 1 s: {'PASS' if med <= 1 else 'FAIL'}")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": args.rows, "runs_s": times, "median_s": med}, indent=1))


if __name__ == "__main__":
    main()
