import Engine
import Foundation
import XCTest

/// Targeted hostile arguments, each of which once trapped (a failed huge allocation, a Double
/// too large for Int, an overflow, an endless loop): now an error naming the builtin and the
/// value, or a normal result. Unlike `FuzzTests` these reach deep into builtins with values that
/// random text rarely produces.
final class HostileScriptTests: XCTestCase {
    private let clip = "audio([0.1, 0.2, 0.3, -0.2], 16000)"

    func testHugeSizesAreRefused() throws {
        let run = try BindingRun()
        let cases: [(String, [String])] = [
            ("padding_mask([1], 2**40)", ["padding_mask", "1099511627776"]),
            ("melspectrogram(\(clip), n_fft: 4, n_mels: 2**40)", ["mel", "n_mels=1099511627776"]),
            ("rms(\(clip), frame_length: 2**40)", ["rms", "frame_length=1099511627776"]),
            ("\(clip).fix_length(2**62)", ["fix_length", "4611686018427387904 samples"]),
            ("\(clip).fix_length(2**40)", ["fix_length", "memory"]),
            ("\(clip).resample(30000000000000)", ["resample", "memory"]),
            ("time_stretch(\(clip), rate: 1e-300)", ["time_stretch", "rate 1e-300"]),
            ("feature_set(zeros([4, 3, 2]), [0, 1, 0, 1]).augment(spec_augment(copies: 2**62))", ["FeatureSet.augment", "at most"]),
            ("feature_set(zeros([4, 3, 2]), [0, 1, 0, 1]).augment(spec_augment(copies: 2**40))", ["FeatureSet.augment", "at most"]),
        ]
        for (text, fragments) in cases {
            let message = run.failure(text)
            for fragment in fragments { XCTAssertTrue(message.contains(fragment), "\(text): \(message)") }
        }
        XCTAssertEqual(run.run("print(\(clip).fix_length(6).len())"), "6\n")
        XCTAssertEqual(run.run("print(feature_set(zeros([4, 3, 2]), [0, 1, 0, 1]).augment(spec_augment(copies: 2)).len())"), "12\n")
    }

    func testNumbersTooLargeForIntAreErrors() throws {
        let run = try BindingRun()
        XCTAssertTrue(run.failure("awgn(snr: [1e300, 1e301])(\(clip))").contains("snr"))
        XCTAssertTrue(run.failure("time_shift(max_shift: 1e300)(\(clip))").contains("max_shift"))
        // The widest integer ranges draw without overflowing.
        run.run("awgn(snr: [-9e18, 9e18])(\(clip))\ntime_shift(max_shift: 1e14)(\(clip))")
    }

    func testPlotsOfExtremeValuesFinish() throws {
        let run = try BindingRun()
        run.run("""
        plot_bar({a: 1e308, b: -1e308})
        plot_lines({a: [1e308, -1e308]})
        plot_lines({a: [1e17, 1e17 + 16]})
        plot_bar({a: 1e300, b: 1e300})
        """)
    }

    func testDatasetsRefuseHugePaddingAndCopies() throws {
        let run = try BindingRun()
        try FileManager.default.createDirectory(at: run.folder, withIntermediateDirectories: true)
        let wav = run.folder.appendingPathComponent("clip.wav").path
        try SoundFile.write(path: wav, samples: (0..<1600).map { Float(sin(Double($0) / 9)) * 0.3 }, sampleRate: 16000)
        let csv = run.folder.appendingPathComponent("clips.csv").path
        try "path,emotion\nclip.wav,angry\nclip.wav,sad\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let corpus = "let ds = corpus(\"manifest\", \"\(csv)\")\n"
        for duration in ["1e300", "1e9", "float(\"inf\")"] {
            let message = run.failure(corpus + "load_audio(ds, sr: 16000, duration: \(duration))")
            XCTAssertTrue(message.contains("load_audio") && message.contains("memory"), message)
        }
        let copies = run.failure(corpus + "load_audio(ds, sr: 16000, duration: 0.05).augment(awgn(copies: 2**62))")
        XCTAssertTrue(copies.contains("AudioSet.augment"), copies)
        // The file listed twice is noted as identical audio before the count.
        XCTAssertTrue(run.run(corpus + "print(len(load_audio(ds, sr: 16000, duration: 0.05).augment(awgn(copies: 2))))").hasSuffix("\n6\n"))
    }
}
