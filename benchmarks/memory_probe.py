"""Memory under a long slider session (issue 22, "Faults"): one visitor drags for a whole lecture.

Starts the app (``streamlit run`` on a free port, headless), visits every module page once (as the
first visitors of a lecture do: the one-off imports and the server's background warm-up are then
done, and not counted as growth; ``--no-warm`` skips this), opens one page in ONE websocket session
(``wsclient.py``, Streamlit's own protocol), then steps the page's sliders ``--steps`` times (each
step: the next value of one slider, turning back at the ends, rotating over the page's sliders; the
run must finish before the next step, as when a learner drags). The server's resident memory (VmRSS
of the ``streamlit run`` process, from psutil when installed, else ``/proc/<pid>/status``) is read
after the page's first load ("before"), every ``--every`` steps, and at the end ("after").

Budget (issue 22): growth after - before < 50 MB for 2,000 steps. The caches of the pages are bounded
(``st.cache_data`` / ``st.cache_resource`` with ``max_entries``), so the growth should level off once
they are full; the samples show whether it does (a leak keeps climbing).

    python benchmarks/memory_probe.py [--steps 2000] [--page derivatives] [--every 250]
                                      [--json benchmarks/memory.json]

JSON on stdout (and in ``--json``): rss_mb samples, growth_mb, growth_per_step_kb, step timings,
exception elements and failed runs, and the memory held by ``st.cache_data`` (Streamlit's
``/_stcore/metrics``, ``cache_memory_bytes``; ``st.cache_resource`` entries are not measured there)
before and after, with the largest caches: growth that is cache filling up to ``max_entries`` is
bounded; growth beyond it is a leak to find. Exit status 1 when the budget is missed or a run failed.
Loopback only; the server is stopped by its own process id.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from load_test import Server  # noqa: E402
from wsclient import Session, next_value  # noqa: E402

BUDGET_MB = 50.0


def rss_mb(pid: int) -> float:
    """Resident memory of one process, in MB (psutil if installed, else /proc)."""
    try:
        import psutil
        return round(psutil.Process(pid).memory_info().rss / 2 ** 20, 1)
    except ImportError:
        pass
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS"):
                return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for process {pid}")


def cache_bytes(port: int) -> dict[str, int]:
    """Bytes held by each ``st.cache_data`` function (Streamlit's metrics endpoint); {} if unavailable."""
    try:
        text = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/metrics", timeout=10).read().decode()
    except OSError:
        return {}
    out = {}
    for m in re.finditer(r'^cache_memory_bytes\{cache_type="st_cache_data",cache="([^"]+)"\} (\d+)', text, re.M):
        out[m.group(1).replace("__main__.", "page.")] = int(m.group(2))
    return out


async def warm_visit(base: str, timeout: float) -> None:
    sys.path.insert(0, str(HERE.parent))
    from explorer import course
    for info in course.MODULES:
        s = await Session(base, timeout=timeout).open()
        try:
            await s.load(info.url_path)
        finally:
            await s.close()
    await asyncio.sleep(3.0)        # let the background warm-up thread finish its imports


async def drive(base: str, pid: int, port: int, page: str, steps: int, every: int, timeout: float) -> dict:
    s = await Session(base, timeout=timeout).open()
    samples, times, failed, exceptions = [], [], [], 0
    try:
        first = await s.load(page)
        if not first.ok:
            raise RuntimeError(f"page {page!r} did not load: {first.status}, {first.exceptions} exceptions")
        sliders = list(s.sliders.values())
        if not sliders:
            raise RuntimeError(f"page {page!r} has no slider")
        samples.append({"step": 0, "rss_mb": rss_mb(pid)})
        caches_before = cache_bytes(port)
        direction, k = 1, 0
        t_start = time.perf_counter()
        for i in range(1, steps + 1):
            sl = sliders[k % len(sliders)]
            if i % 20 == 0:             # rotate over the sliders, 20 steps each (a drag, then another)
                k += 1
            v, direction = next_value(sl, direction)
            r = await s.move(sl, v)
            times.append(r.ms)
            exceptions += r.exceptions
            if not r.ok:
                failed.append({"step": i, "slider": sl.label, "value": v, "status": r.status,
                               "exceptions": r.exceptions})
            if s.sliders:               # the page may redraw its sliders (ids stay; values follow)
                sliders = [s.sliders.get(x.id, x) for x in sliders]
            if i % every == 0 or i == steps:
                samples.append({"step": i, "rss_mb": rss_mb(pid),
                                "elapsed_s": round(time.perf_counter() - t_start, 1)})
                print(f"  step {i}: RSS {samples[-1]['rss_mb']} MB", file=sys.stderr, flush=True)
        caches_after = cache_bytes(port)
    finally:
        await s.close()
    return {"sliders": [x.label for x in sliders], "samples": samples, "times": times,
            "failed": failed, "exceptions": exceptions, "caches": (caches_before, caches_after)}


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--page", default="derivatives")
    ap.add_argument("--every", type=int, default=250, help="sample the RSS every N steps")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds allowed for one run")
    ap.add_argument("--no-warm", action="store_true", help="do not visit every page first")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    server = Server(1, sys.executable)
    t0 = time.perf_counter()
    server.start()
    try:
        pid = server.proc.pid
        rss_fresh = rss_mb(pid)
        if not args.no_warm:
            asyncio.run(warm_visit(f"ws://127.0.0.1:{server.port}", args.timeout))
        rss_warm = rss_mb(pid)
        out = asyncio.run(drive(f"ws://127.0.0.1:{server.port}", pid, server.port, args.page, args.steps,
                                args.every, args.timeout))
    finally:
        server.stop()
    before, after = out["samples"][0]["rss_mb"], out["samples"][-1]["rss_mb"]
    growth = round(after - before, 1)
    times = sorted(out.pop("times"))
    c0, c1 = out.pop("caches")
    mb = 2 ** 20
    result = {
        "page": args.page, "steps": args.steps, "sliders": out["sliders"],
        "rss_fresh_server_mb": rss_fresh, "rss_after_visiting_every_page_mb": None if args.no_warm else rss_warm,
        "rss_before_mb": before, "rss_after_mb": after,
        "growth_mb": growth, "growth_per_step_kb": round(growth * 1024 / max(args.steps, 1), 2),
        "budget_mb": BUDGET_MB, "within_budget": growth < BUDGET_MB,
        "samples": out["samples"],
        "cache_data_mb_before": round(sum(c0.values()) / mb, 1), "cache_data_mb_after": round(sum(c1.values()) / mb, 1),
        "largest_caches_mb": {k: round(v / mb, 2) for k, v in sorted(c1.items(), key=lambda kv: -kv[1])[:6]},
        "step_ms": {"median": round(statistics.median(times), 1),
                    "p95": round(times[int(0.95 * (len(times) - 1))], 1),
                    "max": round(times[-1], 1)} if times else {},
        "exception_elements": out["exceptions"], "failed_runs": out["failed"][:20],
        "failed_count": len(out["failed"]),
        "wall_s": round(time.perf_counter() - t0, 1),
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return result


if __name__ == "__main__":
    res = main()
    sys.exit(0 if res["within_budget"] and not res["failed_count"] and not res["exception_elements"] else 1)
