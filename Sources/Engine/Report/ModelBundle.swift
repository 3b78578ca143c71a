import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// Everything needed to apply a trained model to new recordings, in one safetensors file: the
/// weights (`model.<name>`), the architecture (`ModuleDescription`), the feature pipeline, the fitted
/// scaler (`scaler.mean`, `scaler.scale`), the class names in order and the provenance — corpus
/// fingerprint, metrics, the serscript version that wrote it. Metadata entries are JSON text.
public struct ModelBundle: Sendable {
    public var architecture: ModuleDescription
    /// Parameters and buffers by state-dict key.
    public var weights: [String: StoredTensor]
    public var features: FeaturePipeline
    /// nil when the model was trained on unscaled features.
    public var scaler: StandardScaler?
    /// `classNames[i]` is the emotion of output `i`.
    public var classNames: [String]
    public var provenance: Provenance

    /// Where the model came from.
    public struct Provenance: Sendable, Equatable {
        /// The serscript release that wrote the bundle.
        public var serscriptVersion: String
        /// The training data, when known.
        public var corpus: DataFingerprint?
        /// Free-form results (`accuracy`, `uar`, …).
        public var metrics: [String: JSONValue]
        /// When the bundle was written (ISO 8601).
        public var created: String

        public init(serscriptVersion: String, corpus: DataFingerprint? = nil, metrics: [String: JSONValue] = [:],
                    created: String = ISO8601DateFormatter().string(from: Date())) {
            self.serscriptVersion = serscriptVersion
            self.corpus = corpus
            self.metrics = metrics
            self.created = created
        }
    }

    /// The format this build writes and reads; any other is refused with both versions named.
    public static let formatVersion = 1
    static let formatPrefix = "serscript-bundle-"
    /// Metadata entries every bundle has (the scaler's is `null` when there is none).
    static let pieces = ["architecture", "features", "scaler", "classes", "provenance"]

    /// A bundle of `model` (described and its state dict copied now) with the other pieces.
    public init(model: Module, features: FeaturePipeline, scaler: StandardScaler?, classNames: [String], provenance: Provenance) throws {
        guard !classNames.isEmpty else { throw ReportError("a model bundle needs the class names") }
        self.init(architecture: try ModuleDescription.describe(model), weights: model.stateDict(), features: features, scaler: scaler,
                  classNames: classNames, provenance: provenance)
    }

    public init(architecture: ModuleDescription, weights: [String: StoredTensor], features: FeaturePipeline, scaler: StandardScaler?,
                classNames: [String], provenance: Provenance) {
        self.architecture = architecture
        self.weights = weights
        self.features = features
        self.scaler = scaler
        self.classNames = classNames
        self.provenance = provenance
    }

    /// A fresh module of the architecture with the bundle's weights, in eval mode.
    public func makeModel() throws -> Module {
        let model = try architecture.build()
        try model.loadStateDict(weights)
        model.eval()
        return model
    }

    /// Writes the bundle to `path` atomically.
    public func write(path: String) throws {
        var tensors: [String: StoredTensor] = [:]
        for (name, tensor) in weights { tensors["model." + name] = tensor }
        var metadata = ["format": Self.formatPrefix + String(Self.formatVersion),
                        "architecture": try architecture.json(),
                        "features": features.json.encoded(),
                        "classes": JSONValue.array(classNames.map(JSONValue.string)).encoded(),
                        "provenance": provenance.json.encoded(),
                        "scaler": "null"]
        scaler?.store(into: &tensors, metadata: &metadata)
        try SafeTensors(tensors: tensors, metadata: metadata).write(path: path)
    }

