import Foundation
import XCTest
import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport

/// `run.json` (RunRecord) and the comparison `serscript rerun` prints.
final class RunRecordTests: XCTestCase {
    private func sampleRecord(seed: UInt64) -> RunRecord {
        var record = RunRecord(tool: "serscript 9.9", command: ["serscript", "a.sers", "--set", "lr=0.1", "--set", "n=2"],
                               script: "a.sers", overrides: [("lr", "0.1"), ("n", "2")], cells: [1, 3],
                               seed: seed, seedGiven: true, threads: 2, started: Date(timeIntervalSince1970: 1_700_000_000.25))
        record.finished = Date(timeIntervalSince1970: 1_700_000_012.75)
        record.outcome = "failed"
        record.error = "a.sers:3:1: error: boom"
        record.data = [DataFingerprint(source: "ravdess data/demo", files: 720, bytes: 110_000_000, digest: "9a1f")]
        return record
    }

    func testTheRecordRoundTripsThroughRunJSON() throws {
        for seed: UInt64 in [0, 42, 1 << 53, (1 << 53) + 1, .max] {
            let record = sampleRecord(seed: seed)
            let folder = try TemporaryTree()
            let run = try RunFolder(path: folder.path("run"), name: "a")
            try run.writeRecord(record)
            let read = try RunFolder.record(at: folder.path("run"))
            XCTAssertEqual(read.seed, seed)
            XCTAssertEqual(read, record)
            XCTAssertEqual(read.overrides.map(\.name), ["lr", "n"], "overrides keep their order")
            XCTAssertEqual(read.cells, [1, 3])
            XCTAssertEqual(read.data, record.data)
            XCTAssertEqual(read.seconds ?? 0, 12.5, accuracy: 1e-6)
        }
        let json = sampleRecord(seed: (1 << 53) + 1).json.objectValue
        XCTAssertEqual(json?["seed"], .string("9007199254740993"), "a double could not hold this seed")
        XCTAssertEqual(sampleRecord(seed: 7).json.objectValue?["seed"], .number(7))
    }

