import Engine

extension BuiltinRegistry {
    /// Pretrained parts: named sequentials (PyTorch key layouts), freezing, and embedding a
    /// FeatureSet once through a frozen network.
    func registerTransferLearning() {
        domain = "Layers"
        function("named_seq", [Parameter("layers")],
                 doc: "Runs the layers of the dict `layers` in order, each under its own name (PyTorch `nn.Sequential(OrderedDict(...))`): `named_seq({features: vgg, head: mlp})` has state-dict keys `features.0.weight`, `head.1.bias`, … — the layout of a pretrained file.") { a in
            guard case .dict(let dict) = a["layers"], dict.count > 0 else {
                throw BuiltinError("named_seq: 'layers' must be a non-empty dict {name: layer, …}")
            }
            let layers = try dict.keys.map { key -> (name: String, module: Module) in
                guard case .string(let name) = key, !name.isEmpty, !name.contains(".") else {
                    throw BuiltinError("named_seq: layer names must be non-empty strings without dots, got \(key.value.repr)")
                }
                guard case .object(let object)? = dict[key], let layer = object as? ModuleValue else {
                    throw BuiltinError("named_seq: '\(name)' is not a layer")
                }
                return (name, layer.module)
            }
            return .object(ModuleValue(Sequential(named: layers)))
        }
        function("vgg16_features", [Parameter("width", 64)],
                 doc: "VGG16's convolutional base in torchvision's layout (`torchvision.models.vgg16().features`: 13 conv 3 × 3 + ReLU layers in five blocks, each closed by a 2 × 2 max-pool; keys `0.weight` … `28.bias`), `(B, 3, H, W)` → `(B, 512, H/32, W/32)`. Load ImageNet weights with `load_weights(base, \"vgg16.pth\", prefix: \"features.\")`. `width` (64) is the first block's channels; smaller widths make narrow copies that no published weights fit.") { a in
            .object(ModuleValue(try VGG.vgg16Features(width: try a.int("width"))))
        }
        function("vggish", [Parameter("width", 64)],
                 doc: "VGGish, the AudioSet embedding network, in torchvggish's layout (keys `features.…`, `embeddings.…`): `(B, 1, 96, 64)` log-mel patches (96 frames of 10 ms × 64 mel bands at 16 kHz) → 128-d embeddings. `width` (64) as in `vgg16_features`.") { a in
            .object(ModuleValue(try VGG.vggish(width: try a.int("width"))))
        }
        method("Module", "freeze", [],
               doc: "Stops every parameter of the model from training (PyTorch `requires_grad_(False)`, Keras `trainable = False`): no gradients, optimizers leave them unchanged, `parameters_count` no longer counts them. Returns the model.") { a in
            try a.receiver(as: ModuleValue.self).module.setRequiresGrad(false)
            return a.receiver
        }
        method("Module", "unfreeze", [], doc: "Lets every parameter of the model train again (after `freeze()`). Returns the model.") { a in
            try a.receiver(as: ModuleValue.self).module.setRequiresGrad(true)
            return a.receiver
        }
        method("Module", "requires_grad", [Parameter("flag", true)],
               doc: "PyTorch's `requires_grad_(flag)`: `false` freezes every parameter of the model, `true` unfreezes them. Returns the model.") { a in
            try a.receiver(as: ModuleValue.self).module.setRequiresGrad(try a.bool("flag"))
            return a.receiver
        }
        domain = "Train"
        function("embed", [Parameter("model"), Parameter("features"), Parameter("batch_size", 32)],
                 doc: "Runs `model`, such as a frozen pretrained network, once over every row of a FeatureSet, in eval mode without gradients, `batch_size` rows at a time, and returns a FeatureSet of its outputs with the same labels and clips: train a head on them without paying for the frozen part every epoch.") { a in
            let model = try a.module("model")
            let set = try a.object("features", as: FeatureSet.self, named: "FeatureSet")
            let outputs = try forwardInBatches(model, set.inputs, batchSize: try a.int("batch_size"))
            return .object(try FeatureSet(inputs: outputs, labels: set.labels, classNames: set.classNames, clips: set.clips))
        }
    }
}
