import EngineFormats
import EngineTensor

extension AudioSignal {
    /// librosa.effects.time_stretch: STFT (`options`, librosa's defaults), phase vocoder at `rate`,
    /// inverse STFT to `round(count / rate)` samples. `rate` > 1 speeds up, < 1 slows down; pitch is kept.
    public func timeStretch(rate: Double, options: STFTOptions = STFTOptions()) throws -> AudioSignal {
        guard rate > 0, rate.isFinite else { throw AudioParameterError("time_stretch", "rate must be a positive number, got \(rate)") }
        let outputCount = (Double(count) / rate).rounded(.toNearestOrEven)
        try Dim.validateCount(outputCount, op: "time_stretch", of: "\(count) samples stretched by rate \(rate)")
        let stretched = try stft(options).phaseVocoder(rate: rate, hopLength: options.resolvedHopLength)
        return AudioSignal(samples: try stretched.istft(options, length: Int(outputCount)), sampleRate: sampleRate)
    }
}
