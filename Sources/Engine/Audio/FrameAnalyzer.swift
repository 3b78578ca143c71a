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
    func forEachSpectrum(of samples: [Float], _ body: (Int, UnsafePointer<Float>) -> Void) {
        let n = options.nFFT
        let hop = options.resolvedHopLength
        let signal = options.center ? samples.padded(by: n / 2, mode: options.padMode) : samples
        guard signal.count >= n else { return }
        let frames = 1 + (signal.count - n) / hop
        let workspace = fft.makeWorkspace()   // zero outside the window range, which is never written
        withExtendedLifetime(workspace) {
            let buffer = workspace.input
            signal.withUnsafeBufferPointer { x in
                window.withUnsafeBufferPointer { w in
                    for t in 0..<frames {
                        let start = t * hop
                        for i in windowRange { buffer[i] = w[i] * x[start + i] }
                        fft.forward(workspace)
                        body(t, workspace.output)
                    }
                }
            }
        }
    }
}
