"""The audio trace: pitch follows y on a log-frequency scale, clicks at zero crossings, silence
where y is undefined, and a WAV file the standard library reads back sample for sample."""
import io
import wave

import numpy as np
import pytest

from explorer import audio

RATE = 22050


def dominant_frequency(seg: np.ndarray, rate: int = RATE) -> float:
    """The strongest frequency of a segment (Hann window, zero-padded FFT, parabolic peak)."""
    seg = seg.astype(float) * np.hanning(len(seg))
    spec = np.abs(np.fft.rfft(seg, 8 * len(seg)))
    k = int(np.argmax(spec[1:]) + 1)
    a, b, c = np.log(spec[k - 1: k + 2] + 1e-300)
    k = k + 0.5 * (a - c) / (a - 2 * b + c)
    return k * rate / (8 * len(seg))


def expected_frequency(y, lo, hi, fmin=220.0, fmax=880.0):
    return fmin * (fmax / fmin) ** ((y - lo) / (hi - lo))


def test_length_type_and_range():
    x = np.linspace(0, 1, 50)
    s = audio.trace_samples(x, np.sin(7 * x), seconds=3.0, rate=RATE)
    assert s.dtype == np.int16 and len(s) == 3 * RATE
    s2 = audio.trace_samples(x, np.sin(7 * x), seconds=1.25, rate=8000)
    assert len(s2) == 10000
    assert np.abs(s.astype(int)).max() <= 32767


@pytest.mark.parametrize("level", [0.0, 0.25, 0.5, 0.8, 1.0])
def test_constant_stretches_sound_at_the_mapped_pitch(level):
    # a staircase: y = 0 on the left third, `level` in the middle, 1 on the right third
    x = np.array([0.0, 1.0, 1.0000001, 2.0, 2.0000001, 3.0])
    y = np.array([0.0, 0.0, level, level, 1.0, 1.0]) + 2.0          # shifted: no zero crossing
    s = audio.trace_samples(x, y, seconds=3.0, rate=RATE)
    mid = s[int(1.2 * RATE): int(1.8 * RATE)]                          # well inside the middle step
    f = dominant_frequency(mid)
    want = expected_frequency(level, 0.0, 1.0)
    assert f == pytest.approx(want, rel=0.01)
    # the two ends: fmin and fmax exactly
    assert dominant_frequency(s[int(0.2 * RATE): int(0.8 * RATE)]) == pytest.approx(220.0, rel=0.01)
    assert dominant_frequency(s[int(2.2 * RATE): int(2.8 * RATE)]) == pytest.approx(880.0, rel=0.01)


def test_a_rising_line_rises_log_linearly():
    # y = x on [0, 1]: at time t the pitch is 220·4^(t/3); short segments must follow that
    x = np.linspace(0.0, 1.0, 200)
    s = audio.trace_samples(x, x + 5, seconds=3.0, rate=RATE)
    for t in (0.5, 1.0, 1.5, 2.0, 2.5):
        seg = s[int((t - 0.05) * RATE): int((t + 0.05) * RATE)]
        want = 220.0 * 4 ** (t / 3.0)
        assert dominant_frequency(seg) == pytest.approx(want, rel=0.03), t
    # and one octave is one third of the range of y (log mapping, not linear in Hz)
    f = audio.frequencies(np.array([0.0, 0.5, 1.0]), 0.0, 1.0)
    assert f == pytest.approx([220.0, 440.0, 880.0])


def test_the_phase_is_continuous_so_a_jump_of_pitch_does_not_click():
    x = np.array([0.0, 1.0, 1.0000001, 2.0])
    y = np.array([1.0, 1.0, 3.0, 3.0])
    s = audio.trace_samples(x, y, seconds=2.0, rate=RATE).astype(float) / 32767
    # largest sample-to-sample change: a sine of amplitude A at f Hz changes by at most 2πfA/rate
    bound = 2 * np.pi * 880 * audio.TONE / RATE
    assert np.abs(np.diff(s)).max() <= bound * 1.05