    func testTheReportShowsTheRecord() throws {
        let folder = try TemporaryTree()
        let run = try RunFolder(path: folder.path("run"), name: "a")
        var record = sampleRecord(seed: 5)
        record.cells = nil
        record.environment = [:]
        try run.writeRecord(record)
        try run.writeReport()
        let page = try String(contentsOfFile: run.file("index.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("<h2>Run</h2>"), page)
        XCTAssertTrue(page.contains("<td>serscript a.sers --set lr=0.1 --set n=2</td>"), "the command as one line: \(page)")
        XCTAssertTrue(page.contains("ravdess data/demo"), page)
        XCTAssertFalse(page.contains("<th>cells</th>") || page.contains("<th>environment</th>"), "empty entries are left out")
    }

    func testARecordDescribesThisMachine() {
        var record = RunRecord(tool: "t", command: [], script: nil, overrides: [], cells: nil, seed: 1, seedGiven: false, threads: 1)
        XCTAssertEqual(record.workingDirectory, FileManager.default.currentDirectoryPath)
        XCTAssertEqual(record.outcome, "running")
        XCTAssertTrue(record.host.isEmpty && record.libraries.isEmpty, "the machine is described only when asked")
        record.describeThisMachine()
        XCTAssertEqual(record.host["cores"], String(ProcessInfo.processInfo.activeProcessorCount))
        XCTAssertTrue(record.host["os"]?.hasPrefix("Linux ") ?? false, "\(record.host)")
        XCTAssertTrue(record.libraries["openblas"]?.hasPrefix("OpenBLAS ") ?? false, "\(record.libraries)")
        XCTAssertTrue(record.libraries["fftw"]?.hasPrefix("fftw-3") ?? false, "\(record.libraries)")
        XCTAssertTrue(record.libraries["libsndfile"]?.hasPrefix("libsndfile-1") ?? false, "\(record.libraries)")
        XCTAssertTrue(record.libraries["soxr"]?.hasPrefix("libsoxr-") ?? false, "\(record.libraries)")
        XCTAssertTrue(RunRecord.isNumericSetting("OPENBLAS_CORETYPE"))
        XCTAssertTrue(RunRecord.isNumericSetting("OMP_NUM_THREADS"))
        XCTAssertFalse(RunRecord.isNumericSetting("HOME"))
    }

    func testABrokenRunJSONNamesTheFileAndTheMember() throws {
        let folder = try TemporaryTree()
        let run = try RunFolder(path: folder.path("run"), name: "a")
        let file = run.file("run.json")
        XCTAssertThrowsMessage(try RunFolder.record(at: folder.path("nowhere")), contains: ["nowhere/run.json", "missing", "run folder"])
        try "{ not json".write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsMessage(try RunFolder.record(at: run.path), contains: [file, "not valid JSON"])
        let good = try XCTUnwrap(sampleRecord(seed: 3).json.objectValue)
        let broken: [(String, JSONValue?, String)] = [
            ("seed", nil, "'seed' is missing"),
            ("seed", .number(-1), "'seed' must be a whole number"),
            ("seed", .number(1.5), "'seed' must be a whole number"),
            ("threads", .string("2"), "'threads' must be a whole number"),
            ("cells", .array([.string("1")]), "'cells' must be a whole number"),
            ("overrides", .array([.array([.string("lr")])]), "[name, value] pairs"),
            ("started", .string("yesterday"), "'started' must be an ISO 8601 time"),
            ("libraries", .array([]), "'libraries' must be an object"),
            ("seed_given", .number(1), "'seed_given' must be true or false"),
        ]
        for (key, value, message) in broken {
            var members = good
            members[key] = value
            try JSONValue.object(members).encoded().write(toFile: file, atomically: true, encoding: .utf8)
            XCTAssertThrowsMessage(try RunFolder.record(at: run.path), contains: [file, message])
        }
    }

    func testTheComparisonCoversMetricsAndHistoryButNotTimings() throws {
        let folder = try TemporaryTree()
        func run(_ name: String, accuracy: Double, lastLoss: Double, seconds: Double) throws -> String {
            let run = try RunFolder(path: folder.path(name), name: name)
            try run.writeMetrics(["accuracy": .number(accuracy), "tag": "x"])
            try run.appendHistory([("epoch", 1), ("train_loss", 2), ("seconds", seconds), ("samples_per_s", 100 / seconds)])
            try run.appendHistory([("epoch", 2), ("train_loss", lastLoss), ("seconds", seconds), ("samples_per_s", 100 / seconds)])
            return run.path
        }
        let first = try run("a", accuracy: 0.5, lastLoss: 1.25, seconds: 1)
        let same = try RunComparison(recorded: first, rerun: try run("b", accuracy: 0.5, lastLoss: 1.25, seconds: 3))
        XCTAssertTrue(same.identical, "\(same.rows)")
        XCTAssertEqual(same.rows.map(\.name), ["accuracy", "tag", "history train_loss"])
        XCTAssertEqual(same.rows.last?.recorded, "2 epochs, last 1.25")

        let other = try RunComparison(recorded: first, rerun: try run("c", accuracy: 0.75, lastLoss: 1.5, seconds: 1))
        XCTAssertFalse(other.identical)
        XCTAssertEqual(other.rows.filter { !$0.same }.map(\.name), ["accuracy", "history train_loss"])
        XCTAssertEqual(other.rows.first, RunComparison.Row(name: "accuracy", recorded: "0.5", rerun: "0.75", same: false))

        let empty = try RunFolder(path: folder.path("empty"), name: "empty")
        let lost = try RunComparison(recorded: first, rerun: empty.path)
        XCTAssertEqual(lost.rows.first, RunComparison.Row(name: "accuracy", recorded: "0.5", rerun: "—", same: false))
        XCTAssertTrue(try RunComparison(recorded: empty.path, rerun: empty.path).rows.isEmpty)

        try "epoch,train_loss\n1,2\n2\n".write(toFile: empty.file("history.csv"), atomically: true, encoding: .utf8)
        XCTAssertThrowsMessage(try RunComparison(recorded: first, rerun: empty.path), contains: ["history.csv:3", "1 fields"])
    }

    func testTheDataFingerprintFollowsNamesAndSizesNotOrderOrPlace() throws {
        let tree = try TemporaryTree()
        let names = ["happy/a.wav", "sad/b.wav", "sad/c.wav"]
        for (index, name) in names.enumerated() {
            try FileManager.default.createDirectory(atPath: (tree.path(name) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(repeating: 0, count: 10 * (index + 1)).write(to: URL(fileURLWithPath: tree.path(name)))
        }
        let print = DataFingerprint(source: "s", root: tree.root, paths: names.map(tree.path))
        XCTAssertEqual(print.files, 3)
        XCTAssertEqual(print.bytes, 60)
        XCTAssertEqual(DataFingerprint(source: "s", root: tree.root, paths: names.reversed().map(tree.path)), print)
        XCTAssertEqual(DataFingerprint(source: "s", root: tree.root + "/", paths: names.map { tree.root + "/./" + $0 }), print,
                       "the same files reached by another spelling of the folder")
        // Another copy of the corpus elsewhere has the same fingerprint.
        let copy = try TemporaryTree()
        try FileManager.default.removeItem(atPath: copy.root)
        try FileManager.default.copyItem(atPath: tree.root, toPath: copy.root)
        XCTAssertEqual(DataFingerprint(source: "s", root: copy.root, paths: names.map(copy.path)).digest, print.digest)

        try Data(repeating: 0, count: 11).write(to: URL(fileURLWithPath: tree.path("happy/a.wav")))
        XCTAssertNotEqual(DataFingerprint(source: "s", root: tree.root, paths: names.map(tree.path)).digest, print.digest)
        let renamed = DataFingerprint(source: "s", root: tree.root, paths: [tree.path("happy/a.wav"), tree.path("sad/b.wav")])
        XCTAssertEqual(renamed.files, 2)
        XCTAssertNotEqual(renamed.digest, print.digest)
        XCTAssertEqual(DataFingerprint(source: "s", root: tree.root, paths: [tree.path("missing.wav")]).bytes, 0)
    }
}
