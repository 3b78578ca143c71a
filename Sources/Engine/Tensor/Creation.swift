import EngineFormats

extension Tensor {
    /// A tensor of `shape` holding `values` in row-major order; throws if the counts differ.
    public convenience init(shape: [Int], values: [Float], requiresGrad: Bool = false) throws {
        try Dim.validate(shape, op: "Tensor(shape:values:)")
        guard Dim.count(shape) == values.count else {
            throw TensorError(op: "Tensor(shape:values:)", reason: "shape \(shape) needs \(Dim.count(shape)) values, got \(values.count)")
        }
        let storage = values.withUnsafeBufferPointer { TensorStorage(copying: $0) }
        self.init(shape: shape, storage: storage, requiresGrad: requiresGrad)
    }

    /// A one-dimensional tensor of `values`.
    public convenience init(_ values: [Float], requiresGrad: Bool = false) {
        let storage = values.withUnsafeBufferPointer { TensorStorage(copying: $0) }
        self.init(shape: [values.count], storage: storage, requiresGrad: requiresGrad)
    }

    /// A zero-dimensional (scalar) tensor.
    public convenience init(scalar: Float, requiresGrad: Bool = false) {
        self.init(shape: [], storage: TensorStorage(count: 1, repeating: scalar), requiresGrad: requiresGrad)
    }

    /// A two-dimensional tensor from rows of equal length; throws on ragged rows.
    public convenience init(rows: [[Float]], requiresGrad: Bool = false) throws {
        let width = rows.first?.count ?? 0
        guard let ragged = rows.firstIndex(where: { $0.count != width }) else {
            try self.init(shape: [rows.count, width], values: rows.flatMap { $0 }, requiresGrad: requiresGrad)
            return
        }
        throw TensorError(op: "Tensor(rows:)", reason: "row \(ragged) has \(rows[ragged].count) values, row 0 has \(width)")
    }

    /// A tensor of `shape` filled with `value`.
    public static func full(_ shape: [Int], _ value: Float, requiresGrad: Bool = false) throws -> Tensor {
        try Dim.validate(shape, op: "full")
        return Tensor(shape: shape, storage: TensorStorage(count: Dim.count(shape), repeating: value), requiresGrad: requiresGrad)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) throws -> Tensor {
        try full(shape, 0, requiresGrad: requiresGrad)
    }

    /// A tensor of ones.
    public static func ones(_ shape: [Int], requiresGrad: Bool = false) throws -> Tensor {
        try full(shape, 1, requiresGrad: requiresGrad)
    }

    /// Zeros of the same shape as `other`.
    public static func zeros(like other: Tensor) -> Tensor {
        Tensor(shape: other.shape, storage: TensorStorage(count: other.count, repeating: 0))
    }

    /// Ones of the same shape as `other`.
    public static func ones(like other: Tensor) -> Tensor {
        Tensor(shape: other.shape, storage: TensorStorage(count: other.count, repeating: 1))
    }

    /// `start, start + step, …` up to but excluding `end`, as a 1-D tensor (PyTorch's `arange`).
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) throws -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw TensorError(op: "arange", reason: "needs finite bounds and a non-zero step, got \(start)..<\(end) step \(step)")
        }
        let steps = Swift.max(0, (Double(end - start) / Double(step)).rounded(.up))
        guard steps <= Double(Dim.maximumElements) else {
            throw TensorError(op: "arange", reason: "\(start)..<\(end) step \(step) has too many elements to hold in memory")
        }
        let n = Int(steps)
        let out = make([n])
        let p = out.storage.pointer
        for i in 0..<n { p[i] = start + Float(i) * step }
        return out
    }

    /// The `n × n` identity matrix.
    public static func eye(_ n: Int) throws -> Tensor {
        let out = try zeros([n, n])
        for i in 0..<n { out.storage.pointer[i * n + i] = 1 }
        return out
    }

    /// Normal samples (`mean`, `std`) from `generator` (the global one by default).
    public static func randn(_ shape: [Int], mean: Float = 0, std: Float = 1,
                             generator: RandomGenerator = .global, requiresGrad: Bool = false) throws -> Tensor {
        try sampled(shape, requiresGrad) { generator.fillNormal($0, mean: mean, std: std) }
    }

    /// Uniform samples in `[low, high)` from `generator` (the global one by default).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                               generator: RandomGenerator = .global, requiresGrad: Bool = false) throws -> Tensor {
        try sampled(shape, requiresGrad) { generator.fillUniform($0, low: low, high: high) }
    }

    /// A fresh tensor of validated `shape` filled by `fill`.
    private static func sampled(_ shape: [Int], _ requiresGrad: Bool,
                                _ fill: (UnsafeMutableBufferPointer<Float>) -> Void) throws -> Tensor {
        let out = try uninitialized(shape)
        fill(out.storage.buffer)
        out.requiresGrad = requiresGrad
        return out
    }
}
