import Engine
import XCTest

/// time_stretch and pitch_shift against librosa.effects. The tolerance, 5e-4 relative RMS, is wider
/// than the resampler's because the phase vocoder accumulates each bin's phase over all frames in
/// float32 (as librosa does) from an STFT librosa computes in float64 and we in float32.
final class EffectsParityTests: XCTestCase {
    private func speech() throws -> AudioSignal {
        try AudioSignal.load(path: LibrosaFixtures.path("speech22.wav"), sampleRate: nil)
    }

    private func assertMatches(_ fixture: String, _ effect: (AudioSignal) throws -> AudioSignal, line: UInt = #line) throws {
        let result = try effect(try speech())
        let expected = try LibrosaFixtures.array(fixture).values
        XCTAssertEqual(result.count, expected.count, fixture, line: line)
        guard result.count == expected.count else { return }
        let error = relativeRMS(result.samples, expected)
        print("\(fixture): relative RMS error \(error)")
        XCTAssertLessThanOrEqual(error, 5e-4, fixture, line: line)
    }

    func testTimeStretch() throws {
        try assertMatches("speech22.time_stretch_1.25") { try $0.timeStretch(rate: 1.25) }
        try assertMatches("speech22.time_stretch_0.8") { try $0.timeStretch(rate: 0.8) }
    }

    func testPitchShift() throws {
        try assertMatches("speech22.pitch_shift_+3") { try $0.pitchShift(semitones: 3) }
        try assertMatches("speech22.pitch_shift_-2") { try $0.pitchShift(semitones: -2) }
    }

    func testBadRatesAreRefused() throws {
        let clip = try speech()
        XCTAssertThrowsError(try clip.timeStretch(rate: 0))
        XCTAssertThrowsError(try clip.timeStretch(rate: .nan))
        XCTAssertThrowsError(try clip.pitchShift(semitones: 2, binsPerOctave: 0))
        XCTAssertThrowsError(try clip.resampled(to: 0))
        XCTAssertThrowsError(try clip.resampled(to: Int.max)) { XCTAssertTrue("\($0)".contains("resampled to") && "\($0)".contains("memory"), "\($0)") }
    }
}
