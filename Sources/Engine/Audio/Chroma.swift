import Foundation
import EngineFormats
import EngineTensor

/// Parameters of librosa.feature.chroma_stft, with its defaults.
public struct ChromaOptions: Equatable, Sendable {
    /// The power STFT underneath (chroma_stft's default hop is 512).
    public var stft: STFTOptions
    /// Pitch classes per octave.
    public var nChroma: Int
    /// Deviation from A440 in fractions of a chroma bin; nil estimates it from the signal like librosa.
    public var tuning: Double?

    public init(stft: STFTOptions = STFTOptions(hopLength: 512), nChroma: Int = 12, tuning: Double? = nil) {
        self.stft = stft
        self.nChroma = nChroma
        self.tuning = tuning
    }
}

extension AudioSignal {
    /// Chromagram from the power STFT (librosa.feature.chroma_stft): nChroma × frames, each frame
    /// scaled so its largest pitch class is 1, starting at C.
    public func chroma(_ options: ChromaOptions = ChromaOptions()) throws -> FeatureMatrix {
        guard options.nChroma >= 1 else { throw AudioParameterError("chroma_stft", "n_chroma must be at least 1, got \(options.nChroma)") }
        let power = try spectrogram(options.stft, power: 2)
        let sr = Double(sampleRate)
        let tuning = options.tuning ?? TuningEstimate.tuning(power: power, sampleRate: sr, binsPerOctave: options.nChroma)
        let bank = ChromaFilterbank.weights(sampleRate: sr, nFFT: options.stft.nFFT, nChroma: options.nChroma, tuning: tuning)
        var raw = FeatureMatrix(zerosRows: options.nChroma, columns: power.columns)
        bank.withUnsafeBufferPointer { w in
            power.values.withUnsafeBufferPointer { s in
                raw.values.withUnsafeMutableBufferPointer { o in
                    guard let wp = w.baseAddress, let sp = s.baseAddress, let op = o.baseAddress, power.columns > 0 else { return }
                    BLAS.sgemm(m: options.nChroma, n: power.columns, k: power.rows, a: wp, lda: power.rows,
                               b: sp, ldb: power.columns, c: op, ldc: power.columns)
                }
            }
        }
        for t in 0..<raw.columns {
            var peak: Float = 0
            for c in 0..<raw.rows { peak = max(peak, abs(raw.values[c * raw.columns + t])) }
            guard peak >= Float.leastNormalMagnitude else { continue }
            for c in 0..<raw.rows { raw.values[c * raw.columns + t] /= peak }
        }
        return raw
    }
}

/// librosa.filters.chroma: Gaussian bumps around each pitch class for every FFT bin, L2-normalised
/// per bin, weighted towards octave 5 (± 2 octaves), rows starting at C.
enum ChromaFilterbank {
    /// nChroma × (nFFT / 2 + 1) row-major weights.
    package static func weights(sampleRate: Double, nFFT: Int, nChroma: Int, tuning: Double) -> [Float] {
        let chroma = Double(nChroma)
        let a440 = 440 * pow(2, tuning / chroma)
        var position = [Double](repeating: 0, count: nFFT)   // each bin's frequency in chroma bins
        for k in 1..<max(1, nFFT) { position[k] = chroma * log2(Double(k) * (sampleRate / Double(nFFT)) / (a440 / 16)) }
        if nFFT > 1 { position[0] = position[1] - 1.5 * chroma }
        let width = (0..<nFFT).map { k in k + 1 < nFFT ? max(position[k + 1] - position[k], 1) : 1 }
        let half = (chroma / 2).rounded(.toNearestOrEven)
        var dense = [Double](repeating: 0, count: nChroma * nFFT)
        for k in 0..<nFFT {
            var norm = 0.0
            for c in 0..<nChroma {
                var d = (position[k] - Double(c) + half + 10 * chroma).truncatingRemainder(dividingBy: chroma)
                if d < 0 { d += chroma }
                let w = exp(-0.5 * pow(2 * (d - half) / width[k], 2))
                dense[c * nFFT + k] = w
                norm += w * w
            }
            let length = norm.squareRoot()
            let octave = exp(-0.5 * pow((position[k] / chroma - 5) / 2, 2))
            for c in 0..<nChroma { dense[c * nFFT + k] = dense[c * nFFT + k] / (length < Double.leastNormalMagnitude ? 1 : length) * octave }
        }
        let bins = nFFT / 2 + 1
        let shift = 3 * (nChroma / 12)   // roll so that row 0 is C rather than A
        var out = [Float](repeating: 0, count: nChroma * bins)
        for c in 0..<nChroma {
            let source = (c + shift) % nChroma
            for k in 0..<bins { out[c * bins + k] = Float(dense[source * nFFT + k]) }
        }
        return out
    }
}
