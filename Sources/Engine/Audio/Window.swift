import Foundation
import EngineTensor

/// Analysis windows as scipy.signal.get_window builds them for librosa (`fftbins=True`: periodic).
public enum WindowFunction: String, CaseIterable, Sendable {
    case hann, hamming, blackman, blackmanHarris, bartlett, rectangular

    /// The periodic window of `length` samples: the symmetric window of `length + 1` without its
    /// last sample, which is what spectral analysis wants (and what librosa uses).
    public func periodic(length: Int) -> [Double] {
        guard length > 1 else { return [Double](repeating: 1, count: max(0, length)) }
        let n = Double(length)
        return (0..<length).map { i in
            let x = 2 * Double.pi * Double(i) / n
            switch self {
            case .hann: return 0.5 - 0.5 * cos(x)
            case .hamming: return 0.54 - 0.46 * cos(x)
            case .blackman: return 0.42 - 0.5 * cos(x) + 0.08 * cos(2 * x)
            case .blackmanHarris: return 0.35875 - 0.48829 * cos(x) + 0.14128 * cos(2 * x) - 0.01168 * cos(3 * x)
            case .bartlett: return 1 - abs(2 * Double(i) / n - 1)
            case .rectangular: return 1
            }
        }
    }

    /// The periodic window of `length` samples centred in `size` zeros (librosa.util.pad_center);
    /// `length ≤ size`.
    public func padded(length: Int, to size: Int) -> [Double] {
        let left = (size - length) / 2
        var result = [Double](repeating: 0, count: size)
        for (i, w) in periodic(length: length).enumerated() where left + i < size { result[left + i] = w }
        return result
    }
}
