import EngineFormats

extension Tensor {
    /// Elements `start..<end` (step `step`) along `dim`, as a new contiguous tensor. Negative
    /// bounds count from the end; bounds are clamped like Python slices.
    public func slice(dim: Int, start: Int = 0, end: Int? = nil, step: Int = 1) throws -> Tensor {
        let d = try Dim.normalize(dim, rank: rank, op: "slice", shape: shape)
        guard step > 0 else { throw TensorError(op: "slice", reason: "step must be positive, got \(step)") }
        let size = shape[d]
        func clampBound(_ v: Int) -> Int { Swift.min(Swift.max(v < 0 ? v + size : v, 0), size) }
        let lo = clampBound(start), hi = Swift.max(lo, clampBound(end ?? size))
        let indices = Array(stride(from: lo, to: hi, by: step))
        if step == 1 {
            let out = narrowed(dim: d, start: lo, length: hi - lo)
            return recordScatter(out, op: "slice", dim: d, indices: indices)
        }
        return gathered(dim: d, indices: indices, op: "slice")
    }

    /// The entries at `indices` along `dim` (repeats allowed), PyTorch's `index_select`.
    public func indexSelect(dim: Int, indices: [Int]) throws -> Tensor {
        let d = try Dim.normalize(dim, rank: rank, op: "index_select", shape: shape)
        if let bad = indices.first(where: { $0 < 0 || $0 >= shape[d] }) {
            throw TensorError(op: "index_select", reason: "index \(bad) is out of range for dimension \(dim) of shape \(shape)")
        }
        var outShape = shape
        outShape[d] = indices.count
        try Dim.validate(outShape, op: "index_select")
        return gathered(dim: d, indices: indices, op: "index_select")
    }

    /// The sub-tensor at position `index` of `dim`, with that dimension removed (`x[:, i]`).
    public func select(dim: Int, index: Int) throws -> Tensor {
        let d = try Dim.normalize(dim, rank: rank, op: "select", shape: shape)
        let i = index < 0 ? index + shape[d] : index
        guard i >= 0, i < shape[d] else {
            throw TensorError(op: "select", reason: "index \(index) is out of range for dimension \(dim) of shape \(shape)")
        }
        return try slice(dim: d, start: i, end: i + 1).squeeze(d)
    }

    /// Splits into pieces of `size` along `dim` (the last may be shorter), PyTorch's `split`.
    public func split(size: Int, dim: Int) throws -> [Tensor] {
        let d = try Dim.normalize(dim, rank: rank, op: "split", shape: shape)
        guard size > 0 else { throw TensorError(op: "split", reason: "piece size must be positive, got \(size)") }
        return try stride(from: 0, to: shape[d], by: size).map { try slice(dim: d, start: $0, end: $0 + size) }
    }

    /// Untracked-then-recorded gather of validated `indices` along validated dimension `d`.
    private func gathered(dim d: Int, indices: [Int], op: String) -> Tensor {
        var outShape = shape
        outShape[d] = indices.count
        let out = Tensor.make(outShape)
        let outer = Dim.product(shape, 0..<d), inner = Dim.product(shape, (d + 1)..<rank)
        let src = storage.pointer, dst = out.storage.pointer
        for o in 0..<outer {
            for (j, i) in indices.enumerated() {
                (dst + (o * indices.count + j) * inner).update(from: src + (o * shape[d] + i) * inner, count: inner)
            }
        }
        return recordScatter(out, op: op, dim: d, indices: indices)
    }

    /// Records the backward of a gather: the gradient is added back at `indices` along `d`.
    private func recordScatter(_ out: Tensor, op: String, dim d: Int, indices: [Int]) -> Tensor {
        let inputShape = shape
        return Tensor.record(out, op: op, parents: [self]) { g in
            let grad = Tensor(shape: inputShape, storage: TensorStorage(count: Dim.count(inputShape), repeating: 0))
            let outer = Dim.product(inputShape, 0..<d), inner = Dim.product(inputShape, (d + 1)..<inputShape.count)
            let src = g.storage.pointer, dst = grad.storage.pointer
            for o in 0..<outer {
                for (j, i) in indices.enumerated() {
                    let s = src + (o * indices.count + j) * inner, t = dst + (o * inputShape[d] + i) * inner
                    for e in 0..<inner { t[e] += s[e] }
                }
            }
            return [grad]
        }
    }
}
