"""Regenerate the regression page's sample CSVs (synthetic, seeded, so the files never change).

Run from the project root:  python data/make_samples.py
"""
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def main() -> None:
    rng = np.random.default_rng(2024)

    # 1. a straight line: a spring stretched by hanging masses (Hooke's law), 12 readings
    mass = np.arange(0.05, 0.65, 0.05)
    ext = 0.8 + 24.5 * mass + rng.normal(0, 0.35, mass.size)
    rows = ["mass_kg,extension_cm"] + [f"{m:.2f},{e:.2f}" for m, e in zip(mass, ext)]
    (HERE / "spring_line.csv").write_text("\n".join(rows) + "\n")

    # 2. a dataset with σ: counts of a decaying source every 10 s, Poisson σ = √counts
    t = np.arange(0, 200, 10)
    counts = rng.poisson(950 * np.exp(-t / 60.0) + 20)
    # ... and on to 390 s, where the background of 20 counts shows (its own seeded generator, so
    # the other samples' draws stay the same): A·e^{kt} + B is then the model it suggests
    t_tail = np.arange(200, 400, 10)
    t = np.concatenate([t, t_tail])
    counts = np.concatenate([counts, np.random.default_rng(18).poisson(950 * np.exp(-t_tail / 60.0) + 20)])
    sig = np.sqrt(np.maximum(counts, 1))
    rows = ["time_s,counts,sigma"] + [f"{a},{b},{c:.2f}" for a, b, c in zip(t, counts, sig)]
    (HERE / "decay_sigma.csv").write_text("\n".join(rows) + "\n")

    # 3. a heights-like histogram: 1000 adult heights ~ N(170 cm, 8 cm) in 2 cm bins
    heights = rng.normal(170.0, 8.0, 1000)
    edges = np.arange(142, 200, 2)
    n, _ = np.histogram(heights, edges)
    centres = (edges[:-1] + edges[1:]) / 2
    rows = ["height_cm,count,sigma"] + [f"{c:.0f},{k},{np.sqrt(max(k, 1)):.2f}" for c, k in zip(centres, n)]
    (HERE / "heights_histogram.csv").write_text("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
