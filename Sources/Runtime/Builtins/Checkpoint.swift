import Engine
import Foundation

extension BuiltinRegistry {
    /// Saving and loading model weights (with optimizer state, epoch and classes) as safetensors
    /// checkpoints through the Engine's atomic `Checkpoint`.
    func registerCheckpoint() {
        domain = "Checkpoint"
        function("save", [Parameter("model"), Parameter("path"), Parameter("optimizer", nil), Parameter("epoch", 0),
                          Parameter("classes", nil), Parameter("features", nil), Parameter("scaler", nil), Parameter("metrics", nil)],
                 doc: "Writes the model's state dict (PyTorch key names), and optionally the optimizer's state, the epoch and the class names, to a safetensors checkpoint at `path` (relative paths go into the run folder) — atomically, via a temporary file and rename; returns the path. With `features:` (the training FeatureSet as `features(…)` made it) it writes a model bundle instead, which `load_model` and `serscript predict` apply to new audio without the script: the architecture, the weights, the feature pipeline, `scaler:` (the fitted Scaler, if the model was trained on scaled features), `classes:` (default: the FeatureSet's), `metrics:` (a dict or an EvalResult) and provenance (the training clips' fingerprint, the serscript version).") { a in
            let model = try a.module("model")
            let path = try RunPaths.output(try a.string("path"), a.interpreter)
            let classes = a.isNil("classes") ? nil : try a.list("classes").map { item -> String in
                guard case .string(let name) = item else { throw BuiltinError("save: classes must be strings, got \(item.typeName)") }
                return name
            }
            if !a.isNil("features") {
                guard a.isNil("optimizer") else { throw BuiltinError("save: a model bundle (features:) holds no optimizer state; save a checkpoint separately to resume training") }
                try Self.saveBundle(model, to: path, classes: classes, a)
                return .string(path)
            }
            if let unused = ["scaler", "metrics"].first(where: { !a.isNil($0) }) {
                throw BuiltinError("save: '\(unused)' belongs in a model bundle: also give features: (the training FeatureSet)")
            }
            let optimizerState = a.isNil("optimizer") ? [:] : try a.optimizer("optimizer").state().mapValues(\.stored)
            try Checkpoint(weights: model.stateDict(), optimizerState: optimizerState, epoch: try a.int("epoch"), classNames: classes ?? [])
                .write(path: path)
            return .string(path)
        }
        function("load_checkpoint", [Parameter("model"), Parameter("path"), Parameter("optimizer", nil), Parameter("strict", true)],
                 doc: "Loads a checkpoint written by `save` or `fit` into `model` (and its optimizer state into `optimizer` when given); returns {epoch, classes, path}. Weights that do not fit — every missing, unexpected and mis-shaped tensor — are named in one error and nothing is changed; `strict: false` loads only the keys both sides have.") { a in
            let model = try a.module("model")
            let path = try RunPaths.input(try a.string("path"), a.interpreter)
            let checkpoint = try Checkpoint.read(path: path)
            try Self.loadWeights(checkpoint.weights, into: model, strict: try a.bool("strict"), from: path)
            if !a.isNil("optimizer") {
                try a.optimizer("optimizer").loadState(try checkpoint.optimizerState.mapValues { try Tensor($0) })
            }
            return .dict(DictBox([("epoch", .int(checkpoint.epoch)), ("classes", .list(ListBox(checkpoint.classNames.map { .string($0) }))),
                                  ("path", .string(path))]))
        }
        function("load_weights", [Parameter("model"), Parameter("path"), Parameter("strict", true), Parameter("prefix", "")],
                 doc: "Loads only weights into `model` from a PyTorch `.pt`/`.pth` file (`torch.save(model.state_dict(), …)`, read without running any of its code: anything but tensors and containers is refused), a serscript checkpoint, or any safetensors file whose tensor names are the model's state-dict keys. Every missing, unexpected and mis-shaped tensor is named; `strict: false` loads only the keys both sides have. `prefix: \"features.\"` loads only the file's keys under that prefix, without it: one part of a bigger model (the VGG16 conv base of a whole torchvision VGG16). Returns the path.") { a in
            let model = try a.module("model")
            let path = try RunPaths.input(try a.string("path"), a.interpreter)
            let weights: [String: StoredTensor]
            do { weights = try WeightFile.stateDict(path: path) } catch let error as TorchFileError {
                throw BuiltinError("load_weights: \(error)")
            }
            let prefix = try a.string("prefix")
            let part = stateDictEntries(weights, under: prefix)
            guard prefix.isEmpty || !part.isEmpty else { throw BuiltinError("load_weights: \(path) has no keys under '\(prefix)'") }
            try Self.loadWeights(part, into: model, strict: try a.bool("strict"), from: path)
            return .string(path)
        }
    }

