import EngineTensor

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
    /// (librosa.util.fix_length); throws when that many samples would not fit in memory.
    public func fixedLength(_ length: Int) throws -> AudioSignal {
        let length = max(0, length)
        try Dim.validateCount(Double(length), op: "fix_length", of: "\(length) samples")
        return AudioSignal(samples: samples.fixedLength(length), sampleRate: sampleRate)
    }

    /// `seconds` at `sampleRate` Hz as a whole number of samples (rounded); throws, naming `op`,
    /// when that is negative, not finite or more samples than memory holds.
    public static func sampleCount(seconds: Double, sampleRate: Int, op: String) throws -> Int {
        let count = (seconds * Double(sampleRate)).rounded()
        try Dim.validateCount(count, op: op, of: "\(seconds) s at \(sampleRate) Hz")
        return Int(count)
    }
}

extension Array where Element == Float {
    /// Trimmed or zero-padded at the end to `length` elements.
    package func fixedLength(_ length: Int) -> [Float] {
        if count == length { return self }
        if count > length { return Array(self[0..<length]) }
        return self + [Float](repeating: 0, count: length - count)
    }
}
