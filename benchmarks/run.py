"""Calculus Explorer benchmarks: the one command.

    /work/venv/bin/python benchmarks/run.py                 # everything (about 10 minutes)
    python benchmarks/run.py --parts compute               # only the computation timings
    python benchmarks/run.py --parts browser,load --duration 30

Three parts (see benchmarks/README.md):
  compute  bench_compute.py  the heavy explorer/ calls, repeats + median
  browser  browser_probe.py  every page in headless Chromium: load, slider round trip, ratio to a
                             one-slider floor app in the same run, KB per step, 3D camera survival
  load     load_test.py      20 websocket users moving sliders for 60 s, 1 process and 2 behind nginx
Prints a table per part and the budgets of issue 9 with PASS/FAIL; writes everything as JSON to
benchmarks/results.json (git-ignored).  Not part of the test suite: the exit status is 0 whether
budgets pass or not (use --strict to exit 1 on a failed budget).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

SURFACE_TRACES = {"surface", "contour", "heatmap", "mesh3d", "isosurface", "volume", "histogram2dcontour",
                  "contourcarpet"}
RATIO_BUDGET = 1.5
LOAD_BUDGET_S = 2.0
KB_SURFACE, KB_CURVES = 250.0, 100.0


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        mem = subprocess.run(["free", "-h"], capture_output=True, text=True, timeout=5).stdout
    except Exception:
        pass
    versions = {}
    for pkg in ("streamlit", "plotly", "numpy", "sympy", "scipy", "pandas", "mpmath", "playwright",
                "websockets", "protobuf"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    try:
        nginx = subprocess.run(["/usr/sbin/nginx", "-v"], capture_output=True, text=True, timeout=5).stderr.strip()
    except Exception:
        nginx = None
    try:
        chromium = subprocess.run([os.environ.get("CHROMIUM", "/usr/bin/chromium"), "--version"],
                                  capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception:
        chromium = None
    return dict(nproc=os.cpu_count(), cpu=cpu, free_h=mem, python=platform.python_version(),
                platform=platform.platform(), packages=versions, nginx=nginx, chromium=chromium,
                loadavg_start=os.getloadavg(), time=time.strftime("%Y-%m-%d %H:%M:%S %Z"))


# ---------------------------------------------------------------------------------------------
def part_compute(args) -> list[dict]:
    import bench_compute
    print("\n### 1. Computation (explorer/, no Streamlit)\n", flush=True)
    bench_compute.header()
    return bench_compute.run(args.repeats)


def part_browser(args) -> dict:
    import browser_probe
    print("\n### 2. Interaction in a real browser (headless Chromium)\n", flush=True)
    ns = argparse.Namespace(steps=args.steps, shots=args.shots, pages=args.pages, width=1920, height=1080,
                            root=str(ROOT))
    if args.shots:
        os.makedirs(args.shots, exist_ok=True)
    out = asyncio.run(browser_probe.run(ns))
    f = out["floor"]
    print(f"floor app: load {f['load_s']} s, round trip {f['rt_ms']} ms, {f['kb']} KB a step")
    print(f"{'page':16} {'load_s':>7} {'warm_s':>7} {'exc':>4} {'sliders':>7} {'rt_ms':>8} {'ratio':>6} {'kb':>8} "
          f"{'kb max':>7} {'worst':>6} {'camera':>6}  budgets")
    for name, r in out["pages"].items():
        r["surfaces"] = bool(set(r.get("traces") or []) & SURFACE_TRACES)
        r["kb_budget"] = KB_SURFACE if r["surfaces"] else KB_CURVES
        checks = page_checks(r)
        r["checks"] = checks
        verdict = " ".join(f"{k}:{'PASS' if v else 'FAIL'}" for k, v in checks.items() if v is not None)
        cam = {True: "Y", False: "N", None: "-"}[r["camera_kept"]]
        print(f"{name[:16]:16} {r['load_s']:>7} {r['load_warm_s']:>7} {r['exceptions']:>4} {r['sliders']:>7} {str(r['rt_ms']):>8} "
              f"{str(r.get('ratio')):>6} {str(r['kb']):>8} {r['kb_budget']:>7g} {str(r.get('worst_slider_ratio')):>6} {cam:>6}  {verdict}", flush=True)
    print(f"server resident memory after the probe: {out['server_rss_mb']} MB")
    return out


def page_checks(r: dict) -> dict:
    return {
        "load": r["load_warm_s"] <= LOAD_BUDGET_S,
        "cold load": r["load_s"] <= LOAD_BUDGET_S,
        "ratio": (r["ratio"] <= RATIO_BUDGET) if r.get("ratio") is not None else None,
        "every slider": (r["worst_slider_ratio"] <= RATIO_BUDGET) if r.get("worst_slider_ratio") is not None else None,
        "kb": (r["kb"] <= r["kb_budget"]) if r.get("kb") is not None else None,
        "camera": r["camera_kept"] if r["camera_kept"] is not None else None,
        "no-exception": r["exceptions"] == 0,
    }


def part_load(args) -> list[dict]:
    import load_test
    print(f"\n### 3. Many users ({args.sessions} websocket sessions, {args.duration:g} s)\n", flush=True)
    argv = ["--sessions", str(args.sessions), "--duration", str(args.duration), "--think", str(args.think),
            "--cluster", str(args.cluster)]
    return load_test.main(argv)


# ---------------------------------------------------------------------------------------------
def budget_rows(res: dict) -> list[tuple[str, str, str]]:
    rows = []
    b = res.get("browser")
    if b:
        floor = b["floor"]["rt_ms"]
        pages = b["pages"]
        with_rt = {n: r for n, r in pages.items() if r.get("ratio") is not None}
        no_slider = [n for n, r in pages.items() if r.get("rt_ms") is None]
        worst = max(with_rt.items(), key=lambda kv: kv[1]["ratio"]) if with_rt else None
        fails = [f"{n} {r['ratio']}" for n, r in with_rt.items() if r["ratio"] > RATIO_BUDGET]
        sl = [(n, ps) for n, r in pages.items() for ps in r.get("per_slider", []) if ps.get("ratio")]
        if sl:
            over = [f"{n}/{ps['label'] or ps['index']} {ps['ratio']}" for n, ps in sl if ps["ratio"] > RATIO_BUDGET]
            rows.append(("every slider (its own median) ≤ 1.5 × floor app's",
                         f"{len(sl) - len(over)} of {len(sl)} sliders within"
                         + (f"; over: {', '.join(over)}" if over else ""), "FAIL" if over else "PASS"))
        rows.append(("page median slider round trip ≤ 1.5 × floor app's (same run)",
                     (f"floor {floor} ms; worst {worst[0]} {worst[1]['ratio']}×" if worst else "no sliders")
                     + (f"; over: {', '.join(fails)}" if fails else "")
                     + (f"; no slider: {', '.join(no_slider)}" if no_slider else ""),
                     "FAIL" if fails or not worst else "PASS"))
        for kind, budget in (("surfaces/contours", KB_SURFACE), ("curves only", KB_CURVES)):
            group = {n: r for n, r in pages.items() if r.get("kb") is not None and r["kb_budget"] == budget}
            if not group:
                continue
            worst = max(group.items(), key=lambda kv: kv[1]["kb"])
            fails = [f"{n} {r['kb']}" for n, r in group.items() if r["kb"] > budget]
            rows.append((f"KB per slider step ≤ {budget:g} ({kind})",
                         f"worst {worst[0]} {worst[1]['kb']} KB ({', '.join(group)})"
                         + (f"; over: {', '.join(fails)}" if fails else ""),
                         "FAIL" if fails else "PASS"))
        for key, what in (("load_warm_s", "new session, server caches warm"),
                          ("load_s", "first visit after server start")):
            worst = max(pages.items(), key=lambda kv: kv[1][key])
            fails = [f"{n} {r[key]}" for n, r in pages.items() if r[key] > LOAD_BUDGET_S]
            rows.append((f"page load to last chart drawn ≤ 2 s ({what})", f"worst {worst[0]} {worst[1][key]} s"
                         + (f"; over: {', '.join(fails)}" if fails else ""), "FAIL" if fails else "PASS"))
        cams = {n: r["camera_kept"] for n, r in pages.items() if r["camera_kept"] is not None}
        rows.append(("a turned 3D view survives a slider step",
                     ", ".join(f"{n} {'kept' if v else 'RESET'}" for n, v in cams.items()) or "no 3D chart found",
                     "PASS" if cams and all(cams.values()) else ("FAIL" if cams else "n/a")))
        slow = {n: r.get("too_long_notices") for n, r in pages.items() if r.get("too_long_notices")}
        if slow:
            rows.append(("(info) 'took too long' fallback notices shown", ", ".join(f"{n} {v}" for n, v in slow.items()),
                         "note"))
        exc = {n: r["exceptions"] for n, r in pages.items() if r["exceptions"]}
        rows.append(("no exception box on any page (product standard)",
                     ", ".join(f"{n} {v}" for n, v in exc.items()) or "0 everywhere", "FAIL" if exc else "PASS"))
    if res.get("load"):
        import load_test
        for budget, measured, ok in load_test.verdicts(res["load"]):
            rows.append((budget, measured, "PASS" if ok else "FAIL"))
    for c in res.get("compute") or []:
        if "budget_ms" in c:
            rows.append((f"{c['name']} < {c['budget_ms'] / 1000:g} s (median)", f"{c['median_ms']:.0f} ms wall, "
                         f"{c['cpu_median_ms']:.0f} ms CPU", "PASS" if c["pass"] else "FAIL"))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parts", default="compute,browser,load", help="comma list of compute,browser,load")
    ap.add_argument("--repeats", type=int, default=7, help="compute: timed runs per case")
    ap.add_argument("--steps", type=int, default=5, help="browser: steps per slider (up to 6 sliders a page)")
    ap.add_argument("--pages", help="browser: only pages whose url path contains this")
    ap.add_argument("--shots", help="browser: save a full-page PNG of every page here")
    ap.add_argument("--sessions", type=int, default=20, help="load: concurrent users")
    ap.add_argument("--duration", type=float, default=60.0, help="load: seconds of slider moving")
    ap.add_argument("--think", type=float, default=1.0, help="load: mean think time between steps (s)")
    ap.add_argument("--cluster", type=int, default=2, help="load: processes behind nginx (0 skips)")
    ap.add_argument("--json", default=str(HERE / "results.json"))
    ap.add_argument("--strict", action="store_true", help="exit 1 when a budget fails")
    args = ap.parse_args()
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    os.chdir(ROOT)
    res: dict = dict(machine=machine(), args=vars(args))
    m = res["machine"]
    print(f"Calculus Explorer benchmarks — {m['time']}; {m['nproc']} cores ({m['cpu']}); Python {m['python']}; "
          f"load average at start {tuple(round(x, 2) for x in m['loadavg_start'])}")
    t0 = time.time()
    if "compute" in parts:
        res["compute"] = part_compute(args)
    if "browser" in parts:
        res["browser"] = part_browser(args)
    if "load" in parts:
        res["load"] = part_load(args)
    res["machine"]["loadavg_end"] = os.getloadavg()
    res["elapsed_s"] = round(time.time() - t0, 1)
    rows = budget_rows(res)
    res["budgets"] = [dict(budget=b, measured=m_, verdict=v) for b, m_, v in rows]
    print("\n### Budgets (issue 9)\n")
    w = max([len(b) for b, _, _ in rows] + [10])
    for b, m_, v in rows:
        print(f"{v:5} {b:{w}}  {m_}")
    print(f"\nload average at end {tuple(round(x, 2) for x in res['machine']['loadavg_end'])}; "
          f"{res['elapsed_s']:.0f} s in all; JSON: {args.json}")
    Path(args.json).write_text(json.dumps(res, indent=2, default=str))
    return 1 if args.strict and any(v == "FAIL" for _, _, v in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
