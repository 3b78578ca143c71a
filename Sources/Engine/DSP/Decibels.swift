import Foundation
import EngineTensor

/// Conversions between decibels and linear amplitude, and level measurements of a signal.
public enum Decibels {
    /// Linear amplitude factor of `db` decibels: `10^(db / 20)`.
    @inlinable
    public static func amplitude(fromDB db: Double) -> Double { pow(10, db / 20) }

    /// Decibels of a linear amplitude ratio: `20 · log10(amplitude)` (−∞ for 0).
    @inlinable
    public static func db(fromAmplitude amplitude: Double) -> Double { 20 * log10(amplitude) }

    /// Decibels of a power ratio: `10 · log10(power)`.
    @inlinable
    public static func db(fromPower power: Double) -> Double { 10 * log10(power) }

    /// Mean power `Σ x² / n` of `signal` (0 when empty), accumulated in double precision.
    public static func meanPower(_ signal: [Float]) -> Double {
        guard !signal.isEmpty else { return 0 }
        return signal.withUnsafeBufferPointer { x in
            var sum = 0.0
            for v in x { sum += Double(v) * Double(v) }
            return sum / Double(x.count)
        }
    }

    /// Root-mean-square level of `signal` (0 when empty).
    public static func rms(_ signal: [Float]) -> Double { meanPower(signal).squareRoot() }

    /// Largest absolute sample of `signal` (0 when empty).
    public static func peak(_ signal: [Float]) -> Float {
        signal.withUnsafeBufferPointer { x in
            var m: Float = 0
            for v in x { m = max(m, abs(v)) }
            return m
        }
    }

    /// Multiplies every sample of `signal` by `factor`.
    public static func scale(_ signal: inout [Float], by factor: Float) {
        signal.withUnsafeMutableBufferPointer { x in
            for i in x.indices { x[i] *= factor }
        }
    }

    /// Applies a gain of `db` decibels to `signal`.
    public static func applyGain(_ signal: inout [Float], db: Double) {
        scale(&signal, by: Float(amplitude(fromDB: db)))
    }
}