    /// `save(model, path, features: …)`: the bundle of the model, the FeatureSet's pipeline and clips,
    /// the scaler, classes and metrics.
    private static func saveBundle(_ model: Module, to path: String, classes: [String]?, _ a: Arguments) throws {
        let set = try a.object("features", as: FeatureSet.self, named: "FeatureSet made by features(…) (the training features)")
        guard let origin = set.origin else {
            throw BuiltinError("save: the FeatureSet was not made by features(…), so it holds no feature pipeline to save")
        }
        let scaler = a.isNil("scaler") ? nil : try a.object("scaler", as: ScalerValue.self, named: "Scaler (from standard_scaler)").scaler
        if origin.scaled, scaler == nil {
            throw BuiltinError("save: the features were scaled; pass the fitted scaler as scaler: so the bundle scales new audio the same way")
        }
        let names = classes ?? set.classNames
        guard names.count == set.classNames.count else {
            throw BuiltinError("save: \(names.count) class names for features with \(set.classNames.count) classes")
        }
        var metrics: [String: JSONValue] = [:]
        if case .object(let object) = a["metrics"], let result = object as? EvalResultValue {
            let evaluation = result.evaluation
            metrics = ["accuracy": .number(evaluation.accuracy), "loss": .number(evaluation.loss),
                       "uar": .number(evaluation.report.unweightedAverageRecall), "macro_f1": .number(evaluation.report.macroF1)]
        } else if !a.isNil("metrics") {
            guard case .object(let members) = a["metrics"].json, case .dict = a["metrics"] else {
                throw BuiltinError("save: 'metrics' must be a dict or an EvalResult, got \(a["metrics"].typeName)")
            }
            metrics = members
        }
        let corpus = set.clips.map { clips -> DataFingerprint in
            let paths = Array(Set(clips.clips.map(\.path))).sorted()
            return DataFingerprint(source: "training clips", root: commonDirectory(paths), paths: paths)
        }
        do {
            try ModelBundle(model: model, features: origin.pipeline, scaler: scaler, classNames: names,
                            provenance: .init(serscriptVersion: SERScriptVersion.current, corpus: corpus, metrics: metrics))
                .write(path: path)
        } catch {
            throw BuiltinError("save: \(error)")
        }
    }

    private static func loadWeights(_ weights: [String: StoredTensor], into model: Module, strict: Bool, from path: String) throws {
        do { try model.loadStateDict(weights, strict: strict) } catch let error as StateDictError {
            throw BuiltinError("\(path): \(error)")
        }
    }
}

/// The deepest folder holding every path (`/` when they share none).
func commonDirectory(_ paths: [String]) -> String {
    let folders = paths.map { ($0 as NSString).deletingLastPathComponent.split(separator: "/", omittingEmptySubsequences: false) }
    guard var common = folders.first else { return "" }
    for folder in folders.dropFirst() {
        common = Array(zip(common, folder).prefix { $0 == $1 }.map(\.0))
    }
    let joined = common.joined(separator: "/")
    return joined.isEmpty && paths.first?.hasPrefix("/") == true ? "/" : joined
}
