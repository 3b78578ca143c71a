import EngineFormats

extension Module {
    /// Sets whether every parameter of the tree takes gradients (PyTorch's `requires_grad_`): frozen
    /// parameters get no gradient, so optimizers leave them alone and they do not count as trainable.
    public func setRequiresGrad(_ flag: Bool) {
        for parameter in parameters() {
            parameter.requiresGrad = flag
            if !flag { parameter.zeroGrad() }
        }
    }
}

extension Sequential {
    /// A sequential whose children have the given names, in order (PyTorch's
    /// `nn.Sequential(OrderedDict(...))`): state-dict keys `features.0.weight`, `head.1.bias`, ….
    public convenience init(named layers: [(name: String, module: Module)]) {
        self.init([])
        for (name, layer) in layers { registerModule(name, layer) }
    }
}

/// The entries of `state` under `prefix` (`features.`), with the prefix removed: the weights of one
/// sub-module of a larger model's file (the VGG16 conv base out of a whole torchvision VGG16).
public func stateDictEntries(_ state: [String: StoredTensor], under prefix: String) -> [String: StoredTensor] {
    guard !prefix.isEmpty else { return state }
    var result: [String: StoredTensor] = [:]
    for (key, tensor) in state where key.hasPrefix(prefix) { result[String(key.dropFirst(prefix.count))] = tensor }
    return result
}
