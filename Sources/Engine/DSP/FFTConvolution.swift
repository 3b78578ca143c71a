import Foundation
import EngineTensor

/// Linear convolution through the FFT (`RealFFT`), for long kernels such as room impulse responses.
public enum FFTConvolution {
    /// The full linear convolution of `signal` and `kernel`: `signal.count + kernel.count − 1` samples.
    public static func convolve(_ signal: [Float], _ kernel: [Float]) throws -> [Float] {
        guard !signal.isEmpty, !kernel.isEmpty else {
            throw DSPError("cannot convolve an empty signal (\(signal.count) samples) "
                           + "with an empty kernel (\(kernel.count) samples)")
        }
        let outCount = signal.count + kernel.count - 1
        var size = 1
        while size < outCount { size <<= 1 }
        let fft = try RealFFT.of(size: size)
        let spectrumA = spectrum(of: signal, fft: fft)
        var product = spectrum(of: kernel, fft: fft)
        product.withUnsafeMutableBufferPointer { p in
            spectrumA.withUnsafeBufferPointer { a in
                for k in 0..<fft.binCount {
                    let re = a[2 * k] * p[2 * k] - a[2 * k + 1] * p[2 * k + 1]
                    let im = a[2 * k] * p[2 * k + 1] + a[2 * k + 1] * p[2 * k]
                    p[2 * k] = re
                    p[2 * k + 1] = im
                }
            }
        }
        var output = [Float](repeating: 0, count: size)
        fft.inverse(product, into: &output)
        output.removeLast(size - outCount)
        Decibels.scale(&output, by: 1 / Float(size))   // FFTW's inverse is unnormalised
        return output
    }

    /// The forward transform of `samples` zero-padded to the transform size.
    private static func spectrum(of samples: [Float], fft: RealFFT) -> [Float] {
        var padded = [Float](repeating: 0, count: fft.size)
        padded.replaceSubrange(0..<samples.count, with: samples)
        var bins = [Float](repeating: 0, count: 2 * fft.binCount)
        fft.forward(padded, into: &bins)
        return bins
    }
}
