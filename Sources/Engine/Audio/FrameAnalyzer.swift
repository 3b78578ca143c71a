/// The STFT kernel shared by every spectral feature: pads the signal, windows each frame into an
/// `nFFT` buffer and runs the cached FFTW plan, handing each spectrum to the caller without
/// materialising the whole STFT.
struct FrameAnalyzer {
    let options: STFTOptions
    let fft: RealFFT
    /// `nFFT / 2 + 1`.
    let bins: Int
    /// The padded window as float32, and the range where it is non-zero.
    private let window: [Float]
    private let windowRange: Range<Int>

    init(_ options: STFTOptions, _ function: String) throws {
        try options.validate(function)
        self.options = options
        fft = try RealFFT.of(size: options.nFFT)
        bins = options.nFFT / 2 + 1
        let win = options.resolvedWinLength
        window = options.window.padded(length: win, to: options.nFFT).map { Float($0) }
        let left = (options.nFFT - win) / 2
        windowRange = left..<left + win
    }

    /// Calls `body(t, spectrum)` for every frame in order; `spectrum` holds `bins` interleaved
    /// (re, im) pairs and is valid only during the call. The caller has checked the frame count.
    /// Centring padding is applied per edge frame instead of copying the whole signal.
    func forEachSpectrum(of samples: [Float], _ body: (Int, UnsafePointer<Float>) -> Void) {
        let n = options.nFFT, hop = options.resolvedHopLength, count = samples.count
        let pad = options.center ? n / 2 : 0
        guard count + 2 * pad >= n else { return }
        let frames = 1 + (count + 2 * pad - n) / hop
        let lo = windowRange.lowerBound, width = windowRange.count
        let workspace = fft.makeWorkspace()   // zero outside the window range, which is never written
        withExtendedLifetime(workspace) {
            let buffer = workspace.input + lo
            samples.withUnsafeBufferPointer { x in
                window.withUnsafeBufferPointer { w in
                    guard let signal = x.baseAddress, let taps = w.baseAddress else { return }
                    let windowTaps = taps + lo
                    for t in 0..<frames {
                        // First signal sample under the window's first non-zero tap.
                        let first = t &* hop &- pad &+ lo
                        if first >= 0, first &+ width <= count {
                            let source = signal + first
                            for i in 0..<width { buffer[i] = windowTaps[i] * source[i] }
                        } else {
                            for i in 0..<width {
                                let value = samples.paddedSample(at: first + i, mode: options.padMode, base: signal)
                                buffer[i] = windowTaps[i] * value
                            }
                        }
                        fft.forward(workspace)
                        body(t, workspace.output)
                    }
                }
            }
        }
    }
}
