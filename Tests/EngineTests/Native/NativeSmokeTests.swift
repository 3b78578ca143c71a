import Engine
import Foundation
import XCTest

/// Proof that each C library is linked and computes, not merely that the bindings compile.
final class NativeSmokeTests: XCTestCase {
    func testSgemmMultipliesSmallMatrices() {
        let a: [Float] = [1, 2, 3, 4, 5, 6]          // 2 × 3
        let b: [Float] = [7, 8, 9, 10, 11, 12]       // 3 × 2
        var c = [Float](repeating: 0, count: 4)
        BLAS.sgemm(m: 2, n: 2, k: 3, a: a, lda: 3, b: b, ldb: 2, c: &c, ldc: 2)
        XCTAssertEqual(c, [58, 64, 139, 154])
        var gram = [Float](repeating: 0, count: 9)
        BLAS.sgemm(transA: true, m: 3, n: 3, k: 2, a: a, lda: 3, b: a, ldb: 3, c: &gram, ldc: 3)
        XCTAssertEqual(gram, [17, 22, 27, 22, 29, 36, 27, 36, 45])   // AᵀA
    }

    func testSixteenPointFFTMatchesHandDFT() throws {
        let n = 16
        let signal: [Float] = (0..<n).map { Float(sin(0.7 * Double($0)) + 0.25 * Double($0 % 3)) }
        let fft = try RealFFT.of(size: n)
        var bins = [Float](repeating: 0, count: 2 * fft.binCount)
        fft.forward(signal, into: &bins)
        for k in 0..<fft.binCount {
            var re = 0.0, im = 0.0
            for t in 0..<n {
                let angle = -2 * Double.pi * Double(k * t) / Double(n)
                re += Double(signal[t]) * cos(angle)
                im += Double(signal[t]) * sin(angle)
            }
            XCTAssertEqual(Double(bins[2 * k]), re, accuracy: 1e-4, "bin \(k) real")
            XCTAssertEqual(Double(bins[2 * k + 1]), im, accuracy: 1e-4, "bin \(k) imag")
        }
        var back = [Float](repeating: 0, count: n)
        fft.inverse(bins, into: &back)
        for t in 0..<n { XCTAssertEqual(back[t] / Float(n), signal[t], accuracy: 1e-5) }
        XCTAssertThrowsError(try RealFFT.of(size: 0))
    }

    func testWavWriteAndReadBack() throws {
        let path = NSTemporaryDirectory() + "serscript-smoke-\(UUID().uuidString).wav"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let stereo: [Float] = (0..<200).map { Float(sin(Double($0) * 0.05)) * 0.5 }
        try SoundFile.write(path: path, samples: stereo, channels: 2, sampleRate: 22050, format: .wav16)
        let info = try SoundFile.info(path: path)
        XCTAssertEqual(info, SoundFileInfo(sampleRate: 22050, channels: 2, frames: 100))
        let (samples, _) = try SoundFile.read(path: path, startFrame: 10, frameCount: 20)
        XCTAssertEqual(samples.count, 40)
        for i in 0..<40 { XCTAssertEqual(samples[i], stereo[20 + i], accuracy: 1.0 / 32768) }
    }

    func testReadingMissingAndNonAudioFilesNamesTheFile() throws {
        XCTAssertThrowsError(try SoundFile.info(path: "/nonexistent/x.wav")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/x.wav"))
        }
        let path = NSTemporaryDirectory() + "serscript-smoke-\(UUID().uuidString).wav"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("this is not audio".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try SoundFile.read(path: path)) { error in
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }
    }

    func testSoxrResamplesASineKeepingItsFrequency() throws {
        let (from, to, hz) = (48000.0, 16000.0, 440.0)
        let signal = (0..<4800).map { Float(sin(2 * Double.pi * hz * Double($0) / from)) }
        let out = try Resampler.resample(signal, from: from, to: to)
        XCTAssertEqual(out.count, 1600)
        // Away from the edges the output is the same sine sampled at the new rate.
        var squaredError = 0.0
        for i in 200..<1400 { squaredError += pow(Double(out[i]) - sin(2 * Double.pi * hz * Double(i) / to), 2) }
        XCTAssertLessThan(sqrt(squaredError / 1200), 1e-3)
    }

    func testSafeTensorsRoundTripAndCorruption() throws {
        let path = NSTemporaryDirectory() + "serscript-smoke-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = SafeTensors(tensors: ["conv.weight": StoredTensor(shape: [2, 1, 3], values: [1, 2, 3, 4, 5, 6]),
                                         "bn.running_mean": StoredTensor(shape: [2], values: [0.5, -0.5])],
                               metadata: ["epoch": "3"])
        try file.write(path: path)
        XCTAssertEqual(try SafeTensors.read(path: path), file)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 4).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try SafeTensors.read(path: path)) { error in
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }
    }
}
