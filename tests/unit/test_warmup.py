"""explorer.warmup: the core loads ahead of need, and the garbage collector is set for a server."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_warm_up_loads_the_core_and_settles_the_garbage_collector():
    # in a process of its own: freezing and re-tuning the collector is for the server, not pytest
    code = ("import gc, json; from explorer import warmup; done = warmup.warm_up(); "
            "print(json.dumps([done, gc.get_freeze_count(), list(gc.get_threshold())]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    import json
    done, frozen, thresholds = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(done) == set(__import__("explorer.warmup", fromlist=["MODULES"]).MODULES)
    assert frozen > 100_000, "the imported modules are frozen out of the collector's sight"
    assert tuple(thresholds) == (10_000, 20, 20)
