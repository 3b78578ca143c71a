import Foundation
import XCTest

/// `serscript sweep`: every grid combination in its own process, a failed run recorded as failed.
final class SweepTests: XCTestCase {
    func testSweepTabulatesEveryCombinationAndRecordsFailures() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("ablation.sers")
        try """
        param lr = 0.1
        param depth = 1
        param label = "x"
        assert(depth < 3, "depth {depth} is too deep")
        report(score: lr * depth, label: label)
        """.write(to: script, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("results").path
        let result = try runSerscript(["sweep", script.path, "--grid", "lr=0.5,0.25", "--grid", "depth=1,2,3",
                                       "--set", "label=fixed", "--jobs", "2", "--out", out])
        XCTAssertEqual(result.status, 1, "a failed run makes the sweep fail: \(result.stdout)\(result.stderr)")
        let csv = try String(contentsOfFile: out + "/results.csv", encoding: .utf8)
        XCTAssertEqual(Self.maskSeconds(csv), """
        run,lr,depth,status,seconds,label,score
        1,0.5,1,ok,SECONDS,fixed,0.5
        2,0.5,2,ok,SECONDS,fixed,1
        3,0.5,3,failed (exit 1),SECONDS,,
        4,0.25,1,ok,SECONDS,fixed,0.25
        5,0.25,2,ok,SECONDS,fixed,0.5
        6,0.25,3,failed (exit 1),SECONDS,,

        """.replacingOccurrences(of: "SECONDS", with: "S"), csv)
        let markdown = try String(contentsOfFile: out + "/results.md", encoding: .utf8)
        XCTAssertTrue(markdown.hasPrefix("| run | lr | depth | status | seconds | label | score |\n| --- |"), markdown)
        // Without --seed the sweep draws one seed and gives it to every run: they differ only in the grid.
        let seeds = try [1, 2, 4, 5].map { run -> Double in
            let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/run-\(run)/run.json")))
            return try XCTUnwrap((record as? [String: Any])?["seed"] as? Double)
        }
        XCTAssertEqual(Set(seeds).count, 1, "\(seeds)")
        XCTAssertTrue(result.stdout.contains(" each, seed \(Int(seeds[0])))"), result.stdout)
        let log = try String(contentsOfFile: out + "/run-3/log.txt", encoding: .utf8)
        XCTAssertTrue(log.contains("error: depth 3 is too deep"), log)
        let unknown = try runSerscript(["sweep", script.path, "--grid", "rate=1,2", "--out", out + "-bad"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("has no 'param rate'"), unknown.stderr)
    }

    /// Repeated seeds: each combination runs once per seed, and summary.csv / results.md give the
    /// mean ± sample standard deviation of each numeric metric per combination.
    func testADivergingRunIsTabulatedAsDiverged() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("diverge.sers")
        try """
        param lr = 0.1
        let data = feature_set(randn([32, 4], seed: 1), map(fn(i) = i % 2, range(32)))
        let model = seq(linear(4, 2))
        fit(model, data, optimizer: sgd(model, lr: lr), epochs: 3, batch_size: 8, progress: "silent", seed: 1)
        report(lr: lr)
        """.write(to: script, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("results").path
        let result = try runSerscript(["sweep", script.path, "--grid", "lr=0.1,1e38", "--out", out])
        XCTAssertEqual(result.status, 1, "\(result.stdout)\(result.stderr)")
        let csv = try String(contentsOfFile: out + "/results.csv", encoding: .utf8)
        let statuses = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] }
        XCTAssertEqual(statuses, ["ok", "diverged"], csv)
    }

    func testRepeatedSeedsAreSummarisedAsMeanAndStd() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-seeds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("seeds.sers").path
        // The score is a known function of the seed (randint draws from the seeded generator), so the
        // expected mean and std are computed here from each run's reported value.
        try """
        param scale = 1
        let draw = randint(0, 1000)
        report(score: scale * draw, tag: "x")
        """.write(toFile: script, atomically: true, encoding: .utf8)
        for (arguments, name) in [(["--seeds", "1,2,3"], "seeds"), (["--grid", "seed=1,2,3"], "grid")] {
            let out = folder.appendingPathComponent(name).path
            let result = try runSerscript(["sweep", script, "--grid", "scale=1,10"] + arguments + ["--jobs", "2", "--out", out])
            XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
            let rows = try String(contentsOfFile: out + "/results.csv", encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            XCTAssertEqual(rows[0], ["run", "scale", "seed", "status", "seconds", "score", "tag"])
            XCTAssertEqual(rows.count, 7)
            // Each run was seeded with its own seed, recorded in run.json.
            for (index, row) in rows.dropFirst().enumerated() {
                let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/run-\(index + 1)/run.json")))
                XCTAssertEqual((record as? [String: Any])?["seed"] as? Double, Double(row[2]))
            }
            let summary = try String(contentsOfFile: out + "/summary.csv", encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            XCTAssertEqual(summary[0], ["scale", "runs", "finished", "score_mean", "score_std"])
            for (line, scale) in zip(summary.dropFirst(), ["1", "10"]) {
                let scores = rows.dropFirst().filter { $0[1] == scale }.map { Double($0[5])! }
                XCTAssertEqual(scores.count, 3)
                let mean = scores.reduce(0, +) / 3
                let std = (scores.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot()
                XCTAssertEqual(line[0], scale)
                XCTAssertEqual(line[1...2], ["3", "3"])
                XCTAssertEqual(Double(line[3])!, mean, accuracy: abs(mean) * 1e-5)
                XCTAssertEqual(Double(line[4])!, std, accuracy: max(std, 1) * 1e-5)
            }
            // The same seed gives the same draw whatever the scale.
            let bySeed = Dictionary(grouping: rows.dropFirst(), by: { $0[2] })
            for (_, pair) in bySeed { XCTAssertEqual(Double(pair[0][5])! * 10, Double(pair[1][5])!) }
            let markdown = try String(contentsOfFile: out + "/results.md", encoding: .utf8)
            XCTAssertTrue(markdown.contains("## Mean ± std over 3 seeds (finished runs)\n\n| scale | finished | score |"), markdown)
            XCTAssertTrue(markdown.contains("| 1 | 3/3 | "), markdown)
        }
    }

    /// A grid that cannot be run as given is a usage error before any run starts.
    func testBadGridsAreUsageErrorsUpFront() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-grid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("grid.sers").path
        try "param lr = 0.1\nparam depth = 2\nparam name = \"a\"\nreport(score: lr)\n".write(toFile: script, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out").path
        let cases: [([String], String)] = [
            (["--grid", "lr=0.1", "--grid", "lr=0.2"], "--grid lr is given twice"),
            (["--grid", "lr=0.1,,0.2"], "empty value in the list"),
            (["--grid", "lr=0.1,0.2,0.1"], "'0.1' is listed twice"),
            (["--grid", "lr=0.1,abc"], "--grid lr=abc: expected float like the default 0.1, got 'abc'"),
            (["--grid", "depth=1,2.5"], "--grid depth=2.5: the param is an int; got '2.5'"),
            (["--grid", "lr=0.1", "--seeds", "1,x"], "seeds are non-negative integers, got 'x'"),
            (["--grid", "seed=1,2", "--seeds", "3"], "--seeds and --grid seed=… both give the seeds"),
            (["--seeds", "1,2", "--seed", "4"], "--seed and a seed axis"),
        ]
        for (arguments, message) in cases {
            let result = try runSerscript(["sweep", script] + arguments + ["--out", out])
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(arguments): no run started")
        }
        // A string param takes any text.
        let strings = try runSerscript(["sweep", script, "--grid", "name=abc,0.5", "--out", out])
        XCTAssertEqual(strings.status, 0, strings.stderr)
    }

    /// Replaces the timing column (the 5th) with `S` so the table can be compared exactly.
    static func maskSeconds(_ csv: String) -> String {
        csv.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if fields.count > 4, fields[0] != "run" { fields[4] = "S" }
            return fields.joined(separator: ",")
        }.joined(separator: "\n")
    }
}
