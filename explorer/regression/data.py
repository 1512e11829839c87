"""Data sets as arrays: the shared error, cleaning (x, y, σ), the generated line, subsamples and
histograms."""
from __future__ import annotations

import numpy as np


class DataError(ValueError):
    """A data file (or data set) cannot be used; the message says what is wrong, in plain words."""


def generate_line_data(n: int, noise: float, m: float, c: float, seed: int = 0,
                       x_range: tuple[float, float] = (0.0, 10.0)):
    """N noisy points around y = m x + c (seeded); σᵢ = noise for every point."""
    rng = np.random.default_rng(int(seed))
    x = np.sort(rng.uniform(*x_range, int(n)))
    s = max(float(noise), 1e-9)
    y = m * x + c + rng.normal(0.0, s, x.size)
    return x, y, np.full(x.size, s)


def subsample(n: int, max_points: int = 2000, seed: int = 0) -> np.ndarray:
    """Indices of at most ``max_points`` of ``n`` rows (all of them when n is small), sorted."""
    if n <= max_points:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, max_points, replace=False))


def histogram(values, bins: int = 20):
    """Bin centres, counts and Poisson σ = √max(count, 1) of a sample (the heights task)."""
    counts, edges = np.histogram(np.asarray(values, float), bins=bins)
    return (edges[:-1] + edges[1:]) / 2, counts.astype(float), np.sqrt(np.maximum(counts, 1.0))


def clean_xy(x, y, sigma):
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape:
        raise DataError(f"x and y have different lengths ({x.size} and {y.size}).")
    s = None if sigma is None else np.broadcast_to(np.asarray(sigma, dtype=float).ravel()
                                                   if np.ndim(sigma) else float(sigma), x.shape).astype(float)
    ok = np.isfinite(x) & np.isfinite(y)
    if s is not None:
        ok &= np.isfinite(s) & (s > 0)
    dropped = int(x.size - ok.sum())
    if dropped:
        x, y = x[ok], y[ok]
        s = None if s is None else s[ok]
    return x, y, s, dropped


def weights(sigma, n):
    return np.ones(n) if sigma is None else 1.0 / np.asarray(sigma, float) ** 2



def weighted_sample(x, y, sigma, limit: int):
    """Clean (x, y, σ), keep at most ``limit`` points (an even subsample), and the weights 1/σ."""
    x, y, s, _ = clean_xy(x, y, sigma)
    if x.size > limit:
        idx = subsample(x.size, limit)
        x, y, s = x[idx], y[idx], None if s is None else s[idx]
    return x, y, (np.ones(x.size) if s is None else 1.0 / s)