def test_a_click_where_y_crosses_zero_and_none_where_it_only_touches():
    x = np.linspace(-1.0, 1.0, 401)
    s = audio.trace_samples(x, x, seconds=2.0, rate=RATE).astype(float) / 32767
    centre = int(round(0.5 * (2 * RATE - 1)))          # x = 0 is half-way through
    hf = np.abs(np.diff(s))                              # the click is a buzz at the Nyquist rate
    near = hf[centre - 5: centre + int(audio.CLICK_SECONDS * RATE)]
    elsewhere = np.concatenate([hf[: centre - 200], hf[centre + 200:]])
    assert near.max() > 0.8                              # two samples of ±0.5 apart
    assert elsewhere.max() < 2 * np.pi * 880 * audio.TONE / RATE * 1.05
    # exactly one click: y = x crosses once
    assert len(audio.crossings(*audio.resample(x, x, 2 * RATE))) == 1
    # x² touches zero at 0 without crossing: no click
    assert len(audio.crossings(*audio.resample(x, x ** 2, 2 * RATE))) == 0
    # sin on [0.5, 3π]: crossings at π and 2π, found at the right samples
    xs = np.linspace(0.5, 3 * np.pi, 1000)
    n = 3 * RATE
    got = audio.crossings(*audio.resample(xs, np.sin(xs), n))
    want = [(np.pi - 0.5) / (3 * np.pi - 0.5) * (n - 1), (2 * np.pi - 0.5) / (3 * np.pi - 0.5) * (n - 1)]
    assert np.abs(got - np.array(want)).max() <= 2


def test_silence_where_y_is_undefined_and_no_click_across_a_pole():
    x = np.linspace(-2.0, 2.0, 801)
    with np.errstate(divide="ignore"):
        y = 1.0 / x                                   # ±inf at x = 0 (the sample there)
    y[(x > 0.5) & (x < 1.0)] = np.nan                 # and a NaN span
    n = 4 * RATE
    s = audio.trace_samples(x, y, seconds=4.0, rate=RATE, ylim=(-5, 5))
    t = np.linspace(-2.0, 2.0, n)
    gap = (t > 0.5 + 0.01) & (t < 1.0 - 0.01)
    assert np.all(s[gap] == 0) and gap.sum() > 10000
    assert np.all(s[np.abs(t) < 0.004] == 0)          # the pole's neighbouring segments
    assert np.abs(s[(t > 1.2) & (t < 1.8)]).max() > 0.4 * 32767 * audio.TONE   # sound resumes
    # 1/x goes from − to + through a pole, not through zero: no click
    assert len(audio.crossings(*audio.resample(x, y, n))) == 0


def test_all_undefined_is_all_silence_and_bad_input_is_refused():
    x = np.linspace(0, 1, 10)
    s = audio.trace_samples(x, np.full(10, np.nan), seconds=1.0)
    assert len(s) == 22050 and not s.any()
    with pytest.raises(ValueError):
        audio.trace_samples([0.0, 1.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError):
        audio.trace_samples([1.0, 1.0], [1.0, 2.0])


def test_wav_round_trip():
    x = np.linspace(-3, 3, 300)
    y = x ** 3 - 2 * x
    data = audio.wav_bytes(x, y, seconds=1.5, rate=16000)
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    with wave.open(io.BytesIO(data)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()) == (1, 2, 16000, 24000)
        back = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    assert np.array_equal(back, audio.trace_samples(x, y, seconds=1.5, rate=16000))


def test_mapping_text_says_the_numbers():
    x = np.linspace(-3, 3, 101)             # x = 0 is a sample: the range of x² is [0, 9]
    text = audio.mapping_text(x, x ** 2, name="f(x)")
    assert "x from -3 to 3 in 3 s" in text
    assert "220 Hz at f(x) = 0 up to 880 Hz at f(x) = 9" in text
    assert "crosses zero" in text and "undefined" in text
    flat = audio.mapping_text(x, np.ones(101), name="f(x)")
    assert "constant (1)" in flat and "440 Hz" in flat
    assert "silent" in audio.mapping_text(x, np.full(101, np.nan))
