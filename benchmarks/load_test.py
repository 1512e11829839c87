"""Many users: concurrent sessions moving sliders on different pages, against one Streamlit process
and against N processes behind nginx (``deploy/run_cluster.sh``).

Each simulated user is a lightweight websocket client (``wsclient.py``) speaking Streamlit's own
protocol, not a browser: on a 2-core machine 20 Chromium tabs would measure the browsers, not the
server.  A user opens one page (users are spread round-robin over every page that has a slider),
then until the time is up: steps one of the page's sliders to its next value (turning back at the
ends, rotating over the page's sliders), waits for the run to finish (``script_finished``), then
"looks" for a think time (uniform in [0.5, 1.5] × ``--think`` seconds) before the next step.

Reported per layout:
  single-session median   one user alone visiting the same pages in turn (think time 0.2 s), measured
                          just before the crowd on the same server (the yardstick)
  median / p95 round trip slider step sent -> script_finished, over every step of every user
  errors                  exception elements, failed/timed-out runs, dropped connections
  RSS before / after      server resident memory (sum over app processes) after a warm-up visit of
                          every page, and at the end of the crowd (and after the users left)

Budgets (issue 9): one process — 0 errors, p95 ≤ 3 × single-session median, RSS growth ≤ 300 MB;
2 processes behind nginx — 0 errors, p95 lower than with one process.

    python benchmarks/load_test.py [--sessions 20] [--duration 60] [--think 1.0] [--cluster 2]
                                   [--skip-single] [--json benchmarks/load.json]

Loopback only; every wait is bounded.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from wsclient import Session, next_value  # noqa: E402


# ---------------------------------------------------------------------------------------------
# servers
def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_health(port: int, limit: float = 90.0) -> None:
    t0 = time.time()
    while time.time() - t0 < limit:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                return
        except Exception:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no healthy server on port {port} after {limit:.0f} s")


class Server:
    """One `streamlit run` process, or run_cluster.sh (N processes + nginx); stopped by its own id."""

    def __init__(self, processes: int, python: str):
        self.processes = processes
        self.python = python
        self.proc: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> "Server":
        if self.processes == 1:
            self.port = free_port()
            cmd = [self.python, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
                   "--server.port", str(self.port), "--server.address", "127.0.0.1",
                   "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
            env = os.environ.copy()
        else:
            # run_cluster.sh uses PORT and PORT+1..PORT+N; pick a base whose N+1 ports are free
            self.port = self._free_block(self.processes + 1)
            cmd = ["bash", str(ROOT / "deploy" / "run_cluster.sh"), str(self.processes), str(self.port)]
            env = dict(os.environ, PYTHON=self.python)
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        wait_health(self.port)
        if self.processes > 1:
            for i in range(1, self.processes + 1):
                wait_health(self.port + i)
        return self

    @staticmethod
    def _free_block(n: int) -> int:
        for _ in range(50):
            base = random.randint(20000, 40000)
            ok = True
            for p in range(base, base + n):
                s = socket.socket()
                try:
                    s.bind(("127.0.0.1", p))
                except OSError:
                    ok = False
                finally:
                    s.close()
            if ok:
                return base
        raise RuntimeError("no block of free ports")

    def app_pids(self) -> list[int]:
        """The streamlit processes: the server itself, or run_cluster.sh's streamlit children."""
        if self.proc is None:
            return []
        if self.processes == 1:
            return [self.proc.pid]
        out, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            try:
                kids = []
                for task in os.listdir(f"/proc/{pid}/task"):
                    kids += Path(f"/proc/{pid}/task/{task}/children").read_text().split()
            except OSError:
                continue
            for k in map(int, kids):
                try:
                    cmd = Path(f"/proc/{k}/cmdline").read_bytes().replace(b"\0", b" ")
                except OSError:
                    continue
                if b"streamlit" in cmd and b" run " in cmd:
                    out.append(k)
                else:
                    todo.append(k)
        return sorted(out)

    def rss_mb(self) -> float:
        total = 0.0
        for pid in self.app_pids():
            try:
                for line in open(f"/proc/{pid}/status"):
                    if line.startswith("VmRSS"):
                        total += int(line.split()[1]) / 1024
            except OSError:
                pass
        return round(total, 1)

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            # run_cluster.sh traps TERM and stops its app processes and nginx itself
            os.kill(self.proc.pid, signal.SIGTERM)
            self.proc.wait(20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)     # the group we started, if anything is left
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc = None


