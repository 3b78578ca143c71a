import Foundation
import EngineFormats
import EngineTensor

extension ComplexSpectrogram {
    /// librosa.phase_vocoder: resamples the frames at `rate` (> 1 is faster), interpolating magnitudes
    /// linearly between neighbouring frames and advancing each bin's phase by its measured rate.
    /// `hopLength` is the STFT's hop; nil means `nFFT / 4`.
    public func phaseVocoder(rate: Double, hopLength: Int? = nil) throws -> ComplexSpectrogram {
        guard rate > 0, rate.isFinite else { throw AudioParameterError("phase_vocoder", "rate must be positive, got \(rate)") }
        let nFFT = 2 * (bins - 1)
        let hop = Double(hopLength ?? nFFT / 4)
        let frameCount = (Double(frames) / rate).rounded(.up)
        try Dim.validateCount(2 * Double(bins) * frameCount, op: "phase_vocoder", of: "\(frames) frames stretched by rate \(rate)")
        let steps = Int(frameCount)
        // phi_advance[f] = hop · f · 2π / nFFT, in numpy.fft.rfftfreq's arithmetic.
        let binSpacing = 1 / (Double(nFFT) * (1 / (2 * Double.pi)))
        let advance = (0..<bins).map { hop * (Double($0) * binSpacing) }
        var out = ComplexSpectrogram(checkedBins: bins, frames: steps, values: [Float](repeating: 0, count: 2 * bins * steps))
        guard frames > 0 else { return out }
        var phase = (0..<bins).map { atan2f(values[2 * $0 + 1], values[2 * $0]) }
        // Two zero frames past the end, as librosa pads, so the last steps interpolate towards silence.
        let padded = values + [Float](repeating: 0, count: 4 * bins)
        for t in 0..<steps {
            let step = Double(t) * rate
            let left = Int(step)
            let alpha = step.truncatingRemainder(dividingBy: 1)
            for f in 0..<bins {
                let (re0, im0) = (padded[2 * (left * bins + f)], padded[2 * (left * bins + f) + 1])
                let (re1, im1) = (padded[2 * ((left + 1) * bins + f)], padded[2 * ((left + 1) * bins + f) + 1])
                let magnitude = (1 - alpha) * Double((re0 * re0 + im0 * im0).squareRoot())
                    + alpha * Double((re1 * re1 + im1 * im1).squareRoot())
                out.values[2 * (t * bins + f)] = Float(magnitude * Double(cosf(phase[f])))
                out.values[2 * (t * bins + f) + 1] = Float(magnitude * Double(sinf(phase[f])))
                var delta = Double(atan2f(im1, re1) - atan2f(im0, re0)) - advance[f]
                delta -= 2 * Double.pi * (delta / (2 * Double.pi)).rounded(.toNearestOrEven)
                phase[f] += Float(advance[f] + delta)
            }
        }
        return out
    }
}
