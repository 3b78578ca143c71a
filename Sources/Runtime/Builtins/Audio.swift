import Engine
import Foundation

/// A mono signal (`AudioSignal`) as a script value.
public final class AudioValue: ScriptObject {
    public let signal: AudioSignal

    public init(_ signal: AudioSignal) { self.signal = signal }

    public var typeName: String { "Audio" }
    /// `Audio(48000 Hz, 144000 samples, 3.000 s)`
    public var summary: String {
        "Audio(\(signal.sampleRate) Hz, \(signal.count) samples, \(String(format: "%.3f", signal.duration)) s)"
    }
    /// The summary with peak and RMS level.
    public var details: String {
        summary + String(format: "\n  peak %.4f  rms %.4f", Decibels.peak(signal.samples), Decibels.rms(signal.samples))
    }
}

extension BuiltinRegistry {
    /// Sound files and signals (librosa.load, soundfile.write, resample, fix_length, effects).
    func registerAudio() {
        domain = "Audio"
        function("audio_info", [Parameter("path")],
                 doc: "The header of the sound file at `path` without reading samples: a record with sample_rate, channels, frames and duration (seconds).") { a in
            let info = try SoundFile.info(path: try a.string("path"))
            return .dict(DictBox([("sample_rate", .int(info.sampleRate)), ("channels", .int(info.channels)),
                                  ("frames", .int(info.frames)), ("duration", .float(Double(info.frames) / Double(info.sampleRate)))]))
        }
        function("load", [Parameter("path"), Parameter("sr", 22050), Parameter("mono", true), Parameter("offset", 0.0), Parameter("duration", nil)],
                 doc: "librosa.load: reads a sound file as a mono Audio value resampled to `sr` Hz (soxr_hq; `sr: nil` keeps the file's rate), starting `offset` seconds in and keeping at most `duration` seconds. Channels are averaged; `mono: false` is refused for multi-channel files (signals are mono).") { a in
            let path = try a.string("path")
            if try !a.bool("mono"), try SoundFile.info(path: path).channels > 1 {
                throw BuiltinError("load: \(path) has several channels and serscript signals are mono; use mono: true")
            }
            return .object(AudioValue(try AudioSignal.load(path: path, sampleRate: try a.optionalInt("sr"),
                                                           offset: try a.double("offset"), duration: try a.optionalDouble("duration"))))
        }
        function("audio", [Parameter("samples"), Parameter("sr")],
                 doc: "A mono Audio value from a list of samples in [-1, 1] at `sr` Hz.") { a in
            let rate = try a.int("sr")
            guard rate >= 1 else { throw BuiltinError("audio: sr must be positive, got \(rate)") }
            return .object(AudioValue(AudioSignal(samples: try floats(a, "samples"), sampleRate: rate)))
        }
        property("Audio", "sr", doc: "Sample rate in Hz.") { a in .int(try a.receiver(as: AudioValue.self).signal.sampleRate) }
        property("Audio", "duration", doc: "Length in seconds.") { a in .float(try a.receiver(as: AudioValue.self).signal.duration) }
        method("Audio", "len", [], doc: "Number of samples.") { a in .int(try a.receiver(as: AudioValue.self).signal.count) }
        method("Audio", "samples", [], doc: "The samples as a list of floats (slow for long clips; for inspection).") { a in
            .list(ListBox(try a.receiver(as: AudioValue.self).signal.samples.map { .float(Double($0)) }))
        }
        method("Audio", "write", [Parameter("path"), Parameter("format", "wav16")],
               doc: "Writes the signal to `path` (relative paths land in the run folder and are listed in its report); `format` is one of wav16, wav24, wavFloat, flac16, flac24. Returns the path written.") { a in
            let name = try a.choice("format", SoundFileFormat.allCases.map(\.rawValue))
            let path = try a.interpreter.output.resolve(try a.string("path"))
            try a.receiver(as: AudioValue.self).signal.write(path: path, format: SoundFileFormat(rawValue: name) ?? .wav16)
            return .string(path)
        }
        method("Audio", "resample", [Parameter("target_sr")],
               doc: "librosa.resample: the signal at `target_sr` Hz (libsoxr, soxr_hq).") { a in
            let rate = try a.int("target_sr")
            guard rate >= 1 else { throw BuiltinError("Audio.resample: target_sr must be positive, got \(rate)") }
            return .object(AudioValue(try a.receiver(as: AudioValue.self).signal.resampled(to: rate)))
        }
        method("Audio", "fix_length", [Parameter("size")],
               doc: "librosa.util.fix_length: the signal cut or zero-padded at the end to exactly `size` samples.") { a in
            let size = try a.int("size")
            guard size >= 0 else { throw BuiltinError("Audio.fix_length: size must not be negative, got \(size)") }
            return .object(AudioValue(try a.receiver(as: AudioValue.self).signal.fixedLength(size)))
        }
    }
}

/// A list argument of numbers as floats.
func floats(_ a: Arguments, _ name: String) throws -> [Float] {
    try a.list(name).map { value in
        guard let x = value.asDouble else { throw BuiltinError("\(a.builtin.qualifiedName): expected numbers, got \(value.typeName)") }
        return Float(x)
    }
}
