
/// A fixed-size, heap-allocated block of float32 values that tensors share by reference.
///
/// Kernels read and write it through raw pointers, so no copy-on-write ever happens in a hot
/// loop. Several tensors may share one storage (a reshape, a detached copy); writing through one
/// is visible through all, as in PyTorch.
public final class TensorStorage {
    /// Start of the values; valid for `count` elements while the storage lives.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of float32 values.
    public let count: Int

    /// Allocates `count` values without initialising them (kernels overwrite every element).
    /// Large blocks come from, and return to, a size-keyed pool.
    public init(uninitializedCount count: Int) {
        self.count = count
        pointer = BufferPool.shared.take(count)
    }

    /// Allocates `count` values all equal to `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: value, count: count)
    }

    /// Allocates a copy of `values`.
    public convenience init(copying values: UnsafeBufferPointer<Float>) {
        self.init(uninitializedCount: values.count)
        if let base = values.baseAddress { pointer.update(from: base, count: values.count) }
    }

    deinit { BufferPool.shared.give(pointer, count: count) }

    /// The values as a read-write buffer.
    @inlinable public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }
}
