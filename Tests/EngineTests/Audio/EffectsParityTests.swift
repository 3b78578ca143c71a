import Engine
import XCTest

/// time_stretch and pitch_shift against librosa.effects. The tolerance, 5e-4 relative RMS, is wider
/// than the resampler's because the phase vocoder accumulates each bin's phase over all frames in
/// float32 (as librosa does) from an STFT librosa computes in float64 and we in float32.
final class EffectsParityTests: XCTestCase {
    private func speech() throws -> AudioSignal {
        try AudioSignal.load(path: LibrosaFixtures.path("speech22.wav"), sampleRate: nil)
    }

    func testTimeStretch() throws {
        for (rate, name) in [(1.25, "speech22.time_stretch_1.25"), (0.8, "speech22.time_stretch_0.8")] {
            let stretched = try speech().timeStretch(rate: rate)
            let expected = try LibrosaFixtures.array(name).values
            XCTAssertEqual(stretched.count, expected.count, name)
            guard stretched.count == expected.count else { continue }
            let error = relativeRMS(stretched.samples, expected)
            print("\(name): relative RMS error \(error)")
            XCTAssertLessThanOrEqual(error, 5e-4, name)
        }
    }

    func testPitchShift() throws {
        for (steps, name) in [(3.0, "speech22.pitch_shift_+3"), (-2.0, "speech22.pitch_shift_-2")] {
            let shifted = try speech().pitchShift(semitones: steps)
            let expected = try LibrosaFixtures.array(name).values
            XCTAssertEqual(shifted.count, expected.count, name)
            guard shifted.count == expected.count else { continue }
            let error = relativeRMS(shifted.samples, expected)
            print("\(name): relative RMS error \(error)")
            XCTAssertLessThanOrEqual(error, 5e-4, name)
        }
    }

    func testBadRatesAreRefused() throws {
        let clip = try speech()
        XCTAssertThrowsError(try clip.timeStretch(rate: 0))
        XCTAssertThrowsError(try clip.timeStretch(rate: .nan))
        XCTAssertThrowsError(try clip.pitchShift(semitones: 2, binsPerOctave: 0))
    }
}
