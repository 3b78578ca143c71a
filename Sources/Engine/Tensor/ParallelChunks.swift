import Dispatch
import Foundation

/// Splits large elementwise work into one contiguous chunk per core; small work runs inline so
/// that tiny tensors pay no dispatch cost.
enum ParallelChunks {
    /// Active cores.
    package static let workers = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body` on disjoint ranges covering `0..<count`, in parallel when every chunk gets at
    /// least `minimumPerChunk` items.
    @inline(__always)
    package static func run(_ count: Int, minimumPerChunk: Int = 1 << 15, _ body: (Range<Int>) -> Void) {
        let chunks = Swift.min(workers, count / Swift.max(minimumPerChunk, 1))
        if chunks <= 1 {
            body(0..<count)
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            body((count * c / chunks)..<(count * (c + 1) / chunks))
        }
    }
}
