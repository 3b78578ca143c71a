import CSoxr
import EngineFormats

/// Quality recipes of libsoxr, as named by python-soxr (librosa's default resampler is `soxr_hq`).
public enum ResampleQuality: String, CaseIterable, Sendable {
    case quick, low, medium, high, veryHigh

    package var recipe: UInt {
        switch self {
        case .quick: return UInt(SOXR_QQ)
        case .low: return UInt(SOXR_LQ)
        case .medium: return UInt(SOXR_MQ)
        case .high: return UInt(SOXR_HQ)
        case .veryHigh: return UInt(SOXR_VHQ)
        }
    }
}

/// A resampling request libsoxr refused.
public struct ResampleError: Error, CustomStringConvertible {
    /// libsoxr's message.
    public var reason: String
    public var description: String { "resampling failed: \(reason)" }
}

/// Thin Swift face of libsoxr's one-shot resampler for mono float32 signals.
public enum Resampler {
    /// Resamples `signal` from `fromRate` to `toRate` Hz. The output has
    /// `ceil(count · toRate / fromRate)` samples, as python-soxr returns.
    public static func resample(_ signal: [Float], from fromRate: Double, to toRate: Double,
                                quality: ResampleQuality = .high) throws -> [Float] {
        guard fromRate > 0, toRate > 0 else {
            throw ResampleError(reason: "sample rates must be positive, got \(fromRate) → \(toRate)")
        }
        if fromRate == toRate || signal.isEmpty { return signal }
        let exactCount = (Double(signal.count) * toRate / fromRate).rounded(.up)
        try Dim.validateCount(exactCount, op: "resample", of: "\(signal.count) samples at \(fromRate) Hz resampled to \(toRate) Hz")
        let outCount = Int(exactCount)
        var output = [Float](repeating: 0, count: outCount)
        var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var q = soxr_quality_spec(quality.recipe, 0)
        var produced = 0
        let error = signal.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                soxr_oneshot(fromRate, toRate, 1,
                             input.baseAddress, signal.count, nil,
                             out.baseAddress, outCount, &produced,
                             &io, &q, nil)
            }
        }
        if let error { throw ResampleError(reason: String(cString: error)) }
        if produced < outCount { output.removeLast(outCount - produced) }
        return output
    }
}
