import Engine
import Foundation

/// Audio samples read from a file, as a script value (interleaved float32 in [-1, 1]).
public final class AudioObject: ScriptObject {
    public let samples: [Float]
    public let sampleRate: Int
    public let channels: Int

    public init(samples: [Float], sampleRate: Int, channels: Int) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.channels = max(1, channels)
    }

    public var frames: Int { samples.count / channels }
    public var duration: Double { Double(frames) / Double(max(sampleRate, 1)) }
    public var typeName: String { "Audio" }
    public var summary: String {
        "Audio(\(sampleRate) Hz, \(channels) ch, \(frames) frames, \(String(format: "%.3f", duration)) s)"
    }
    public var details: String {
        var peak: Float = 0, energy: Double = 0
        for sample in samples {
            peak = max(peak, abs(sample))
            energy += Double(sample) * Double(sample)
        }
        let rms = samples.isEmpty ? 0 : (energy / Double(samples.count)).squareRoot()
        return summary + String(format: "\n  peak %.4f  rms %.4f", peak, rms)
    }
}

extension BuiltinRegistry {
    /// Sound files through the Engine's libsndfile binding — the pattern every Engine domain follows:
    /// builtins that call Engine functions, an object type wrapping Engine data, and its methods.
    func registerAudio() {
        domain = "Audio"
        function("audio_info", [Parameter("path")],
                 doc: "The header of the sound file at `path` without reading samples: a record with sample_rate, channels, frames and duration (seconds).") { a in
            let info = try SoundFile.info(path: try a.string(0))
            return .dict(DictBox([("sample_rate", .int(info.sampleRate)), ("channels", .int(info.channels)),
                                  ("frames", .int(info.frames)), ("duration", .float(Double(info.frames) / Double(info.sampleRate)))]))
        }
        function("read_audio", [Parameter("path"), Parameter("offset", 0.0), Parameter("duration", nil)],
                 doc: "Reads the sound file at `path` at its own sample rate, starting `offset` seconds in and keeping at most `duration` seconds; returns an Audio value.") { a in
            let path = try a.string(0)
            let offset = try a.double(1)
            guard offset >= 0 else { throw BuiltinError("read_audio: offset must not be negative, got \(offset)") }
            let rate = try SoundFile.info(path: path).sampleRate
            let count = a.isNil(2) ? nil : Int((try a.double(2) * Double(rate)).rounded())
            let (samples, info) = try SoundFile.read(path: path, startFrame: Int((offset * Double(rate)).rounded()), frameCount: count)
            return .object(AudioObject(samples: samples, sampleRate: info.sampleRate, channels: info.channels))
        }
        function("audio", [Parameter("samples"), Parameter("sr"), Parameter("channels", 1)],
                 doc: "An Audio value from a list of interleaved samples in [-1, 1] at `sr` Hz.") { a in
            let channels = try a.int(2), rate = try a.int(1)
            let samples = try a.list(0).map { value -> Float in
                guard let x = value.asDouble else { throw BuiltinError("audio: samples must be numbers, got \(value.typeName)") }
                return Float(x)
            }
            guard channels >= 1, rate >= 1, samples.count % channels == 0 else {
                throw BuiltinError("audio: \(samples.count) samples do not make \(channels)-channel frames at \(rate) Hz")
            }
            return .object(AudioObject(samples: samples, sampleRate: rate, channels: channels))
        }
        function("write_audio", [Parameter("path"), Parameter("audio"), Parameter("format", "wav16")],
                 doc: "Writes an Audio value to `path`; `format` is one of wav16, wav24, wavFloat, flac16, flac24.") { a in
            let audio = try a.object(1, as: AudioObject.self, named: "Audio")
            let name = try a.string(2)
            guard let format = SoundFileFormat(rawValue: name) else {
                throw BuiltinError("write_audio: unknown format '\(name)'" +
                                   Suggestions.didYouMean(name, among: SoundFileFormat.allCases.map(\.rawValue)))
            }
            try SoundFile.write(path: try a.string(0), samples: audio.samples, channels: audio.channels,
                                sampleRate: audio.sampleRate, format: format)
            return .null
        }
        property("Audio", "sr", doc: "Sample rate in Hz.") { a in .int(try a.receiver(as: AudioObject.self).sampleRate) }
        property("Audio", "channels", doc: "Number of channels.") { a in .int(try a.receiver(as: AudioObject.self).channels) }
        property("Audio", "frames", doc: "Number of frames (samples per channel).") { a in .int(try a.receiver(as: AudioObject.self).frames) }
        property("Audio", "duration", doc: "Length in seconds.") { a in .float(try a.receiver(as: AudioObject.self).duration) }
        method("Audio", "samples", [], doc: "The interleaved samples as a list of floats (slow for long clips; for inspection).") { a in
            .list(ListBox(try a.receiver(as: AudioObject.self).samples.map { .float(Double($0)) }))
        }
    }
}
