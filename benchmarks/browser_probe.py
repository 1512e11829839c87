#!/usr/bin/env python3
"""Probe a Streamlit app in a real browser, the way a person uses it.

(The project's copy of the team's shared probe ``../shared/tools/probe_app.py``, so the benchmark
runs from the repository alone; additions: the plotly trace types each page draws, ``traces``, so
``run.py`` can tell surface/contour pages from curve-only pages, and the project root as a
parameter.)

Starts `streamlit run streamlit_app.py` from the project root (and, for comparison in the
same run, a one-slider floor app), opens every page listed in the sidebar navigation in
headless Chromium, and for each page reports:

  load_s        seconds from navigation to the page's last widget and chart drawn (first visit
                after the server started: the server's caches are cold)
  load_warm_s   the same for a second visit in a new session (project addition: caches warm)
  exceptions    number of exception boxes (data-testid=stException) on the page
  sliders       number of sliders probed
  rt_ms         median round trip of a slider step: first frame sent -> last content frame
                received (frames of 64 bytes or less are control messages)
  kb            median kilobytes received over the websocket for one slider step
  camera        on a page with a 3D chart: does a view the user turned by dragging survive
                a slider step (Y/N; '-' where the page has no 3D chart)

and the server's resident memory at the end.  The floor app's round trip is the
Streamlit minimum on this machine: `ratio` = page rt_ms / floor rt_ms.

Usage (from the project root, in the environment that runs the app):
  python ../shared/tools/probe_app.py [--steps 5] [--shots DIR] [--json FILE] [--pages SUBSTR]

Needs: playwright (the Python package) and a Chromium at /usr/bin/chromium
(Debian: apt-get install chromium), or CHROMIUM=/path/to/chrome.
"""
import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR_APP = '''
import numpy as np, plotly.graph_objects as go, streamlit as st
a = st.slider("a", 0.0, 5.0, 1.0)
x = np.linspace(-3, 3, 50)
st.plotly_chart(go.Figure(go.Scatter(x=x, y=a * x ** 2)))
'''

CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def start_server(script, cwd):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    import urllib.request
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).read() == b"ok":
                return proc, port
        except Exception:
            time.sleep(0.25)
    proc.kill()
    raise SystemExit(f"server for {script} did not start: " + proc.stdout.read().decode()[-2000:])


def stop_server(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM); proc.wait(10)
    except Exception:
        proc.kill()


