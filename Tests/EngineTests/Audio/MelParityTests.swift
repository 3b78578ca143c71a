import Engine
import XCTest

/// Mel spectrogram, dB and MFCC against librosa 0.11 (fixtures from Tests/Fixtures/librosa/generate.py).
final class MelParityTests: XCTestCase {
    func testNotebookLogMelOnThreeSecondsAt48kHz() throws {
        let clip = try AudioSignal.load(path: LibrosaFixtures.path("notebook48.flac"), sampleRate: 48000,
                                        offset: 0.5, duration: 3)
        XCTAssertEqual(Float(clip.count), try LibrosaFixtures.array("notebook48.loaded_length").values[0])
        let mel = try clip.fixedLength(144_000).melspectrogram(.notebook)
        XCTAssertEqual(mel.shape, [128, 563])
        let power = try LibrosaFixtures.matrix("notebook48.mel_power_every8")
        let powerError = maxRelativeError(try everyColumn(8, of: mel).values, power.values)
        let db = try mel.powerToDb(ref: .max)
        let expectedDb = try LibrosaFixtures.matrix("notebook48.mel_db")
        XCTAssertEqual(db.shape, expectedDb.shape)
        let dbError = maxAbsoluteError(db.values, expectedDb.values)
        print("notebook log-mel: power max rel error \(powerError), dB max abs error \(dbError)")
        XCTAssertLessThanOrEqual(powerError, 1e-4)
        XCTAssertLessThanOrEqual(dbError, 1e-3)
    }

    func testMelAndDbOnSpeechAt48kHz() throws {
        let speech = try AudioSignal.load(path: LibrosaFixtures.path("speech48.wav"), sampleRate: nil)
        let mel = try speech.melspectrogram(.notebook)
        let power = try LibrosaFixtures.matrix("speech48.mel_power_every4")
        let db = try LibrosaFixtures.matrix("speech48.mel_db")
        XCTAssertEqual(mel.shape, db.shape)
        XCTAssertLessThanOrEqual(maxRelativeError(try everyColumn(4, of: mel).values, power.values), 1e-4)
        XCTAssertLessThanOrEqual(maxAbsoluteError(try mel.powerToDb(ref: .max).values, db.values), 1e-3)
    }

    func testHTKMelWithoutNormAndAmplitudeDb() throws {
        let chirp = try AudioSignal.load(path: LibrosaFixtures.path("chirp48.wav"), sampleRate: nil)
        let options = MelSpectrogramOptions(padMode: .reflect, power: 1, nMels: 64, fmin: 50, fmax: 12000, htk: true, norm: .none)
        let mel = try chirp.melspectrogram(options)
        let expected = try LibrosaFixtures.matrix("chirp48.mel_htk_magnitude")
        XCTAssertEqual(mel.shape, expected.shape)
        XCTAssertLessThanOrEqual(maxRelativeError(mel.values, expected.values, floor: 1e-4), 1e-4)
        // No top_db floor: this chirp's quiet bands reach −136 dB; compare the 80 dB below the peak.
        let db = try mel.amplitudeToDb(ref: .value(1), topDb: nil)
        let expectedDb = try LibrosaFixtures.matrix("chirp48.mel_htk_amplitude_db").values
        XCTAssertLessThan(expectedDb.min() ?? 0, (expectedDb.max() ?? 0) - 100, "the fixture should exercise top_db=None")
        XCTAssertLessThanOrEqual(maxAbsoluteErrorNearPeak(db.values, expectedDb), 1e-3)
    }

    func testNotebookMFCC40At22050Hz() throws {
        let speech = try AudioSignal.load(path: LibrosaFixtures.path("speech22.wav"), sampleRate: 22050)
        let mfcc = try speech.mfcc(.notebook)
        let expected = try LibrosaFixtures.matrix("speech22.mfcc40")
        XCTAssertEqual(mfcc.shape, expected.shape)
        let error = maxAbsoluteError(mfcc.values, expected.values)
        print("MFCC 40: max abs error \(error)")
        XCTAssertLessThanOrEqual(error, 1e-3)
    }

    func testDefaultMFCCOnNoise() throws {
        let noise = try AudioSignal.load(path: LibrosaFixtures.path("noise22.wav"))
        let mfcc = try noise.mfcc()
        let expected = try LibrosaFixtures.matrix("noise22.mfcc20")
        XCTAssertEqual(mfcc.shape, expected.shape)
        XCTAssertLessThanOrEqual(maxAbsoluteError(mfcc.values, expected.values), 1e-3)
    }
}