    /// Reads a bundle written by `write`. A checkpoint, a bundle of another format version, or one
    /// missing pieces is refused naming the file and every missing piece.
    public static func read(path: String) throws -> ModelBundle {
        let file = try SafeTensors.read(path: path)
        func fail(_ reason: String) -> ReportError { ReportError("\(path): \(reason)") }
        let format = file.metadata["format"] ?? ""
        let writer = (try? JSONValue.parse(file.metadata["provenance"] ?? ""))?.objectValue?["serscript"]?.stringValue
        if format.hasPrefix(formatPrefix), format != formatPrefix + String(formatVersion) {
            throw fail("model bundle format \(format.dropFirst(formatPrefix.count))\(writer.map { " (written by serscript \($0))" } ?? ""); "
                       + "this serscript reads format \(formatVersion) — re-save the model with this version, or use the serscript that wrote it")
        }
        var missing = pieces.filter { file.metadata[$0] == nil }
        if !file.tensors.keys.contains(where: { $0.hasPrefix("model.") }) { missing.insert("weights", at: 0) }
        if format == "serscript-checkpoint-1" {
            throw fail("a training checkpoint, not a model bundle (it lacks \(missing.joined(separator: ", "))); "
                       + "save(model, path, features: …, scaler: …, classes: …) writes a bundle")
        }
        guard format.hasPrefix(formatPrefix) else { throw fail("not a serscript model bundle (metadata format is \(format.isEmpty ? "missing" : format))") }
        guard missing.isEmpty else { throw fail("incomplete model bundle: missing \(missing.joined(separator: ", "))") }
        func json(_ key: String) throws -> JSONValue {
            guard let value = try? JSONValue.parse(file.metadata[key] ?? "") else { throw fail("metadata '\(key)' is not JSON") }
            return value
        }
        func section<T>(_ name: String, _ body: () throws -> T) throws -> T {
            do { return try body() } catch let error as ReportError { throw error } catch { throw fail("\(name): \(error)") }
        }
        var weights: [String: StoredTensor] = [:], scalerTensors: [String: StoredTensor] = [:]
        for (name, tensor) in file.tensors {
            if name.hasPrefix("model.") { weights[String(name.dropFirst(6))] = tensor }
            else if name.hasPrefix("scaler.") { scalerTensors[String(name.dropFirst(7))] = tensor }
            else { throw fail("tensor '\(name)' belongs to no section (model., scaler.)") }
        }
        let architecture: ModuleDescription
        do { architecture = try ModuleDescription(json: file.metadata["architecture"] ?? "") } catch { throw fail("\(error)") }
        let features = try section("features") { try FeaturePipeline(json: try json("features")) }
        let scalerJSON = try json("scaler")
        let scaler = scalerJSON == .null ? nil : try section("scaler") { () throws -> StandardScaler in
            guard let settings = scalerJSON.objectValue?.compactMapValues(\.stringValue) else { throw fail("scaler settings must be an object") }
            return try StandardScaler(tensors: scalerTensors, metadata: settings)
        }
        guard let classes = try json("classes").arrayValue?.compactMap(\.stringValue), !classes.isEmpty else {
            throw fail("classes must be a non-empty list of names")
        }
        let provenance = try section("provenance") { try Provenance(json: try json("provenance")) }
        return ModelBundle(architecture: architecture, weights: weights, features: features, scaler: scaler, classNames: classes,
                           provenance: provenance)
    }
}

extension ModelBundle.Provenance {
    /// `{serscript, created, corpus: {source, files, bytes, digest} | null, metrics: {…}}`.
    public var json: JSONValue {
        .object(["serscript": .string(serscriptVersion), "created": .string(created), "metrics": .object(metrics),
                 "corpus": corpus.map { .object(["source": .string($0.source), "files": .number(Double($0.files)),
                                                 "bytes": .number(Double($0.bytes)), "digest": .string($0.digest)]) } ?? .null])
    }

    init(json: JSONValue) throws {
        let fields = JSONFields(json, "provenance")
        var corpus: DataFingerprint?
        if case .object = try fields.value("corpus") {
            let data = JSONFields(try fields.value("corpus"), "provenance.corpus")
            corpus = DataFingerprint(source: try data.string("source"), files: try data.int("files"), bytes: try data.int("bytes"),
                                     digest: try data.string("digest"))
        }
        guard let metrics = try fields.value("metrics").objectValue else { throw DataError("provenance: 'metrics' must be an object") }
        self.init(serscriptVersion: try fields.string("serscript"), corpus: corpus, metrics: metrics, created: try fields.string("created"))
    }
}
