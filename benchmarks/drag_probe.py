"""Live dragging (issue #19): frames per second while a slider is dragged, and the time from a
pointer move to the drawn frame, per slider, in headless Chromium. JSON on stdout.

    python benchmarks/drag_probe.py                      # the derivatives page
    python benchmarks/drag_probe.py --pages derivatives,taylor --moves 60

For every slider that has drag frames on the page (``window.__liveChart.frames``), it presses on the
slider's thumb, moves in small steps (``--moves`` moves, ``--interval`` ms apart, each split in 2
pointer events) and releases, then reports:

- ``fps``: frames drawn per second during the drag, per chart (``dataset.liveChartDragFrames``,
  which ``ui/live_chart_js/live_chart.js`` counts once per drawn frame; the slider moves a step at most
  every few pointer events, so this is bounded by how fast the hand crosses slider steps);
- ``latency_ms``: median and 90th percentile of the time from the last pointer event
  (``performance.now()`` in a capturing ``pointermove`` listener) to the end of the
  ``Plotly.update`` that drew the frame in the next ``requestAnimationFrame`` (so it includes the
  wait for the animation frame, not the compositor's paint);
- ``sent_during_drag``: websocket messages the page sent during the drag (0 = no server round trip);
- ``release_kb`` / ``release_ms``: bytes received and time to the last content frame for the
  release step's rerun; ``load_kb``: bytes received while the page first loaded (frames included).
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless",
                             "true", "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--browser.gatherUsageStats", "false"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(400):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).read() == b"ok":
                return proc
        except OSError:
            time.sleep(0.25)
    proc.terminate()
    raise RuntimeError("streamlit did not start")


def settle(page, frames, quiet=0.7, limit=30.0):
    t0 = time.monotonic()
    n, last = -1, time.monotonic()
    while time.monotonic() - t0 < limit:
        if len(frames) != n:
            n, last = len(frames), time.monotonic()
        elif time.monotonic() - last >= quiet and page.evaluate(
                "() => document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state')"
                " !== 'running'"):
            return
        page.wait_for_timeout(50)


SLIDERS_JS = """() => { const G = window.__liveChart || {}; const out = {};
  (G.frames || new Map()).forEach((sets, vk) => { if (!vk.startsWith(location.pathname + '|')) return;
    sets.forEach((F, s) => { (out[s] = out[s] || []).push(vk.split('|')[1]); }); });
  return out; }"""
STATS_JS = """(charts) => Object.fromEntries(charts.map((c) => {
  const gd = document.querySelector('.st-key-p3d-' + c + ' .live-chart');
  return [c, { n: +(gd && gd.dataset.liveChartDragFrames || 0), ms: (gd && gd.__liveChartDragMs || []).slice() }]; }))"""


def drag(page, frames, slider, charts, moves, interval):
    rng = page.locator(f".st-key-{slider} input[type=range]").first
    page.locator(f".st-key-{slider} [data-testid=stSlider]").first.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    lo, hi, step = (float(rng.get_attribute(a)) for a in ("min", "max", "step"))
    track = page.locator(f".st-key-{slider} [data-testid=stSlider] [data-orientation=horizontal]").nth(1).bounding_box()
    thumb = rng.locator("xpath=../..").bounding_box()
    x, y = thumb["x"] + thumb["width"] / 2, thumb["y"] + thumb["height"] / 2
    direction = 1 if track["x"] + track["width"] - x > track["width"] / 2 else -1
    span = 0.45 * track["width"]
    dx = direction * span / moves
    before = page.evaluate(STATS_JS, charts)
    n0 = len(frames)
    page.mouse.move(x, y)
    page.mouse.down()
    t0 = time.monotonic()
    for i in range(moves):
        page.mouse.move(x + dx * (i + 1), y, steps=2)
        page.wait_for_timeout(interval)
    duration = time.monotonic() - t0
    sent_during = sum(1 for f in frames[n0:] if f[0] == "s")
    after = page.evaluate(STATS_JS, charts)
    n1 = len(frames)
    page.mouse.up()
    settle(page, frames)
    got = [f for f in frames[n1:] if f[0] == "r"]
    content = [f for f in got if f[2] > 64]
    sent = [f for f in frames[n1:] if f[0] == "s"]
    out = {"slider": slider, "steps_crossed": round(span / (track["width"] / ((hi - lo) / step))),
           "drag_s": round(duration, 2), "sent_during_drag": sent_during,
           "release_kb": round(sum(f[2] for f in got) / 1024, 1),
           "release_ms": round((content[-1][1] - sent[0][1]) * 1000, 1) if content and sent else None,
           "charts": {}}
    for c in charts:
        ms = after[c]["ms"][len(before[c]["ms"]):]
        n = after[c]["n"] - before[c]["n"]
        out["charts"][c] = {"frames": n, "fps": round(n / duration, 1),
                            "latency_ms": {"median": round(statistics.median(ms), 2) if ms else None,
                                           "p90": round(sorted(ms)[int(0.9 * (len(ms) - 1))], 2) if ms else None}}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", default="derivatives", help="comma-separated URL paths")
    ap.add_argument("--moves", type=int, default=40)
    ap.add_argument("--interval", type=int, default=50, help="ms between pointer moves")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright
    port = free_port()
    proc = start(port)
    report = {"pages": {}}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for path in [s.strip() for s in args.pages.split(",") if s.strip()]:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(90000)
                frames: list = []
                page.on("websocket", lambda ws: (
                    ws.on("framesent", lambda b: frames.append(("s", time.monotonic(), len(b)))),
                    ws.on("framereceived", lambda b: frames.append(("r", time.monotonic(), len(b))))))
                t0 = time.monotonic()
                page.goto(f"http://127.0.0.1:{port}/{path}")
                page.wait_for_selector('[data-testid="stApp"]')
                settle(page, frames, quiet=1.0)
                load = {"load_kb": round(sum(f[2] for f in frames if f[0] == "r") / 1024, 1),
                        "load_s": round((frames[-1][1] if frames else time.monotonic()) - t0, 2)}
                page.wait_for_timeout(500)
                sliders = page.evaluate(SLIDERS_JS)
                report["pages"][path] = {**load, "sliders": [drag(page, frames, s, charts, args.moves, args.interval)
                                                             for s, charts in sorted(sliders.items())]}
                page.close()
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    json.dump(report, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
