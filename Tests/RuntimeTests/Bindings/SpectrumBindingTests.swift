import Foundation
import XCTest

/// fft_spectrum, plot_lines with x values, and calling an augmentation on one value.
final class SpectrumBindingTests: XCTestCase {
    func testFFTSpectrumFeedsPlotLinesWithFrequencies() throws {
        let run = try BindingRun()
        let output = run.run("""
            let y = audio(map(fn(i) = sin(2 * 3.141592653589793 * 100 * i / 1000), range(1000)), 1000)
            let s = fft_spectrum(y)
            print(len(s.frequency), s.frequency[100], round(s.magnitude[100]))
            let coarse = fft_spectrum(y, bands: 10)
            print(len(coarse.magnitude))
            print(plot_lines({magnitude: s.magnitude}, x: s.frequency, file: "spectrum.svg"))
            """)
        XCTAssertTrue(output.hasPrefix("501 100.0 500\n10\n"), output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.folder.appendingPathComponent("spectrum.svg").path))
        XCTAssertTrue(run.failure("plot_lines({a: [1, 2, 3]}, x: [1, 2])").contains("'a' has 3 values but x has 2"))
    }

    func testAnAugmentationCalledOnAClipOrSpectrogramMatchesItsSeededCopy() throws {
        let run = try BindingRun()
        let output = run.run("""
            let y = audio(map(fn(i) = 0.5 * sin(i / 5), range(4000)), 8000)
            let noise = awgn(snr: [10, 11], seed: 3)
            let a = noise(y)
            let b = noise(y)
            let c = noise(y, copy: 1)
            let diff = fn(p, q) = sum(map(fn(i) = abs(p.samples()[i] - q.samples()[i]), range(0, 4000, 97)))
            print(len(a), diff(a, b) == 0, diff(a, c) > 0, diff(a, y) > 0)
            let spec = melspectrogram(y, n_fft: 256, hop_length: 64, n_mels: 32)
            let masked = spec_augment(freq_mask: 8, time_mask: 10, seed: 1)(spec)
            print(masked.shape == spec.shape, sum(masked.mean(axis: 1)) < sum(spec.mean(axis: 1)))
            """)
        XCTAssertEqual(output, "4000 true true true\ntrue true\n")
        XCTAssertTrue(run.failure("awgn()(melspectrogram(audio([0.1, 0.2, 0.3, 0.4], 8000), n_fft: 4, hop_length: 2, n_mels: 2))").contains("Audio"))
    }
}
