import Foundation
import EngineTensor

/// A random time stretch (librosa.effects.time_stretch) by a rate uniform in `[lowRate, highRate)`,
/// cut or zero-padded back to the input length so features keep their shape.
public struct RandomTimeStretch: WaveformAugmentation {
    public var lowRate: Double, highRate: Double, sampleRate: Int, seed: UInt64

    /// Rates drawn from `[lowRate, highRate)`, both positive (> 1 speeds up).
    public init(lowRate: Double, highRate: Double, sampleRate: Int, seed: UInt64) throws {
        guard lowRate > 0, highRate >= lowRate, highRate.isFinite else {
            throw DSPError("time-stretch rate range [\(lowRate), \(highRate)) must be positive and ordered")
        }
        self.lowRate = lowRate; self.highRate = highRate; self.sampleRate = sampleRate; self.seed = seed
    }

    public func apply(to signal: [Float], clip: Int, copy: Int) throws -> [Float] {
        let random = RandomGenerator(seed: seed, stream: [0x9A, UInt64(clip), UInt64(copy)])
        let rate = random.uniformDouble(lowRate, highRate)
        return try AudioSignal(samples: signal, sampleRate: sampleRate).timeStretch(rate: rate).fixedLength(signal.count).samples
    }
}

/// A random pitch shift (librosa.effects.pitch_shift) by a number of semitones uniform in
/// `[lowSteps, highSteps)`; the length is kept.
public struct RandomPitchShift: WaveformAugmentation {
    public var lowSteps: Double, highSteps: Double, sampleRate: Int, seed: UInt64

    /// Shifts drawn from `[lowSteps, highSteps)` semitones (negative = lower).
    public init(lowSteps: Double, highSteps: Double, sampleRate: Int, seed: UInt64) throws {
        guard highSteps >= lowSteps, lowSteps.isFinite, highSteps.isFinite else {
            throw DSPError("pitch-shift range [\(lowSteps), \(highSteps)) semitones must be finite and ordered")
        }
        self.lowSteps = lowSteps; self.highSteps = highSteps; self.sampleRate = sampleRate; self.seed = seed
    }

    public func apply(to signal: [Float], clip: Int, copy: Int) throws -> [Float] {
        let random = RandomGenerator(seed: seed, stream: [0xBA, UInt64(clip), UInt64(copy)])
        return try AudioSignal(samples: signal, sampleRate: sampleRate).pitchShift(semitones: random.uniformDouble(lowSteps, highSteps)).samples
    }
}
