"""Render a results.json of ``run.py`` as the Markdown tables of RESULTS.md.

    python benchmarks/report.py [benchmarks/results.json] > /tmp/tables.md
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def fmt(v, suffix=""):
    return "—" if v is None else f"{v}{suffix}"


def render(res: dict) -> str:
    out = []
    m = res["machine"]
    out.append("## Machine\n")
    out.append(f"- when: {m['time']}, run took {res.get('elapsed_s', 0):.0f} s")
    out.append(f"- `nproc`: {m['nproc']}; CPU: {m['cpu']}; {m['platform']}")
    mem = [l for l in (m.get("free_h") or "").splitlines() if l.startswith("Mem")]
    if mem:
        out.append(f"- `free -h`: `{' '.join(mem[0].split())}` (total used free shared buff/cache available)")
    out.append(f"- load average (1, 5, 15 min) at start {tuple(round(x, 2) for x in m['loadavg_start'])}, "
               f"at end {tuple(round(x, 2) for x in m.get('loadavg_end', ()))}")
    out.append(f"- Python {m['python']}; " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()))
    out.append(f"- {m.get('nginx')}; {m.get('chromium')}")
    a = res.get("args", {})
    out.append(f"- command: `python benchmarks/run.py` (parts {a.get('parts')}, repeats {a.get('repeats')}, "
               f"steps {a.get('steps')}, sessions {a.get('sessions')}, duration {a.get('duration')} s, "
               f"think {a.get('think')} s, cluster {a.get('cluster')})\n")

    if res.get("budgets"):
        out.append("## Budgets (issue 9)\n")
        out.append("| verdict | budget | measured |")
        out.append("| --- | --- | --- |")
        for b in res["budgets"]:
            out.append(f"| {b['verdict']} | {b['budget']} | {b['measured']} |")
        out.append("")

    if res.get("compute"):
        out.append("## 1. Computation (explorer/, no Streamlit)\n")
        out.append("| case | median ms | min | max | CPU ms (median) | runs | budget |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
        for c in res["compute"]:
            if "error" in c or c.get("skipped"):
                out.append(f"| {c['name']} | {c.get('error') or c.get('note')} | | | | | |")
                continue
            budget = f"< {c['budget_ms'] / 1000:g} s: {'PASS' if c['pass'] else 'FAIL'}" if "budget_ms" in c else "—"
            name = c["name"] + (" (cold)" if c.get("cold") else "")
            out.append(f"| {name} | {c['median_ms']:.1f} | {c['min_ms']:.1f} | {c['max_ms']:.1f} | "
                       f"{c['cpu_median_ms']:.1f} | {c['repeats']} | {budget} |")
        out.append("")

    b = res.get("browser")
    if b:
        f = b["floor"]
        out.append("## 2. Interaction in a real browser (headless Chromium)\n")
        out.append(f"Floor app (one slider, one curve): load {f['load_s']} s, round trip **{f['rt_ms']} ms**, "
                   f"{f['kb']} KB a step. Server memory after the probe: {b['server_rss_mb']:.0f} MB.\n")
        out.append("| page | load s (first) | load s (warm) | sliders | round trip ms | ratio | worst slider ratio | KB/step | KB budget "
                   "| 3D camera kept | exceptions |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
        for name, r in b["pages"].items():
            cam = {True: "yes", False: "**no**", None: "—"}[r["camera_kept"]]
            out.append(f"| {name} | {r['load_s']} | {r['load_warm_s']} | {r['sliders']} | {fmt(r['rt_ms'])} | "
                       f"{fmt(r.get('ratio'))} | {fmt(r.get('worst_slider_ratio'))} | {fmt(r['kb'])} | {r['kb_budget']:g} | {cam} | {r['exceptions']} |")
        out.append("")

    if res.get("load"):
        out.append("## 3. Many users (websocket clients)\n")
        out.append("| layout | single-session median ms | median ms | p95 ms | max ms | steps | errors | "
                   "RSS before MB | after | growth | after users left |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in res["load"]:
            c, s = r["crowd"], r["single"]
            out.append(f"| {r['layout']} ({r['sessions']} sessions) | {s['median_ms']} | {c['median_ms']} | "
                       f"{c['p95_ms']} | {c['max_ms']} | {c['steps']} | {c['errors']} | {r['rss_before_mb']} | "
                       f"{r['rss_after_mb']} | {r['rss_growth_mb']:+} | {r['rss_after_users_left_mb']} |")
        out.append("")
        for r in res["load"]:
            c = r["crowd"]
            out.append(f"- {r['layout']}: steps per page {c['steps_per_page']}; page load median "
                       f"{c['load_median_ms']} ms; KB per step median {c['kb_median']}"
                       + (f"; errors e.g. {c['error_samples'][:3]}" if c["errors"] else ""))
        out.append("")
    return "\n".join(out)


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("results.json"))
    print(render(json.loads(path.read_text())))


if __name__ == "__main__":
    main()
