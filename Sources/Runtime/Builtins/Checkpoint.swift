import Engine

extension BuiltinRegistry {
    /// Saving and loading model weights (with optimizer state, epoch and classes) as safetensors
    /// checkpoints through the Engine's atomic `Checkpoint`.
    func registerCheckpoint() {
        domain = "Checkpoint"
        function("save", [Parameter("model"), Parameter("path"), Parameter("optimizer", nil), Parameter("epoch", 0),
                          Parameter("classes", nil)],
                 doc: "Writes the model's state dict (PyTorch key names), and optionally the optimizer's state, the epoch and the class names, to a safetensors checkpoint at `path` (relative paths go into the run folder) — atomically, via a temporary file and rename; returns the path.") { a in
            let model = try a.module(0)
            let path = try RunPaths.output(try a.string(1), a.interpreter)
            let optimizerState = a.isNil(2) ? [:] : try a.optimizer(2).state().mapValues(\.stored)
            let classes = a.isNil(4) ? [] : try a.list(4).map { item -> String in
                guard case .string(let name) = item else { throw BuiltinError("save: classes must be strings, got \(item.typeName)") }
                return name
            }
            try Checkpoint(weights: model.stateDict(), optimizerState: optimizerState, epoch: try a.int(3), classNames: classes)
                .write(path: path)
            return .string(path)
        }
        function("load_checkpoint", [Parameter("model"), Parameter("path"), Parameter("optimizer", nil), Parameter("strict", true)],
                 doc: "Loads a checkpoint written by `save` or `fit` into `model` (and its optimizer state into `optimizer` when given); returns {epoch, classes, path}. Weights that do not fit — every missing, unexpected and mis-shaped tensor — are named in one error and nothing is changed; `strict: false` loads only the keys both sides have.") { a in
            let model = try a.module(0)
            let path = try RunPaths.input(try a.string(1), a.interpreter)
            let checkpoint = try Checkpoint.read(path: path)
            try Self.loadWeights(checkpoint.weights, into: model, strict: try a.bool(3), from: path)
            if !a.isNil(2) {
                try a.optimizer(2).loadState(try checkpoint.optimizerState.mapValues { try Tensor($0) })
            }
            return .dict(DictBox([("epoch", .int(checkpoint.epoch)), ("classes", .list(ListBox(checkpoint.classNames.map { .string($0) }))),
                                  ("path", .string(path))]))
        }
        function("load_weights", [Parameter("model"), Parameter("path"), Parameter("strict", true)],
                 doc: "Loads only weights into `model`: from a serscript checkpoint, or from any safetensors file whose tensor names are the model's state-dict keys (e.g. converted from a PyTorch `.pt`). Mismatches are named tensor by tensor; returns the path.") { a in
            let model = try a.module(0)
            let path = try RunPaths.input(try a.string(1), a.interpreter)
            let file = try SafeTensors.read(path: path)
            let weights = file.metadata["format"] == nil ? file.tensors : try Checkpoint.read(path: path).weights
            try Self.loadWeights(weights, into: model, strict: try a.bool(2), from: path)
            return .string(path)
        }
    }

    private static func loadWeights(_ weights: [String: StoredTensor], into model: Module, strict: Bool, from path: String) throws {
        do { try model.loadStateDict(weights, strict: strict) } catch let error as StateDictError {
            throw BuiltinError("\(path): \(error)")
        }
    }
}
