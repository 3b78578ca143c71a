@_spi(WisdomGenerator) import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

/// RealFFT's plans from the committed FFTW wisdom, and from the estimator for other sizes: correct
/// against a direct DFT, and bitwise repeatable across plannings, runs and buffer alignments.
final class FFTWisdomTests: XCTestCase {
    func testWisdomIsUsedOnTheCPUItWasTimedOn() throws {
        XCTAssertTrue(FFTWisdom.sizes.contains(1024))
        XCTAssertTrue(FFTWisdom.sizes.contains(4096))
        try XCTSkipUnless(RealFFT.cpuDescription == FFTWisdom.cpu,
                          "wisdom was timed on \(FFTWisdom.cpu), this is \(RealFFT.cpuDescription)")
        XCTAssertTrue(RealFFT.usesWisdom, "committed wisdom no longer plans here: run `make fftw-wisdom`")
    }

    func testWisdomSizesMatchDirectDFT() throws {
        for size in [1024, 4096] { try checkAgainstDirectDFT(size: size) }
    }

    func testSizesOutsideTheWisdomMatchDirectDFT() throws {
        for size in [1000, 3, 12] {
            XCTAssertFalse(FFTWisdom.sizes.contains(size))
            try checkAgainstDirectDFT(size: size)
        }
    }

    func testFreshPlansGiveBitwiseIdenticalResults() throws {
        for size in [1024, 4096, 1000] {
            let cached = try RealFFT.of(size: size)
            let transforms = [cached, try RealFFT.planned(size: size), try RealFFT.planned(size: size)]
            var random = TestRandom(seed: UInt64(size))
            let signal = random.values(size)
            let spectrum = random.values(2 * cached.binCount)

            // Aligned (workspace) plans: every planning and every repetition gives the same bits.
            var alignedForward: [[Float]] = [], alignedInverse: [[Float]] = []
            for fft in transforms {
                let workspace = fft.makeWorkspace()
                for _ in 0..<3 {
                    for i in 0..<size { workspace.input[i] = signal[i] }
                    fft.forward(workspace)
                    alignedForward.append(Array(UnsafeBufferPointer(start: workspace.output, count: 2 * fft.binCount)))
                    for k in 0..<2 * fft.binCount { workspace.output[k] = spectrum[k] }
                    fft.inverse(workspace)
                    alignedInverse.append(Array(UnsafeBufferPointer(start: workspace.input, count: size)))
                }
            }
            XCTAssertTrue(alignedForward.allSatisfy { $0 == alignedForward[0] }, "aligned forward, size \(size)")
            XCTAssertTrue(alignedInverse.allSatisfy { $0 == alignedInverse[0] }, "aligned inverse, size \(size)")

            // Unaligned plans: the same bits too, wherever the buffers start (offset 1 float is
            // misaligned for every SIMD width).
            var forward: [[Float]] = [], inverse: [[Float]] = []
            for fft in transforms {
                for offset in [0, 1, 3] {
                    let input = [Float](repeating: 0, count: offset) + signal
                    var bins = [Float](repeating: 0, count: offset + 2 * fft.binCount)
                    transform(input, into: &bins, at: offset, fft.forward)
                    forward.append(Array(bins[offset...]))
                    let spectrumIn = [Float](repeating: 0, count: offset) + spectrum
                    var samples = [Float](repeating: 0, count: offset + size)
                    transform(spectrumIn, into: &samples, at: offset, fft.inverse)
                    inverse.append(Array(samples[offset...]))
                    XCTAssertEqual(Array(spectrumIn[offset...]), spectrum, "c2r must preserve its input")
                }
            }
            XCTAssertTrue(forward.allSatisfy { $0 == forward[0] }, "unaligned forward, size \(size)")
            XCTAssertTrue(inverse.allSatisfy { $0 == inverse[0] }, "unaligned inverse, size \(size)")
        }
    }

    /// Runs `body` on `input` and `output` from element `offset` on.
    private func transform(_ input: [Float], into output: inout [Float], at offset: Int,
                           _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                guard let source = x.baseAddress, let target = y.baseAddress else { return XCTFail("empty buffer") }
                body(source + offset, target + offset)
            }
        }
    }

    /// Forward and inverse transforms on both plan kinds against a double-precision DFT.
    private func checkAgainstDirectDFT(size n: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let fft = try RealFFT.of(size: n)
        var random = TestRandom(seed: 7 &+ UInt64(n))
        let signal = random.values(n)
        var spectrum = random.values(2 * fft.binCount)
        spectrum[1] = 0                                      // c2r ignores the imaginary parts of DC
        if n % 2 == 0 { spectrum[2 * (n / 2) + 1] = 0 }      // and of Nyquist: the DFT must not see them
        let (expectedBins, expectedSamples) = directDFT(signal, spectrum, n: n)
        // Float rounding (ε ≈ 6e-8) grows like log n; the values themselves reach about √n.
        let tolerance = 3e-7 * Double(n).squareRoot() * log2(Double(n) + 1)

        var bins = [Float](repeating: 0, count: 2 * fft.binCount)
        fft.forward(signal, into: &bins)
        var samples = [Float](repeating: 0, count: n)
        fft.inverse(spectrum, into: &samples)
        let workspace = fft.makeWorkspace()
        for i in 0..<n { workspace.input[i] = signal[i] }
        fft.forward(workspace)
        let alignedBins = Array(UnsafeBufferPointer(start: workspace.output, count: 2 * fft.binCount))
        for k in 0..<2 * fft.binCount { workspace.output[k] = spectrum[k] }
        fft.inverse(workspace)
        let alignedSamples = Array(UnsafeBufferPointer(start: workspace.input, count: n))

        for (name, got, want) in [("forward", bins, expectedBins), ("aligned forward", alignedBins, expectedBins),
                                  ("inverse", samples, expectedSamples), ("aligned inverse", alignedSamples, expectedSamples)] {
            let error = zip(got, want).map { abs(Double($0) - $1) }.max() ?? .infinity
            XCTAssertLessThan(error, tolerance, "\(name), size \(n)", file: file, line: line)
        }
    }

    /// The real-input DFT of `signal` (interleaved bins) and the unnormalised inverse of the
    /// Hermitian spectrum whose first `n/2 + 1` bins are `spectrum`, in double precision.
    private func directDFT(_ signal: [Float], _ spectrum: [Float], n: Int) -> ([Double], [Double]) {
        let cosines = (0..<n).map { cos(2 * Double.pi * Double($0) / Double(n)) }
        let sines = (0..<n).map { sin(2 * Double.pi * Double($0) / Double(n)) }
        let bins = n / 2 + 1
        var forward = [Double](repeating: 0, count: 2 * bins)
        for k in 0..<bins {
            for t in 0..<n {
                let m = k * t % n
                forward[2 * k] += Double(signal[t]) * cosines[m]
                forward[2 * k + 1] -= Double(signal[t]) * sines[m]
            }
        }
        var inverse = [Double](repeating: 0, count: n)
        for t in 0..<n {
            for k in 0..<n {   // bins above n/2 are the conjugates of those below
                let j = k < bins ? k : n - k
                let re = Double(spectrum[2 * j]), im = k < bins ? Double(spectrum[2 * j + 1]) : -Double(spectrum[2 * j + 1])
                let m = k * t % n
                inverse[t] += re * cosines[m] - im * sines[m]
            }
        }
        return (forward, inverse)
    }
}
