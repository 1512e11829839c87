"""An audio trace: a curve y(x) played left to right as pitch, for listeners who cannot see it.

Across ``seconds`` the sound sweeps x from its first to its last value. Higher y is a higher tone:
y is mapped linearly onto the logarithm of frequency, from ``fmin`` at the bottom of the y range to
``fmax`` at its top (220 → 880 Hz: two octaves, equal steps of y are equal musical intervals). The
phase runs on continuously, so a jump of pitch does not click. A short click (a few milliseconds
of a decaying high buzz) marks each place where y changes sign, and the sound is silent where y
is undefined (NaN or ±∞), with no click across such a gap (1/x at 0 is a pole, not a zero).

``trace_samples`` returns 16-bit PCM samples (numpy int16); ``wav_bytes`` wraps them in a mono WAV
file with the standard library's ``wave`` module; ``mapping_text`` is the sentence that says how
pitch maps, with this curve's numbers.
"""
from __future__ import annotations

import io
import wave

import numpy as np

from explorer.numbers import nice_text

TONE = 0.45             # amplitude of the tone (full scale 1)
CLICK = 0.5             # peak amplitude of a zero-crossing click
CLICK_SECONDS = 0.003
RAMP_SECONDS = 0.005    # fade in and out where the sound starts and stops, so those edges do not click


def _curve(x, y) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError("x and y must have the same length")
    keep = np.isfinite(x)
    x, y = x[keep], y[keep]
    order = np.argsort(x, kind="stable")
    return x[order], y[order]


def y_range(y, ylim=None) -> tuple[float, float] | None:
    """The y range mapped onto [fmin, fmax]: ``ylim`` if given, else the finite min and max of y
    (None when y has no finite value)."""
    if ylim is not None:
        return float(ylim[0]), float(ylim[1])
    y = np.asarray(y, dtype=float)
    fin = y[np.isfinite(y)]
    return (float(fin.min()), float(fin.max())) if len(fin) else None


def resample(x, y, n: int) -> tuple[np.ndarray, np.ndarray]:
    """y at ``n`` equally spaced x from the first x to the last (linear between the given points),
    and whether each is defined (both neighbouring points finite)."""
    x, y = _curve(x, y)
    if len(x) < 2 or x[-1] <= x[0]:
        raise ValueError("the curve needs at least two distinct x values")
    xs = np.linspace(x[0], x[-1], n)
    i = np.clip(np.searchsorted(x, xs, side="right") - 1, 0, len(x) - 2)
    dx = x[i + 1] - x[i]
    frac = np.where(dx > 0, (xs - x[i]) / np.where(dx > 0, dx, 1.0), 0.0)
    valid = np.isfinite(y[i]) & np.isfinite(y[i + 1])
    with np.errstate(invalid="ignore"):
        ys = np.where(valid, y[i] + frac * (y[i + 1] - y[i]), np.nan)
    return ys, valid


def frequencies(ys, lo: float, hi: float, fmin: float = 220.0, fmax: float = 880.0) -> np.ndarray:
    """The tone's frequency for each y: log-linear from fmin at y = lo to fmax at y = hi (clamped
    outside; the geometric middle when lo = hi). NaN y gives NaN."""
    ys = np.asarray(ys, dtype=float)
    if hi > lo:
        with np.errstate(invalid="ignore"):
            u = np.clip((ys - lo) / (hi - lo), 0.0, 1.0)
    else:
        u = np.where(np.isfinite(ys), 0.5, np.nan)
    return fmin * (fmax / fmin) ** u


def _runs(valid: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    edges = np.diff(np.concatenate(([0], valid.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)))


def crossings(ys, valid) -> np.ndarray:
    """Sample indices where y has just changed sign (the first sample past the zero), within
    defined stretches only; touching zero without changing sign is no crossing."""
    out = []
    s = np.sign(np.where(valid, ys, 0.0))
    for a, b in _runs(np.asarray(valid)):
        nz = a + np.flatnonzero(s[a:b] != 0)
        if len(nz) > 1:
            change = s[nz[1:]] != s[nz[:-1]]
            out.extend((nz[:-1][change] + 1).tolist())
    return np.array(out, dtype=int)


def trace_samples(x, y, *, seconds: float = 3.0, rate: int = 22050, fmin: float = 220.0,
                  fmax: float = 880.0, ylim=None) -> np.ndarray:
    """The curve as ``round(seconds * rate)`` samples of 16-bit PCM (see the module's docstring)."""
    n = int(round(seconds * rate))
    if n <= 0:
        return np.zeros(0, dtype=np.int16)
    ys, valid = resample(x, y, n)
    rng = y_range(_curve(x, y)[1], ylim)
    if rng is None:
        return np.zeros(n, dtype=np.int16)
    freq = np.where(valid, frequencies(ys, *rng, fmin=fmin, fmax=fmax), 0.0)
    phase = 2 * np.pi * (np.cumsum(freq) - freq) / rate        # phase at each sample: continuous
    out = TONE * np.sin(phase) * valid
    ramp, clen = max(1, int(RAMP_SECONDS * rate)), max(1, int(CLICK_SECONDS * rate))
    runs = _runs(valid)
    for a, b in runs:
        k = np.arange(b - a)
        out[a:b] *= np.minimum(1.0, np.minimum(k + 1, b - a - k) / ramp)
    tick = CLICK * (-1.0) ** np.arange(clen) * np.exp(-np.arange(clen) / (clen / 5))
    ends = {a: b for a, b in runs}
    starts = np.array(sorted(ends))
    for p in crossings(ys, valid):
        end = ends[int(starts[np.searchsorted(starts, p, side="right") - 1])]
        m = min(clen, end - p)
        out[p:p + m] += tick[:m]
    return np.round(np.clip(out, -1.0, 1.0) * 32767).astype(np.int16)


def wav_bytes(x, y, *, seconds: float = 3.0, rate: int = 22050, **kwargs) -> bytes:
    """``trace_samples`` as a mono 16-bit WAV file."""
    samples = trace_samples(x, y, seconds=seconds, rate=rate, **kwargs)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(rate))
        w.writeframes(samples.astype("<i2").tobytes())
    return buf.getvalue()


def mapping_text(x, y, *, seconds: float = 3.0, fmin: float = 220.0, fmax: float = 880.0, ylim=None,
                 name: str = "y") -> str:
    """How the sound maps the curve, with its numbers: the x sweep, the pitch range, clicks, silence."""
    xs, ys = _curve(x, y)
    rng = y_range(ys, ylim)
    sweep = f"Left to right, x from {nice_text(xs[0], 3)} to {nice_text(xs[-1], 3)} in {nice_text(seconds, 3)} s"
    if rng is None:
        return sweep + f": silent, as {name} is undefined everywhere here."
    lo, hi = rng
    pitch = (f"the pitch follows {name}: {nice_text(fmin, 3)} Hz at {name} = {nice_text(lo, 3)} up to "
             f"{nice_text(fmax, 3)} Hz at {name} = {nice_text(hi, 3)} (higher {name}, higher tone)") if hi > lo else \
        f"{name} is constant ({nice_text(lo, 3)}), so the tone stays at {nice_text((fmin * fmax) ** 0.5, 3)} Hz"
    return (f"{sweep}; {pitch}. A click marks each place where {name} crosses zero; silence means "
            f"{name} is undefined there.")
