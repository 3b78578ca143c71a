import Dispatch
import Foundation
import EngineTensor

/// Featurising a corpus: one independent job per file, spread over the cores.
public enum AudioBatch {
    /// Threads featurisation uses when none are given: every core unless the command line's
    /// `--threads` says otherwise.
    nonisolated(unsafe) public static var threads = ProcessInfo.processInfo.activeProcessorCount

    /// `transform(path)` for every path, in order, run on `threads` threads (each takes every
    /// `threads`-th file). Throws the error of the first failing path in list order, which names
    /// the file when it comes from loading. Keep OpenBLAS at one thread while this runs.
    public static func featurize<Output>(paths: [String], threads: Int = AudioBatch.threads,
                                         _ transform: (String) throws -> Output) throws -> [Output] {
        try map(count: paths.count, threads: threads) { try transform(paths[$0]) }
    }

    /// `transform(i)` for `i` in `0..<count`, in order, on `threads` threads; throws the error of
    /// the first failing index, or `Interruption.Stopped` when a stop was requested part-way.
    public static func map<Output>(count: Int, threads: Int = AudioBatch.threads,
                                   _ transform: (Int) throws -> Output) throws -> [Output] {
        let workers = max(1, min(threads, count))
        var results = [Result<Output, Error>?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { slots in
            // Each index is written by exactly one worker, so the slots need no lock.
            let shared = UncheckedSendable(slots)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in stride(from: worker, to: count, by: workers) {
                    if Interruption.isRequested { break }   // Ctrl-C, SIGTERM: stop between items
                    shared.value[index] = Result { try transform(index) }
                }
            }
        }
        if Interruption.isRequested, results.contains(where: { $0 == nil }) { throw Interruption.Stopped() }
        return try results.map { slot in
            guard let slot else { throw AudioParameterError("featurize", "an item was skipped") }
            return try slot.get()
        }
    }
}

/// Hands a value to concurrent workers whose accesses are disjoint by construction.
package struct UncheckedSendable<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}
