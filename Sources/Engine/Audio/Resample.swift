import EngineFormats
import EngineTensor

extension AudioSignal {
    /// The signal at `targetRate` Hz via libsoxr, as librosa.resample(res_type='soxr_hq') computes it:
    /// python-soxr's recipe with no extra flags, then fixed to `ceil(count · target / source)` samples.
    public func resampled(to targetRate: Int, quality: ResampleQuality = .high) throws -> AudioSignal {
        guard targetRate > 0 else { throw AudioParameterError("resample", "target rate must be positive, got \(targetRate)") }
        guard sampleRate > 0 else { throw AudioParameterError("resample", "source rate must be positive, got \(sampleRate)") }
        if targetRate == sampleRate { return self }
        let resampled = try Resampler.resample(samples, from: Double(sampleRate), to: Double(targetRate), quality: quality)
        return AudioSignal(samples: resampled.fixedLength(Self.resampledCount(count, from: Double(sampleRate),
                                                                              to: Double(targetRate))),
                           sampleRate: targetRate)
    }

    /// librosa's output length for a rate change: `ceil(count · to / from)`.
    static func resampledCount(_ count: Int, from: Double, to: Double) -> Int {
        Int((Double(count) * (to / from)).rounded(.up))
    }
}
