#!/usr/bin/env python3
"""Writes the librosa parity fixtures for Tests/EngineTests/Audio.

Synthesises a few short signals (speech-like harmonics under a formant envelope, white noise, a
chirp, a stereo clip, and a 3.3 s clip for the notebook's log-mel), writes them as audio files, and
stores what librosa computes from those files in `expected.safetensors` (float32, row-major,
librosa's own layout: rows = bins / coefficients, columns = frames).

Run from the repository root:  python3 Tests/Fixtures/librosa/generate.py
It creates `.venv-librosa/` (git-ignored) on first use and re-executes itself inside it.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
VENV = os.path.join(ROOT, ".venv-librosa")
PACKAGES = ["librosa", "soundfile", "soxr", "numpy", "safetensors"]


def ensure_venv():
    """Re-runs this script with the venv's interpreter, creating the venv when missing."""
    python = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([python, "-m", "pip", "install", "-q", *PACKAGES])
    os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])


def speech_like(sr, seconds, rng):
    """Harmonics of a gliding f0 shaped by three formant bumps, syllable-like amplitude, light noise."""
    import numpy as np
    t = np.arange(int(sr * seconds)) / sr
    f0 = 140 + 40 * np.sin(2 * np.pi * 1.3 * t) + 25 * t
    phase = 2 * np.pi * np.cumsum(f0) / sr
    y = np.zeros_like(t)
    for h in range(1, 60):
        freq = h * f0
        gain = sum(a * np.exp(-0.5 * ((freq - fc) / bw) ** 2)
                   for fc, bw, a in ((650, 120, 1.0), (1150, 160, 0.6), (2600, 300, 0.25)))
        gain += 0.02 / h
        y += np.where(freq < sr / 2 - 500, gain, 0) * np.sin(h * phase)
    syllables = 0.55 - 0.45 * np.cos(2 * np.pi * 3.1 * t)
    y = y * syllables + 0.003 * rng.standard_normal(t.size)
    return 0.6 * y / np.max(np.abs(y))


def chirp(sr, seconds):
    import numpy as np
    t = np.arange(int(sr * seconds)) / sr
    f_start, f_end = 100.0, 16000.0
    k = (f_end / f_start) ** (1 / seconds)
    return 0.5 * np.sin(2 * np.pi * f_start * (k ** t - 1) / np.log(k))


