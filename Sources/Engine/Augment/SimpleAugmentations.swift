import Foundation
import EngineFormats
import EngineTensor

/// A random gain, uniform in `[lowDB, highDB)` decibels.
public struct RandomGain: WaveformAugmentation {
    public var lowDB: Double, highDB: Double, seed: UInt64

    /// Gains drawn from `[lowDB, highDB)` dB.
    public init(lowDB: Double, highDB: Double, seed: UInt64) throws {
        guard highDB >= lowDB else { throw DSPError("gain range [\(lowDB), \(highDB)) dB is reversed") }
        self.lowDB = lowDB; self.highDB = highDB; self.seed = seed
    }

    public func apply(to signal: [Float], clip: Int, copy: Int) throws -> [Float] {
        let random = RandomGenerator(seed: seed, stream: [0x6A, UInt64(clip), UInt64(copy)])
        var out = signal
        Decibels.applyGain(&out, db: random.uniformDouble(lowDB, highDB))
        return out
    }
}

/// A random shift in time by up to `maxShift` samples either way; the length is kept, vacated
/// samples are zero (no wrap-around).
public struct TimeShift: WaveformAugmentation {
    public var maxShift: Int, seed: UInt64

    /// Shifts drawn uniformly from `[-maxShift, maxShift]` samples.
    public init(maxShift: Int, seed: UInt64) throws {
        // Below Int.max so that the draw's upper bound, maxShift + 1, exists.
        guard maxShift >= 0, maxShift < Int.max else { throw DSPError("maximum time shift must be in 0..<Int.max samples, got \(maxShift)") }
        self.maxShift = maxShift; self.seed = seed
    }

    /// The shift in samples (positive = later) of a copy.
    public func shift(clip: Int, copy: Int) -> Int {
        RandomGenerator(seed: seed, stream: [0x7A, UInt64(clip), UInt64(copy)]).int(-maxShift, maxShift + 1)
    }

    public func apply(to signal: [Float], clip: Int, copy: Int) throws -> [Float] {
        let offset = shift(clip: clip, copy: copy)
        var out = [Float](repeating: 0, count: signal.count)
        let first = max(0, offset), end = min(signal.count, signal.count + offset)
        if first < end {
            for i in first..<end { out[i] = signal[i - offset] }
        }
        return out
    }
}

/// Tanh distortion `y = tanh(d · x) / tanh(d)` with a drive `d` uniform in `[lowDrive, highDrive)`:
/// full scale stays full scale, everything below it is compressed towards it.
public struct TanhDistortion: WaveformAugmentation {
    public var lowDrive: Float, highDrive: Float, seed: UInt64

    /// Drives drawn from `[lowDrive, highDrive)`, both positive.
    public init(lowDrive: Float, highDrive: Float, seed: UInt64) throws {
        guard lowDrive > 0, highDrive >= lowDrive else {
            throw DSPError("tanh drive range [\(lowDrive), \(highDrive)) must be positive and ordered")
        }
        self.lowDrive = lowDrive; self.highDrive = highDrive; self.seed = seed
    }

    public func apply(to signal: [Float], clip: Int, copy: Int) throws -> [Float] {
        let random = RandomGenerator(seed: seed, stream: [0x8A, UInt64(clip), UInt64(copy)])
        let drive = Float(random.uniformDouble(Double(lowDrive), Double(highDrive)))
        var out = signal
        try SoftClip.tanh(&out, drive: drive)
        Decibels.scale(&out, by: 1 / Foundation.tanh(drive))
        return out
    }
}
