import Foundation
import EngineTensor

/// The spectrum of a whole signal in one FFT (no framing): what `np.abs(np.fft.fft(y))` shows over
/// 0 … sr/2, the exploratory notebooks' "power spectrum" plot.
public struct FFTSpectrum: Sendable, Equatable {
    /// Centre frequency of every value in Hz: bin k is k·sr/N.
    public var frequencies: [Double]
    /// |X(k)|^power per bin (unnormalised, as numpy's FFT).
    public var values: [Double]

    /// Wraps frequencies and values of equal length.
    public init(frequencies: [Double], values: [Double]) {
        self.frequencies = frequencies
        self.values = values
    }

    /// The spectrum averaged into `bands` equal runs of bins (the last run takes the remainder), so
    /// that a plot of a long clip needs a few thousand points instead of N/2. Frequencies are the
    /// runs' mean frequencies. `bands` at or above the bin count returns the spectrum unchanged.
    public func averaged(into bands: Int) throws -> FFTSpectrum {
        guard bands >= 1 else { throw AudioParameterError("fft_spectrum", "bands must be at least 1, got \(bands)") }
        let count = values.count
        guard bands < count else { return self }
        var outFrequencies = [Double](repeating: 0, count: bands), outValues = [Double](repeating: 0, count: bands)
        for band in 0..<bands {
            let start = band * count / bands, end = (band + 1) * count / bands
            var f = 0.0, v = 0.0
            for k in start..<end { f += frequencies[k]; v += values[k] }
            let n = Double(end - start)
            outFrequencies[band] = f / n
            outValues[band] = v / n
        }
        return FFTSpectrum(frequencies: outFrequencies, values: outValues)
    }
}

extension AudioSignal {
    /// The magnitude (`power` 1) or power (`power` 2) of the FFT of all samples, bins 0 … N/2.
    public func fftSpectrum(power: Double = 1) throws -> FFTSpectrum {
        guard !samples.isEmpty else { throw AudioParameterError("fft_spectrum", "the signal has no samples") }
        guard power > 0 else { throw AudioParameterError("fft_spectrum", "power must be positive, got \(power)") }
        let fft = try RealFFT.of(size: samples.count)
        var bins = [Float](repeating: 0, count: 2 * fft.binCount)
        samples.withUnsafeBufferPointer { input in
            bins.withUnsafeMutableBufferPointer { output in
                if let source = input.baseAddress, let target = output.baseAddress { fft.forward(source, into: target) }
            }
        }
        let step = Double(sampleRate) / Double(samples.count)
        var values = [Double](repeating: 0, count: fft.binCount)
        bins.withUnsafeBufferPointer { b in
            for k in 0..<fft.binCount {
                let re = Double(b[2 * k]), im = Double(b[2 * k + 1])
                let magnitude = (re * re + im * im).squareRoot()
                values[k] = power == 1 ? magnitude : pow(magnitude, power)
            }
        }
        return FFTSpectrum(frequencies: (0..<fft.binCount).map { Double($0) * step }, values: values)
    }
}
