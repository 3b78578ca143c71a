import Engine
import XCTest

/// librosa.load against the committed fixtures: exact native reads, mono mix-down, soxr_hq resampling.
final class LoadParityTests: XCTestCase {
    private func samples(every step: Int, _ signal: AudioSignal) -> [Float] {
        Swift.stride(from: 0, to: signal.count, by: step).map { signal.samples[$0] }
    }

    func testNativeReadIsExact() throws {
        let speech = try AudioSignal.load(path: LibrosaFixtures.path("speech48.wav"), sampleRate: nil)
        XCTAssertEqual(speech.sampleRate, 48000)
        XCTAssertEqual(speech.count, 48000)
        XCTAssertEqual(samples(every: 16, speech), try LibrosaFixtures.array("speech48.native_every16").values)
    }

    func testStereoIsAveragedToMono() throws {
        let stereo = try AudioSignal.load(path: LibrosaFixtures.path("stereo44.wav"), sampleRate: nil)
        XCTAssertEqual(stereo.sampleRate, 44100)
        XCTAssertEqual(samples(every: 8, stereo), try LibrosaFixtures.array("stereo44.mono_native_every8").values)
    }

    func testResamplingMatchesSoxrHQ() throws {
        let cases: [(file: String, options: LoadOptions, fixture: String)] = [
            ("speech48.wav", LoadOptions(sampleRate: 22050), "speech48.load_22050"),
            ("speech48.wav", LoadOptions(sampleRate: 16000, offset: 0.25, duration: 0.5), "speech48.load_16000_offset_duration"),
            ("stereo44.wav", LoadOptions(sampleRate: 22050), "stereo44.load_22050"),
            ("stereo44.wav", LoadOptions(sampleRate: 48000), "stereo44.load_48000"),
        ]
        for c in cases {
            let loaded = try AudioSignal.load(path: LibrosaFixtures.path(c.file), options: c.options)
            let expected = try LibrosaFixtures.array(c.fixture).values
            XCTAssertEqual(loaded.sampleRate, c.options.sampleRate)
            XCTAssertEqual(loaded.count, expected.count, c.fixture)
            guard loaded.count == expected.count else { continue }
            let error = relativeRMS(loaded.samples, expected)
            print("\(c.fixture): relative RMS error \(error)")
            XCTAssertLessThanOrEqual(error, 1e-4, c.fixture)
        }
    }

    func testWriteThenLoadRoundTrips() throws {
        let speech = try AudioSignal.load(path: LibrosaFixtures.path("speech22.wav"), sampleRate: nil)
        for format in [SoundFileFormat.wavFloat, .flac24] {
            let path = NSTemporaryDirectory() + "serscript-audio-\(UUID().uuidString).\(format == .wavFloat ? "wav" : "flac")"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try speech.write(path: path, format: format)
            let back = try AudioSignal.load(path: path, sampleRate: nil)
            XCTAssertEqual(back.sampleRate, speech.sampleRate)
            XCTAssertLessThanOrEqual(maxAbsoluteError(back.samples, speech.samples), format == .wavFloat ? 0 : 1.0 / 8_388_608)
        }
    }

    func testFixedLengthPadsAndTrims() {
        let signal = AudioSignal(samples: [1, 2, 3], sampleRate: 10)
        XCTAssertEqual(try signal.fixedLength(5).samples, [1, 2, 3, 0, 0])
        XCTAssertEqual(try signal.fixedLength(2).samples, [1, 2])
        XCTAssertEqual(try signal.fixedLength(-1).samples, [])
    }
}

/// Every sample encoding and container the notebooks' corpora might use, read as librosa reads it.
final class LoadFormatTests: XCTestCase {
    func testEncodingsAndContainers() throws {
        for name in ["u8.wav", "s32.wav", "float.wav", "s24.aiff", "vorbis.ogg"] {
            let loaded = try AudioSignal.load(path: LibrosaFixtures.path("format_" + name), sampleRate: nil)
            let expected = try LibrosaFixtures.array("format." + name).values
            XCTAssertEqual(loaded.sampleRate, 22050, name)
            XCTAssertEqual(loaded.count, expected.count, name)
            guard loaded.count == expected.count else { continue }
            // PCM and float decode exactly; Vorbis decoders may differ in their last bits.
            XCTAssertLessThanOrEqual(relativeRMS(loaded.samples, expected), name.hasSuffix(".ogg") ? 1e-4 : 0, name)
        }
    }
}
