import Foundation
import EngineFormats

extension Tensor {
    /// Matrix product with PyTorch's `matmul` rules: 1-D operands are promoted to a row/column
    /// and the added dimension removed again; leading (batch) dimensions broadcast. A 2-D right
    /// operand against a batched left one runs as one GEMM over the folded batch.
    public static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.rank >= 1, b.rank >= 1 else { throw TensorError.shapes("matmul", a.shape, b.shape, "scalars cannot be multiplied as matrices") }
        // Vectors as PyTorch treats them: a row on the left, a column on the right, the added
        // dimension removed again (two vectors: their dot product, a scalar).
        if a.rank == 1 && b.rank == 1 { return try matmul(a.unsqueeze(0), b).squeeze(0) }
        if a.rank == 1 { return try matmul(a.unsqueeze(0), b).squeeze(-2) }
        if b.rank == 1 { return try matmul(a, b.unsqueeze(1)).squeeze(-1) }
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], k2 = b.shape[b.rank - 2], n = b.shape[b.rank - 1]
        guard k == k2 else { throw TensorError.shapes("matmul", a.shape, b.shape, "inner dimensions \(k) and \(k2) differ") }
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        let batch = try Broadcast.shape(batchA, batchB, op: "matmul")
        try Dim.validate(batch + [m, n], op: "matmul")
        let out = make(batch + [m, n])
        let pairs = BatchPairs(batch: batch, batchA: batchA, batchB: batchB)
        gemmBatch(pairs, transA: false, transB: false, m: m, n: n, k: k,
                  a: a.storage.pointer, aStride: m * k, b: b.storage.pointer, bStride: k * n,
                  c: out.storage.pointer, cStride: m * n, accumulate: false)
        return record(out, op: "matmul", parents: [a, b]) { g in
            // dA = dC · Bᵀ and dB = Aᵀ · dC, each summed over the batch entries that shared it.
            let ga = a.requiresGrad ? accumulated(a.shape) { c in
                gemmBatch(pairs.writingA, transA: false, transB: true, m: m, n: k, k: n, a: g.storage.pointer, aStride: m * n,
                          b: b.storage.pointer, bStride: k * n, c: c, cStride: m * k, accumulate: true)
            } : nil
            let gb = b.requiresGrad ? accumulated(b.shape) { c in
                gemmBatch(pairs.writingB, transA: true, transB: false, m: k, n: n, k: m, a: a.storage.pointer, aStride: m * k,
                          b: g.storage.pointer, bStride: m * n, c: c, cStride: k * n, accumulate: true)
            } : nil
            return [ga, gb]
        }
    }

    /// A zero tensor of `shape` into which `fill` accumulates.
    private static func accumulated(_ shape: [Int], _ fill: (UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        let out = Tensor(shape: shape, storage: TensorStorage(count: Dim.count(shape), repeating: 0))
        fill(out.storage.pointer)
        return out
    }

    /// Runs one GEMM per batch entry: `C[c] (+)= op(A[a]) · op(B[b])` for each `(a, b, c)`.
    /// Entries writing the same `C` block (broadcast reductions) run in order; when every
    /// entry writes its own block and the matrices are small, entries run on both cores.
    private static func gemmBatch(_ pairs: BatchPairs, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                                  a: UnsafeMutablePointer<Float>, aStride: Int,
                                  b: UnsafeMutablePointer<Float>, bStride: Int,
                                  c: UnsafeMutablePointer<Float>, cStride: Int, accumulate: Bool) {
        let lda = transA ? m : k, ldb = transB ? k : n
        if let folded = pairs.foldedLeft, !transA {
            // A's batch entries are consecutive row blocks sharing one B: a single tall GEMM.
            BLAS.sgemm(transA: false, transB: transB, m: m * folded, n: n, k: k, a: a, lda: lda,
                       b: b, ldb: ldb, beta: accumulate ? 1 : 0, c: c, ldc: n)
            return
        }
        if let folded = pairs.foldedLeft, transA, !accumulate || pairs.reducesIntoOne {
            // Σ_batch A[i]ᵀ·G[i] over consecutive row blocks is one GEMM with K = batch·rows.
            BLAS.sgemm(transA: true, transB: transB, m: m, n: n, k: k * folded, a: a, lda: lda,
                       b: b, ldb: ldb, beta: accumulate ? 1 : 0, c: c, ldc: n)
            return
        }
        let entries = pairs.entries
        let run = { (e: (a: Int, b: Int, c: Int)) in
            BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k,
                       a: a + e.a * aStride, lda: lda, b: b + e.b * bStride, ldb: ldb,
                       beta: accumulate ? 1 : 0, c: c + e.c * cStride, ldc: n)
        }
        if pairs.distinctOutputs, entries.count > 1, m * n * k < 64 * 64 * 64 {
            let saved = BLAS.threadCount
            BLAS.threadCount = 1
            DispatchQueue.concurrentPerform(iterations: entries.count) { run(entries[$0]) }
            BLAS.threadCount = saved
        } else {
            for e in entries { run(e) }
        }
    }
}

/// Which A, B and C matrices meet in each GEMM of a batched (broadcast) matmul.
struct BatchPairs {
    /// `(a, b, c)` matrix indices per GEMM.
    package let entries: [(a: Int, b: Int, c: Int)]
    /// Whether every GEMM writes a different C.
    let distinctOutputs: Bool
    /// Set when B has no batch and A's batch is the whole output batch: A folds into rows.
    let foldedLeft: Int?
    /// Whether all C indices are 0 (a reduction into a single matrix).
    let reducesIntoOne: Bool

    init(batch: [Int], batchA: [Int], batchB: [Int]) {
        let total = Dim.count(batch)
        let stridesA = Broadcast.strides(of: batchA, in: batch), stridesB = Broadcast.strides(of: batchB, in: batch)
        var entries: [(a: Int, b: Int, c: Int)] = []
        entries.reserveCapacity(total)
        var index = [Int](repeating: 0, count: batch.count)
        for c in 0..<total {
            var ia = 0, ib = 0
            for d in 0..<batch.count { ia += index[d] * stridesA[d]; ib += index[d] * stridesB[d] }
            entries.append((ia, ib, c))
            var d = batch.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < batch[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        self.init(entries: entries, foldedLeft: Dim.count(batchB) == 1 && Dim.count(batchA) == total && total > 0 ? total : nil)
    }

    private init(entries: [(a: Int, b: Int, c: Int)], foldedLeft: Int?) {
        self.entries = entries
        self.foldedLeft = foldedLeft
        distinctOutputs = Set(entries.map(\.c)).count == entries.count
        reducesIntoOne = entries.allSatisfy { $0.c == 0 }
    }

    /// Entries for dA = G·Bᵀ: output index is A's, inputs are (G, B). Folding still applies.
    var writingA: BatchPairs {
        BatchPairs(entries: entries.map { (a: $0.c, b: $0.b, c: $0.a) }, foldedLeft: foldedLeft)
    }

    /// Entries for dB = Aᵀ·G: output index is B's, inputs are (A, G); folds into one GEMM
    /// when B had no batch.
    var writingB: BatchPairs {
        BatchPairs(entries: entries.map { (a: $0.a, b: $0.c, c: $0.b) }, foldedLeft: foldedLeft)
    }
}
