import EngineFormats

extension Tensor {
    /// The same values under a new shape (shares storage); one entry may be `-1` to infer it.
    public func reshape(_ newShape: [Int]) throws -> Tensor {
        let resolved = try resolveShape(newShape, op: "reshape")
        return view(resolved, op: "reshape")
    }

    /// A view with `newShape` of equal element count; backward reshapes the gradient back.
    func view(_ newShape: [Int], op: String) -> Tensor {
        let out = Tensor(shape: newShape, storage: storage)
        let inputShape = shape
        return Tensor.record(out, op: op, parents: [self]) { g in [Tensor(shape: inputShape, storage: g.storage)] }
    }

    private func resolveShape(_ newShape: [Int], op: String) throws -> [Int] {
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        guard inferred.count <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
            throw TensorError(op: op, reason: "cannot reshape \(shape) to \(newShape): at most one -1 and no other negative sizes")
        }
        var resolved = newShape
        try Dim.validate(newShape.filter { $0 != -1 }, op: op)
        if let i = inferred.first {
            let known = newShape.filter { $0 != -1 }.reduce(1, *)
            guard known > 0, count % known == 0 else {
                throw TensorError(op: op, reason: "cannot reshape \(shape) (\(count) elements) to \(newShape)")
            }
            resolved[i] = count / known
        }
        guard Dim.count(resolved) == count else {
            throw TensorError(op: op, reason: "cannot reshape \(shape) (\(count) elements) to \(newShape) (\(Dim.count(resolved)) elements)")
        }
        return resolved
    }

    /// Merges dimensions `startDim...endDim` into one (PyTorch's `flatten`).
    public func flatten(startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
        if rank == 0 { return view([1], op: "flatten") }
        let s = try Dim.normalize(startDim, rank: rank, op: "flatten", shape: shape)
        let e = try Dim.normalize(endDim, rank: rank, op: "flatten", shape: shape)
        guard s <= e else { throw TensorError(op: "flatten", reason: "startDim \(startDim) is after endDim \(endDim) for shape \(shape)") }
        let merged = Dim.product(shape, s..<(e + 1))
        return view(Array(shape[..<s]) + [merged] + Array(shape[(e + 1)...]), op: "flatten")
    }

    /// Inserts a size-1 dimension at `dim` (which may equal `rank`, or be negative).
    public func unsqueeze(_ dim: Int) throws -> Tensor {
        let d = try Dim.normalize(dim, rank: rank + 1, op: "unsqueeze", shape: shape)
        var newShape = shape
        newShape.insert(1, at: d)
        return view(newShape, op: "unsqueeze")
    }

    /// Removes dimension `dim` if its size is 1 (otherwise returns the same shape, as PyTorch).
    public func squeeze(_ dim: Int) throws -> Tensor {
        let d = try Dim.normalize(dim, rank: rank, op: "squeeze", shape: shape)
        guard shape[d] == 1 else { return view(shape, op: "squeeze") }
        var newShape = shape
        newShape.remove(at: d)
        return view(newShape, op: "squeeze")
    }

    /// Removes every size-1 dimension.
    public func squeeze() -> Tensor { view(shape.filter { $0 != 1 }, op: "squeeze") }

    /// Reorders dimensions: result dimension `i` is input dimension `dims[i]`.
    public func permute(_ dims: [Int]) throws -> Tensor {
        let normalized = try dims.map { try Dim.normalize($0, rank: rank, op: "permute", shape: shape) }
        guard normalized.count == rank, Set(normalized).count == rank else {
            throw TensorError(op: "permute", reason: "\(dims) is not a permutation of the \(rank) dimensions of shape \(shape)")
        }
        if normalized == Array(0..<rank) { return view(shape, op: "permute") }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, d) in normalized.enumerated() { inverse[d] = i }
        let out = permuted(normalized)
        return Tensor.record(out, op: "permute", parents: [self]) { g in [g.permuted(inverse)] }
    }

    /// Swaps two dimensions.
    public func transpose(_ dim0: Int, _ dim1: Int) throws -> Tensor {
        let a = try Dim.normalize(dim0, rank: rank, op: "transpose", shape: shape)
        let b = try Dim.normalize(dim1, rank: rank, op: "transpose", shape: shape)
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return try permute(order)
    }

    /// Untracked copy for a validated permutation. When the input's contiguous dimension is not
    /// the output's last, it runs as cache-sized tiles of 2-D transposes.
    func permuted(_ order: [Int]) -> Tensor {
        let inStrides = Dim.strides(shape)
        let out = Tensor.make(order.map { shape[$0] })
        let plan = BroadcastPlan(dims: out.shape, strides: [order.map { inStrides[$0] }])
        let dims = plan.dims, inS = plan.strides[0], last = dims.count - 1
        guard let q = inS.firstIndex(of: 1), q != last else {
            copyRows(plan, from: storage.pointer, to: out.storage.pointer)
            return out
        }
        let outS = Dim.strides(dims), others = (0..<last).filter { $0 != q }
        let rows = dims[q], cols = dims[last], inColStride = inS[last], outRowStride = outS[q]
        let src = storage.pointer, dst = out.storage.pointer, tile = 32
        let outerCount = others.reduce(1) { $0 * dims[$1] }
        ParallelChunks.run(outerCount, minimumPerChunk: Swift.max(1, (1 << 15) / Swift.max(rows * cols, 1))) { range in
            for o in range {
                var rest = o, inOffset = 0, outOffset = 0
                for d in others.reversed() {
                    let i = rest % dims[d]
                    rest /= dims[d]
                    inOffset += i * inS[d]
                    outOffset += i * outS[d]
                }
                let from = src + inOffset, to = dst + outOffset
                for r0 in stride(from: 0, to: rows, by: tile) {
                    let r1 = Swift.min(r0 + tile, rows)
                    for c0 in stride(from: 0, to: cols, by: tile) {
                        let c1 = Swift.min(c0 + tile, cols)
                        for r in r0..<r1 {
                            for c in c0..<c1 { to[r * outRowStride + c] = from[r + c * inColStride] }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Materialises this tensor broadcast to `target` (PyTorch's `expand(...).contiguous()`).
    public func expand(to target: [Int]) throws -> Tensor {
        let outShape = try Broadcast.shape(shape, target, op: "expand")
        guard outShape == target else { throw TensorError.shapes("expand", shape, target, "cannot broadcast to the target") }
        if target == shape { return view(shape, op: "expand") }
        let out = Tensor.make(target)
        copyRows(BroadcastPlan(outShape: target, inputs: [shape]), from: storage.pointer, to: out.storage.pointer)
        let inputShape = shape
        return Tensor.record(out, op: "expand", parents: [self]) { g in [g.sumToShape(inputShape)] }
    }

    /// Joins tensors along `dim`; all other dimensions must agree.
    public static func concat(_ tensors: [Tensor], dim: Int) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError(op: "concat", reason: "needs at least one tensor") }
        let d = try Dim.normalize(dim, rank: first.rank, op: "concat", shape: first.shape)
        for t in tensors.dropFirst() {
            var a = first.shape, b = t.shape
            guard a.count == b.count else { throw TensorError.shapes("concat", first.shape, t.shape, "ranks differ") }
            a[d] = 0; b[d] = 0
            guard a == b else { throw TensorError.shapes("concat", first.shape, t.shape, "only dimension \(d) may differ") }
        }
        var outShape = first.shape
        outShape[d] = tensors.reduce(0) { $0 + $1.shape[d] }
        try Dim.validate(outShape, op: "concat")
        let out = make(outShape)
        let outer = Dim.product(outShape, 0..<d), inner = Dim.product(outShape, (d + 1)..<outShape.count)
        let outRow = outShape[d] * inner
        var offset = 0
        for t in tensors {
            let chunk = t.shape[d] * inner
            let src = t.storage.pointer, dst = out.storage.pointer + offset
            for o in 0..<outer { (dst + o * outRow).update(from: src + o * chunk, count: chunk) }
            offset += chunk
        }
        let sizes = tensors.map { $0.shape[d] }
        return record(out, op: "concat", parents: tensors) { g in
            var start = 0
            return sizes.map { size in
                defer { start += size }
                return g.narrowed(dim: d, start: start, length: size)
            }
        }
    }

    /// Stacks equal-shape tensors along a new dimension `dim`.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError(op: "stack", reason: "needs at least one tensor") }
        for t in tensors where t.shape != first.shape {
            throw TensorError.shapes("stack", first.shape, t.shape, "all tensors must have the same shape")
        }
        let d = try Dim.normalize(dim, rank: first.rank + 1, op: "stack", shape: first.shape)
        return try concat(tensors.map { try $0.unsqueeze(d) }, dim: d)
    }

    /// Untracked contiguous copy of `start..<start+length` along validated dimension `d`.
    func narrowed(dim d: Int, start: Int, length: Int) -> Tensor {
        var outShape = shape
        outShape[d] = length
        let out = Tensor.make(outShape)
        let outer = Dim.product(shape, 0..<d), inner = Dim.product(shape, (d + 1)..<rank)
        let chunk = length * inner, row = shape[d] * inner
        let src = storage.pointer + start * inner, dst = out.storage.pointer
        for o in 0..<outer { (dst + o * chunk).update(from: src + o * row, count: chunk) }
        return out
    }
}

/// Copies a single-input plan's rows from `src` into contiguous `dst`.
func copyRows(_ plan: BroadcastPlan, from src: UnsafeMutablePointer<Float>, to dst: UnsafeMutablePointer<Float>) {
    var cursor = RowCursor(plan)
    let n = plan.rowLength, s = plan.rowStride(0)
    for row in 0..<plan.rowCount {
        let x = src + cursor.offsets[0], o = dst + row * n
        if s == 1 {
            o.update(from: x, count: n)
        } else {
            for j in 0..<n { o[j] = x[j * s] }
        }
        cursor.advance()
    }
}
