/// A mono audio signal: float32 samples (nominally in [-1, 1]) at a sample rate in Hz.
public struct AudioSignal: Equatable, Sendable {
    /// The samples, oldest first.
    public var samples: [Float]
    /// Samples per second.
    public var sampleRate: Int

    /// Wraps `samples` recorded at `sampleRate` Hz.
    public init(samples: [Float], sampleRate: Int) {
        self.samples = samples
        self.sampleRate = sampleRate
    }

    /// Number of samples.
    public var count: Int { samples.count }

    /// Length in seconds.
    public var duration: Double { sampleRate > 0 ? Double(samples.count) / Double(sampleRate) : 0 }

    /// This signal trimmed or zero-padded at the end to exactly `length` samples
    /// (librosa.util.fix_length).
    public func fixedLength(_ length: Int) -> AudioSignal {
        AudioSignal(samples: samples.fixedLength(max(0, length)), sampleRate: sampleRate)
    }
}

extension Array where Element == Float {
    /// Trimmed or zero-padded at the end to `length` elements.
    func fixedLength(_ length: Int) -> [Float] {
        if count == length { return self }
        if count > length { return Array(self[0..<length]) }
        return self + [Float](repeating: 0, count: length - count)
    }
}
