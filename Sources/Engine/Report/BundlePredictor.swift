import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// One recording's answer: a probability per class of the bundle, in class order.
public struct FilePrediction: Sendable, Equatable {
    /// The recording.
    public let path: String
    public let classNames: [String]
    /// Softmax of the model's logits, one per class.
    public let probabilities: [Float]

    public init(path: String, classNames: [String], probabilities: [Float]) {
        self.path = path
        self.classNames = classNames
        self.probabilities = probabilities
    }

    /// The most probable class (the first of equals).
    public var emotion: String { top(1).first?.name ?? "" }

    /// The `k` most probable classes, most probable first (ties in class order).
    public func top(_ k: Int) -> [(name: String, probability: Float)] {
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
        return order.prefix(max(0, k)).map { (classNames[$0], probabilities[$0]) }
    }
}

/// Applies a model bundle to recordings: each file goes through the bundle's feature pipeline and
/// scaler, then the model; answers are class names with probabilities.
public final class BundlePredictor {
    public let bundle: ModelBundle
    /// The rebuilt model, in eval mode.
    public let model: Module

    public init(bundle: ModelBundle) throws {
        self.bundle = bundle
        model = try bundle.makeModel()
    }

    /// The bundle at `path`, rebuilt.
    public convenience init(path: String) throws {
        let bundle = try ModelBundle.read(path: path)
        do { try self.init(bundle: bundle) } catch { throw ReportError("\(path): \(error)") }
    }

    /// The model input of one already-loaded clip: features, then the scaler.
    public func input(from signal: AudioSignal) throws -> StoredTensor {
        let example = try bundle.features.example(from: signal)
        guard let scaler = bundle.scaler else { return example }
        guard example.shape == scaler.sampleShape else {
            throw DataError("features of shape \(example.shape) do not fit the bundle's scaler, fitted on \(scaler.sampleShape) "
                            + "(is the recording shorter than the model's input and the pipeline not padding?)")
        }
        return try scaler.transform(example)
    }

    /// Class probabilities for each input (one shape for all), `batchSize` at a time.
    public func probabilities(_ inputs: [StoredTensor], batchSize: Int = 32) throws -> [[Float]] {
        guard let shape = inputs.first?.shape else { return [] }
        if let odd = inputs.first(where: { $0.shape != shape }) {
            throw DataError("inputs differ in shape: \(shape) and \(odd.shape)")
        }
        let batch = try Tensor(StoredTensor(shape: [inputs.count] + shape, values: inputs.flatMap(\.values)))
        let probabilities = try EngineTrain.predict(model, batch, batchSize: batchSize).probabilities
        guard probabilities.rank == 2, probabilities.shape[1] == bundle.classNames.count else {
            throw DataError("the model gives outputs of shape \(probabilities.shape) but the bundle names \(bundle.classNames.count) classes")
        }
        let width = probabilities.shape[1]
        return probabilities.withUnsafeBufferPointer { values in
            (0..<inputs.count).map { Array(values[$0 * width..<($0 + 1) * width]) }
        }
    }

    /// The answer for one recording, loaded as the training clips were (rate, offset, duration, padding).
    public func predict(path: String) throws -> FilePrediction {
        let input = try self.input(from: try bundle.features.load.load(path))
        return FilePrediction(path: path, classNames: bundle.classNames, probabilities: try probabilities([input])[0])
    }

    /// The answer for every path, in order; a file that cannot be read or featurised gets its error
    /// and the others go on. Files are featurised on `threads` threads, `block` at a time.
    public func predict(paths: [String], threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                        block: Int = 256) -> [Result<FilePrediction, Error>] {
        var results: [Result<FilePrediction, Error>] = []
        for start in stride(from: 0, to: paths.count, by: max(1, block)) {
            let part = Array(paths[start..<min(paths.count, start + max(1, block))])
            // Featurising never throws here: each file's failure stays with that file.
            let inputs = (try? AudioBatch.map(count: part.count, threads: threads) { index in
                Result { try self.input(from: try self.bundle.features.load.load(part[index])) }
            }) ?? []
            // Inputs of one shape go through the model together; a file of another shape alone.
            let good = inputs.indices.filter { (try? inputs[$0].get()) != nil }
            let shapes = Dictionary(grouping: good) { (try? inputs[$0].get())?.shape ?? [] }
            var answers = [Int: Result<FilePrediction, Error>]()
            for (_, indices) in shapes {
                do {
                    let rows = try probabilities(indices.map { try inputs[$0].get() })
                    for (row, index) in indices.enumerated() {
                        answers[index] = .success(FilePrediction(path: part[index], classNames: bundle.classNames, probabilities: rows[row]))
                    }
                } catch {
                    for index in indices { answers[index] = .failure(error) }
                }
            }
            for (index, input) in inputs.enumerated() {
                if case .failure(let error) = input { results.append(.failure(error)) } else {
                    results.append(answers[index] ?? .failure(DataError("\(part[index]): no answer")))
                }
            }
        }
        return results
    }

    /// The model slid over the whole recording at `path`: windows of `window` seconds every `hop`
    /// seconds (each fitted to the pipeline's duration as the training clips were). Windows that
    /// would run past the end are dropped; a recording shorter than one window gives one padded window.
    public func timeline(path: String, window: Double, hop: Double) throws -> EmotionTimeline {
        guard window > 0, hop > 0, window.isFinite, hop.isFinite else {
            throw DataError("timeline: window and hop must be positive seconds, got \(window) and \(hop)")
        }
        let recording = try bundle.features.recording(path: path)
        let rate = recording.sampleRate
        let length = try AudioSignal.sampleCount(seconds: window, sampleRate: rate, op: "timeline window")
        let step = max(1, try AudioSignal.sampleCount(seconds: hop, sampleRate: rate, op: "timeline hop"))
        guard length >= 1 else { throw DataError("timeline: a window of \(window) s is shorter than one sample") }
        let starts = recording.count <= length ? [0] : Array(stride(from: 0, through: recording.count - length, by: step))
        let inputs = try AudioBatch.map(count: starts.count) { index -> StoredTensor in
            let end = min(recording.count, starts[index] + length)
            let piece = AudioSignal(samples: Array(recording.samples[starts[index]..<end]), sampleRate: rate)
            return try self.input(from: try self.bundle.features.load.fitted(piece))
        }
        var rows: [[Float]] = []
        for start in stride(from: 0, to: inputs.count, by: 64) {
            rows += try probabilities(Array(inputs[start..<min(inputs.count, start + 64)]))
        }
        return EmotionTimeline(path: path, classNames: bundle.classNames, window: window, hop: hop,
                               starts: starts.map { Double($0) / Double(rate) }, probabilities: rows, recording: recording)
    }
}
