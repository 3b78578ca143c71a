import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// A training checkpoint in one safetensors file: model weights (`model.<name>`), optimizer state
/// (`optimizer.<name>`), the fitted scaler (`scaler.mean`, `scaler.scale`), and in `__metadata__`
/// the format tag, epoch, class names, scaler settings and free-form extras (JSON text).
/// Written atomically (temporary file, then rename).
public struct Checkpoint: Sendable, Equatable {
    /// Model parameters and buffers by PyTorch-style state-dict name.
    public var weights: [String: StoredTensor]
    /// Optimizer state (momentum buffers, Adam moments, step counts) by name.
    public var optimizerState: [String: StoredTensor]
    /// Epochs completed.
    public var epoch: Int
    /// The standardisation fitted on the training set, if any.
    public var scaler: StandardScaler?
    /// Class names in label order (the label map).
    public var classNames: [String]
    /// Anything else worth keeping (e.g. the resolved parameters as JSON).
    public var extra: [String: String]

    static let format = "serscript-checkpoint-1"

    /// A checkpoint of the given parts.
    public init(weights: [String: StoredTensor], optimizerState: [String: StoredTensor] = [:], epoch: Int = 0,
                scaler: StandardScaler? = nil, classNames: [String] = [], extra: [String: String] = [:]) {
        self.weights = weights
        self.optimizerState = optimizerState
        self.epoch = epoch
        self.scaler = scaler
        self.classNames = classNames
        self.extra = extra
    }

    /// Writes the checkpoint to `path` atomically.
    public func write(path: String) throws {
        var tensors: [String: StoredTensor] = [:]
        for (name, tensor) in weights { tensors["model." + name] = tensor }
        for (name, tensor) in optimizerState { tensors["optimizer." + name] = tensor }
        var metadata = ["format": Self.format, "epoch": String(epoch),
                        "classes": JSONValue.array(classNames.map(JSONValue.string)).encoded(),
                        "extra": JSONValue.object(extra.mapValues(JSONValue.string)).encoded()]
        scaler?.store(into: &tensors, metadata: &metadata)
        try SafeTensors(tensors: tensors, metadata: metadata).write(path: path)
    }

    /// Reads a checkpoint written by `write`.
    public static func read(path: String) throws -> Checkpoint {
        let file = try SafeTensors.read(path: path)
        func fail(_ reason: String) -> ReportError { ReportError("\(path): \(reason)") }
        guard file.metadata["format"] == format else {
            throw fail("not a serscript checkpoint (metadata format is \(file.metadata["format"] ?? "missing"))")
        }
        guard let epochText = file.metadata["epoch"], let epoch = Int(epochText) else { throw fail("epoch is missing") }
        func strings(_ key: String) throws -> JSONValue {
            guard let text = file.metadata[key], let value = try? JSONValue.parse(text) else { throw fail("metadata '\(key)' is not JSON") }
            return value
        }
        guard let classes = try strings("classes").arrayValue?.compactMap(\.stringValue) else { throw fail("classes must be a list") }
        guard let extraMembers = try strings("extra").objectValue else { throw fail("extra must be an object") }
        var checkpoint = Checkpoint(weights: [:], epoch: epoch, classNames: classes,
                                    extra: extraMembers.compactMapValues(\.stringValue))
        var scalerTensors: [String: StoredTensor] = [:]
        for (name, tensor) in file.tensors {
            if name.hasPrefix("model.") { checkpoint.weights[String(name.dropFirst(6))] = tensor }
            else if name.hasPrefix("optimizer.") { checkpoint.optimizerState[String(name.dropFirst(10))] = tensor }
            else if name.hasPrefix("scaler.") { scalerTensors[String(name.dropFirst(7))] = tensor }
            else { throw fail("tensor '\(name)' belongs to no section (model., optimizer., scaler.)") }
        }
        if file.metadata["scaler"] != nil {
            let settings = try strings("scaler").objectValue?.compactMapValues(\.stringValue) ?? [:]
            do { checkpoint.scaler = try StandardScaler(tensors: scalerTensors, metadata: settings) } catch {
                throw fail("scaler: \(error)")
            }
        }
        return checkpoint
    }

    /// Checks the weights against the model's expected name → shape map and throws one error that
    /// lists every missing, unexpected and mis-shaped tensor.
    public func checkWeights(against expected: [String: [Int]]) throws {
        var problems: [String] = []
        for name in expected.keys.sorted() {
            guard let tensor = weights[name] else {
                problems.append("missing \(name) \(expected[name] ?? [])")
                continue
            }
            if let shape = expected[name], tensor.shape != shape {
                problems.append("\(name): checkpoint has \(tensor.shape), model expects \(shape)")
            }
        }
        for name in weights.keys.sorted() where expected[name] == nil {
            problems.append("unexpected \(name) \(weights[name]?.shape ?? [])")
        }
        guard problems.isEmpty else {
            throw ReportError("checkpoint does not fit the model (\(problems.count) problems):\n  "
                              + problems.joined(separator: "\n  "))
        }
    }
}
