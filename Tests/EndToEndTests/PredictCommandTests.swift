import Engine
import Foundation
import XCTest

/// `serscript predict`: files, folders and manifests in any format, bad files skipped, CSV and JSON
/// output, timelines, and the exit status.
final class PredictCommandTests: XCTestCase {
    private var folder: URL!
    private var bundle: String { folder.appendingPathComponent("mfcc.bundle.safetensors").path }

    /// A bundle over utterance-mean MFCCs of 1 s at 16 kHz (no scaler) and a folder of recordings:
    /// a 16 kHz mono WAV and a 44.1 kHz stereo FLAC.
    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-predict-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("audio/sub"), withIntermediateDirectories: true)
        let pipeline = FeaturePipeline(load: AudioLoadSpec(sampleRate: 16000, offset: 0, duration: 1, pad: true),
                                       recipe: .mfccMean(MFCCOptions(nMFCC: 13, mel: MelSpectrogramOptions(nFFT: 512, hopLength: 256, nMels: 32))))
        let model = Sequential([try Linear(13, 4, generator: RandomGenerator(seed: 1))])
        try ModelBundle(model: model, features: pipeline, scaler: nil, classNames: ["neutral", "happy", "sad", "angry"],
                        provenance: .init(serscriptVersion: "test")).write(path: bundle)
        func tone(_ rate: Int, _ seconds: Double, _ pitch: Double) -> [Float] {
            (0..<Int(Double(rate) * seconds)).map { Float(0.3 * sin(2 * .pi * pitch * Double($0) / Double(rate))) }
        }
        try SoundFile.write(path: path("audio/low.wav"), samples: tone(16000, 1.2, 180), sampleRate: 16000)
        try SoundFile.write(path: path("audio/sub/high.flac"), samples: tone(44100, 0.8, 400).flatMap { [$0, $0 * 0.5] }, channels: 2,
                            sampleRate: 44100, format: .flac16)
        try Data("path,emotion\naudio/low.wav,sad\n".utf8).write(to: folder.appendingPathComponent("manifest.csv"))
        try Data("RIFF....WAVEjunk".utf8).write(to: folder.appendingPathComponent("broken.wav"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func path(_ relative: String) -> String { folder.appendingPathComponent(relative).path }

    func testFoldersManifestsAndABadFile() throws {
        let run = try runSerscript(["predict", bundle, "audio", "manifest.csv", "broken.wav", "--top", "2", "--csv", "out.csv"], in: folder)
        XCTAssertEqual(run.status, 1, "a failed file makes the status 1: \(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.map { $0.split(separator: "\t").first.map(String.init) ?? "" },
                       ["audio/low.wav", "audio/sub/high.flac", "audio/low.wav"])
        XCTAssertTrue(lines.allSatisfy { $0.split(separator: "\t").count == 3 && $0.components(separatedBy: ", ").count == 2 }, run.stdout)
        XCTAssertTrue(run.stderr.contains("skipped broken.wav"), run.stderr)
        XCTAssertTrue(run.stderr.contains("3 files predicted, 1 failed"), run.stderr)
        let csv = try String(contentsOf: folder.appendingPathComponent("out.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "file,emotion,neutral,happy,sad,angry,error")
        XCTAssertEqual(csv.count, 5)
        XCTAssertTrue(csv[4].hasPrefix("broken.wav,,,,,,"), String(csv[4]))
        // The manifest names the same file as the folder: the same answer.
        XCTAssertEqual(csv[1].split(separator: ",").dropFirst(), csv[3].split(separator: ",").dropFirst())
    }

    func testJSONHasTheTopKAndEveryProbability() throws {
        let run = try runSerscript(["predict", bundle, path("audio/sub/high.flac"), "--json", "--top", "3"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let answers = try JSONValue.parse(run.stdout).arrayValue ?? []
        XCTAssertEqual(answers.count, 1)
        let answer = answers.first?.objectValue ?? [:]
        XCTAssertEqual(answer["top"]?.arrayValue?.count, 3)
        let probabilities = answer["probabilities"]?.objectValue ?? [:]
        XCTAssertEqual(Set(probabilities.keys), ["neutral", "happy", "sad", "angry"])
        XCTAssertEqual(probabilities.values.compactMap(\.numberValue).reduce(0, +), 1, accuracy: 1e-5)
        let best = probabilities.max { ($0.value.numberValue ?? 0) < ($1.value.numberValue ?? 0) }?.key
        XCTAssertEqual(answer["emotion"]?.stringValue, best)
        XCTAssertEqual(answer["top"]?.arrayValue?.first?.objectValue?["emotion"]?.stringValue, best)
    }

    func testWindowsWriteATimelinePerFile() throws {
        let run = try runSerscript(["predict", bundle, "audio", "--window", "0.5", "--hop", "0.25", "--out", "timelines"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        let csv = try String(contentsOf: folder.appendingPathComponent("timelines/low.timeline.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 1 + 3, "1.2 s in 0.5 s windows every 0.25 s: starts 0, 0.25, 0.5")
        XCTAssertEqual(csv.first, "start,end,emotion,neutral,happy,sad,angry")
        let svg = try String(contentsOf: folder.appendingPathComponent("timelines/high.timeline.svg"), encoding: .utf8)
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 4)
        XCTAssertTrue(run.stdout.contains("audio/low.wav\t3 windows"), run.stdout)
    }

    func testUsageAndBundleErrorsExitWithTwo() throws {
        XCTAssertEqual(try runSerscript(["predict", bundle]).status, 2)
        XCTAssertEqual(try runSerscript(["predict", bundle, "x.wav", "--top", "0"]).status, 2)
        XCTAssertEqual(try runSerscript(["predict", bundle, path("audio"), "--hop", "1"]).status, 2)
        XCTAssertEqual(try runSerscript(["predict", bundle, path("audio"), "--window", "1", "--csv", "x.csv"]).status, 2)
        let missing = try runSerscript(["predict", bundle, path("nowhere")])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("nowhere: no such file or folder"), missing.stderr)
        let checkpoint = path("plain.safetensors")
        try Checkpoint(weights: ["0.weight": StoredTensor(shape: [1], values: [0])]).write(path: checkpoint)
        let notBundle = try runSerscript(["predict", checkpoint, path("audio")])
        XCTAssertEqual(notBundle.status, 2)
        XCTAssertTrue(notBundle.stderr.contains("training checkpoint, not a model bundle"), notBundle.stderr)
    }
}
