extension AudioSignal {
    /// librosa.effects.time_stretch: STFT (`options`, librosa's defaults), phase vocoder at `rate`,
    /// inverse STFT to `round(count / rate)` samples. `rate` > 1 speeds up, < 1 slows down; pitch is kept.
    public func timeStretch(rate: Double, options: STFTOptions = STFTOptions()) throws -> AudioSignal {
        guard rate > 0, rate.isFinite else { throw AudioParameterError("time_stretch", "rate must be a positive number, got \(rate)") }
        let stretched = try stft(options).phaseVocoder(rate: rate, hopLength: options.resolvedHopLength)
        let length = Int((Double(count) / rate).rounded(.toNearestOrEven))
        return AudioSignal(samples: try stretched.istft(options, length: length), sampleRate: sampleRate)
    }
}
