import Dispatch
import Foundation

/// Splits independent kernel work (batch samples, channels, rows) across the cores.
///
/// While the workers run, OpenBLAS is held to one thread so that its own threads and ours never
/// compete for the same two cores; the previous thread count is restored afterwards.
public enum KernelParallel {
    /// Workers used for a parallel loop: the active core count.
    public static let workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body(worker, range)` once per worker with disjoint contiguous slices of `0..<count`.
    /// Runs inline when there is a single slice or `count` is below `minimumPerWorker · 2`.
    public static func forEachSlice(_ count: Int, minimumPerWorker: Int = 1,
                                    _ body: (_ worker: Int, _ range: Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = min(workerCount, max(1, count / max(1, minimumPerWorker)))
        if workers == 1 {
            body(0, 0..<count)
            return
        }
        let previous = BLAS.threadCount
        BLAS.threadCount = 1
        defer { BLAS.threadCount = previous }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let begin = count * worker / workers
            let end = count * (worker + 1) / workers
            body(worker, begin..<end)
        }
    }
}

/// A float scratch buffer owned by one kernel call, from the tensor buffer pool (large scratch
/// space is then recycled across calls instead of page-faulted fresh each time).
@usableFromInline
struct ScratchBuffer {
    package let pointer: UnsafeMutablePointer<Float>
    package let count: Int

    /// A zero-initialised buffer (for accumulators).
    init(count: Int) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: 0, count: self.count)
    }

    /// A buffer the caller overwrites completely before reading.
    init(uninitializedCount count: Int) {
        self.count = max(1, count)
        pointer = BufferPool.shared.take(self.count)
    }

    func free() { BufferPool.shared.give(pointer, count: count) }
}
