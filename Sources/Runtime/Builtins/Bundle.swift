import Engine
import Foundation

/// A model bundle read by `load_model`: the rebuilt model with everything needed to apply it to audio.
public final class BundleValue: ScriptObject {
    let predictor: BundlePredictor
    let path: String
    /// The rebuilt model as a script value (shared, so `bundle.model` is the same object every time).
    let model: ModuleValue

    init(_ predictor: BundlePredictor, path: String) {
        self.predictor = predictor
        self.path = path
        model = ModuleValue(predictor.model)
    }

    var bundle: ModelBundle { predictor.bundle }

    public var typeName: String { "Bundle" }
    /// `Bundle(models/pct.bundle.safetensors: 8 classes, logmel at 48000 Hz, 395,176 parameters)`
    public var summary: String {
        "Bundle(\(path): \(bundle.classNames.count) classes, \(bundle.features.recipe.name) at \(bundle.features.load.sampleRate) Hz, "
            + "\(ModuleValue.grouped(predictor.model.trainableParameterCount)) parameters)"
    }
    public var details: String {
        var lines = [summary, "  classes: " + bundle.classNames.joined(separator: ", "),
                     "  features: " + bundle.features.json.encoded(),
                     "  scaler: " + (bundle.scaler.map { ScalerValue($0).summary } ?? "none"),
                     "  written by serscript \(bundle.provenance.serscriptVersion) on \(bundle.provenance.created)"]
        if let corpus = bundle.provenance.corpus { lines.append("  trained on \(corpus.source): \(corpus.summary)") }
        if !bundle.provenance.metrics.isEmpty { lines.append("  metrics: " + JSONValue.object(bundle.provenance.metrics).encoded()) }
        return lines.joined(separator: "\n")
    }
}

/// A sliding-window prediction over a recording, as a script value.
public final class TimelineValue: ScriptObject {
    let timeline: EmotionTimeline
    init(_ timeline: EmotionTimeline) { self.timeline = timeline }
    public var typeName: String { "Timeline" }
    public var summary: String {
        String(format: "Timeline(%@: %d windows of %g s every %g s)", timeline.path, timeline.starts.count, timeline.window, timeline.hop)
    }
}

extension BuiltinRegistry {
    /// Model bundles: `load_model`, predicting files, timelines (`save` writes bundles, in Checkpoint.swift).
    func registerBundle() {
        domain = "Checkpoint"
        function("load_model", [Parameter("path")],
                 doc: "Reads a model bundle written by `save(model, path, features: …, classes: …)` — architecture, weights, feature pipeline, scaler, class names, provenance — and rebuilds the model without the script that made it. Returns a Bundle: `predict_file(bundle, \"clip.wav\")`, `predict(bundle, [paths])`, `timeline(bundle, \"long.wav\", window: 3.0, hop: 1.0)`, `bundle.model`, `.classes`, `.metrics`. A checkpoint, a bundle of another format version or one missing a piece is refused naming what is missing.") { a in
            let path = try RunPaths.input(try a.string("path"), a.interpreter)
            do { return .object(BundleValue(try BundlePredictor(path: path), path: path)) } catch let error as BuiltinError { throw error } catch {
                throw BuiltinError("load_model: \(error)")
            }
        }
        function("predict_file", [Parameter("bundle"), Parameter("path"), Parameter("window", nil), Parameter("hop", nil)],
                 doc: "Applies a Bundle to one recording (any format and rate libsndfile reads, mono or stereo): loaded, featurised and scaled as the training clips were; returns {file, emotion, probabilities} with a probability per class name. With `window:` (seconds; `hop:` defaults to the window) the model slides over the whole recording and a Timeline is returned instead.") { a in
            let bundle = try a.object("bundle", as: BundleValue.self, named: "Bundle (from load_model)")
            let path = try RunPaths.input(try a.string("path"), a.interpreter)
            if let window = try a.optionalDouble("window") {
                return .object(try Self.timeline(bundle, path, window: window, hop: try a.optionalDouble("hop") ?? window))
            }
            if !a.isNil("hop") { throw BuiltinError("predict_file: 'hop' needs 'window'") }
            do { return Self.answer(try bundle.predictor.predict(path: path)) } catch let error as BuiltinError { throw error } catch {
                throw BuiltinError("predict_file: \(path): \(error)")
            }
        }
        function("timeline", [Parameter("bundle"), Parameter("path"), Parameter("window", nil), Parameter("hop", nil)],
                 doc: "Slides a Bundle's model over a long recording: windows of `window` seconds (default: the bundle's clip duration) every `hop` seconds (default: the window), each featurised as a training clip. Returns a Timeline: `.starts`, `.emotions`, `.probabilities` (one row per window), `.classes`, `.csv(file)` and `.plot(file)` (waveform above the probabilities over time).") { a in
            let bundle = try a.object("bundle", as: BundleValue.self, named: "Bundle (from load_model)")
            guard let window = try a.optionalDouble("window") ?? bundle.bundle.features.load.duration else {
                throw BuiltinError("timeline: the bundle's pipeline has no clip duration; give 'window:' in seconds")
            }
            return .object(try Self.timeline(bundle, try RunPaths.input(try a.string("path"), a.interpreter), window: window,
                                             hop: try a.optionalDouble("hop") ?? window))
        }
        registerBundleMembers()
    }

