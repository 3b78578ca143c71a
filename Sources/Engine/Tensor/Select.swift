
/// 1 where the comparison holds, else 0 — masks for `where` and for metrics.
struct EqualFunction: BinaryFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a == b ? 1 : 0 } }
struct GreaterFunction: BinaryFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a > b ? 1 : 0 } }
struct LessFunction: BinaryFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a < b ? 1 : 0 } }

extension Tensor {
    /// 1 where `a == b` elementwise (broadcasting), else 0. Not differentiable.
    public static func equal(_ a: Tensor, _ b: Tensor) throws -> Tensor { try mapBinary(a, b, op: "eq", EqualFunction()) }
    /// 1 where `a > b` elementwise (broadcasting), else 0. Not differentiable.
    public static func greater(_ a: Tensor, _ b: Tensor) throws -> Tensor { try mapBinary(a, b, op: "gt", GreaterFunction()) }
    /// 1 where `a < b` elementwise (broadcasting), else 0. Not differentiable.
    public static func less(_ a: Tensor, _ b: Tensor) throws -> Tensor { try mapBinary(a, b, op: "lt", LessFunction()) }

    /// `a` where `condition` is non-zero, else `b`; all three broadcast together (PyTorch's
    /// `torch.where`). Gradients flow to the chosen side only, so `b` may hold −∞ (masking).
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let pair = try Broadcast.shape(a.shape, b.shape, op: "where")
        let outShape = try Broadcast.shape(condition.shape, pair, op: "where")
        let out = make(outShape)
        let plan = BroadcastPlan(outShape: outShape, inputs: [condition.shape, a.shape, b.shape])
        let pc = condition.storage.pointer, pa = a.storage.pointer, pb = b.storage.pointer, po = out.storage.pointer
        let n = plan.rowLength, sc = plan.rowStride(0), sa = plan.rowStride(1), sb = plan.rowStride(2)
        var cursor = RowCursor(plan)
        for row in 0..<plan.rowCount {
            let c = pc + cursor.offsets[0], x = pa + cursor.offsets[1], y = pb + cursor.offsets[2], o = po + row * n
            for j in 0..<n { o[j] = c[j * sc] != 0 ? x[j * sa] : y[j * sb] }
            cursor.advance()
        }
        return record(out, op: "where", parents: [a, b]) { g in
            let zero = Tensor(scalar: 0)
            let ga = a.requiresGrad ? try `where`(condition, g, zero).sumToShape(a.shape) : nil
            let gb = b.requiresGrad ? try `where`(condition, zero, g).sumToShape(b.shape) : nil
            return [ga, gb]
        }
    }

    /// This tensor with `value` wherever `mask` (broadcast to it) is non-zero (`masked_fill`).
    public func maskedFill(_ mask: Tensor, _ value: Float) throws -> Tensor {
        let filled = try Tensor.where(mask, Tensor(scalar: value), self)
        guard filled.shape == shape else { throw TensorError.shapes("masked_fill", shape, mask.shape, "the mask must broadcast to the tensor") }
        return filled
    }
}
