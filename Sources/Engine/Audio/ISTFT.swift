import EngineTensor

extension ComplexSpectrogram {
    /// The inverse STFT (librosa.istft): inverse FFT of each frame, windowed overlap-add, divided by
    /// the summed squared window wherever that sum is not negligible. `options` must describe the
    /// forward transform (`nFFT = 2 · (bins − 1)`); `length` trims or zero-pads the result.
    public func istft(_ options: STFTOptions, length: Int? = nil) throws -> [Float] {
        try options.validate("istft")
        guard options.nFFT / 2 + 1 == bins else {
            throw AudioParameterError("istft", "n_fft=\(options.nFFT) does not match \(bins) frequency bins")
        }
        if let length, length < 0 { throw AudioParameterError("istft", "length must be non-negative, got \(length)") }
        let n = options.nFFT, hop = options.resolvedHopLength
        let pad = options.center ? n / 2 : 0
        var usedFrames = frames
        if let length { usedFrames = min(frames, (length + 2 * pad + hop - 1) / hop) }
        let outputLength = length ?? max(0, n + hop * (usedFrames - 1) - 2 * pad)
        guard usedFrames > 0 else { return [Float](repeating: 0, count: outputLength) }

        let window = options.window.padded(length: options.resolvedWinLength, to: n)
        let fft = try RealFFT.of(size: n)
        var sum = [Float](repeating: 0, count: n + hop * (usedFrames - 1))
        var squares = [Float](repeating: 0, count: sum.count)
        var frame = [Float](repeating: 0, count: n)
        let windowF = window.map { Float($0) }
        let scale = 1 / Float(n)   // FFTW's inverse is unnormalised; numpy's irfft divides by n.
        values.withUnsafeBufferPointer { spectra in
            frame.withUnsafeMutableBufferPointer { f in
                guard let spectraBase = spectra.baseAddress, let frameBase = f.baseAddress else { return }
                for t in 0..<usedFrames {
                    fft.inverse(spectraBase + 2 * bins * t, into: frameBase)
                    for i in 0..<n {
                        sum[t * hop + i] += windowF[i] * (f[i] * scale)
                        squares[t * hop + i] += Float(window[i] * window[i])
                    }
                }
            }
        }
        let tiny = Float.leastNormalMagnitude
        var output = [Float](repeating: 0, count: outputLength)
        for j in 0..<min(outputLength, sum.count - pad) {
            let s = squares[pad + j]
            output[j] = s > tiny ? sum[pad + j] / s : sum[pad + j]
        }
        return output
    }
}
