import Foundation
import EngineFormats
import EngineTensor
import EngineAudio

/// What `featurize` made and how.
public struct FeaturizeResult {
    /// Every item's features stacked along a new first axis, in input order.
    public var stacked: Tensor
    /// How many were computed now.
    public var computed: Int
    /// How many came from the cache.
    public var reused: Int
    /// How many computed entries were written to the cache (the policy decides).
    public var stored: Int
    /// Damaged cache entries that were recomputed, as "path: reason" (worth a warning).
    public var damaged: [String] = []
    /// Entries that could not be written (disk full, folder removed), as "path: reason"; the
    /// features themselves are fine.
    public var unwritten: [String] = []
}

/// A clip whose features could not be computed; names the clip.
public struct FeaturizeError: Error, CustomStringConvertible {
    /// The clip at fault.
    public var path: String
    /// The underlying error.
    public var underlying: Error
    public var description: String { "featurizing \(path): \(underlying)" }
}

/// Computes every item's features on `threads` threads straight into one stacked tensor, reusing
/// and filling `cache` when given. Each item names its source file and the parameters its features
/// depend on besides that file (e.g. the augmentation that made it); `compute(i)` makes item `i`'s
/// features, which must all have one shape. Peak memory is the stacked tensor plus one clip's
/// working set per thread: no per-clip results are kept. After writing, the cache is trimmed to
/// its size limit. The first failing item (in input order) is reported by name.
public func featurize(_ items: [(path: String, parameters: JSONValue)], cache: FeatureCache?,
                      threads: Int = AudioBatch.threads, compute: (Int) throws -> StoredTensor) throws -> FeaturizeResult {
    guard !items.isEmpty else { throw DataError("featurize: no items") }
    // Featurising parallelises over clips; BLAS threads inside each clip would only compete.
    let blasThreads = BLAS.threadCount
    BLAS.threadCount = 1
    defer { BLAS.threadCount = blasThreads }
    return try withoutActuallyEscaping(compute) { compute in
        try stack(FeaturizeWorker(items: items, cache: cache, compute: compute), threads: threads)
    }
}

/// Every item of `worker` on `threads` threads, copied into its slot of one stacked tensor.
private func stack(_ worker: FeaturizeWorker, threads: Int) throws -> FeaturizeResult {
    let items = worker.items
    // The first item fixes the shape, so the result can be allocated once and filled in place.
    let (first, firstOutcome) = try worker.obtain(0)
    let size = first.values.count
    let stacked = try Tensor.uninitialized([items.count] + first.shape)
    let base = UncheckedSendable(stacked.withUnsafeMutableBufferPointer { $0.baseAddress })
    copy(first.values, into: base.value, at: 0)
    let outcomes = try AudioBatch.map(count: items.count - 1, threads: threads) { offset -> FeaturizeWorker.Outcome in
        let index = offset + 1
        let (features, outcome) = try worker.obtain(index)
        guard features.shape == first.shape else {
            throw FeaturizeError(path: items[index].path, underlying: DataError(
                "features of shape \(features.shape), but \(items[0].path) gave \(first.shape); "
                + "clips of different lengths give different shapes: load them with a fixed duration"))
        }
        copy(features.values, into: base.value, at: index * size)
        return outcome
    }
    let all = [firstOutcome] + outcomes
    if let cache = worker.cache, all.contains(where: { $0.stored }) {
        FeatureCacheFolder(directory: cache.directory).evict(toFit: cache.limitBytes)
    }
    let computed = all.filter { $0.computed }.count
    return FeaturizeResult(stacked: stacked, computed: computed, reused: all.count - computed,
                           stored: all.filter { $0.stored }.count, damaged: all.compactMap { $0.damage },
                           unwritten: all.compactMap { $0.unwritten })
}

/// One item's features: from the cache, or computed (and stored when the policy says so).
private struct FeaturizeWorker {
    let items: [(path: String, parameters: JSONValue)]
    let cache: FeatureCache?
    let compute: (Int) throws -> StoredTensor

    struct Outcome {
        var computed = false, stored = false
        var damage: String?, unwritten: String?
    }

    func obtain(_ index: Int) throws -> (StoredTensor, Outcome) {
        let (path, parameters) = items[index]
        do {
            var outcome = Outcome()
            switch try cache?.lookup(path: path, parameters: parameters) {
            case .hit(let tensor)?: return (tensor, outcome)
            case .damaged(let reason)?: outcome.damage = "\(path): \(reason)"
            case .miss?, nil: break
            }
            let start = threadCPUSeconds()
            let tensor = try compute(index)
            let seconds = threadCPUSeconds() - start
            guard tensor.values.count == tensor.shape.reduce(1, *) else {
                throw DataError("features have shape \(tensor.shape) but \(tensor.values.count) values")
            }
            outcome.computed = true
            if let cache, cache.policy.shouldStore(computeSeconds: seconds, bytes: 4 * tensor.values.count) {
                do {
                    try cache.store(tensor, path: path, parameters: parameters)
                    outcome.stored = true
                } catch {
                    outcome.unwritten = "\(path): \(error)"
                }
            }
            return (tensor, outcome)
        } catch let error as FeaturizeError {
            throw error
        } catch {
            throw FeaturizeError(path: path, underlying: error)
        }
    }
}

/// Copies `values` to `base + offset` (a slot of the stacked tensor; workers write disjoint slots).
private func copy(_ values: [Float], into base: UnsafeMutablePointer<Float>?, at offset: Int) {
    guard let base else { return }
    values.withUnsafeBufferPointer { source in
        if let from = source.baseAddress { (base + offset).update(from: from, count: source.count) }
    }
}

/// CPU seconds this thread has used: the cost of computing an item whatever else the machine runs
/// (wall time on a busy machine would make cheap features look expensive).
private func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