def rss_mb(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None


async def settle(frames, quiet=0.4, limit=8.0):
    """Wait until no websocket frame has arrived for `quiet` seconds."""
    t0 = time.time(); n = -1; last_change = time.time()
    while time.time() - t0 < limit:
        if len(frames) != n:
            n = len(frames); last_change = time.time()
        elif time.time() - last_change >= quiet:
            return
        await asyncio.sleep(0.05)


SCRIPT_STATE = """() => { const a = document.querySelector('[data-testid="stApp"]');
  return a ? a.getAttribute('data-test-script-state') : null; }"""


async def script_done(page, limit):
    """Wait (at most ``limit`` s) until the app says its script is not running (project addition:
    on a loaded machine a run can pause longer than the settle time between two frames)."""
    t0 = time.time()
    while time.time() - t0 < limit:
        if await page.evaluate(SCRIPT_STATE) == "notRunning":
            return True
        await asyncio.sleep(0.05)
    return False


async def run_done(page, frames, limit=20.0):
    """After a slider step: wait for a content frame after the step was sent and the script at rest."""
    t0 = time.time()
    while time.time() - t0 < limit:
        sent = [f for f in frames if f[0] == "s"]
        if sent and any(f[0] == "r" and f[2] > 64 and f[1] >= sent[0][1] for f in frames) \
                and await page.evaluate(SCRIPT_STATE) == "notRunning":
            return True
        await asyncio.sleep(0.05)
    return False


async def probe_page(page, frames, url, steps, shot):
    frames.clear()
    t0 = time.time()
    await page.goto(url)
    await page.wait_for_selector('[data-testid="stApp"]', timeout=30000)
    await script_done(page, 30)
    await settle(frames, quiet=0.8, limit=30)
    load_s = time.time() - t0 - 0.8
    # project addition: the same page again in a new session — the server's caches are now warm,
    # which is what every learner but the first one after a server start sees
    # The clock starts once the previous visit is gone: leaving a page with WebGL charts takes up to
    # ~2 s in headless Chromium (its teardown, not this page's load), which an earlier version of
    # this probe counted as load time.
    await page.goto("about:blank")
    frames.clear()
    t0 = time.time()
    await page.goto(url)
    await page.wait_for_selector('[data-testid="stApp"]', timeout=30000)
    await script_done(page, 30)
    await settle(frames, quiet=0.8, limit=30)
    load_warm_s = time.time() - t0 - 0.8
    exc = await page.locator('[data-testid="stException"]').count()
    sliders = page.locator('section[data-testid="stMain"] input[type="range"], div[data-testid="stMain"] input[type="range"]')
    if await sliders.count() == 0:
        sliders = page.locator('input[type="range"]')
    n = await sliders.count()
    rts, kbs = [], []
    per_slider = []
    for i in range(min(n, 6)):
        s = sliders.nth(i)
        n_before = len(rts)
        # Always step to a value not seen yet: Streamlit re-sends a message it has sent before
        # as a short reference, so stepping back and forth would time its cache, not the page.
        key = "ArrowRight"
        for k in range(steps):
            frames.clear()
            try:
                await s.focus(timeout=3000)
                before = await s.get_attribute("aria-valuetext")
                await page.keyboard.press(key)
                if await s.get_attribute("aria-valuetext") == before:
                    if key == "ArrowLeft":
                        break
                    key = "ArrowLeft"
                    await page.keyboard.press(key)
            except Exception:
                break
            await run_done(page, frames)
            await settle(frames, quiet=0.7)
            sent = [f for f in frames if f[0] == "s"]
            if not sent:
                continue
            got = [f for f in frames if f[0] == "r" and f[1] >= sent[0][1]]
            # the display changes with the last content frame; tiny control frames can trail it
            content = [f for f in got if f[2] > 64]
            if content:
                rts.append((content[-1][1] - sent[0][1]) * 1000); kbs.append(sum(f[2] for f in got) / 1024)
        if len(rts) > n_before:       # project addition: each slider's own median
            try:
                label = await s.get_attribute("aria-label", timeout=2000)
            except Exception:
                label = None
            per_slider.append(dict(index=i, label=label, rt_ms=round(statistics.median(rts[n_before:]), 1),
                                   kb=round(statistics.median(kbs[n_before:]), 1)))
    camera_kept = await camera_survives(page, frames, sliders) if n else None
    exc = max(exc, await page.locator('[data-testid="stException"]').count())
    traces = await page.evaluate(TRACES_JS)
    # project addition: a page that fell back because symbolic work took too long (e.g. on a busy machine)
    slow = await page.locator('[data-testid="stAlert"]', has_text="too long").count()
    if shot:
        await page.screenshot(path=shot, full_page=True)
    med = lambda v: round(statistics.median(v), 1) if v else None
    return dict(load_s=round(load_s, 2), load_warm_s=round(load_warm_s, 2), exceptions=exc, sliders=n, rt_ms=med(rts), kb=med(kbs),
                steps=len(rts), camera_kept=camera_kept, too_long_notices=slow, per_slider=per_slider, traces=sorted(set(traces)))


TRACES_JS = """() => { const out = [];
  document.querySelectorAll('.js-plotly-plot').forEach(gd => (gd.data || []).forEach(t => out.push(t.type || 'scatter')));
  return out; }"""


CAMERA_JS = """() => { const out = [];
  document.querySelectorAll('.js-plotly-plot').forEach(gd => {
    const fl = gd._fullLayout || {};
    Object.keys(fl).filter(k => /^scene\\d*$/.test(k)).forEach(k => out.push(fl[k].camera.eye)); });
  return out; }"""


async def camera_survives(page, frames, sliders):
    """Rotate the first 3D chart by dragging it, step a slider, and say whether the view held."""
    if not await page.evaluate(CAMERA_JS):
        return None
    gd = page.locator('.js-plotly-plot').filter(has=page.locator('.gl-container, canvas')).first
    box = await gd.bounding_box()
    if not box:
        return None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    await page.mouse.move(cx, cy); await page.mouse.down()
    await page.mouse.move(cx + 120, cy + 30, steps=8); await page.mouse.up()
    await asyncio.sleep(0.5)
    turned = await page.evaluate(CAMERA_JS)
    frames.clear()
    s = sliders.first
    await s.focus()
    before = await s.get_attribute("aria-valuetext")
    await page.keyboard.press("ArrowRight")
    if await s.get_attribute("aria-valuetext") == before:
        await page.keyboard.press("ArrowLeft")
    await settle(frames, quiet=0.7)
    await asyncio.sleep(0.5)
    after = await page.evaluate(CAMERA_JS)
    close = lambda a, b: all(abs(a[k] - b[k]) < 1e-3 for k in "xyz")
    return bool(turned) and len(after) == len(turned) and all(close(a, b) for a, b in zip(turned, after))


async def run(args):
    from playwright.async_api import async_playwright
    root = Path(getattr(args, "root", None) or Path.cwd())
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "floor_app.py").write_text(FLOOR_APP)
        floor_proc, floor_port = start_server("floor_app.py", tmp)
        app_proc, app_port = start_server("streamlit_app.py", str(root))
        results = {}
        try:
            async with async_playwright() as p:
                browser = await p.chromium.launch(
                    executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROME_ARGS)
                page = await browser.new_page(viewport={"width": args.width, "height": args.height})
                cdp = await page.context.new_cdp_session(page)
                await cdp.send("Network.enable")
                frames = []
                cdp.on("Network.webSocketFrameReceived",
                       lambda e: frames.append(("r", e["timestamp"], len(e["response"]["payloadData"]))))
                cdp.on("Network.webSocketFrameSent",
                       lambda e: frames.append(("s", e["timestamp"], len(e["response"]["payloadData"]))))
                floor = await probe_page(page, frames, f"http://127.0.0.1:{floor_port}/", args.steps, None)
                base = f"http://127.0.0.1:{app_port}/"
                await page.goto(base)
                await page.wait_for_selector('[data-testid="stApp"]', timeout=30000)
                await settle(frames, quiet=1.0, limit=30)
                # every link of the app's own navigation (sidebar or top), whatever its test id
                # (project change: the navigation's own links when there is a sidebar navigation, so
                # a page_link elsewhere with another spelling of a path does not replace a real page)
                links = await page.eval_on_selector_all('[data-testid="stSidebarNav"] a[href]',
                                                        "els => els.map(e => e.href)")
                if not links:
                    links = await page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
                urls = []
                for u in [base] + links:
                    u = u.split("?")[0].split("#")[0]
                    if u.startswith(base) and u not in urls:
                        urls.append(u)
                for u in urls:
                    name = u[len(base):] or "home"
                    if args.pages and args.pages not in name:
                        continue
                    shot = str(Path(args.shots, name.replace("/", "_") + ".png")) if args.shots else None
                    r = await probe_page(page, frames, u, args.steps, shot)
                    if r["rt_ms"] and floor["rt_ms"]:
                        r["ratio"] = round(r["rt_ms"] / floor["rt_ms"], 2)
                    results[name] = r
                again = await probe_page(page, frames, f"http://127.0.0.1:{floor_port}/", args.steps, None)
                if again["rt_ms"] and (not floor["rt_ms"] or again["rt_ms"] < floor["rt_ms"]):
                    floor = again
                    for r in results.values():
                        if r["rt_ms"]:
                            r["ratio"] = round(r["rt_ms"] / floor["rt_ms"], 2)
                for r in results.values():     # project addition: every slider against the floor
                    for ps in r.get("per_slider", []):
                        ps["ratio"] = round(ps["rt_ms"] / floor["rt_ms"], 2) if floor["rt_ms"] else None
                    r["worst_slider_ratio"] = max((ps["ratio"] for ps in r.get("per_slider", []) if ps["ratio"]),
                                                  default=None)
                await browser.close()
            out = dict(floor=floor, pages=results, server_rss_mb=rss_mb(app_proc.pid))
        finally:
            stop_server(app_proc); stop_server(floor_proc)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=5, help="slider steps per slider (up to 6 sliders a page)")
    ap.add_argument("--shots", help="folder for a full-page screenshot of every page")
    ap.add_argument("--json", help="write the results here as JSON")
    ap.add_argument("--pages", help="only pages whose path contains this")
    ap.add_argument("--width", type=int, default=1920)
    ap.add_argument("--height", type=int, default=1080)
    args = ap.parse_args()
    if args.shots:
        os.makedirs(args.shots, exist_ok=True)
    out = asyncio.run(run(args))
    f = out["floor"]
    print(f"floor app: load {f['load_s']} s, round trip {f['rt_ms']} ms, {f['kb']} KB a step")
    print(f"{'page':32} {'load_s':>7} {'exc':>4} {'sliders':>7} {'rt_ms':>7} {'ratio':>6} {'kb':>8} {'camera':>6}")
    for name, r in out["pages"].items():
        print(f"{name[:32]:32} {r['load_s']:>7} {r['exceptions']:>4} {r['sliders']:>7} "
              f"{str(r['rt_ms']):>7} {str(r.get('ratio')):>6} {str(r['kb']):>8} "
              f"{ {True: 'Y', False: 'N', None: '-'}[r['camera_kept']]:>6}")
    print(f"server resident memory: {out['server_rss_mb']} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
