import EngineFormats

extension Tensor {
    /// A tensor holding a copy of a safetensors entry; throws if its shape and values disagree.
    public convenience init(_ stored: StoredTensor, requiresGrad: Bool = false) throws {
        try self.init(shape: stored.shape, values: stored.values, requiresGrad: requiresGrad)
    }

    /// A copy of this tensor's shape and values for writing to a safetensors file.
    public var stored: StoredTensor { StoredTensor(shape: shape, values: values) }
}
