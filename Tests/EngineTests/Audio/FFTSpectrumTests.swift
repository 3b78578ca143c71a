import Engine
import Foundation
import XCTest

/// The whole-signal spectrum against closed forms: a sine on a bin, DC, and band averaging.
final class FFTSpectrumTests: XCTestCase {
    func testSineOnABinPeaksAtItsFrequencyWithHalfTheLengthTimesItsAmplitude() throws {
        let (n, rate, bin) = (1000, 8000, 50)   // 50 · 8000 / 1000 = 400 Hz
        let samples = (0..<n).map { Float(0.5 * sin(2 * Double.pi * Double(bin * $0) / Double(n))) }
        let spectrum = try AudioSignal(samples: samples, sampleRate: rate).fftSpectrum()
        XCTAssertEqual(spectrum.values.count, n / 2 + 1)
        XCTAssertEqual(spectrum.frequencies[bin], 400, accuracy: 1e-9)
        XCTAssertEqual(spectrum.frequencies.last ?? 0, 4000, accuracy: 1e-9)
        XCTAssertEqual(spectrum.values[bin], 0.5 * Double(n) / 2, accuracy: 1e-2)   // |X(k)| = A·N/2
        let others = spectrum.values.enumerated().filter { $0.offset != bin }.map(\.element)
        XCTAssertLessThan(others.max() ?? 0, 1e-2)
        let power = try AudioSignal(samples: samples, sampleRate: rate).fftSpectrum(power: 2)
        XCTAssertEqual(power.values[bin], spectrum.values[bin] * spectrum.values[bin], accuracy: 1)
    }

    func testConstantSignalIsAllDCAndBandsAverage() throws {
        let spectrum = try AudioSignal(samples: [Float](repeating: 0.25, count: 64), sampleRate: 64).fftSpectrum()
        XCTAssertEqual(spectrum.values[0], 16, accuracy: 1e-4)   // Σ x = 64 · 0.25
        let bands = try spectrum.averaged(into: 3)               // 33 bins → runs of 11
        XCTAssertEqual(bands.values.count, 3)
        XCTAssertEqual(bands.values[0], 16.0 / 11, accuracy: 1e-4)
        XCTAssertEqual(bands.frequencies[0], 5, accuracy: 1e-9)   // mean of 0 … 10 Hz
        XCTAssertEqual(try spectrum.averaged(into: 100), spectrum)
        XCTAssertThrowsError(try spectrum.averaged(into: 0))
        XCTAssertThrowsError(try AudioSignal(samples: [], sampleRate: 8000).fftSpectrum()) { XCTAssertTrue("\($0)".contains("no samples")) }
    }
}
