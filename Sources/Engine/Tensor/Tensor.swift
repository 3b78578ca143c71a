
/// A float32 n-dimensional array with row-major contiguous storage and reverse-mode autograd.
///
/// Tensors are reference objects, like PyTorch's: parameters are shared by the modules and the
/// optimizers that hold them. Every op returns a new tensor; results of ops on tensors that
/// require gradients remember how they were made (`gradFn`) so `backward()` can run the chain
/// rule — unless gradients are disabled (`GradMode.withDisabled`).
public final class Tensor {
    /// Dimensions, outermost first; `[]` is a scalar.
    public let shape: [Int]
    /// The contiguous values (shared with views such as `reshape` and `detach`).
    public let storage: TensorStorage
    /// Whether gradients flow to (or through) this tensor. Set it on leaves (parameters);
    /// results of recorded ops have it set by the engine.
    public var requiresGrad: Bool
    /// The accumulated gradient of a leaf after `backward()` (or of any tensor that called
    /// `retainGrad()`); same shape as the tensor.
    public var grad: Tensor?
    /// The graph node that produced this tensor, `nil` for leaves and untracked results.
    public internal(set) var gradFn: GradNode?
    /// Whether `backward()` should keep this non-leaf tensor's gradient in `grad`.
    public internal(set) var retainsGrad = false

    /// A tensor of `shape` over `storage`; the counts must agree (checked by the callers).
    package init(shape: [Int], storage: TensorStorage, requiresGrad: Bool = false) {
        self.shape = shape
        self.storage = storage
        self.requiresGrad = requiresGrad
    }

    /// A tensor of `shape` whose values are not initialised; fill it through
    /// `withUnsafeMutableBufferPointer` before reading. The allocation for custom kernels.
    public static func uninitialized(_ shape: [Int]) throws -> Tensor {
        try Dim.validate(shape, op: "uninitialized")
        return Tensor(shape: shape, storage: TensorStorage(uninitializedCount: Dim.count(shape)))
    }

    /// Unchecked allocation for shapes the engine has already validated.
    package static func make(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: TensorStorage(uninitializedCount: Dim.count(shape)))
    }

    /// Number of elements.
    @inlinable public var count: Int { storage.count }
    /// Number of dimensions.
    @inlinable public var rank: Int { shape.count }
    /// Whether this tensor is a leaf of the graph (a parameter or a constant).
    public var isLeaf: Bool { gradFn == nil }

    /// Size of dimension `dim` (negative counts from the end), or throws.
    public func size(_ dim: Int) throws -> Int {
        shape[try Dim.normalize(dim, rank: rank, op: "size", shape: shape)]
    }

    /// Read-only access to the contiguous values.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(storage.buffer))
    }

    /// Read-write access to the contiguous values (for kernels filling fresh results and for
    /// optimizers updating parameters in place; not recorded by autograd).
    @inlinable
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(storage.buffer)
    }

    /// A copy of the values as an array.
    public var values: [Float] { Array(UnsafeBufferPointer(storage.buffer)) }

    /// The single value of a one-element tensor, or throws.
    public func item() throws -> Float {
        guard count == 1 else { throw TensorError(op: "item", reason: "needs exactly one element, shape is \(shape)") }
        return storage.pointer[0]
    }

    /// The value at a full multi-index, or throws if the index does not fit the shape.
    public func value(at index: [Int]) throws -> Float {
        guard index.count == rank else {
            throw TensorError(op: "value(at:)", reason: "index \(index) has \(index.count) entries for shape \(shape)")
        }
        var offset = 0
        for (i, n) in zip(index, shape) {
            guard i >= 0, i < n else { throw TensorError(op: "value(at:)", reason: "index \(index) is out of range for shape \(shape)") }
            offset = offset * n + i
        }
        return storage.pointer[offset]
    }

    /// A new tensor sharing these values but cut from the graph (never requires grad).
    public func detach() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// A new tensor with its own copy of the values, cut from the graph.
    public func clone() -> Tensor {
        Tensor(shape: shape, storage: TensorStorage(copying: UnsafeBufferPointer(storage.buffer)))
    }

    /// Asks `backward()` to store this tensor's gradient in `grad` even though it is not a leaf.
    public func retainGrad() { retainsGrad = true }

    /// Drops the accumulated gradient (PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGrad() { grad = nil }
}

extension Tensor: CustomStringConvertible {
    /// Shape and up to the first eight values, e.g. `Tensor([2, 3]: 1, 2, 3, 4, 5, 6)`.
    public var description: String {
        let shown = values.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(\(shape): \(shown)\(count > 8 ? ", …" : ""))"
    }
}
