import EngineFormats

/// NumPy/PyTorch broadcasting: shapes are aligned at their last dimension and a size-1 (or
/// missing) dimension stretches to match the other.
enum Broadcast {
    /// The broadcast result shape of `a` and `b`, or throws naming `op` and both shapes.
    package static func shape(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard da == db || da == 1 || db == 1 else {
                throw TensorError.shapes(op, a, b, "dimension \(i) is \(da) vs \(db) and neither is 1")
            }
            out[i] = da == 1 ? db : da
        }
        try Dim.validate(out, op: op)
        return out
    }

    /// Strides of `shape` read as if broadcast to `outShape`: 0 along stretched dimensions.
    static func strides(of shape: [Int], in outShape: [Int]) -> [Int] {
        let own = Dim.strides(shape)
        let lead = outShape.count - shape.count
        return (0..<outShape.count).map { i in
            i < lead || shape[i - lead] == 1 ? 0 : own[i - lead]
        }
    }
}

/// How to walk an output of some shape row by row while reading inputs broadcast into it.
/// Adjacent dimensions that every input reads contiguously are merged, so the common cases
/// (same shape, a bias along the last dims, a per-channel scale) become long inner rows.
struct BroadcastPlan {
    /// Merged output dimensions; the last is the row.
    package let dims: [Int]
    /// Per input, its stride along each merged dimension.
    let strides: [[Int]]

    /// A plan reading each input broadcast into `outShape`.
    init(outShape: [Int], inputs: [[Int]]) {
        self.init(dims: outShape, strides: inputs.map { Broadcast.strides(of: $0, in: outShape) })
    }

    /// A plan for an output of shape `dims` reading input `k` with `strides[k]` per dimension.
    init(dims outDims: [Int], strides inputStrides: [[Int]]) {
        // Drop size-1 dims, then merge neighbours i-1,i when every input steps through them as one.
        let keep = outDims.indices.filter { outDims[$0] != 1 }
        var dims = keep.map { outDims[$0] }
        var strides = inputStrides.map { s in keep.map { s[$0] } }
        if dims.isEmpty {
            dims = [1]
            strides = strides.map { _ in [0] }
        }
        var i = dims.count - 1
        while i > 0 {
            if strides.allSatisfy({ $0[i - 1] == $0[i] * dims[i] }) {
                dims[i - 1] *= dims[i]
                dims.remove(at: i)
                for k in strides.indices {
                    strides[k][i - 1] = strides[k][i]
                    strides[k].remove(at: i)
                }
            }
            i -= 1
        }
        self.dims = dims
        self.strides = strides
    }

    /// Length of one contiguous output row.
    package var rowLength: Int { dims[dims.count - 1] }
    /// Number of output rows.
    var rowCount: Int { Dim.product(dims, 0..<(dims.count - 1)) }
    /// Stride of input `k` along the row.
    package func rowStride(_ k: Int) -> Int { strides[k][dims.count - 1] }
}

/// Tracks each input's offset at the start of the current output row.
struct RowCursor {
    private var index: [Int]
    /// Offset of each input at the start of the current row.
    private(set) var offsets: [Int]
    private let plan: BroadcastPlan

    /// A cursor at the start of output row `row` (0 by default).
    init(_ plan: BroadcastPlan, row: Int = 0) {
        self.plan = plan
        index = [Int](repeating: 0, count: plan.dims.count)
        offsets = [Int](repeating: 0, count: plan.strides.count)
        var rest = row
        for d in stride(from: plan.dims.count - 2, through: 0, by: -1) {
            index[d] = rest % plan.dims[d]
            rest /= plan.dims[d]
            for k in offsets.indices { offsets[k] += index[d] * plan.strides[k][d] }
        }
    }

    /// Moves to the next row (odometer over all dims but the last).
    @inline(__always) package mutating func advance() {
        var d = plan.dims.count - 2
        while d >= 0 {
            index[d] += 1
            for k in offsets.indices { offsets[k] += plan.strides[k][d] }
            if index[d] < plan.dims[d] { return }
            for k in offsets.indices { offsets[k] -= plan.strides[k][d] * index[d] }
            index[d] = 0
            d -= 1
        }
    }
}

extension Tensor {
    /// Sums this tensor down to `target`, a shape that broadcasts to this one: the backward of
    /// broadcasting. Returns `self` when the shapes already match.
    func sumToShape(_ target: [Int]) -> Tensor {
        if target == shape { return self }
        let out = Tensor(shape: target, storage: TensorStorage(count: Dim.count(target), repeating: 0))
        let plan = BroadcastPlan(outShape: shape, inputs: [target])
        var cursor = RowCursor(plan)
        let n = plan.rowLength, sd = plan.rowStride(0)
        let src = storage.pointer, dst = out.storage.pointer
        for row in 0..<plan.rowCount {
            let s = src + row * n, d = dst + cursor.offsets[0]
            switch sd {
            case 0: d[0] += VectorSum.sum(s, n)
            case 1: for j in 0..<n { d[j] += s[j] }
            default: for j in 0..<n { d[j * sd] += s[j] }
            }
            cursor.advance()
        }
        return out
    }
}
