import Foundation
import EngineFormats
import EngineTensor

/// A random waveform transformation whose randomness is fixed by a seed and the clip's position,
/// so that a dataset is augmented identically on every run, in any order, on any number of threads.
public protocol WaveformAugmentation: Sendable {
    /// The transformed `copy`-th copy (0-based) of clip number `clip`.
    func apply(to signal: [Float], clip: Int, copy: Int) throws -> [Float]
}

/// Augmented copies of a dataset and where each came from.
public struct AugmentedCopies: Sendable {
    /// The new signals, `copies` per source clip, grouped by source: clip 0's copies first.
    public var signals: [[Float]]
    /// For each new signal, the index of its source clip: its label is that clip's label.
    public var sources: [Int]

    /// `labels` of the source clips carried over to the copies.
    public func labels<Label>(from labels: [Label]) throws -> [Label] {
        try sources.map { source in
            guard labels.indices.contains(source) else {
                throw DSPError("copy of clip \(source) has no label: only \(labels.count) labels given")
            }
            return labels[source]
        }
    }
}

extension WaveformAugmentation {
    /// `copies` augmented copies of every signal, computed on all cores.
    public func copies(of signals: [[Float]], copies: Int) throws -> AugmentedCopies {
        guard copies >= 0 else { throw DSPError("number of augmented copies must be ≥ 0, got \(copies)") }
        let (total, overflow) = signals.count.multipliedReportingOverflow(by: copies)
        guard !overflow else { throw DSPError("\(copies) copies of \(signals.count) signals are too many") }
        let results = ResultSlots(count: total)
        DispatchQueue.concurrentPerform(iterations: total) { item in
            let clip = item / copies, copy = item % copies
            results.store(item, Result { try apply(to: signals[clip], clip: clip, copy: copy) })
        }
        return AugmentedCopies(signals: try results.values(),
                               sources: (0..<total).map { $0 / max(copies, 1) })
    }
}

/// Per-item results written from worker threads, each slot by exactly one worker.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<[Float], Error>]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: .success([]), count: count) }
    package func store(_ index: Int, _ result: Result<[Float], Error>) {
        lock.lock(); defer { lock.unlock() }
        slots[index] = result
    }
    package func values() throws -> [[Float]] { try slots.map { try $0.get() } }
}
