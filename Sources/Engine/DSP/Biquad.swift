import Foundation
import EngineTensor

/// A second-order IIR section with coefficients normalised by `a0`:
/// `y[n] = b0·x[n] + b1·x[n−1] + b2·x[n−2] − a1·y[n−1] − a2·y[n−2]`.
///
/// The designs are those of R. Bristow-Johnson's "Audio EQ Cookbook" (bilinear transform of the
/// analog prototypes with the cut-off pre-warped), so `|H|` at the design frequency is exact.
public struct Biquad: Equatable, Sendable {
    public var b0: Double, b1: Double, b2: Double, a1: Double, a2: Double

    /// A section from raw coefficients; `a0` divides all the others.
    public init(b0: Double, b1: Double, b2: Double, a0: Double = 1, a1: Double, a2: Double) {
        self.b0 = b0 / a0; self.b1 = b1 / a0; self.b2 = b2 / a0
        self.a1 = a1 / a0; self.a2 = a2 / a0
    }

    /// Second-order low-pass with cut-off `frequency` Hz and resonance `q` (0.7071 = Butterworth).
    public static func lowPass(frequency: Double, q: Double = 0.5.squareRoot(),
                               sampleRate: Double) throws -> Biquad {
        let w = try Warp(frequency: frequency, q: q, sampleRate: sampleRate)
        return Biquad(b0: (1 - w.cos) / 2, b1: 1 - w.cos, b2: (1 - w.cos) / 2,
                      a0: 1 + w.alpha, a1: -2 * w.cos, a2: 1 - w.alpha)
    }

    /// Second-order high-pass with cut-off `frequency` Hz and resonance `q`.
    public static func highPass(frequency: Double, q: Double = 0.5.squareRoot(),
                                sampleRate: Double) throws -> Biquad {
        let w = try Warp(frequency: frequency, q: q, sampleRate: sampleRate)
        return Biquad(b0: (1 + w.cos) / 2, b1: -(1 + w.cos), b2: (1 + w.cos) / 2,
                      a0: 1 + w.alpha, a1: -2 * w.cos, a2: 1 - w.alpha)
    }

    /// Peaking EQ: `gainDB` at `frequency` Hz, bandwidth set by `q`, unity far from it.
    public static func peaking(frequency: Double, q: Double, gainDB: Double,
                               sampleRate: Double) throws -> Biquad {
        let w = try Warp(frequency: frequency, q: q, sampleRate: sampleRate)
        let a = pow(10, gainDB / 40)
        return Biquad(b0: 1 + w.alpha * a, b1: -2 * w.cos, b2: 1 - w.alpha * a,
                      a0: 1 + w.alpha / a, a1: -2 * w.cos, a2: 1 - w.alpha / a)
    }

    /// Low shelf: `gainDB` below `frequency` Hz (half of it at `frequency`), unity above.
    public static func lowShelf(frequency: Double, gainDB: Double, q: Double = 0.5.squareRoot(),
                                sampleRate: Double) throws -> Biquad {
        let w = try Warp(frequency: frequency, q: q, sampleRate: sampleRate)
        let a = pow(10, gainDB / 40), root = 2 * a.squareRoot() * w.alpha
        return Biquad(b0: a * ((a + 1) - (a - 1) * w.cos + root),
                      b1: 2 * a * ((a - 1) - (a + 1) * w.cos),
                      b2: a * ((a + 1) - (a - 1) * w.cos - root),
                      a0: (a + 1) + (a - 1) * w.cos + root,
                      a1: -2 * ((a - 1) + (a + 1) * w.cos),
                      a2: (a + 1) + (a - 1) * w.cos - root)
    }

    /// High shelf: `gainDB` above `frequency` Hz (half of it at `frequency`), unity below.
    public static func highShelf(frequency: Double, gainDB: Double, q: Double = 0.5.squareRoot(),
                                 sampleRate: Double) throws -> Biquad {
        let w = try Warp(frequency: frequency, q: q, sampleRate: sampleRate)
        let a = pow(10, gainDB / 40), root = 2 * a.squareRoot() * w.alpha
        return Biquad(b0: a * ((a + 1) + (a - 1) * w.cos + root),
                      b1: -2 * a * ((a - 1) + (a + 1) * w.cos),
                      b2: a * ((a + 1) + (a - 1) * w.cos - root),
                      a0: (a + 1) - (a - 1) * w.cos + root,
                      a1: 2 * ((a - 1) - (a + 1) * w.cos),
                      a2: (a + 1) - (a - 1) * w.cos - root)
    }

    /// Magnitude of the transfer function `H(e^{jω})` at `frequency` Hz.
    public func magnitude(at frequency: Double, sampleRate: Double) -> Double {
        let w = 2 * Double.pi * frequency / sampleRate
        // H = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²) with z⁻¹ = e^{−jω}.
        let numRe = b0 + b1 * cos(w) + b2 * cos(2 * w), numIm = -(b1 * sin(w) + b2 * sin(2 * w))
        let denRe = 1 + a1 * cos(w) + a2 * cos(2 * w), denIm = -(a1 * sin(w) + a2 * sin(2 * w))
        return ((numRe * numRe + numIm * numIm) / (denRe * denRe + denIm * denIm)).squareRoot()
    }

    /// Filters `signal` in place from a zero state (transposed direct form II, double-precision state).
    public func apply(to signal: inout [Float]) {
        var s1 = 0.0, s2 = 0.0
        signal.withUnsafeMutableBufferPointer { x in
            for i in x.indices {
                let input = Double(x[i])
                let output = b0 * input + s1
                s1 = b1 * input - a1 * output + s2
                s2 = b2 * input - a2 * output
                x[i] = Float(output)
            }
        }
    }

    /// Cookbook intermediates `cos ω0` and `α = sin ω0 / (2Q)`, after validating the design request.
    private struct Warp {
        package let cos: Double, alpha: Double
        init(frequency: Double, q: Double, sampleRate: Double) throws {
            guard sampleRate > 0, frequency > 0, frequency < sampleRate / 2 else {
                throw DSPError("filter frequency \(frequency) Hz must lie strictly between 0 and "
                               + "the Nyquist frequency \(sampleRate / 2) Hz")
            }
            guard q > 0, q.isFinite else { throw DSPError("filter Q must be positive, got \(q)") }
            let w0 = 2 * Double.pi * frequency / sampleRate
            self.cos = Foundation.cos(w0)
            self.alpha = Foundation.sin(w0) / (2 * q)
        }
    }
}