# ---------------------------------------------------------------------------------------------
# users
async def discover(base: str) -> tuple[list[str], dict]:
    """Visit every page once (warms the server like a first visitor); return the pages with sliders."""
    s = await Session(base).open()
    info = {}
    try:
        await s.load("")
        for page in list(s.pages):
            s2 = await Session(base).open()
            try:
                r = await s2.load(page)
                info[page] = dict(load_ms=round(r.ms), sliders=len(s2.sliders), ok=r.ok,
                                  surfaces=s2.draws_surfaces, kb=round(r.bytes / 1024, 1))
            finally:
                await s2.close()
    finally:
        await s.close()
    return [p for p, v in info.items() if v["sliders"]], info


async def user(base: str, page: str, deadline: float, think: float, rng: random.Random, out: dict,
               affinity: bool) -> None:
    cookie = f"ce_affinity={uuid.uuid4().hex}" if affinity else None
    s = Session(base, cookie=cookie, timeout=60.0)
    try:
        await s.open()
        r = await s.load(page)
        out["loads"].append(r.ms)
        if not r.ok:
            out["errors"].append(f"{page}: load {r.status}, {r.exceptions} exception(s)")
        sliders = list(s.sliders.values())
        if not sliders:
            out["errors"].append(f"{page}: no slider")
            return
        # start somewhere different from the other users on this page
        k = rng.randrange(len(sliders))
        direction = rng.choice((-1, 1))
        await asyncio.sleep(rng.uniform(0, think))
        while time.perf_counter() < deadline:
            sl = sliders[k % len(sliders)]
            k += 1
            v, direction = next_value(sl, direction)
            r = await s.move(sl, v)
            out["rts"].append(r.ms)
            out["kb"].append(r.bytes / 1024)
            out["steps"][page] = out["steps"].get(page, 0) + 1
            if not r.ok:
                out["errors"].append(f"{page}/{sl.key}={v}: {r.status}, {r.exceptions} exception(s)")
            # every slider of a page may have been replaced by a rerun (new ids when the page changes)
            if s.sliders and set(s.sliders) != {x.id for x in sliders}:
                sliders = list(s.sliders.values())
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
    except Exception as err:     # a dropped connection or a timeout is an error, not a crash
        out["errors"].append(f"{page}: {type(err).__name__}: {err}"[:300])
    finally:
        await s.close()


def pct(values, q):
    if not values:
        return None
    v = sorted(values)
    i = min(len(v) - 1, max(0, int(round(q / 100 * (len(v) - 1)))))
    return round(v[i], 1)


def summary(out: dict) -> dict:
    rts = out["rts"]
    return dict(steps=len(rts), median_ms=round(statistics.median(rts), 1) if rts else None,
                p95_ms=pct(rts, 95), max_ms=round(max(rts), 1) if rts else None,
                kb_median=round(statistics.median(out["kb"]), 1) if out["kb"] else None,
                load_median_ms=round(statistics.median(out["loads"]), 1) if out["loads"] else None,
                errors=len(out["errors"]), error_samples=out["errors"][:5], steps_per_page=out["steps"])


async def crowd(base: str, pages: list[str], sessions: int, duration: float, think: float, seed: int,
                affinity: bool) -> dict:
    out = dict(rts=[], kb=[], loads=[], errors=[], steps={})
    rng = random.Random(seed)
    deadline = time.perf_counter() + duration
    tasks = [user(base, pages[i % len(pages)], deadline, think, random.Random(rng.random()), out, affinity)
             for i in range(sessions)]
    await asyncio.wait_for(asyncio.gather(*tasks), duration + 180)
    return summary(out)


async def alone(base: str, pages: list[str], duration: float, seed: int, affinity: bool) -> dict:
    """The yardstick: one user alone visits every slider page in turn (duration / pages each),
    stepping with a short think time (0.2 s) — the round trip of an otherwise idle server."""
    out = dict(rts=[], kb=[], loads=[], errors=[], steps={})
    rng = random.Random(seed)
    for page in pages:
        deadline = time.perf_counter() + duration / len(pages)
        await asyncio.wait_for(user(base, page, deadline, 0.2, random.Random(rng.random()), out, affinity),
                               duration + 120)
    return summary(out)


