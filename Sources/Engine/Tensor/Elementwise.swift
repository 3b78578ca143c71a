
/// A scalar function of two floats, specialised into the broadcasting kernel (no closures).
protocol BinaryFunction {
    func callAsFunction(_ a: Float, _ b: Float) -> Float
}

struct AddFunction: BinaryFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b } }
struct SubFunction: BinaryFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a - b } }
struct MulFunction: BinaryFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a * b } }
struct DivFunction: BinaryFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a / b } }
struct MaxFunction: BinaryFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a >= b ? a : b } }
struct MinFunction: BinaryFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a <= b ? a : b } }
/// 1 where `a` is the larger (ties go to `a`), else 0: routes the gradient of `maximum`.
struct GreaterOrEqualFunction: BinaryFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a >= b ? 1 : 0 } }
/// 1 where `a` is the smaller (ties go to `a`), else 0: routes the gradient of `minimum`.
struct LessOrEqualFunction: BinaryFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a <= b ? 1 : 0 } }

extension Tensor {
    /// Untracked broadcasting `f(a, b)`; the kernel behind every binary op.
    static func mapBinary<F: BinaryFunction>(_ a: Tensor, _ b: Tensor, op: String, _ f: F) throws -> Tensor {
        let outShape = a.shape == b.shape ? a.shape : try Broadcast.shape(a.shape, b.shape, op: op)
        let out = make(outShape)
        let pa = a.storage.pointer, pb = b.storage.pointer, po = out.storage.pointer
        if a.shape == b.shape {
            ParallelChunks.run(out.count) { range in
                for i in range { po[i] = f(pa[i], pb[i]) }
            }
            return out
        }
        let plan = BroadcastPlan(outShape: outShape, inputs: [a.shape, b.shape])
        let n = plan.rowLength, sa = plan.rowStride(0), sb = plan.rowStride(1)
        ParallelChunks.run(plan.rowCount, minimumPerChunk: Swift.max(1, (1 << 15) / Swift.max(n, 1))) { rows in
            var cursor = RowCursor(plan, row: rows.lowerBound)
            for row in rows {
                let x = pa + cursor.offsets[0], y = pb + cursor.offsets[1], o = po + row * n
                switch (sa, sb) {
                case (1, 1): for j in 0..<n { o[j] = f(x[j], y[j]) }
                case (1, 0): let v = y[0]; for j in 0..<n { o[j] = f(x[j], v) }
                case (0, 1): let v = x[0]; for j in 0..<n { o[j] = f(v, y[j]) }
                default: for j in 0..<n { o[j] = f(x[j * sa], y[j * sb]) }
                }
                cursor.advance()
            }
        }
        return out
    }

    /// Elementwise `a + b` with broadcasting.
    public static func add(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let out = try mapBinary(a, b, op: "add", AddFunction())
        return record(out, op: "add", parents: [a, b]) { g in [g.sumToShape(a.shape), g.sumToShape(b.shape)] }
    }

    /// Elementwise `a - b` with broadcasting.
    public static func sub(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let out = try mapBinary(a, b, op: "sub", SubFunction())
        return record(out, op: "sub", parents: [a, b]) { g in
            [g.sumToShape(a.shape), b.requiresGrad ? g.scaled(by: -1).sumToShape(b.shape) : nil]
        }
    }

    /// Elementwise `a * b` with broadcasting.
    public static func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let out = try mapBinary(a, b, op: "mul", MulFunction())
        return record(out, op: "mul", parents: [a, b]) { g in
            [a.requiresGrad ? try mapBinary(g, b, op: "mul.backward", MulFunction()).sumToShape(a.shape) : nil,
             b.requiresGrad ? try mapBinary(g, a, op: "mul.backward", MulFunction()).sumToShape(b.shape) : nil]
        }
    }

    /// Elementwise `a / b` with broadcasting.
    public static func div(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let out = try mapBinary(a, b, op: "div", DivFunction())
        let quotient = out.detach()
        return record(out, op: "div", parents: [a, b]) { g in
            let gOverB = try mapBinary(g, b, op: "div.backward", DivFunction())
            // d(a/b)/db = -(a/b)/b, so the b-gradient is -(g/b)·(a/b).
            let gb = b.requiresGrad
                ? try mapBinary(gOverB, quotient, op: "div.backward", MulFunction()).scaled(by: -1).sumToShape(b.shape) : nil
            return [a.requiresGrad ? gOverB.sumToShape(a.shape) : nil, gb]
        }
    }

    /// Elementwise larger of `a` and `b` with broadcasting; ties send the gradient to `a`.
    public static func maximum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try selecting(a, b, op: "maximum", MaxFunction(), route: GreaterOrEqualFunction())
    }

    /// Elementwise smaller of `a` and `b` with broadcasting; ties send the gradient to `a`.
    public static func minimum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try selecting(a, b, op: "minimum", MinFunction(), route: LessOrEqualFunction())
    }

    /// `maximum`/`minimum`: `route(a, b)` is 1 where the result came from `a`.
    private static func selecting<F: BinaryFunction, R: BinaryFunction>(_ a: Tensor, _ b: Tensor, op: String,
                                                                         _ f: F, route: R) throws -> Tensor {
        let out = try mapBinary(a, b, op: op, f)
        return record(out, op: op, parents: [a, b]) { g in
            let mask = try mapBinary(a, b, op: op, route)
            let ga = try mapBinary(g, mask, op: op, MulFunction())
            let gb = try mapBinary(g, ga, op: op, SubFunction())
            return [ga.sumToShape(a.shape), gb.sumToShape(b.shape)]
        }
    }

    /// Untracked `self · factor` (used inside backward closures).
    package func scaled(by factor: Float) -> Tensor {
        let out = Tensor.make(shape)
        let src = storage.pointer, dst = out.storage.pointer
        for i in 0..<count { dst[i] = src[i] * factor }
        return out
    }

    /// Broadcasting addition; throws on incompatible shapes.
    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try add(a, b) }
    /// Broadcasting subtraction; throws on incompatible shapes.
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try sub(a, b) }
    /// Broadcasting multiplication; throws on incompatible shapes.
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try mul(a, b) }
    /// Broadcasting division; throws on incompatible shapes.
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try div(a, b) }
}
