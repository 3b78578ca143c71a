import Engine
import Foundation
import XCTest

/// `serscript demo-corpus` and the data walk-through example, through the real binary.
final class DemoCorpusCommandTests: XCTestCase {
    func testDemoCorpusThenTheExampleWritesPlotsParamsAndReport() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/espeak-ng") else { throw XCTSkip("espeak-ng is not installed") }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let corpus = root.appendingPathComponent("demo").path
        let made = try runSerscript(["demo-corpus", corpus, "--speakers", "2", "--seed", "5"])
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertTrue(made.stdout.contains("120/120 clips"), made.stdout)
        XCTAssertTrue(DemoCorpus.isComplete(URL(fileURLWithPath: corpus), options: DemoCorpusOptions(seed: 5, speakers: 2)))
        let again = try runSerscript(["demo-corpus", corpus, "--speakers", "2", "--seed", "5"])
        XCTAssertTrue(again.stdout.contains("already complete"), again.stdout)
        let bad = try runSerscript(["demo-corpus", corpus, "--naming", "ravdes"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("'ravdes' is invalid for '--naming <naming>'"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("'ravdess', 'savee', 'tess', 'cremad' or 'folders'"), bad.stderr)

        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/explore_corpus.sers").path
        let out = root.appendingPathComponent("runs/explore").path
        let run = try runSerscript([example, "--set", "data_dir=\(corpus)", "--set", "copies=1", "--out", out], in: root)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("FeatureSet(180 × [1, 128, 563], 8 classes)"), run.stdout)
        let report = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        for plot in ["emotions.svg", "gender.svg", "intensity.svg", "waveform.svg", "logmel.svg"] {
            XCTAssertTrue(report.contains("src=\"\(plot)\""), "\(plot) missing from the report")
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + plot), plot)
        }
        let params = try JSONValue.parse(try String(contentsOfFile: out + "/params.json", encoding: .utf8))
        XCTAssertEqual(params.objectValue?["copies"], .number(1))
        XCTAssertEqual(params.objectValue?["data_dir"], .string(corpus))
        XCTAssertEqual(try JSONValue.parse(try String(contentsOfFile: out + "/metrics.json", encoding: .utf8)).objectValue?["train_rows"], .number(180))
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("runs/.cache/features").path),
                      "the feature cache sits beside --out")
    }
}
