import Foundation
import EngineTensor

/// What 0 dB means in a dB conversion: a fixed value, or the largest value of the input (`ref=np.max`).
public enum DecibelReference: Equatable, Sendable {
    case max
    case value(Float)
}

extension FeatureMatrix {
    /// librosa.power_to_db: `10 · log10(max(amin, S) / max(amin, ref))`, then everything below
    /// `max − topDb` raised to it (no floor when `topDb` is nil).
    public func powerToDb(ref: DecibelReference = .value(1), amin: Float = 1e-10, topDb: Float? = 80) throws -> FeatureMatrix {
        guard amin > 0 else { throw AudioParameterError("power_to_db", "amin must be strictly positive, got \(amin)") }
        if let topDb, topDb < 0 { throw AudioParameterError("power_to_db", "top_db must be non-negative, got \(topDb)") }
        var out = self
        var peak = -Float.infinity
        out.values.withUnsafeMutableBufferPointer { v in
            guard let base = v.baseAddress else { return }
            let scan = VectorScan.maximum(base, count: v.count)
            let reference: Float
            switch ref {
            case .max: reference = scan.max
            case .value(let value): reference = abs(value)
            }
            // The fast logarithm needs normal, finite inputs; anything else takes libm's log10. The
            // reference goes through the same logarithm, so `ref: .max` puts the peak at exactly 0 dB.
            if scan.allFinite, amin >= Float.leastNormalMagnitude, reference.isFinite {
                let offset = 10 * FastLog.log10(Swift.max(amin, reference))
                peak = FastLog.decibels(base, count: v.count, amin: amin, offset: offset)
            } else {
                let offset = 10 * log10(Swift.max(amin, reference))
                for i in v.indices {
                    v[i] = 10 * log10(Swift.max(amin, v[i])) - offset
                    peak = Swift.max(peak, v[i])
                }
            }
            if let topDb { VectorScan.raise(base, count: v.count, to: peak - topDb) }
        }
        return out
    }

    /// librosa.amplitude_to_db: power_to_db of `S²` with `ref²` and `amin²`.
    public func amplitudeToDb(ref: DecibelReference = .value(1), amin: Float = 1e-5, topDb: Float? = 80) throws -> FeatureMatrix {
        var squared = self
        for i in squared.values.indices { squared.values[i] *= squared.values[i] }
        let squaredRef: DecibelReference
        switch ref {
        case .max: squaredRef = .max
        case .value(let v): squaredRef = .value(v * v)
        }
        return try squared.powerToDb(ref: squaredRef, amin: amin * amin, topDb: topDb)
    }

    /// librosa.db_to_power: `ref · 10^(S / 10)`.
    public func dbToPower(ref: Float = 1) -> FeatureMatrix {
        var out = self
        for i in out.values.indices { out.values[i] = ref * pow(10, out.values[i] * 0.1) }
        return out
    }

    /// librosa.db_to_amplitude: `sqrt(db_to_power(S, ref²))`.
    public func dbToAmplitude(ref: Float = 1) -> FeatureMatrix {
        var out = dbToPower(ref: ref * ref)
        for i in out.values.indices { out.values[i] = out.values[i].squareRoot() }
        return out
    }
}
