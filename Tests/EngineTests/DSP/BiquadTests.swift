import Engine
import Foundation
import XCTest

/// RBJ biquads against their analog prototypes evaluated at the bilinear-warped frequency,
/// and the filtering loop against the transfer function on steady-state sinusoids.
final class BiquadTests: XCTestCase {
    private let rate = 48_000.0
    private let probes = [50.0, 300, 1000, 1200, 3000, 8000, 15000, 22000]

    /// `|H(jΩ)|` of an analog biquad `(n2 s² + n1 s + n0) / (d2 s² + d1 s + d0)` at `s = jΩ`.
    private func analog(_ n: (Double, Double, Double), _ d: (Double, Double, Double), _ omega: Double) -> Double {
        let numRe = n.2 - n.0 * omega * omega, numIm = n.1 * omega
        let denRe = d.2 - d.0 * omega * omega, denIm = d.1 * omega
        return ((numRe * numRe + numIm * numIm) / (denRe * denRe + denIm * denIm)).squareRoot()
    }

    /// The bilinear transform maps digital frequency f to analog `tan(πf/fs) / tan(πf0/fs)` (normalised).
    private func warped(_ f: Double, _ f0: Double) -> Double { tan(.pi * f / rate) / tan(.pi * f0 / rate) }

    func testLowAndHighPassMatchAnalogPrototypes() throws {
        let f0 = 2000.0, q = 0.9
        let low = try Biquad.lowPass(frequency: f0, q: q, sampleRate: rate)
        let high = try Biquad.highPass(frequency: f0, q: q, sampleRate: rate)
        for f in probes {
            let w = warped(f, f0)
            XCTAssertEqual(low.magnitude(at: f, sampleRate: rate), analog((0, 0, 1), (1, 1 / q, 1), w),
                           accuracy: 1e-9, "low-pass at \(f) Hz")
            XCTAssertEqual(high.magnitude(at: f, sampleRate: rate), analog((1, 0, 0), (1, 1 / q, 1), w),
                           accuracy: 1e-9, "high-pass at \(f) Hz")
        }
        XCTAssertEqual(low.magnitude(at: f0, sampleRate: rate), q, accuracy: 1e-9)   // |H(f0)| = Q
    }

    func testPeakingAndShelvesMatchAnalogPrototypes() throws {
        let f0 = 1200.0, q = 1.0, gain = 9.0
        let a = pow(10, gain / 40), r = a.squareRoot() / q
        let peak = try Biquad.peaking(frequency: f0, q: q, gainDB: gain, sampleRate: rate)
        let lowShelf = try Biquad.lowShelf(frequency: f0, gainDB: gain, q: q, sampleRate: rate)
        let highShelf = try Biquad.highShelf(frequency: f0, gainDB: gain, q: q, sampleRate: rate)
        for f in probes {
            let w = warped(f, f0)
            XCTAssertEqual(peak.magnitude(at: f, sampleRate: rate), analog((1, a / q, 1), (1, 1 / (a * q), 1), w),
                           accuracy: 1e-9, "peaking at \(f) Hz")
            XCTAssertEqual(lowShelf.magnitude(at: f, sampleRate: rate),
                           a * analog((1, r, a), (a, r, 1), w), accuracy: 1e-9, "low shelf at \(f) Hz")
            XCTAssertEqual(highShelf.magnitude(at: f, sampleRate: rate),
                           a * analog((a, r, 1), (1, r, a), w), accuracy: 1e-9, "high shelf at \(f) Hz")
        }
        XCTAssertEqual(Decibels.db(fromAmplitude: peak.magnitude(at: f0, sampleRate: rate)), gain, accuracy: 1e-9)
        XCTAssertEqual(Decibels.db(fromAmplitude: lowShelf.magnitude(at: 1, sampleRate: rate)), gain, accuracy: 1e-3)
    }

    func testFilteringASinusoidScalesItByTheMagnitudeResponse() throws {
        let filter = try Biquad.peaking(frequency: 1000, q: 2, gainDB: -8, sampleRate: rate)
        for f in [200.0, 1000, 5000] {
            var x = (0..<48_000).map { Float(sin(2 * .pi * f * Double($0) / rate)) }
            filter.apply(to: &x)
            let steady = Array(x[24_000...])   // after the transient has died out
            let measured = Decibels.rms(steady) * 2.0.squareRoot()
            XCTAssertEqual(measured, filter.magnitude(at: f, sampleRate: rate), accuracy: 1e-3, "\(f) Hz")
        }
    }

    func testRejectsFrequenciesOutsideTheBand() {
        XCTAssertThrowsError(try Biquad.lowPass(frequency: 30_000, sampleRate: rate)) { error in
            XCTAssertTrue("\(error)".contains("Nyquist"), "\(error)")
        }
        XCTAssertThrowsError(try Biquad.highPass(frequency: 100, q: 0, sampleRate: rate))
    }
}
