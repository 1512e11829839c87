"""Does one session feeding hostile typed input slow the others down? (issue #22)

Starts one app process, opens a *victim* session on a page with a slider and measures its slider
round trips (rerun sent -> script finished, ``wsclient.py``) idle, then again while an *attacker*
session keeps loading pages with the slowest typed inputs found (each made unique with a
different constant, so no cache answers for it), and reports the medians and their ratio
(target <= 1.5).

    python benchmarks/stall_probe.py                 # 3 x (14 steps idle, 14 under attack)
    python benchmarks/stall_probe.py --steps 80 --victim taylor
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from load_test import Server  # noqa: E402
from wsclient import Session, next_value  # noqa: E402

# (page, query key, text with {k} for a fresh constant): the slowest inputs found, the ones the
# parser refuses (they used to take 5-600 s) and the largest ones it accepts (at its budgets)
ATTACKS = [
    ("derivatives", "f", "exp(-exp(exp(exp(100))))+{k}"),
    ("derivatives", "f", "(x+1)^100*(x+2)^100*(x+3)^100+{k}"),
    ("derivatives", "f", "(x+1)^30*(x+2)^30+{k}"),
    ("derivatives", "f", "abs(abs(abs(abs(abs(abs(x-1)-2)-3)-1)-2)-{k})"),
    ("multivariate", "f", "abs(abs(abs(abs(abs(abs(x-1*y)-2*y)-3*y)-1*y)-2*y)-{k}*y)"),
    ("multivariate", "f", "(x+y+1)^30+{k}"),
    ("taylor", "g", "sign(sin({k}/(x^2+y^2)))"),
    ("chain-rule", "f", "(x+1)^30*(y+2)^30+{k}"),
]


async def _steps(s: Session, n: int) -> list[float]:
    slider = next(iter(s.sliders.values()))
    direction, out = 1, []
    for _ in range(n):
        v, direction = next_value(slider, direction)
        r = await s.move(slider, v)
        out.append(r.ms)
    return out


async def _attacker(base: str, stop: asyncio.Event, log: list) -> None:
    k = len(log) + 1
    while not stop.is_set():
        page, key, text = ATTACKS[k % len(ATTACKS)]
        s = Session(base, timeout=120.0)
        await s.open()
        try:
            query = urllib.parse.urlencode({key: text.format(k=k)})
            r = await s.load(page, query)
            log.append((page, text, r.ms, r.exceptions))
        finally:
            await s.close()
        k += 1


async def probe(base: str, victim_page: str, steps: int, rounds: int = 3) -> dict:
    """Idle and attacked blocks of slider steps, alternated ``rounds`` times (so a change in the
    machine's load hits both alike); the attacker's pages are visited once first (imports, caches)."""
    stop, log = asyncio.Event(), []
    for page, key, text in ATTACKS:                          # warm-up of the attacked pages
        s = Session(base, timeout=120.0)
        await s.open()
        await s.load(page, urllib.parse.urlencode({key: text.format(k=0)}))
        await s.close()
    victim = Session(base, timeout=120.0)
    await victim.open()
    await victim.load(victim_page)
    if not victim.sliders:
        raise SystemExit(f"no slider on {victim_page}")
    await _steps(victim, 5)
    idle, busy = [], []
    per = max(1, steps // rounds)
    for _ in range(rounds):
        idle += await _steps(victim, per)
        stop.clear()
        attack = asyncio.create_task(_attacker(base, stop, log))
        await asyncio.sleep(0.5)                             # the attack is under way
        busy += await _steps(victim, per)
        stop.set()
        await attack
    await victim.close()
    return dict(idle=idle, busy=busy, attacks=log)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=42)
    ap.add_argument("--victim", default="multivariate")
    args = ap.parse_args()
    server = Server(1, sys.executable).start()
    try:
        base = f"ws://127.0.0.1:{server.port}"
        t0 = time.perf_counter()
        out = asyncio.run(probe(base, args.victim, args.steps))
    finally:
        server.stop()
    idle, busy = statistics.median(out["idle"]), statistics.median(out["busy"])
    print(f"victim {args.victim}: slider round trip median idle {idle:.0f} ms (max {max(out['idle']):.0f}), "
          f"under attack {busy:.0f} ms (max {max(out['busy']):.0f}); ratio {busy / idle:.2f} "
          f"(target <= 1.5); {time.perf_counter() - t0:.0f} s")
    print(f"attacker: {len(out['attacks'])} page loads, exception boxes: "
          f"{sum(a[3] for a in out['attacks'])}")
    for page, text, ms, exc in sorted(out["attacks"], key=lambda a: -a[2])[:8]:
        print(f"  {ms:7.0f} ms  /{page}  {text}  exceptions={exc}")
    return 0 if busy / idle <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
