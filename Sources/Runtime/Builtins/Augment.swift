import Engine
import Foundation

/// A seeded augmentation recipe (`awgn(...)`, `spec_augment(...)`) as a script value; applied by
/// `AudioSet.augment` (waveform) or `FeatureSet.augment` (spectrogram masks).
public final class AugmentationValue: ScriptObject {
    enum Kind {
        /// Made for the audio's sample rate when applied.
        case waveform((Int) throws -> WaveformAugmentation)
        case spectrogram(SpecAugment)
    }
    let name: String
    let copies: Int
    /// The recipe with its seed: part of feature-cache keys.
    let key: JSONValue
    let kind: Kind

    init(name: String, copies: Int, key: JSONValue, kind: Kind) {
        self.name = name
        self.copies = copies
        self.key = key
        self.kind = kind
    }

    public var typeName: String { "Augmentation" }
    /// `awgn(snr: [15, 30], seed: 7) × 2`
    public var summary: String {
        let fields = (key.objectValue ?? [:]).filter { $0.key != "name" }.sorted { $0.key < $1.key }
        return "\(name)(" + fields.map { "\($0.key): \($0.value.encoded())" }.joined(separator: ", ") + ") × \(copies)"
    }
}

extension BuiltinRegistry {
    /// Waveform and spectrogram augmentations.
    func registerAugment() {
        domain = "Augment"
        waveform("awgn", [Parameter("snr", .list(ListBox([.int(15), .int(30)])))],
                 doc: "Additive white Gaussian noise as the notebooks add it: per clip one integer SNR drawn from [low, high) dB (`snr: [15, 30]`), shared by its copies, the noise scaled so the SNR is exact.") { a, seed in
            let (low, high) = try a.range("snr")
            let (snrLow, snrHigh) = (try Math.exactInt(low.rounded(), "awgn: snr"), try Math.exactInt(high.rounded(), "awgn: snr"))
            return ({ _ in try WhiteNoise(snrLow: snrLow, snrHigh: max(snrHigh, snrLow + 1), seed: seed) }, ["snr": [.number(low), .number(high)]])
        }
        waveform("gain", [Parameter("db", .list(ListBox([.float(-6.0), .float(6.0)])))],
                 doc: "A random gain drawn uniformly from `db: [low, high)` decibels.") { a, seed in
            let (low, high) = try a.range("db")
            return ({ _ in try RandomGain(lowDB: low, highDB: high, seed: seed) }, ["db": [.number(low), .number(high)]])
        }
        waveform("time_shift", [Parameter("max_shift", 0.1)],
                 doc: "A random shift in time of up to `max_shift` seconds either way; the length is kept and vacated samples are silent.") { a, seed in
            let seconds = try a.double("max_shift")
            guard seconds >= 0 else { throw BuiltinError("time_shift: max_shift must not be negative, got \(seconds)") }
            return ({ rate in try TimeShift(maxShift: try Math.exactInt((seconds * Double(rate)).rounded(), "time_shift: max_shift in samples"), seed: seed) }, ["max_shift": .number(seconds)])
        }
        waveform("reverb", [Parameter("rt60", .list(ListBox([.float(0.2), .float(0.8)]))), Parameter("rir", nil)],
                 doc: "Room reverberation by FFT convolution with a room impulse response: synthetic rooms with a reverberation time (RT60) drawn from `rt60: [low, high)` seconds, or, with `rir: [paths]`, one of those impulse-response files per copy. Length and loudness are kept.") { a, seed in
            if !a.isNil("rir") {
                let paths = try a.list("rir").map { value -> String in
                    guard case .string(let path) = value else { throw BuiltinError("reverb: 'rir' must be a list of file paths") }
                    return path
                }
                return ({ rate in try RoomReverb(impulseResponses: try paths.map { try RoomImpulse.load(path: $0, sampleRate: rate) }, seed: seed) },
                        ["rir": .array(paths.map { .string($0) })])
            }
            let (low, high) = try a.range("rt60")
            return ({ rate in try RoomReverb(lowRT60: low, highRT60: high, sampleRate: rate, seed: seed) }, ["rt60": [.number(low), .number(high)]])
        }
        waveform("tanh_distortion", [Parameter("drive", .list(ListBox([.float(1.0), .float(5.0)])))],
                 doc: "Soft clipping `tanh(d·x) / tanh(d)` with a drive `d` drawn from `drive: [low, high)`.") { a, seed in
            let (low, high) = try a.range("drive")
            return ({ _ in try TanhDistortion(lowDrive: Float(low), highDrive: Float(high), seed: seed) }, ["drive": [.number(low), .number(high)]])
        }
        function("spec_augment", [Parameter("freq_mask", 15), Parameter("time_mask", 35), Parameter("n_freq_masks", 1),
                                  Parameter("n_time_masks", 1), Parameter("value", 0.0), Parameter("copies", 1), Parameter("seed", nil)],
                 doc: "SpecAugment masks for `fs.augment(...)`: `n_freq_masks` bands of up to `freq_mask` mel bins and `n_time_masks` bands of up to `time_mask` frames, set to `value`, in each copy.") { a in
            let seed = try seedArgument(a)
            let masks = try SpecAugment(maxRows: try a.int("freq_mask"), maxFrames: try a.int("time_mask"), frequencyMasks: try a.int("n_freq_masks"),
                                        timeMasks: try a.int("n_time_masks"), value: Float(try a.double("value")), seed: seed)
            let key: JSONValue = ["name": "spec_augment", "freq_mask": .number(Double(masks.maxRows)), "time_mask": .number(Double(masks.maxFrames)),
                                  "n_freq_masks": .number(Double(masks.frequencyMasks)), "n_time_masks": .number(Double(masks.timeMasks)),
                                  "value": .number(Double(masks.value)), "seed": .string(String(seed))]
            return .object(AugmentationValue(name: "spec_augment", copies: try copies(a), key: key, kind: .spectrogram(masks)))
        }
        function("time_stretch", [Parameter("y", nil), Parameter("rate", nil), Parameter("copies", 1), Parameter("seed", nil)],
                 doc: "librosa.effects.time_stretch: `time_stretch(y, rate: 1.25)` is the Audio `y` sped up by `rate` (pitch kept). Without `y`, `time_stretch(rate: [0.8, 1.25], copies: 2)` is an augmentation drawing a rate per copy, cut or padded back to the clip's length.") { a in
            if case .object(let object) = a["y"], let audio = object as? AudioValue {
                return .object(AudioValue(try audio.signal.timeStretch(rate: try a.double("rate"))))
            }
            return try augmentation(a, name: "time_stretch", range: "rate") { low, high, seed in
                { rate in try RandomTimeStretch(lowRate: low, highRate: high, sampleRate: rate, seed: seed) }
            }
        }
        function("pitch_shift", [Parameter("y", nil), Parameter("n_steps", nil), Parameter("bins_per_octave", 12), Parameter("copies", 1), Parameter("seed", nil)],
                 doc: "librosa.effects.pitch_shift: `pitch_shift(y, n_steps: 3)` is the Audio `y` shifted by `n_steps` semitones (`bins_per_octave` steps per octave), same length. Without `y`, `pitch_shift(n_steps: [-2, 2], copies: 2)` is an augmentation drawing a shift per copy.") { a in
            if case .object(let object) = a["y"], let audio = object as? AudioValue {
                return .object(AudioValue(try audio.signal.pitchShift(semitones: try a.double("n_steps"), binsPerOctave: try a.int("bins_per_octave"))))
            }
            return try augmentation(a, name: "pitch_shift", range: "n_steps") { low, high, seed in
                { rate in try RandomPitchShift(lowSteps: low, highSteps: high, sampleRate: rate, seed: seed) }
            }
        }
    }