def run_layout(processes: int, args) -> dict:
    srv = Server(processes, args.python)
    label = "1 process" if processes == 1 else f"{processes} processes behind nginx"
    print(f"\n== {label}: starting", flush=True)
    t0 = time.time()
    srv.start()
    try:
        base = f"ws://127.0.0.1:{srv.port}"
        print(f"   up in {time.time() - t0:.1f} s on port {srv.port}; app pids {srv.app_pids()}", flush=True)
        pages, info = asyncio.run(discover(base))
        if processes > 1:         # every process warmed like the single one (each imports separately)
            for i in range(1, processes + 1):
                asyncio.run(discover(f"ws://127.0.0.1:{srv.port + i}"))
        print(f"   pages with sliders: {pages}", flush=True)
        rss0 = srv.rss_mb()
        single = asyncio.run(alone(base, pages, args.single_duration, args.seed, processes > 1))
        print(f"   single session: median {single['median_ms']} ms over {single['steps']} steps", flush=True)
        many = asyncio.run(crowd(base, pages, args.sessions, args.duration, args.think, args.seed + 1,
                                 processes > 1))
        rss1 = srv.rss_mb()
        time.sleep(3)
        rss2 = srv.rss_mb()
    finally:
        srv.stop()
    res = dict(layout=label, processes=processes, sessions=args.sessions, pages=info, single=single, crowd=many,
               rss_before_mb=rss0, rss_after_mb=rss1, rss_after_users_left_mb=rss2,
               rss_growth_mb=round(rss1 - rss0, 1))
    print(f"   {args.sessions} sessions: median {many['median_ms']} ms, p95 {many['p95_ms']} ms, "
          f"{many['steps']} steps, {many['errors']} errors, RSS {rss0} -> {rss1} MB", flush=True)
    for e in many["error_samples"]:
        print(f"     error: {e}")
    return res


def verdicts(results: list[dict]) -> list[tuple[str, str, bool | None]]:
    """(budget, measured, pass) rows for the budgets table of issue 9."""
    rows = []
    one = next((r for r in results if r["processes"] == 1), None)
    if one:
        c, s = one["crowd"], one["single"]
        rows.append((f"{one['sessions']} sessions, 1 process: 0 errors",
                     f"{c['errors']} errors", c["errors"] == 0))
        ok = c["p95_ms"] is not None and s["median_ms"] is not None and c["p95_ms"] <= 3 * s["median_ms"]
        rows.append(("1 process: p95 ≤ 3 × single-session median",
                     f"p95 {c['p95_ms']} ms vs 3 × {s['median_ms']} = {round(3 * (s['median_ms'] or 0), 1)} ms", ok))
        rows.append(("1 process: server memory growth ≤ 300 MB",
                     f"{one['rss_before_mb']} → {one['rss_after_mb']} MB (+{one['rss_growth_mb']})",
                     one["rss_growth_mb"] <= 300))
    for r in results:
        if r["processes"] > 1:
            c = r["crowd"]
            rows.append((f"{r['sessions']} sessions, {r['processes']} processes behind nginx: 0 errors", f"{c['errors']} errors",
                         c["errors"] == 0))
            if one:
                rows.append((f"{r['processes']} processes: p95 lower than with 1 process",
                             f"p95 {c['p95_ms']} ms vs {one['crowd']['p95_ms']} ms",
                             c["p95_ms"] is not None and one["crowd"]["p95_ms"] is not None
                             and c["p95_ms"] < one["crowd"]["p95_ms"]))
    return rows


def print_table(results: list[dict]) -> None:
    print(f"\n{'layout':32} {'single med':>10} {'median':>8} {'p95':>8} {'max':>8} {'steps':>6} "
          f"{'errors':>6} {'RSS before':>10} {'after':>8} {'growth':>7}")
    for r in results:
        c, s = r["crowd"], r["single"]
        print(f"{r['layout'][:32]:32} {str(s['median_ms']):>10} {str(c['median_ms']):>8} {str(c['p95_ms']):>8} "
              f"{str(c['max_ms']):>8} {c['steps']:>6} {c['errors']:>6} {r['rss_before_mb']:>10} "
              f"{r['rss_after_mb']:>8} {r['rss_growth_mb']:>7}")
    print()
    for budget, measured, ok in verdicts(results):
        print(f"{budget:52} {measured:44} {'PASS' if ok else 'FAIL'}")


def main(argv=None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of slider moving (default 60)")
    ap.add_argument("--single-duration", type=float, default=30.0,
                    help="seconds of the one-user yardstick before the crowd (default 15)")
    ap.add_argument("--think", type=float, default=1.0,
                    help="mean seconds a user looks at the result before the next step (default 1.0)")
    ap.add_argument("--cluster", type=int, default=2, help="app processes behind nginx (0: skip)")
    ap.add_argument("--skip-single", action="store_true", help="skip the one-process layout")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)
    results = []
    if not args.skip_single:
        results.append(run_layout(1, args))
    if args.cluster > 1:
        results.append(run_layout(args.cluster, args))
    print_table(results)
    if args.json:
        Path(args.json).write_text(json.dumps(dict(args=vars(args), results=results), indent=2))
    return results


if __name__ == "__main__":
    main()
