import Foundation
import EngineTensor

/// Parameters of librosa.feature.melspectrogram, flat and with its defaults, so a call site reads
/// like librosa: `MelSpectrogramOptions(nFFT: 1024, hopLength: 256, winLength: 512, window: .hamming, fmax: 24000)`.
public struct MelSpectrogramOptions: Equatable, Sendable {
    /// The STFT (melspectrogram's own default hop is 512).
    public var stft: STFTOptions
    /// Exponent of the magnitude: 2 for power, 1 for magnitude.
    public var power: Float
    /// The filterbank.
    public var mel: MelOptions

    public init(nFFT: Int = 2048, hopLength: Int = 512, winLength: Int? = nil, window: WindowFunction = .hann,
                center: Bool = true, padMode: PadMode = .constant, power: Float = 2,
                nMels: Int = 128, fmin: Double = 0, fmax: Double? = nil, htk: Bool = false, norm: MelNorm = .slaney) {
        stft = STFTOptions(nFFT: nFFT, hopLength: hopLength, winLength: winLength, window: window,
                           center: center, padMode: padMode)
        self.power = power
        mel = MelOptions(nMels: nMels, fmin: fmin, fmax: fmax, htk: htk, norm: norm)
    }

    /// The notebooks' log-mel front-end at 48 kHz: n_fft 1024, win_length 512, hamming, hop 256,
    /// 128 mels, fmax 24000.
    public static let notebook = MelSpectrogramOptions(nFFT: 1024, hopLength: 256, winLength: 512, window: .hamming,
                                                       nMels: 128, fmax: 24000)
}

extension AudioSignal {
    /// `|STFT|^power` as a bins × frames matrix (librosa's `_spectrogram`).
    public func spectrogram(_ options: STFTOptions = STFTOptions(), power: Float = 1) throws -> FeatureMatrix {
        let analyzer = try FrameAnalyzer(options, "spectrogram")
        let frames = try options.frameCount(samples: count, "spectrogram")
        var out = FeatureMatrix(zerosRows: analyzer.bins, columns: frames)
        var column = [Float](repeating: 0, count: analyzer.bins)
        out.values.withUnsafeMutableBufferPointer { o in
            column.withUnsafeMutableBufferPointer { c in
                analyzer.forEachSpectrum(of: samples) { t, spectrum in
                    Self.magnitudes(spectrum, bins: analyzer.bins, power: power, into: c)
                    for f in 0..<analyzer.bins { o[f * frames + t] = c[f] }
                }
            }
        }
        return out
    }

    /// The mel spectrogram (librosa.feature.melspectrogram): nMels × frames. The STFT, the magnitude
    /// and the filterbank run frame by frame, so no full spectrogram is ever stored.
    public func melspectrogram(_ options: MelSpectrogramOptions = MelSpectrogramOptions()) throws -> FeatureMatrix {
        let analyzer = try FrameAnalyzer(options.stft, "melspectrogram")
        let frames = try options.stft.frameCount(samples: count, "melspectrogram")
        let bank = try MelFilterbank.cached(sampleRate: Double(sampleRate), nFFT: options.stft.nFFT, options: options.mel)
        // Spectra are gathered bin-major in blocks of frames, then filtered a block at a time.
        let blockWidth = MelFilterbank.blockWidth
        var block = [Float](repeating: 0, count: analyzer.bins * blockWidth)
        var column = [Float](repeating: 0, count: analyzer.bins)
        var out = FeatureMatrix(zerosRows: bank.nMels, columns: frames)
        out.values.withUnsafeMutableBufferPointer { o in
            block.withUnsafeMutableBufferPointer { b in
                column.withUnsafeMutableBufferPointer { c in
                    guard let mel = o.baseAddress, let blockBase = b.baseAddress else { return }
                    // Four spectra at a time (few enough FFT buffers to stay in cache at n_fft 4096),
                    // gathered into the block until it holds `blockWidth` frames.
                    analyzer.forEachBlock(of: samples, width: 4) { first, spectra in
                        let k = first % blockWidth
                        if options.power == 2 {
                            PowerTranspose.powers(spectra, bins: analyzer.bins, into: blockBase + k, stride: blockWidth)
                        } else {
                            for (j, spectrum) in spectra.enumerated() {
                                Self.magnitudes(spectrum.output, bins: analyzer.bins, power: options.power, into: c)
                                for f in 0..<analyzer.bins { b[f &* blockWidth &+ k &+ j] = c[f] }
                            }
                        }
                        let filled = k + spectra.count, end = first + spectra.count
                        guard filled == blockWidth || end == frames else { return }
                        bank.apply(block: blockBase, width: filled, into: mel + (end - filled), outStride: frames)
                    }
                }
            }
        }
        return out
    }

    /// `|X_f|^power` for `bins` interleaved complex values.
    static func magnitudes(_ spectrum: UnsafePointer<Float>, bins: Int, power: Float,
                           into out: UnsafeMutableBufferPointer<Float>) {
        if power == 2 {
            for f in 0..<bins { out[f] = spectrum[2 * f] * spectrum[2 * f] + spectrum[2 * f + 1] * spectrum[2 * f + 1] }
        } else {
            for f in 0..<bins {
                let magnitude = (spectrum[2 * f] * spectrum[2 * f] + spectrum[2 * f + 1] * spectrum[2 * f + 1]).squareRoot()
                out[f] = power == 1 ? magnitude : powf(magnitude, power)
            }
        }
    }
}
