import EngineTensor

/// The STFT kernel shared by every spectral feature: pads the signal, windows each frame into an
/// `nFFT` buffer and runs the cached FFTW plan, handing spectra to the caller without
/// materialising the whole STFT.
struct FrameAnalyzer {
    package let options: STFTOptions
    let fft: RealFFT
    /// `nFFT / 2 + 1`.
    package let bins: Int
    /// The padded window as float32, and the range where it is non-zero.
    private let window: [Float]
    private let windowRange: Range<Int>

    init(_ options: STFTOptions, _ function: String) throws {
        try options.validate(function)
        self.options = options
        fft = try RealFFT.of(size: options.nFFT)
        bins = options.nFFT / 2 + 1
        let win = options.resolvedWinLength
        window = Self.paddedWindow(options.window, length: win, size: options.nFFT)
        let left = (options.nFFT - win) / 2
        windowRange = left..<left + win
    }

    /// Calls `body(t, spectrum)` for every frame in order; `spectrum` holds `bins` interleaved
    /// (re, im) pairs and is valid only during the call. The caller has checked the frame count.
    func forEachSpectrum(of samples: [Float], _ body: (Int, UnsafePointer<Float>) -> Void) {
        forEachBlock(of: samples, width: 1) { first, spectra in body(first, spectra[0].output) }
    }

    /// Calls `body(firstFrame, spectra)` for runs of up to `width` consecutive frames; spectrum `k`
    /// of a run (frame `firstFrame + k`) is in `spectra[k].output`, valid only during the call.
    /// Blocks let a caller turn spectra into bin-major rows several frames at a time.
    /// Centring padding is applied per edge frame instead of copying the whole signal.
    func forEachBlock(of samples: [Float], width: Int, _ body: (Int, ArraySlice<RealFFT.Workspace>) -> Void) {
        let n = options.nFFT, hop = options.resolvedHopLength, count = samples.count
        let pad = options.center ? n / 2 : 0
        guard count + 2 * pad >= n, width >= 1 else { return }
        let frames = 1 + (count + 2 * pad - n) / hop
        let lo = windowRange.lowerBound, span = windowRange.count
        // Zero outside the window range, which is never written.
        let workspaces = (0..<min(width, frames)).map { _ in fft.makeWorkspace() }
        samples.withUnsafeBufferPointer { x in
            window.withUnsafeBufferPointer { w in
                guard let signal = x.baseAddress, let taps = w.baseAddress else { return }
                let windowTaps = taps + lo
                for blockStart in stride(from: 0, to: frames, by: workspaces.count) {
                    let used = min(workspaces.count, frames - blockStart)
                    for k in 0..<used {
                        let buffer = workspaces[k].input + lo
                        // First signal sample under the window's first non-zero tap.
                        let first = (blockStart + k) &* hop &- pad &+ lo
                        if first >= 0, first &+ span <= count {
                            let source = signal + first
                            for i in 0..<span { buffer[i] = windowTaps[i] * source[i] }
                        } else {
                            fillEdgeFrame(buffer, taps: windowTaps, first: first, span: span, samples: samples, signal: signal)
                        }
                        fft.forward(workspaces[k])
                    }
                    body(blockStart, workspaces[0..<used])
                }
            }
        }
    }

    /// A frame that reaches into the centring padding: the part inside the signal is windowed as
    /// usual, zero padding is written as zeros, and only reflect / edge padding goes sample by sample.
    private func fillEdgeFrame(_ buffer: UnsafeMutablePointer<Float>, taps: UnsafePointer<Float>, first: Int, span: Int,
                               samples: [Float], signal: UnsafePointer<Float>) {
        let inside = max(0, -first)..<max(max(0, -first), min(span, samples.count - first))
        for i in inside { buffer[i] = taps[i] * signal[first + i] }
        for outside in [0..<inside.lowerBound, inside.upperBound..<span] {
            if options.padMode == .constant {
                (buffer + outside.lowerBound).update(repeating: 0, count: outside.count)
            } else {
                for i in outside {
                    buffer[i] = taps[i] * samples.paddedSample(at: first + i, mode: options.padMode, base: signal)
                }
            }
        }
    }

    private static let windows = SharedCache<String, [Float]>()

    /// The centre-padded float32 window, computed once per shape (its cosines cost as much as the
    /// mel filtering of a short clip).
    private static func paddedWindow(_ function: WindowFunction, length: Int, size: Int) -> [Float] {
        windows.value(for: "\(function.rawValue)|\(length)|\(size)") {
            function.padded(length: length, to: size).map { Float($0) }
        }
    }
}
