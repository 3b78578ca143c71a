import Engine
import Foundation
import XCTest

/// The corpus examples (cnn_lstm, combined_dataset_cnn, data_augmentation, mfcc_mlp) run end to end
/// through the built `serscript` on small generated demo corpora with tiny settings.
final class CorpusExamplesTests: XCTestCase {
    /// Demo corpora shared by the tests of this class, in the scripts' default folders: 2 speakers, statement 1 only.
    private static let root = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-corpus-examples-\(UUID().uuidString)")
    private static var generated: Result<Void, Error>?

    override class func tearDown() {
        try? FileManager.default.removeItem(at: root)
        super.tearDown()
    }

    private static let corpora: [(folder: String, naming: DemoCorpusNaming, seed: UInt64)] = [
        ("data/demo", .ravdess, 1), ("data/demo-cremad", .cremad, 2), ("data/demo-tess", .tess, 3), ("data/demo-savee", .savee, 4),
        ("data/demo-folders", .folders, 5),
    ]

    /// Generates every corpus once (espeak-ng), or skips when espeak-ng is missing.
    private func corpora() throws -> URL {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/espeak-ng") else { throw XCTSkip("espeak-ng is not installed") }
        if Self.generated == nil {
            Self.generated = Result {
                for corpus in Self.corpora {
                    var options = DemoCorpusOptions(seed: corpus.seed, speakers: 2, naming: corpus.naming)
                    options.emotions = corpus.naming.emotions
                    options.statements = [1]
                    try DemoCorpus.generate(into: Self.root.appendingPathComponent(corpus.folder), options: options)
                }
            }
        }
        try Self.generated?.get()
        return Self.root
    }

