import Foundation
import EngineTensor

/// Parameters of a short-time Fourier transform, with librosa.stft's defaults.
public struct STFTOptions: Equatable, Sendable {
    /// FFT size; frames are zero-padded to this length.
    public var nFFT: Int
    /// Samples between frame starts; nil means `winLength / 4`.
    public var hopLength: Int?
    /// Window length (≤ `nFFT`, centred in it); nil means `nFFT`.
    public var winLength: Int?
    /// Analysis window (periodic).
    public var window: WindowFunction
    /// Pad `nFFT / 2` samples on both sides so frame `t` is centred on sample `t · hop`.
    public var center: Bool
    /// Padding used when `center` is true.
    public var padMode: PadMode

    public init(nFFT: Int = 2048, hopLength: Int? = nil, winLength: Int? = nil, window: WindowFunction = .hann,
                center: Bool = true, padMode: PadMode = .constant) {
        self.nFFT = nFFT
        self.hopLength = hopLength
        self.winLength = winLength
        self.window = window
        self.center = center
        self.padMode = padMode
    }

    /// The window length in effect.
    public var resolvedWinLength: Int { winLength ?? nFFT }
    /// The hop in effect.
    public var resolvedHopLength: Int { hopLength ?? resolvedWinLength / 4 }

    /// Throws when a parameter is out of range.
    package func validate(_ function: String) throws {
        guard nFFT >= 1 else { throw AudioParameterError(function, "n_fft must be at least 1, got \(nFFT)") }
        guard (1...nFFT).contains(resolvedWinLength) else {
            throw AudioParameterError(function, "win_length must be in 1...n_fft (\(nFFT)), got \(resolvedWinLength)")
        }
        guard resolvedHopLength >= 1 else {
            let given = hopLength == nil ? " (the default, win_length // 4 with win_length \(resolvedWinLength)); pass hop_length" : ""
            throw AudioParameterError(function, "hop_length must be a positive integer, got \(resolvedHopLength)\(given)")
        }
    }

    /// Frames librosa yields for `count` samples (throws when an uncentred signal is shorter than `nFFT`).
    func frameCount(samples count: Int, _ function: String) throws -> Int {
        let padded = center ? count + 2 * (nFFT / 2) : count
        guard count > 0 else { throw AudioParameterError(function, "the signal is empty") }
        guard padded >= nFFT else {
            throw AudioParameterError(function, "n_fft=\(nFFT) is too large for an uncentred signal of \(count) samples")
        }
        return 1 + (padded - nFFT) / resolvedHopLength
    }
}

/// A complex STFT: `bins = nFFT / 2 + 1` rows and `frames` columns, stored frame-major as
/// interleaved (re, im) pairs: bin `f` of frame `t` is at `2 · (t · bins + f)`.
public struct ComplexSpectrogram: Equatable, Sendable {
    /// Frequency bins, `nFFT / 2 + 1`.
    public internal(set) var bins: Int
    /// Frames.
    public internal(set) var frames: Int
    /// Frame-major interleaved (re, im) values (read-only outside the Engine so the shape holds).
    public internal(set) var values: [Float]

    /// Wraps frame-major interleaved values; throws unless there are `2 · bins · frames` of them.
    public init(bins: Int, frames: Int, values: [Float]) throws {
        guard bins >= 1, frames >= 0, values.count == 2 * bins * frames else {
            throw AudioParameterError("ComplexSpectrogram", "\(values.count) values do not fill \(bins) bins × \(frames) frames")
        }
        self.init(checkedBins: bins, frames: frames, values: values)
    }

    init(checkedBins bins: Int, frames: Int, values: [Float]) {
        self.bins = bins
        self.frames = frames
        self.values = values
    }

    /// `|X|` as a bins × frames matrix.
    public func magnitude() -> FeatureMatrix { map { ($0 * $0 + $1 * $1).squareRoot() } }
    /// `|X|²` as a bins × frames matrix.
    public func power() -> FeatureMatrix { map { $0 * $0 + $1 * $1 } }
    /// The phase angle in radians, as numpy.angle.
    public func phase() -> FeatureMatrix { map { atan2f($1, $0) } }
    /// The real parts as a bins × frames matrix.
    public func real() -> FeatureMatrix { map { re, _ in re } }
    /// The imaginary parts as a bins × frames matrix.
    public func imaginary() -> FeatureMatrix { map { _, im in im } }

    @inline(__always)
    private func map(_ transform: (Float, Float) -> Float) -> FeatureMatrix {
        var out = FeatureMatrix(zerosRows: bins, columns: frames)
        values.withUnsafeBufferPointer { v in
            out.values.withUnsafeMutableBufferPointer { o in
                for t in 0..<frames {
                    for f in 0..<bins { o[f * frames + t] = transform(v[2 * (t * bins + f)], v[2 * (t * bins + f) + 1]) }
                }
            }
        }
        return out
    }
}

extension AudioSignal {
    /// The complex STFT of the signal (librosa.stft): periodic window centred in `nFFT`, frames every
    /// `hop` samples, optional centring padding. Throws on bad parameters or an empty signal.
    public func stft(_ options: STFTOptions = STFTOptions()) throws -> ComplexSpectrogram {
        let analyzer = try FrameAnalyzer(options, "stft")
        let frames = try options.frameCount(samples: count, "stft")
        var out = ComplexSpectrogram(checkedBins: analyzer.bins, frames: frames,
                                     values: [Float](repeating: 0, count: 2 * analyzer.bins * frames))
        out.values.withUnsafeMutableBufferPointer { o in
            guard let base = o.baseAddress else { return }
            analyzer.forEachSpectrum(of: samples) { t, spectrum in
                (base + 2 * analyzer.bins * t).update(from: spectrum, count: 2 * analyzer.bins)
            }
        }
        return out
    }
}
