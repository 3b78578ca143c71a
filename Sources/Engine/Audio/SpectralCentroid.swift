import EngineFormats
import EngineTensor

extension AudioSignal {
    /// The magnitude-weighted mean frequency of each frame in Hz (librosa.feature.spectral_centroid,
    /// default hop 512): 1 × frames. Silent frames give 0.
    public func spectralCentroid(_ options: STFTOptions = STFTOptions(hopLength: 512)) throws -> FeatureMatrix {
        try spectrogram(options, power: 1).spectralCentroid(sampleRate: Double(sampleRate))
    }
}

extension FeatureMatrix {
    /// Spectral centroid of a magnitude spectrogram (bins × frames) from an FFT of `2 · (rows − 1)` points.
    public func spectralCentroid(sampleRate: Double) throws -> FeatureMatrix {
        guard rows >= 2 else { throw AudioParameterError("spectral_centroid", "need at least 2 frequency bins, got \(rows)") }
        let binHz = sampleRate / Double(2 * (rows - 1))
        var out = FeatureMatrix(zerosRows: 1, columns: columns)
        for t in 0..<columns {
            var weighted = 0.0, total = 0.0
            for f in 0..<rows {
                let magnitude = Double(values[f * columns + t])
                weighted += Double(f) * binHz * magnitude
                total += magnitude
            }
            // librosa leaves columns whose L1 norm is below float32's tiny unnormalised: centroid 0.
            out.values[t] = total < Double(Float.leastNormalMagnitude) ? 0 : Float(weighted / total)
        }
        return out
    }
}