def main():
    ensure_venv()
    import librosa
    import numpy as np
    import soundfile as sf
    import soxr
    from safetensors.numpy import save_file

    rng = np.random.default_rng(20240604)
    out = {}

    def put(name, array):
        out[name] = np.ascontiguousarray(np.asarray(array, dtype=np.float32))

    def write(name, y, sr, subtype="PCM_16", fmt=None):
        sf.write(os.path.join(HERE, name), np.asarray(y, dtype=np.float64), sr, subtype=subtype, format=fmt)
        return os.path.join(HERE, name)

    # --- speech-like, 48 kHz: load, resample, the notebook's log-mel, frame features ----------
    speech48 = write("speech48.wav", speech_like(48000, 1.0, rng), 48000)
    y48, _ = librosa.load(speech48, sr=None)
    put("speech48.native_every16", y48[::16])
    put("speech48.load_22050", librosa.load(speech48, sr=22050)[0])
    put("speech48.load_16000_offset_duration", librosa.load(speech48, sr=16000, offset=0.25, duration=0.5)[0])
    notebook = dict(sr=48000, n_fft=1024, win_length=512, window="hamming", hop_length=256, n_mels=128, fmax=24000)
    mel = librosa.feature.melspectrogram(y=y48, **notebook)
    put("speech48.mel_power_every4", mel[:, ::4])
    put("speech48.mel_db", librosa.power_to_db(mel, ref=np.max))
    put("speech48.rms", librosa.feature.rms(y=y48))
    put("speech48.zcr", librosa.feature.zero_crossing_rate(y48))
    put("speech48.centroid", librosa.feature.spectral_centroid(y=y48, sr=48000))
    put("speech48.chroma", librosa.feature.chroma_stft(y=y48, sr=48000))
    put("speech48.chroma_tuning0", librosa.feature.chroma_stft(y=y48, sr=48000, tuning=0.0))
    power = np.abs(librosa.stft(y48)) ** 2
    put("speech48.tuning", [librosa.estimate_tuning(S=power, sr=48000)])

    # --- chirp, 48 kHz: HTK mel without norm, fmin/fmax, reflect padding, amplitude dB ---------
    chirp48 = write("chirp48.wav", chirp(48000, 0.5), 48000)
    yc, _ = librosa.load(chirp48, sr=None)
    mel_htk = librosa.feature.melspectrogram(y=yc, sr=48000, n_mels=64, fmin=50, fmax=12000, htk=True,
                                             norm=None, pad_mode="reflect", power=1.0)
    put("chirp48.mel_htk_magnitude", mel_htk)
    put("chirp48.mel_htk_amplitude_db", librosa.amplitude_to_db(mel_htk, ref=1.0, top_db=None))
    put("chirp48.blackman_power", np.abs(librosa.stft(yc[:6000], n_fft=256, hop_length=100, window="blackman")) ** 2)

    # --- noise, 22.05 kHz: complex STFT with a short window, MFCC defaults, frame features -----
    noise22 = write("noise22.wav", 0.3 * rng.standard_normal(11025).clip(-3, 3) / 3, 22050)
    yn, _ = librosa.load(noise22, sr=None)
    d = librosa.stft(yn[:4000], n_fft=512, win_length=400, hop_length=160, pad_mode="reflect")
    put("noise22.stft_real", d.real)
    put("noise22.stft_imag", d.imag)
    put("noise22.istft", librosa.istft(d, n_fft=512, win_length=400, hop_length=160, length=4000))
    put("noise22.mfcc20", librosa.feature.mfcc(y=yn, sr=22050))
    put("noise22.rms", librosa.feature.rms(y=yn, frame_length=1024, hop_length=256))
    put("noise22.zcr", librosa.feature.zero_crossing_rate(yn, frame_length=1024, hop_length=256))

    # --- speech-like, 22.05 kHz: the notebooks' MFCC 40, deltas, effects ----------------------
    speech22 = write("speech22.wav", speech_like(22050, 0.5, rng), 22050)
    y22, _ = librosa.load(speech22, sr=None)
    mfcc40 = librosa.feature.mfcc(y=y22, sr=22050, n_mfcc=40, n_fft=4096, hop_length=256)
    put("speech22.mfcc40", mfcc40)
    put("speech22.mfcc40_delta", librosa.feature.delta(mfcc40))
    put("speech22.mfcc40_delta2", librosa.feature.delta(mfcc40, order=2))
    put("speech22.mfcc40_delta_width5", librosa.feature.delta(mfcc40, width=5))
    put("speech22.time_stretch_1.25", librosa.effects.time_stretch(y22, rate=1.25))
    put("speech22.time_stretch_0.8", librosa.effects.time_stretch(y22, rate=0.8))
    put("speech22.pitch_shift_+3", librosa.effects.pitch_shift(y22, sr=22050, n_steps=3))
    put("speech22.pitch_shift_-2", librosa.effects.pitch_shift(y22, sr=22050, n_steps=-2))

    # --- stereo, 44.1 kHz: mono mix-down, down- and up-sampling ------------------------------
    left, right = speech_like(44100, 0.4, rng), chirp(44100, 0.4)
    stereo44 = write("stereo44.wav", np.stack([left, right], axis=1), 44100)
    put("stereo44.mono_native_every8", librosa.load(stereo44, sr=None)[0][::8])
    put("stereo44.load_22050", librosa.load(stereo44, sr=22050)[0])
    put("stereo44.load_48000", librosa.load(stereo44, sr=48000)[0])

    # --- the notebook pipeline on a 3.3 s FLAC: load(sr=48000, offset=0.5, duration=3), pad, log-mel
    notebook48 = write("notebook48.flac", speech_like(48000, 3.3, rng), 48000, fmt="FLAC")
    yb, _ = librosa.load(notebook48, sr=48000, offset=0.5, duration=3)
    put("notebook48.loaded_length", [yb.size])
    yb = librosa.util.fix_length(yb, size=144000)
    mel_nb = librosa.feature.melspectrogram(y=yb, **notebook)
    put("notebook48.mel_db", librosa.power_to_db(mel_nb, ref=np.max))
    put("notebook48.mel_power_every8", mel_nb[:, ::8])

    # --- sample encodings and containers libsndfile reads: librosa.load(sr=None) of each ------
    tone = 0.8 * chirp(22050, 0.05)
    for name, fmt, subtype in (("u8.wav", "WAV", "PCM_U8"), ("s32.wav", "WAV", "PCM_32"), ("float.wav", "WAV", "FLOAT"),
                               ("s24.aiff", "AIFF", "PCM_24"), ("vorbis.ogg", "OGG", "VORBIS")):
        path = write("format_" + name, tone, 22050, subtype=subtype, fmt=fmt)
        put("format." + name, librosa.load(path, sr=None)[0])

    metadata = {"librosa": librosa.__version__, "numpy": np.__version__, "soxr": soxr.__version__,
                "libsoxr": soxr.__libsoxr_version__, "soundfile": sf.__version__}
    save_file(out, os.path.join(HERE, "expected.safetensors"), metadata=metadata)
    total = sum(os.path.getsize(os.path.join(HERE, f)) for f in os.listdir(HERE) if f != "generate.py")
    print(f"wrote {len(out)} arrays; fixtures total {total / 1024:.0f} KiB; {metadata}")


if __name__ == "__main__":
    main()
