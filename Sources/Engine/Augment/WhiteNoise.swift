import Foundation
import EngineFormats
import EngineTensor

/// Additive white Gaussian noise at a random integer SNR in `[snrLow, snrHigh)` dB, one SNR per
/// source clip shared by all its copies (as the notebooks' `addAWGN`). The noise of each copy is
/// scaled by its own measured power, so every copy's SNR is exactly the drawn one.
public struct WhiteNoise: WaveformAugmentation {
    public var snrLow: Int, snrHigh: Int, seed: UInt64

    /// Noise at SNRs drawn from `[snrLow, snrHigh)`; the notebooks use 15 and 30.
    public init(snrLow: Int = 15, snrHigh: Int = 30, seed: UInt64) throws {
        guard snrHigh > snrLow else { throw DSPError("SNR range [\(snrLow), \(snrHigh)) dB is empty") }
        self.snrLow = snrLow; self.snrHigh = snrHigh; self.seed = seed
    }

    /// The SNR in dB given to every copy of clip number `clip`.
    public func snr(forClip clip: Int) -> Int {
        RandomGenerator(seed: seed, stream: [0x5A, UInt64(clip)]).int(snrLow, snrHigh)
    }

    public func apply(to signal: [Float], clip: Int, copy: Int) throws -> [Float] {
        let random = RandomGenerator(seed: seed, stream: [0x5B, UInt64(clip), UInt64(copy)])
        var noise = [Float](repeating: 0, count: signal.count)
        random.fillNormal(&noise)
        return try WhiteNoise.add(noise, to: signal, snrDB: Double(snr(forClip: clip)))
    }

    /// `signal + k · noise` with `k` such that `power(signal) / power(k · noise) = 10^(snrDB/10)`.
    public static func add(_ noise: [Float], to signal: [Float], snrDB: Double) throws -> [Float] {
        guard noise.count == signal.count else {
            throw DSPError("noise has \(noise.count) samples, signal \(signal.count)")
        }
        let noisePower = Decibels.meanPower(noise)
        let k = noisePower > 0 ? Float((Decibels.meanPower(signal) / noisePower * pow(10, -snrDB / 10)).squareRoot()) : 0
        var out = signal
        out.withUnsafeMutableBufferPointer { o in
            noise.withUnsafeBufferPointer { n in
                for i in o.indices { o[i] += k * n[i] }
            }
        }
        return out
    }
}
