import Engine
import XCTest

/// STFT / ISTFT against librosa, plus closed-form checks of the windows.
final class STFTParityTests: XCTestCase {
    private let shortWindow = STFTOptions(nFFT: 512, hopLength: 160, winLength: 400, padMode: .reflect)

    private func noiseHead() throws -> AudioSignal {
        let noise = try AudioSignal.load(path: LibrosaFixtures.path("noise22.wav"), sampleRate: nil)
        return AudioSignal(samples: Array(noise.samples[0..<4000]), sampleRate: noise.sampleRate)
    }

    func testComplexSTFTWithShortWindowAndReflectPadding() throws {
        let spectrum = try noiseHead().stft(shortWindow)
        let real = try LibrosaFixtures.matrix("noise22.stft_real")
        let imaginary = try LibrosaFixtures.matrix("noise22.stft_imag")
        XCTAssertEqual(spectrum.real().shape, real.shape)
        let peak = Double(spectrum.magnitude().values.max() ?? 1)
        XCTAssertLessThanOrEqual(maxAbsoluteError(spectrum.real().values, real.values) / peak, 1e-6)
        XCTAssertLessThanOrEqual(maxAbsoluteError(spectrum.imaginary().values, imaginary.values) / peak, 1e-6)
    }

    func testISTFTInvertsAndMatchesLibrosa() throws {
        let head = try noiseHead()
        let back = try head.stft(shortWindow).istft(shortWindow, length: head.count)
        XCTAssertEqual(back.count, 4000)
        XCTAssertLessThanOrEqual(relativeRMS(back, head.samples), 1e-5)
        XCTAssertLessThanOrEqual(relativeRMS(back, try LibrosaFixtures.array("noise22.istft").values), 1e-5)
    }

    func testBlackmanPowerSpectrogram() throws {
        let chirp = try AudioSignal.load(path: LibrosaFixtures.path("chirp48.wav"), sampleRate: nil)
        let head = AudioSignal(samples: Array(chirp.samples[0..<6000]), sampleRate: 48000)
        let power = try head.stft(STFTOptions(nFFT: 256, hopLength: 100, window: .blackman)).power()
        let expected = try LibrosaFixtures.matrix("chirp48.blackman_power")
        XCTAssertEqual(power.shape, expected.shape)
        // Within 70 dB of the peak: Blackman's deep sidelobes put many bins just above the 80 dB line,
        // where the float32 FFT's rounding reaches 1.4e-4 of the value.
        XCTAssertLessThanOrEqual(maxRelativeError(power.values, expected.values, floor: 1e-7), 1e-4)
    }

    func testPeriodicWindowsAndCentredPadding() {
        let hann = WindowFunction.hann.periodic(length: 4)
        for (value, expected) in zip(hann, [0, 0.5, 1, 0.5]) { XCTAssertEqual(value, expected, accuracy: 1e-12) }
        let hamming = WindowFunction.hamming.periodic(length: 4)
        for (value, expected) in zip(hamming, [0.08, 0.54, 1, 0.54]) { XCTAssertEqual(value, expected, accuracy: 1e-12) }
        XCTAssertEqual(WindowFunction.rectangular.padded(length: 3, to: 7), [0, 0, 1, 1, 1, 0, 0])
        XCTAssertEqual(WindowFunction.bartlett.periodic(length: 4), [0, 0.5, 1, 0.5])
    }

    func testFrameCountFollowsLibrosa() throws {
        let clip = AudioSignal(samples: [Float](repeating: 0.1, count: 144_000), sampleRate: 48000)
        XCTAssertEqual(try clip.stft(STFTOptions(nFFT: 1024, hopLength: 256)).frames, 563)
        XCTAssertEqual(try clip.stft(STFTOptions(nFFT: 1024, hopLength: 256, center: false)).frames, 559)
    }

    func testBadParametersAreRefused() {
        let clip = AudioSignal(samples: [Float](repeating: 0, count: 100), sampleRate: 8000)
        XCTAssertThrowsError(try clip.stft(STFTOptions(nFFT: 0)))
        XCTAssertThrowsError(try clip.stft(STFTOptions(nFFT: 256, winLength: 300))) { error in
            XCTAssertTrue("\(error)".contains("win_length"), "\(error)")
        }
        XCTAssertThrowsError(try clip.stft(STFTOptions(nFFT: 256, hopLength: 0)))
        XCTAssertThrowsError(try clip.stft(STFTOptions(nFFT: 2))) { error in
            XCTAssertTrue("\(error)".contains("got 0 (the default, win_length // 4 with win_length 2); pass hop_length"), "\(error)")
        }
        XCTAssertThrowsError(try clip.stft(STFTOptions(nFFT: 256, center: false))) { error in
            XCTAssertTrue("\(error)".contains("too large"), "\(error)")
        }
        XCTAssertThrowsError(try AudioSignal(samples: [], sampleRate: 8000).stft()) { error in
            XCTAssertTrue("\(error)".contains("empty"), "\(error)")
        }
    }
}
