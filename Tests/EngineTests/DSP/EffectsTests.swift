import Engine
import Foundation
import XCTest

/// FFT convolution, soft clipping, tremolo and decibel helpers against closed forms.
final class EffectsTests: XCTestCase {
    func testFFTConvolutionMatchesDirectConvolution() throws {
        let signal = (0..<1000).map { Float(sin(0.37 * Double($0)) + 0.3 * cos(1.9 * Double($0))) }
        let kernel = (0..<257).map { Float(exp(-Double($0) / 40) * cos(0.8 * Double($0))) }
        let fast = try FFTConvolution.convolve(signal, kernel)
        XCTAssertEqual(fast.count, signal.count + kernel.count - 1)
        var worst: Float = 0
        for n in fast.indices {
            var direct = 0.0
            for k in max(0, n - signal.count + 1)...min(n, kernel.count - 1) {
                direct += Double(kernel[k]) * Double(signal[n - k])
            }
            worst = max(worst, abs(fast[n] - Float(direct)))
        }
        XCTAssertLessThan(worst, 1e-4)
        XCTAssertThrowsError(try FFTConvolution.convolve([], kernel))
    }

    func testTanhIsBoundedOddAndLinearForSmallSignals() throws {
        var x: [Float] = [-100, -1, -1e-4, 0, 1e-4, 0.5, 1, 100]
        let input = x
        try SoftClip.tanh(&x, drive: 4)
        for (i, y) in x.enumerated() {
            XCTAssertLessThanOrEqual(abs(y), 1)
            XCTAssertEqual(y, Float(tanh(4 * Double(input[i]))), accuracy: 1e-6)
        }
        XCTAssertEqual(x[4], 4e-4, accuracy: 1e-8)             // slope = drive near 0
        XCTAssertThrowsError(try SoftClip.tanh(&x, drive: 0))
    }

    func testOverdriveKeepsThePeakAndRaisesQuietParts() throws {
        var x: [Float] = [0.5, -0.25, 0.05]
        try SoftClip.overdrive(&x, gainDB: 10)
        let g = pow(10.0, 0.5)
        XCTAssertEqual(x[0], 0.5, accuracy: 1e-6)
        XCTAssertEqual(Double(x[1]), -0.5 * tanh(g * 0.5) / tanh(g), accuracy: 1e-6)
        XCTAssertGreaterThan(x[2], 0.05)
    }

    func testTremoloGainSwingsBetweenOneAndOneMinusDepth() throws {
        var x = [Float](repeating: 1, count: 48_000)
        try Tremolo.apply(to: &x, rate: 5, depth: 0.4, sampleRate: 48_000)
        XCTAssertEqual(x[0], 1, accuracy: 1e-6)                       // cos(0) = 1: full gain
        XCTAssertEqual(x[4800], 0.6, accuracy: 1e-5)                  // half a period at 5 Hz
        XCTAssertEqual(x.min() ?? 0, 0.6, accuracy: 1e-5)
        XCTAssertThrowsError(try Tremolo.apply(to: &x, rate: 5, depth: 1.5, sampleRate: 48_000))
    }

    func testDecibelConversionsAndGain() {
        XCTAssertEqual(Decibels.amplitude(fromDB: 20), 10, accuracy: 1e-12)
        XCTAssertEqual(Decibels.amplitude(fromDB: -6.020599913), 0.5, accuracy: 1e-9)
        XCTAssertEqual(Decibels.db(fromPower: 100), 20, accuracy: 1e-12)
        var x: [Float] = [0.1, -0.2, 0.3]
        Decibels.applyGain(&x, db: 6)
        let factor = Float(pow(10.0, 6.0 / 20))
        XCTAssertEqual(x[2], 0.3 * factor, accuracy: 1e-6)
        XCTAssertEqual(Decibels.peak(x), 0.3 * factor, accuracy: 1e-6)
        XCTAssertEqual(Decibels.rms([3, -4]), (12.5).squareRoot(), accuracy: 1e-12)
    }
}
