import Foundation
import XCTest

/// Every run folder records how it was started (`run.json`, `script.sers`), and `serscript rerun`
/// repeats it and says whether the results came out the same.
final class RerunTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-rerun-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// Unseeded randomness everywhere: the script's generator, tensor draws, weight initialisation, shuffling.
    private let script = """
        param n = 4
        # %% Draw
        let x = randn([n, 3])
        report(total: x.sum().item(), r: random())
        # %% Train
        let model = seq(linear(3, 4), relu(), linear(4, 2))
        let fs = feature_set(randn([32, 3]), map(fn(i) = i % 2, range(32)))
        let h = fit(model, fs, epochs: 2, batch_size: 8)
        report(loss: evaluate(model, fs).loss)

        """

    private func json(_ url: URL) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    func testARunFolderRecordsHowToRepeatItAndRerunReproducesIt() throws {
        let path = folder.appendingPathComponent("draw.sers")
        try script.write(to: path, atomically: true, encoding: .utf8)
        let first = try runSerscript(["draw.sers", "--set", "n=5", "--cells", "1,2", "--out", "first"], in: folder)
        XCTAssertEqual(first.status, 0, first.stderr)
        let runFolder = folder.appendingPathComponent("first")
        let record = try json(runFolder.appendingPathComponent("run.json"))
        XCTAssertEqual(record["script"] as? String, "draw.sers")
        XCTAssertEqual(record["outcome"] as? String, "completed")
        XCTAssertEqual(record["seed_given"] as? Bool, false, "no --seed: one is drawn and kept")
        XCTAssertNotNil(record["seed"] as? Double)
        XCTAssertEqual(record["cells"] as? [Double], [1, 2])
        XCTAssertEqual(record["overrides"] as? [[String]], [["n", "5"]])
        XCTAssertEqual(record["working_directory"] as? String, folder.resolvingSymlinksInPath().path)
        XCTAssertEqual(try String(contentsOf: runFolder.appendingPathComponent("script.sers"), encoding: .utf8), script)
        XCTAssertTrue(try String(contentsOf: runFolder.appendingPathComponent("index.html"), encoding: .utf8)
            .contains("draw.sers --set n=5 --cells 1,2 --out first"), "the report shows the command")

        // The script changes afterwards and the rerun starts elsewhere: the kept copy runs, from the recorded folder.
        try "print(\"changed\")\n".write(to: path, atomically: true, encoding: .utf8)
        // --out is relative to where rerun is started; a unique name, since it must be new or empty.
        let secondName = "serscript-rerun-second-\(UUID().uuidString)"
        let again = try runSerscript(["rerun", runFolder.path, "--out", secondName], in: FileManager.default.temporaryDirectory)
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        XCTAssertFalse(again.stdout.contains("changed"), again.stdout)
        XCTAssertTrue(again.stdout.contains("Reproduced: all 8 results identical"), again.stdout)
        let second = FileManager.default.temporaryDirectory.appendingPathComponent(secondName)
        defer { try? FileManager.default.removeItem(at: second) }
        let metrics = try json(second.appendingPathComponent("metrics.json"))
        XCTAssertEqual(metrics as NSDictionary, try json(runFolder.appendingPathComponent("metrics.json")) as NSDictionary)
        XCTAssertEqual(try json(second.appendingPathComponent("run.json"))["seed_given"] as? Bool, true)

        // A different seed is a different run: another run of the file (unseeded) draws another seed.
        try script.write(to: path, atomically: true, encoding: .utf8)
        let third = try runSerscript(["draw.sers", "--set", "n=5", "--out", "third"], in: folder)
        XCTAssertEqual(third.status, 0, third.stderr)
        XCTAssertNotEqual(try json(folder.appendingPathComponent("third/run.json"))["seed"] as? Double, record["seed"] as? Double)
    }

    func testRerunSaysWhatDiffers() throws {
        try script.write(to: folder.appendingPathComponent("draw.sers"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try runSerscript(["draw.sers", "--seed", "7", "--out", "run"], in: folder).status, 0)
        let metricsFile = folder.appendingPathComponent("run/metrics.json")
        let tampered = try String(contentsOf: metricsFile, encoding: .utf8).replacingOccurrences(of: "\"r\": 0.", with: "\"r\": 1.")
        try tampered.write(to: metricsFile, atomically: true, encoding: .utf8)
        let result = try runSerscript(["rerun", "run", "--out", "again"], in: folder)
        XCTAssertEqual(result.status, 3, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("Not reproduced: 1 of 8 results differ"), result.stdout)
        XCTAssertNotNil(result.stdout.split(separator: "\n").first { $0.hasPrefix("r ") && $0.hasSuffix("DIFFERS") }, result.stdout)
    }

    func testFailedRunsAreRecordedAndBadFoldersAreNamed() throws {
        let failing = try runSerscript(["-e", "report(started: true)\nprint(1 / 0)", "--out", "failed"], in: folder)
        XCTAssertEqual(failing.status, 1)
        let record = try json(folder.appendingPathComponent("failed/run.json"))
        XCTAssertEqual(record["outcome"] as? String, "failed")
        XCTAssertTrue((record["error"] as? String)?.contains("<-e>:2:9: error: division by zero") ?? false, "\(record)")
        XCTAssertEqual(record["script"] as? String, "<-e>")

        let missing = try runSerscript(["rerun", "nowhere"], in: folder)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("nowhere/run.json: missing or unreadable"), missing.stderr)
        let usage = try runSerscript(["rerun", "failed", "--seed", "1"], in: folder)
        XCTAssertEqual(usage.status, 2)
        XCTAssertTrue(usage.stderr.contains("Unknown option '--seed'"), usage.stderr)
        XCTAssertTrue(usage.stderr.contains("Usage: serscript rerun <run-dir> [--out <dir>]"), usage.stderr)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("failed/script.sers"))
        let noScript = try runSerscript(["rerun", "failed"], in: folder)
        XCTAssertEqual(noScript.status, 1)
        XCTAssertTrue(noScript.stderr.contains("failed/script.sers: missing or unreadable"), noScript.stderr)
    }

    /// `--out` is checked before anything runs (a script that would take long never starts): never
    /// the recorded folder, not a file, not a non-empty folder, and a folder that can be made.
    func testBadOutFoldersAreRefusedBeforeTheRunStarts() throws {
        try "param n = 1\nprint(\"running\")\nreport(n: n)\n".write(to: folder.appendingPathComponent("quick.sers"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try runSerscript(["quick.sers", "--out", "run"], in: folder).status, 0)
        let recorded = folder.appendingPathComponent("run")
        let before = try FileManager.default.contentsOfDirectory(atPath: recorded.path).sorted()
        let record = try Data(contentsOf: recorded.appendingPathComponent("run.json"))
        try Data("x".utf8).write(to: folder.appendingPathComponent("afile"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("full"), withIntermediateDirectories: true)
        try Data("old".utf8).write(to: folder.appendingPathComponent("full/old.txt"))
        let cases: [(String, String)] = [
            ("run", "--out run is the recorded run's folder; a rerun never overwrites the record"),
            (recorded.path + "/.", "is the recorded run's folder"),
            ("afile", "--out afile is a file"),
            ("full", "--out full is not empty (1 entry)"),
            ("afile/sub", "--out afile/sub: cannot create the folder"),
            ("/proc/serscript-rerun-out", "--out /proc/serscript-rerun-out: cannot create the folder"),
        ]
        for (out, message) in cases {
            let result = try runSerscript(["rerun", "run", "--out", out], in: folder)
            XCTAssertEqual(result.status, 2, "\(out): \(result.stdout)\(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(out): \(result.stderr)")
            XCTAssertFalse(result.stdout.contains("running"), "\(out): nothing ran")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: recorded.path).sorted(), before)
        XCTAssertEqual(try Data(contentsOf: recorded.appendingPathComponent("run.json")), record, "the record is untouched")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("full/old.txt"), encoding: .utf8), "old")
        // A new folder, or an empty one, is fine.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("empty"), withIntermediateDirectories: true)
        for out in ["empty", "new/nested"] {
            let result = try runSerscript(["rerun", "run", "--out", out], in: folder)
            XCTAssertEqual(result.status, 0, "\(out): \(result.stdout)\(result.stderr)")
            XCTAssertTrue(result.stdout.contains("Reproduced: all 1 results identical"), result.stdout)
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(out)/run.json").path))
        }
    }

    func testRerunSaysWhenTheCorpusChanged() throws {
        for (folderName, file) in [("happy", "a.wav"), ("sad", "b.wav")] {
            let emotion = folder.appendingPathComponent("corpus/\(folderName)")
            try FileManager.default.createDirectory(at: emotion, withIntermediateDirectories: true)
            try Data(repeating: 1, count: 100).write(to: emotion.appendingPathComponent(file))
        }
        try "let ds = corpus(\"folders\", \"corpus\")\nreport(clips: ds.len())\n"
            .write(to: folder.appendingPathComponent("count.sers"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try runSerscript(["count.sers", "--out", "run"], in: folder).status, 0)
        let data = try XCTUnwrap(try json(folder.appendingPathComponent("run/run.json"))["data"] as? [[String: Any]])
        XCTAssertEqual(data.first?["source"] as? String, "folders corpus")
        XCTAssertEqual(data.first?["files"] as? Double, 2)
        XCTAssertEqual(data.first?["bytes"] as? Double, 200)

        let same = try runSerscript(["rerun", "run", "--out", "same"], in: folder)
        XCTAssertEqual(same.status, 0, same.stdout + same.stderr)
        XCTAssertFalse(same.stdout.contains("Note: data"), same.stdout)

        try Data(repeating: 2, count: 150).write(to: folder.appendingPathComponent("corpus/sad/b.wav"))
        let changed = try runSerscript(["rerun", "run", "--out", "changed"], in: folder)
        XCTAssertEqual(changed.status, 0, "the reported count is unchanged: \(changed.stdout)")
        XCTAssertTrue(changed.stdout.contains("Note: data folders corpus was 2 files, 0.0 MB, digest "), changed.stdout)
        XCTAssertTrue(changed.stdout.contains("is now 2 files, 0.0 MB, digest "), changed.stdout)
    }
}