    /// `predict(bundle, x)`: x is a path, a list of paths, or an unscaled FeatureSet from `features`.
    static func predictWithBundle(_ bundle: BundleValue, _ a: Arguments) throws -> Value {
        let rows: [[Float]], files: [String]?
        if case .object(let object) = a["x"], let set = object as? FeatureSet {
            if let origin = set.origin {
                guard !origin.scaled || bundle.bundle.scaler == nil else {
                    throw BuiltinError("predict: the FeatureSet is already scaled; a Bundle applies its own scaler, so pass the features as `features(…)` made them")
                }
                guard origin.pipeline == bundle.bundle.features else {
                    throw BuiltinError("predict: the FeatureSet was made by another pipeline than the bundle's (\(bundle.bundle.features.json.encoded()))")
                }
            }
            let size = set.inputs.count / max(set.count, 1), shape = Array(set.inputs.shape.dropFirst())
            let inputs = try set.inputs.withUnsafeBufferPointer { values in
                try (0..<set.count).map { row -> StoredTensor in
                    let example = StoredTensor(shape: shape, values: Array(values[row * size..<(row + 1) * size]))
                    return try bundle.bundle.scaler?.transform(example) ?? example
                }
            }
            (rows, files) = (try bundle.predictor.probabilities(inputs), nil)
        } else {
            let paths = try (a["x"].elements ?? [a["x"]]).map { item -> String in
                guard case .string(let path) = item else {
                    throw BuiltinError("predict: with a Bundle, 'x' must be a file path, a list of paths or a FeatureSet, got \(item.typeName)")
                }
                return try RunPaths.input(path, a.interpreter)
            }
            var answers: [[Float]] = []
            for (path, result) in zip(paths, bundle.predictor.predict(paths: paths)) {
                do { answers.append(try result.get().probabilities) } catch { throw BuiltinError("predict: \(path): \(error)") }
            }
            (rows, files) = (answers, paths)
        }
        let names = bundle.bundle.classNames
        let predictions = rows.map { FilePrediction(path: "", classNames: names, probabilities: $0) }
        var result: [(String, Value)] = [("emotions", .list(ListBox(predictions.map { .string($0.emotion) }))),
                                         ("probabilities", .list(ListBox(predictions.map(probabilityDict)))),
                                         ("classes", .list(ListBox(names.map { .string($0) })))]
        if let files { result.insert(("files", .list(ListBox(files.map { .string($0) }))), at: 0) }
        return .dict(DictBox(result))
    }

    /// `evaluate(bundle, dataset)`: every clip through the bundle's pipeline and scaler, then the usual evaluation.
    static func evaluateWithBundle(_ bundle: BundleValue, _ a: Arguments) throws -> Value {
        let dataset = try a.object("data", as: DatasetValue.self, named: "Dataset (a Bundle reads and featurises the clips itself)").dataset
        guard dataset.classNames == bundle.bundle.classNames else {
            throw BuiltinError("evaluate: the dataset's classes \(dataset.classNames) are not the bundle's \(bundle.bundle.classNames) "
                               + "(index the corpus with emotions: bundle.classes)")
        }
        guard dataset.count > 0 else { throw BuiltinError("evaluate: the dataset has no clips") }
        let predictor = bundle.predictor
        let inputs = try AudioBatch.map(count: dataset.count) { row in
            try predictor.input(from: try predictor.bundle.features.load.load(dataset.clips[row].path))
        }
        guard let shape = inputs.first?.shape, inputs.allSatisfy({ $0.shape == shape }) else {
            throw BuiltinError("evaluate: the clips give features of different shapes; the bundle's pipeline does not pad them to one length")
        }
        let tensor = try Tensor(StoredTensor(shape: [inputs.count] + shape, values: inputs.flatMap(\.values)))
        let loss = a.isNil("loss") ? crossEntropyLoss : try a.object("loss", as: LossValue.self, named: "loss").function
        let evaluation = try Engine.evaluate(predictor.model, on: try TensorDataset(features: tensor, labels: dataset.labels),
                                             classNames: dataset.classNames, batchSize: try a.int("batch_size"), loss: loss)
        return .object(EvalResultValue(evaluation, clips: dataset))
    }

