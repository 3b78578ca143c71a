import Foundation
import EngineTensor

extension AudioSignal {
    /// librosa.effects.pitch_shift: time-stretch by `2^(−semitones / binsPerOctave)`, then resample with
    /// libsoxr (`soxr_hq`) from `sr / rate` back to `sr`, fixed to the original length. Duration is kept.
    public func pitchShift(semitones: Double, binsPerOctave: Int = 12, options: STFTOptions = STFTOptions(),
                           quality: ResampleQuality = .high) throws -> AudioSignal {
        guard binsPerOctave >= 1 else {
            throw AudioParameterError("pitch_shift", "bins_per_octave must be a positive integer, got \(binsPerOctave)")
        }
        guard semitones.isFinite else { throw AudioParameterError("pitch_shift", "n_steps must be finite, got \(semitones)") }
        let rate = pow(2, -semitones / Double(binsPerOctave))
        let stretched = try timeStretch(rate: rate, options: options)
        let sourceRate = Double(sampleRate) / rate
        let resampled = try Resampler.resample(stretched.samples, from: sourceRate, to: Double(sampleRate), quality: quality)
        let resampledLength = Self.resampledCount(stretched.count, from: sourceRate, to: Double(sampleRate))
        return AudioSignal(samples: resampled.fixedLength(resampledLength).fixedLength(count), sampleRate: sampleRate)
    }
}
