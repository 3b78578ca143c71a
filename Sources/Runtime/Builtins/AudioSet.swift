import Engine
import Foundation

/// One augmentation applied to make a row: which transformation, and which clip/copy it drew for.
struct AugmentStep {
    let augmentation: WaveformAugmentation
    let key: JSONValue
    let clip: Int
    let copy: Int
}

/// A dataset's audio as the notebooks load it, plus augmented copies, as a script value.
///
/// Signals are produced on demand (row by row, on all cores, inside `features`), so augmenting
/// costs no memory and a cached feature set never reads the audio at all. Row `i` comes from
/// clip `dataset.clips[i]` through the augmentation steps `steps[i]` (none for originals).
public final class AudioSetValue: ScriptObject {
    let dataset: Dataset
    let spec: AudioLoadSpec
    let steps: [[AugmentStep]]

    init(dataset: Dataset, spec: AudioLoadSpec, steps: [[AugmentStep]]) {
        self.dataset = dataset
        self.spec = spec
        self.steps = steps
    }

    var count: Int { dataset.count }

    /// The signal of row `row`: loaded, padded, then augmented step by step.
    func signal(_ row: Int) throws -> AudioSignal {
        var signal = try spec.load(dataset.clips[row].path)
        for step in steps[row] {
            signal.samples = try step.augmentation.apply(to: signal.samples, clip: step.clip, copy: step.copy)
        }
        return signal
    }

    /// Everything row `row`'s signal depends on besides the file itself (a feature-cache key part).
    func key(_ row: Int) -> JSONValue {
        .object(["load": spec.json, "augment": .array(steps[row].map {
            .object(["with": $0.key, "clip": .number(Double($0.clip)), "copy": .number(Double($0.copy))])
        })])
    }

    /// Originals (when `keepOriginal`) followed by every augmentation's copies of every row.
    func augmented(with augmentations: [AugmentationValue], keepOriginal: Bool) throws -> AudioSetValue {
        var rows = keepOriginal ? Array(0..<count) : []
        var newSteps = keepOriginal ? steps : []
        for augmentation in augmentations {
            guard case .waveform(let make) = augmentation.kind else {
                throw BuiltinError("\(augmentation.name) works on features: apply it to a FeatureSet with fs.augment(\(augmentation.name)(…))")
            }
            let transform = try make(spec.sampleRate)
            try Limits.check(rows.count + (try Limits.elements(count, times: augmentation.copies, "AudioSet.augment")), "AudioSet.augment")
            for row in 0..<count {
                for copy in 0..<augmentation.copies {
                    rows.append(row)
                    newSteps.append(steps[row] + [AugmentStep(augmentation: transform, key: augmentation.key, clip: row, copy: copy)])
                }
            }
        }
        return AudioSetValue(dataset: try dataset.subset(rows), spec: spec, steps: newSteps)
    }

    public var typeName: String { "AudioSet" }
    /// `AudioSet(3441 clips: 1147 loaded + 2294 augmented, 48000 Hz, 3.0 s)`
    public var summary: String {
        let augmented = steps.filter { !$0.isEmpty }.count
        let length = spec.duration.map { String(format: ", %g s%@", $0, spec.pad ? "" : " max") } ?? ""
        return "AudioSet(\(count) clips: \(count - augmented) loaded + \(augmented) augmented, \(spec.sampleRate) Hz\(length))"
    }
    public var details: String { summary + "\n" + dataset.summary() }
}

extension BuiltinRegistry {
    /// Loading a dataset's audio and augmenting it.
    func registerAudioSet() {
        domain = "Data"
        function("load_audio", [Parameter("dataset"), Parameter("sr", 48000), Parameter("offset", 0.5), Parameter("duration", 3.0), Parameter("pad", true)],
                 doc: "A Dataset's audio as the notebooks load it: librosa.load(path, sr, offset, duration) per clip and, with `pad`, zero-padding to exactly `duration` seconds (3 s = 144000 samples at 48 kHz). Returns an AudioSet; the files are checked now and read in parallel when `features` needs them.") { a in
            let dataset = try a.object("dataset", as: DatasetValue.self, named: "Dataset").dataset
            let spec = AudioLoadSpec(sampleRate: try a.int("sr"), offset: try a.double("offset"), duration: try a.optionalDouble("duration"), pad: try a.bool("pad"))
            guard spec.sampleRate > 0, spec.offset >= 0, (spec.duration ?? 1) > 0 else {
                throw BuiltinError("load_audio: sr and duration must be positive and offset non-negative")
            }
            if spec.pad, let duration = spec.duration {   // refused now rather than when the features are made
                _ = try AudioSignal.sampleCount(seconds: duration, sampleRate: spec.sampleRate, op: "load_audio")
            }
            if let missing = dataset.clips.first(where: { !FileManager.default.fileExists(atPath: $0.path) }) {
                throw BuiltinError("load_audio: \(missing.path): no such file")
            }
            return .object(AudioSetValue(dataset: dataset, spec: spec, steps: Array(repeating: [], count: dataset.count)))
        }
        method("AudioSet", "len", [], doc: "Number of clips, augmented copies included.") { a in .int(try a.receiver(as: AudioSetValue.self).count) }
        method("AudioSet", "[]", [Parameter("index")], doc: "`clips[i]`: the Audio of row i, loaded (and augmented) now.") { a in
            let set = try a.receiver(as: AudioSetValue.self)
            var row = try a.int("index")
            if row < 0 { row += set.count }
            guard row >= 0, row < set.count else { throw BuiltinError("AudioSet: row \(try a.int("index")) is out of range for \(set.count) clips") }
            return .object(AudioValue(try set.signal(row)))
        }
        property("AudioSet", "dataset", doc: "The clip table, one row per signal (copies repeat their source clip's row).") { a in
            .object(DatasetValue(try a.receiver(as: AudioSetValue.self).dataset))
        }
        method("AudioSet", "augment", [.variadic("augmentations"), Parameter("keep_original", true)],
               doc: "The clips followed by each augmentation's copies of every clip (`awgn(snr: [15, 30], copies: 2)` turns 1147 clips into 3441); copies carry their source clip's label, speaker and other columns. Augmentations are seeded, so a rerun gives the same copies.") { a in
            let augmentations = try a.list("augmentations").map { value -> AugmentationValue in
                guard case .object(let object) = value, let augmentation = object as? AugmentationValue else {
                    throw BuiltinError("AudioSet.augment: expected augmentations such as awgn(…), got \(value.typeName)")
                }
                return augmentation
            }
            return .object(try a.receiver(as: AudioSetValue.self).augmented(with: augmentations, keepOriginal: try a.bool("keep_original")))
        }
    }
}
