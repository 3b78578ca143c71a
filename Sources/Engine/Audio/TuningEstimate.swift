import Foundation
import EngineFormats
import EngineTensor

/// librosa.estimate_tuning on a power spectrogram: spectral peaks between 150 Hz and 4 kHz found as
/// piptrack does (local maxima above 0.1 × the frame's peak, parabolic refinement), the stronger half
/// kept, and the most common deviation from equal temperament in 0.01-bin steps returned.
enum TuningEstimate {
    static func tuning(power s: FeatureMatrix, sampleRate: Double, binsPerOctave: Int) -> Double {
        let bins = s.rows, frames = s.columns
        guard bins >= 3 else { return 0 }
        let nFFT = 2 * (bins - 1)
        let binSpacing = 1 / (Double(nFFT) * (1 / sampleRate))
        let fmax = min(4000, sampleRate / 2)
        var pitches: [Float] = [], magnitudes: [Float] = []
        var column = [Float](repeating: 0, count: bins)
        for t in 0..<frames {
            var peak: Float = 0
            for f in 0..<bins { column[f] = abs(s.values[f * frames + t]); peak = max(peak, column[f]) }
            let floor = 0.1 * peak
            func gated(_ f: Int) -> Float { column[f] > floor ? column[f] : 0 }
            for f in 1..<bins {
                let hz = Double(f) * binSpacing
                guard hz >= 150, hz < fmax else { continue }
                let isPeak = f == bins - 1 ? gated(f) > gated(f - 1) : gated(f) > gated(f - 1) && gated(f) >= gated(f + 1)
                guard isPeak else { continue }
                var shift: Float = 0, slope: Float
                if f < bins - 1 {
                    let a = column[f + 1] + column[f - 1] - 2 * column[f]
                    let b = (column[f + 1] - column[f - 1]) / 2
                    if abs(b) < abs(a) { shift = -b / a }
                    slope = b
                } else {
                    slope = column[f] - column[f - 1]
                }
                let pitch = Float((Double(f) + Double(shift)) * sampleRate / Double(nFFT))
                guard pitch > 0 else { continue }
                pitches.append(pitch)
                magnitudes.append(column[f] + 0.5 * slope * shift)
            }
        }
        guard !pitches.isEmpty else { return 0 }
        let threshold = median(magnitudes)
        let chosen = pitches.indices.filter { magnitudes[$0] >= threshold }.map { pitches[$0] }
        return mostCommonDeviation(chosen, binsPerOctave: binsPerOctave)
    }

    private static func median(_ values: [Float]) -> Float {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// librosa.pitch_tuning: histogram of the deviations in [-0.5, 0.5) over 100 bins; the left
    /// edge of the fullest bin.
    private static func mostCommonDeviation(_ frequencies: [Float], binsPerOctave: Int) -> Double {
        let binCount = 100
        let step = 1.0 / Double(binCount)
        let edges = (0...binCount).map { $0 == binCount ? 0.5 : -0.5 + Double($0) * step }
        var counts = [Int](repeating: 0, count: binCount)
        for frequency in frequencies where frequency > 0 {
            let octaves = Float(binsPerOctave) * log2(frequency / Float(440.0 / 16))
            var residual = Double(octaves - octaves.rounded(.down))
            if residual >= 0.5 { residual -= 1 }
            var index = min(binCount - 1, max(0, Int((residual - edges[0]) * Double(binCount))))
            if residual < edges[index] { index -= 1 }
            if index < binCount - 1, residual >= edges[index + 1] { index += 1 }
            if index >= 0 { counts[index] += 1 }
        }
        var best = 0
        for i in counts.indices where counts[i] > counts[best] { best = i }
        return edges[best]
    }
}
