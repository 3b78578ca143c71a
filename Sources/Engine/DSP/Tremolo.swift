import Foundation
import EngineTensor

/// Amplitude modulation by a sinusoid.
public enum Tremolo {
    /// Multiplies `signal` by `1 − depth · (1 − cos(2π·rate·t + phase)) / 2`, a gain swinging
    /// between 1 and `1 − depth` at `rate` Hz. `depth` lies in [0, 1].
    public static func apply(to signal: inout [Float], rate: Double, depth: Double,
                             sampleRate: Double, phase: Double = 0) throws {
        guard (0...1).contains(depth) else { throw DSPError("tremolo depth must lie in [0, 1], got \(depth)") }
        guard rate >= 0, rate < sampleRate / 2 else {
            throw DSPError("tremolo rate \(rate) Hz must lie in [0, \(sampleRate / 2)) Hz")
        }
        let step = 2 * Double.pi * rate / sampleRate
        signal.withUnsafeMutableBufferPointer { x in
            for i in x.indices {
                let gain = 1 - depth * (1 - cos(step * Double(i) + phase)) / 2
                x[i] *= Float(gain)
            }
        }
    }
}