    /// Registers a waveform augmentation builtin: its own parameters plus `copies` and `seed`.
    private func waveform(_ name: String, _ parameters: [Parameter], doc: String,
                          _ make: @escaping (Arguments, UInt64) throws -> ((Int) throws -> WaveformAugmentation, [String: JSONValue])) {
        function(name, parameters + [Parameter("copies", 1), Parameter("seed", nil)],
                 doc: doc + " `copies` augmented copies per clip; `seed` defaults to a draw from the script's seed. Apply with `clips.augment(...)`.") { a in
            let seed = try seedArgument(a)
            let (factory, fields) = try make(a, seed)
            let key = JSONValue.object(fields.merging(["name": .string(name), "seed": .string(String(seed))]) { $1 })
            return .object(AugmentationValue(name: name, copies: try copies(a), key: key, kind: .waveform(factory)))
        }
    }
}

/// The `copies` argument, at least 1.
private func copies(_ a: Arguments) throws -> Int {
    let copies = try a.int("copies")
    guard copies >= 1 else { throw BuiltinError("\(a.builtin.name): copies must be at least 1, got \(copies)") }
    return copies
}

/// The augmentation form of `time_stretch` / `pitch_shift`: `range` must be a [low, high] list.
private func augmentation(_ a: Arguments, name: String, range: String,
                          _ make: (Double, Double, UInt64) -> (Int) throws -> WaveformAugmentation) throws -> Value {
    guard !(a.isNil(range)) else { throw BuiltinError("\(name): give '\(range)' (a number with an Audio `y`, or a [low, high] range for an augmentation)") }
    if !a.isNil("y") { throw BuiltinError("\(name): 'y' must be an Audio value, got \(a["y"].typeName)") }
    let (low, high) = try a.range(range)
    let seed = try seedArgument(a)
    let key: JSONValue = ["name": .string(name), range: [.number(low), .number(high)], "seed": .string(String(seed))]
    return .object(AugmentationValue(name: name, copies: try copies(a), key: key, kind: .waveform(make(low, high, seed))))
}