    private static func timeline(_ bundle: BundleValue, _ path: String, window: Double, hop: Double) throws -> TimelineValue {
        do { return TimelineValue(try bundle.predictor.timeline(path: path, window: window, hop: hop)) } catch {
            throw BuiltinError("timeline: \(path): \(error)")
        }
    }

    /// `{file, emotion, probabilities: {class: p}}`.
    private static func answer(_ prediction: FilePrediction) -> Value {
        .dict(DictBox([("file", .string(prediction.path)), ("emotion", .string(prediction.emotion)),
                       ("probabilities", probabilityDict(prediction))]))
    }

    private static func probabilityDict(_ prediction: FilePrediction) -> Value {
        .dict(DictBox(zip(prediction.classNames, prediction.probabilities).map { ($0, .float(Double($1))) }))
    }

    private func registerBundleMembers() {
        let bundle = { (a: Arguments) throws -> BundleValue in try a.receiver(as: BundleValue.self) }
        property("Bundle", "model", doc: "The rebuilt model (eval mode), e.g. for `evaluate(bundle.model, bundle.scaler.apply(xtest))`.") { a in
            .object(try bundle(a).model)
        }
        property("Bundle", "classes", doc: "The class names in output order.") { a in
            .list(ListBox(try bundle(a).bundle.classNames.map { .string($0) }))
        }
        property("Bundle", "scaler", doc: "The fitted scaler the bundle applies to features (nil when the model was trained unscaled).") { a in
            try bundle(a).bundle.scaler.map { .object(ScalerValue($0)) } ?? .null
        }
        property("Bundle", "metrics", doc: "The metrics saved with the model, as a dict.") { a in
            jsonValue(.object(try bundle(a).bundle.provenance.metrics))
        }
        property("Bundle", "provenance", doc: "Where the model came from: {serscript, created, corpus: {source, files, bytes, digest} or nil, metrics}.") { a in
            jsonValue(try bundle(a).bundle.provenance.json)
        }
        property("Bundle", "features", doc: "The feature pipeline as a dict: {load: {sr, offset, duration, pad, channels}, recipe: {name, parameters}, chunk}.") { a in
            jsonValue(try bundle(a).bundle.features.json)
        }
        let timeline = { (a: Arguments) throws -> EmotionTimeline in try a.receiver(as: TimelineValue.self).timeline }
        property("Timeline", "starts", doc: "Each window's start in seconds.") { a in .list(ListBox(try timeline(a).starts.map { .float($0) })) }
        property("Timeline", "emotions", doc: "Each window's most probable class.") { a in .list(ListBox(try timeline(a).emotions.map { .string($0) })) }
        property("Timeline", "classes", doc: "The class names, in the order of each probability row.") { a in
            .list(ListBox(try timeline(a).classNames.map { .string($0) }))
        }
        property("Timeline", "probabilities", doc: "One row of class probabilities per window, as a tensor (windows × classes).") { a in
            let rows = try timeline(a).probabilities
            return .object(TensorValue(try Tensor(StoredTensor(shape: [rows.count, rows.first?.count ?? 0], values: rows.flatMap { $0 }))))
        }
        method("Timeline", "csv", [Parameter("file", "timeline.csv")],
               doc: "Writes one CSV row per window — start, end, emotion, a probability per class — into the run folder; returns its path.") { a in
            let path = try RunPaths.output(try a.string("file"), a.interpreter)
            try Self.writeText(try timeline(a).csv(), to: path)
            return .string(path)
        }
        method("Timeline", "plot", [Parameter("file", "timeline.svg"), Parameter("title", nil)],
               doc: "Writes the recording's waveform above each class's probability over time as an SVG into the run folder; returns its path.") { a in
            let plot = try timeline(a).plot(title: a.isNil("title") ? nil : try a.string("title"))
            return .string(try a.interpreter.output.save(plot: plot, file: try a.string("file")))
        }
    }
}

/// A JSON value as a script value: objects as dicts, whole numbers as ints.
func jsonValue(_ json: JSONValue) -> Value {
    switch json {
    case .null: return .null
    case .bool(let flag): return .bool(flag)
    case .number(let number): return number.rounded() == number && abs(number) < 9e15 ? .int(Int(number)) : .float(number)
    case .string(let text): return .string(text)
    case .array(let items): return .list(ListBox(items.map(jsonValue)))
    case .object(let members): return .dict(DictBox(members.keys.sorted().map { ($0, jsonValue(members[$0] ?? .null)) }))
    }
}
