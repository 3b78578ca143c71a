import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// Settings of the notebooks' data preparation: clip loading, AWGN copies of the training clips,
/// log-mel features and standard scaling. The defaults are the notebooks' own.
public struct NotebookDataOptions: Sendable {
    /// Sample rate clips are loaded at (`librosa.load(sr=…)`).
    public var sampleRate = 48000
    /// Seconds skipped at the start of every clip.
    public var offset = 0.5
    /// Seconds loaded; shorter clips are zero-padded to exactly this length.
    public var duration = 3.0
    /// The log-mel front-end (`power_to_db(ref=np.max)` is applied to its output).
    public var mel = MelSpectrogramOptions.notebook
    /// Noisy copies made of every training clip (0 = no augmentation).
    public var augmentedCopies = 2
    /// The copies' SNR range in dB, `[low, high)`, one integer SNR per clip.
    public var snrLow = 15, snrHigh = 30
    /// Seed of the noise.
    public var seed: UInt64 = 1
    /// How the scaler, fitted on the training tensors only, pools its statistics.
    public var scalerMode = StandardScaler.Mode.perPosition

    /// The notebooks' settings.
    public init() {}
}

/// Scaled log-mel tensors `(N, 1, mels, frames)` of a split, ready for `fit` and `evaluate`, with
/// the scaler fitted on the training part. Every example's `metadataRows` entry is its clip's row in
/// the dataset it came from (augmented copies point at their source clip).
public struct NotebookData {
    /// Training clips followed, per clip, by its noisy copies.
    public let train: TensorDataset
    /// Validation clips, not augmented.
    public let validation: TensorDataset
    /// Test clips, not augmented.
    public let test: TensorDataset
    /// The per-position (or per-row) standardisation fitted on `train`.
    public let scaler: StandardScaler
    /// Wall-clock seconds of each stage, in the order run.
    public let timings: [(stage: String, seconds: Double)]

    /// Runs the notebooks' pipeline on `dataset`'s rows in `split`: load (resample, offset,
    /// duration, zero-pad), AWGN copies of the training clips, log-mel in dB, standard scaling.
    /// Work is spread over all cores; an unreadable clip is named in the error.
    public static func prepare(_ dataset: Dataset, split: Split, options: NotebookDataOptions = NotebookDataOptions()) throws -> NotebookData {
        let noise = try WhiteNoise(snrLow: options.snrLow, snrHigh: options.snrHigh, seed: options.seed)
        guard options.augmentedCopies >= 0 else {
            throw DataError("augmented copies must be ≥ 0, got \(options.augmentedCopies)")
        }
        var timings: [(String, Double)] = []
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            defer { timings.append((stage, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)) }
            return try body()
        }
        let extractor = LogMelExtractor(options: options, noise: noise)
        let trainCopies = options.augmentedCopies
        let trainSamples = try timed("train: load, augment ×\(trainCopies), log-mel") {
            try extractor.features(dataset, rows: split.train, copies: trainCopies)
        }
        let validationSamples = try timed("validation: load, log-mel") { try extractor.features(dataset, rows: split.validation, copies: 0) }
        let testSamples = try timed("test: load, log-mel") { try extractor.features(dataset, rows: split.test, copies: 0) }
        let scaler = try timed("fit scaler") { try StandardScaler(fitting: trainSamples, mode: options.scalerMode) }
        let perSource = trainCopies + 1
        let trainRows = split.train.flatMap { Array(repeating: $0, count: perSource) }
        let (train, validation, test) = try timed("scale, stack") {
            (try stacked(trainSamples, rows: trainRows, dataset: dataset, scaler: scaler),
             try stacked(validationSamples, rows: split.validation, dataset: dataset, scaler: scaler),
             try stacked(testSamples, rows: split.test, dataset: dataset, scaler: scaler))
        }
        return NotebookData(train: train, validation: validation, test: test, scaler: scaler, timings: timings)
    }

    /// One `(N, 1, mels, frames)` dataset of the scaled samples; an empty split part is refused.
    private static func stacked(_ samples: [StoredTensor], rows: [Int], dataset: Dataset,
                                scaler: StandardScaler) throws -> TensorDataset {
        guard let first = samples.first else { throw DataError("a split part has no clips: enlarge the corpus or change the fractions") }
        let size = first.values.count
        var values = [Float](repeating: 0, count: samples.count * size)
        try values.withUnsafeMutableBufferPointer { out in
            for (index, sample) in samples.enumerated() {
                let scaled = try scaler.transform(sample)
                scaled.values.withUnsafeBufferPointer { source in
                    guard let from = source.baseAddress, let to = out.baseAddress else { return }
                    (to + index * size).update(from: from, count: size)
                }
            }
        }
        let features = try Tensor(shape: [samples.count, 1] + first.shape, values: values)
        return try TensorDataset(features: features, labels: rows.map { dataset.labels[$0] }, metadataRows: rows)
    }
}

/// Load → fixed length → (noisy copies) → log-mel in dB, per clip, on all cores.
private struct LogMelExtractor: Sendable {
    package let options: NotebookDataOptions
    let noise: WhiteNoise

    /// For each row: the clean clip's log-mel, then its `copies` noisy copies' (`[mels, frames]` each).
    /// The noise is keyed by the clip's dataset row, so it does not depend on the split.
    package func features(_ dataset: Dataset, rows: [Int], copies: Int) throws -> [StoredTensor] {
        let paths = rows.map { dataset.clips[$0].path }
        let rowOfPath = Dictionary(zip(paths, rows), uniquingKeysWith: min)
        let length = try AudioSignal.sampleCount(seconds: options.duration, sampleRate: options.sampleRate, op: "notebook data")
        let perClip = try AudioBatch.featurize(paths: paths) { path -> [StoredTensor] in
            let clip = try AudioSignal.load(path: path, sampleRate: options.sampleRate,
                                            offset: options.offset, duration: options.duration).fixedLength(length)
            var out = [try logMel(clip)]
            for copy in 0..<copies {
                let noisy = try noise.apply(to: clip.samples, clip: rowOfPath[path] ?? 0, copy: copy)
                out.append(try logMel(AudioSignal(samples: noisy, sampleRate: options.sampleRate)))
            }
            return out
        }
        return perClip.flatMap { $0 }
    }

    private func logMel(_ signal: AudioSignal) throws -> StoredTensor {
        let matrix = try signal.melspectrogram(options.mel).powerToDb(ref: .max)
        return StoredTensor(shape: matrix.shape, values: matrix.values)
    }
}