    private var examples: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples")
    }

    /// Runs `script` in the corpora folder with `settings`; returns the run folder after checking exit 0.
    private func run(_ script: String, _ settings: [String], run name: String? = nil) throws -> (out: URL, stdout: String) {
        let root = try corpora()
        let out = root.appendingPathComponent("runs/\(name ?? script)")
        let arguments = [examples.appendingPathComponent("\(script).sers").path, "--seed", "1", "--out", out.path]
            + settings.flatMap { ["--set", $0] }
        let result = try runSerscript(arguments, in: root)
        guard result.status == 0 else { throw ScriptFailed(description: "\(script) exited with \(result.status): \(result.stderr)") }
        return (out, result.stdout)
    }

    private func assertFiles(_ files: [String], in out: URL, file: StaticString = #filePath, line: UInt = #line) {
        for name in files {
            let path = out.appendingPathComponent(name).path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            XCTAssertGreaterThan(size ?? 0, 0, "\(name) missing or empty in \(out.path)", file: file, line: line)
        }
    }

    private func metrics(_ out: URL) throws -> [String: JSONValue] {
        try JSONValue.parse(try String(contentsOfFile: out.appendingPathComponent("metrics.json").path, encoding: .utf8)).objectValue ?? [:]
    }

    private func number(_ value: JSONValue?) -> Double {
        if case .number(let x) = value { return x }
        return .nan
    }

    private func assertTrainedRun(_ out: URL, model: String, bundle: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let bundle = "models/\(bundle ?? model).bundle.safetensors"
        assertFiles(["emotions.svg", "logmel.svg", "loss.svg", "accuracy.svg", "confusion.svg", "history.csv", "index.html",
                     "intensity_correctness.svg", "gender_correctness.svg",
                     "models/\(model).safetensors", bundle], in: out, file: file, line: line)
        let values = try metrics(out)
        try assertBundleRecords(values, out.appendingPathComponent(bundle).path, file: file, line: line)
        XCTAssertEqual(number(values["epochs"]), 1, file: file, line: line)
        let accuracy = number(values["accuracy"])
        XCTAssertTrue((0...1).contains(accuracy), "accuracy \(accuracy)", file: file, line: line)
    }

    /// The run's bundle loads without the script and records the run's test accuracy.
    private func assertBundleRecords(_ values: [String: JSONValue], _ bundle: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let check = try runSerscript(["-e", "print(load_model(\"\(bundle)\").metrics.accuracy)"])
        XCTAssertEqual(check.status, 0, check.stderr, file: file, line: line)
        XCTAssertEqual(Double(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1, number(values["accuracy"]), accuracy: 1e-12,
                       file: file, line: line)
    }

    func testCNNLSTMOnTheFolderPerEmotionCorpus() throws {
        let (out, stdout) = try run("cnn_lstm", ["epochs=1", "copies=1"])
        try assertTrainedRun(out, model: "cnn_lstm_model1", bundle: "cnn_lstm")
        XCTAssertTrue(stdout.contains("number of files is 52"), stdout)
        XCTAssertTrue(stdout.contains("147,751 trainable parameters"), stdout)   // the stacked CNN-LSTM with 7 classes
        let trainClips = stdout.components(separatedBy: "train ").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
        XCTAssertGreaterThan(trainClips, 30, stdout)
        XCTAssertTrue(stdout.contains("X_train [\(2 * trainClips), 7, 1, 128, 128]"), stdout)   // each clip + 1 AWGN copy
        XCTAssertTrue(stdout.contains("Test accuracy is"), stdout)
    }

    func testCombinedDatasetCNNOnFourCorpora() throws {
        let (out, stdout) = try run("combined_dataset_cnn", ["epochs=1", "copies=0", "fraction=0.5"])
        try assertTrainedRun(out, model: "combined_cnn_lstm")
        assertFiles(["gender.svg", "intensity.svg", "corpora.svg"], in: out)
        XCTAssertTrue(stdout.contains("corpora: CREMA-D, RAVDESS, SAVEE, TESS"), stdout)
        XCTAssertTrue(stdout.contains("corpus   correct  wrong"), stdout)
    }

    func testDataAugmentationWritesEveryAugmentationBeforeAndAfter() throws {
        let (out, stdout) = try run("data_augmentation", [])
        let augmentations = ["awgn", "gain", "time_shift", "time_stretch", "pitch_shift", "reverb", "tanh_distortion"]
        assertFiles(["emotions.svg", "corpora.svg", "original.wav", "original_waveform.svg", "original_logmel.svg",
                     "augmented/spec_augment_logmel.svg"]
                    + augmentations.flatMap { ["augmented/\($0).wav", "augmented/\($0)_waveform.svg", "augmented/\($0)_logmel.svg"] }, in: out)
        let original = try SoundFile.info(path: out.appendingPathComponent("original.wav").path)
        for name in augmentations {
            let info = try SoundFile.info(path: out.appendingPathComponent("augmented/\(name).wav").path)
            XCTAssertEqual(info.frames, original.frames, "\(name) keeps the clip's length")
        }
        let values = try metrics(out)
        XCTAssertEqual(number(values["augmented_clips"]), number(values["clips"]) * 8)
        XCTAssertTrue(stdout.contains("CREMA-D"), stdout)
        // Every WAV the run wrote plays in the report.
        let report = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        for wav in ["original.wav"] + augmentations.map({ "augmented/\($0).wav" }) {
            XCTAssertTrue(report.contains("<audio controls preload=\"none\" src=\"\(wav)\">"), "\(wav) has no player")
        }
    }

    func testMFCCMeansAndTheDenseNetworkLearn() throws {
        let (out, stdout) = try run("mfcc_mlp", ["epochs=60"])
        let corpora = ["RAVDESS", "CREMA-D", "SAVEE", "TESS"]
        assertFiles(corpora.flatMap { ["waveform_\($0).svg", "spectrum_\($0).svg", "mfcc_\($0).svg"] }
                    + ["loss.svg", "accuracy.svg", "confusion.svg", "models/mfcc_mlp.safetensors", "models/mfcc_mlp.bundle.safetensors"], in: out)
        try assertBundleRecords(try metrics(out), out.appendingPathComponent("models/mfcc_mlp.bundle.safetensors").path)
        XCTAssertTrue(stdout.contains("110,087 trainable parameters"), stdout)
        // 7 classes: chance is 14 %; the MFCC means of the demo corpora separate well within 60 epochs.
        let accuracy = number(try metrics(out)["accuracy"])
        XCTAssertGreaterThan(accuracy, 0.4, stdout)
        XCTAssertTrue(stdout.contains("(80/10/10 split, scaled)"), stdout)
    }

    /// The notebook's split and features: 90 / 10 with the test set as validation data, raw MFCC means.
    func testMFCCMLPNotebookSplitWithoutScaling() throws {
        let (out, stdout) = try run("mfcc_mlp", ["epochs=2", "split=notebook", "scale=false"], run: "mfcc_mlp_notebook")
        let line = try XCTUnwrap(stdout.split(separator: "\n").first { $0.hasPrefix("X_train ") }, stdout)
        XCTAssertTrue(line.hasSuffix("(notebook split, unscaled)"), String(line))
        // Validation is the test set: the same shape, and 10 % of the clips.
        let shapes = line.split(separator: "[").dropFirst().map { $0.prefix { $0 != "," } }.compactMap { Int($0) }
        XCTAssertEqual(shapes.count, 3, String(line))
        if shapes.count == 3 {
            XCTAssertEqual(shapes[1], shapes[2], String(line))
            XCTAssertEqual(Double(shapes[2]) / Double(shapes[0] + shapes[2]), 0.1, accuracy: 0.03, String(line))
        }
        assertFiles(["models/mfcc_mlp.bundle.safetensors"], in: out)
    }
}

/// A script that did not exit with status 0.
private struct ScriptFailed: Error, CustomStringConvertible {
    var description: String
}
