import Engine
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Faults injected into real `serscript` processes — signals at chosen moments, SIGKILL mid-training
/// and mid-checkpoint, a diverging loss — and what each leaves behind (docs/reliability.md).
final class FaultInjectionTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-faults-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: helpers

    private func write(_ script: String, name: String = "script.sers") throws -> String {
        let path = folder.appendingPathComponent(name)
        try script.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    private func start(_ script: String, out: String = "run", _ extra: [String] = []) throws -> SignalledProcess {
        try SignalledProcess([try write(script), "--out", out] + extra, in: folder)
    }

    private func file(_ relative: String) -> URL { folder.appendingPathComponent(relative) }

    private func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: file(relative).path) }

    private func record(_ run: String = "run") throws -> RunRecord { try RunFolder.record(at: file(run).path) }

    /// About half a second per epoch of 512 batches: only a signal ends this fit in a test's time.
    private let endlessFit = """
        let fs = feature_set(randn([4096, 4], seed: 1), map(fn(i) = i % 2, range(4096)))
        let model = seq(linear(4, 8), relu(), linear(8, 2))
        report(started: 1)
        let h = fit(model, fs, epochs: 1000000, batch_size: 8, progress: "lines")
        print("fit returned", h.stop_reason)

        """

    // MARK: a run always says how it ended

    func testSIGTERMDuringFitEndsTerminatedWithTheRunFolderKept() throws {
        let run = try start(endlessFit)
        XCTAssertTrue(run.waitUntil { run.stdout.contains("Epoch 2/1000000") }, run.stdout + run.stderr)
        run.send(SIGTERM)
        XCTAssertEqual(run.finish(), .exited(143), run.stderr)
        let record = try record()
        XCTAssertEqual(record.outcome, "terminated")
        XCTAssertTrue(record.error?.contains("terminated by SIGTERM") == true, record.error ?? "no error")
        XCTAssertNotNil(record.finished)
        XCTAssertFalse(run.stdout.contains("fit returned"), "the script must not carry on after SIGTERM")
        for kept in ["index.html", "params.json", "metrics.json", "history.csv", "checkpoints/fit-1.safetensors"] {
            XCTAssertTrue(exists("run/\(kept)"), "\(kept) missing after SIGTERM")
        }
        let checkpoint = try Checkpoint.read(path: file("run/checkpoints/fit-1.safetensors").path)
        XCTAssertGreaterThanOrEqual(checkpoint.epoch, 1)
        XCTAssertTrue(run.stderr.contains("run terminated; what it wrote is kept in"), run.stderr)
    }

    func testSIGHUPInALoopEndsTerminatedWithStatus129() throws {
        let run = try start("""
            report(started: 1)
            print("looping")
            let x = 0
            while true { x = x + 1 }

            """)
        XCTAssertTrue(run.waitUntil { run.stdout.contains("looping") || self.exists("run/metrics.json") })
        usleep(200_000)
        run.send(SIGHUP)
        XCTAssertEqual(run.finish(), .exited(129), run.stderr)
        XCTAssertEqual(try record().outcome, "terminated")
        XCTAssertTrue(run.stderr.contains("terminated by SIGHUP"), run.stderr)
        XCTAssertTrue(exists("run/index.html"))
    }

    func testCtrlCOutsideFitSaysWhereAndEndsInterrupted() throws {
        let path = try write("""
            report(started: 1)
            print("looping")
            let x = 0
            while true {
                x = x + 1
            }

            """)
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm"
        let terminal = try PseudoTerminal(executable: serscriptBinary.path, arguments: [path, "--out", file("run").path],
                                          environment: environment)
        // Output is block-buffered, so the metrics file (written by `report`) says the loop is near.
        let deadline = Date().addingTimeInterval(60)
        while !exists("run/metrics.json") && Date() < deadline { usleep(10_000) }
        usleep(200_000)
        terminal.send("\u{03}")
        try terminal.expect("script.sers:4:", timeout: 20)
        XCTAssertEqual(terminal.finish(timeout: 20), 130, terminal.transcript)
        XCTAssertTrue(terminal.transcript.contains("error: interrupted"), terminal.transcript)
        let record = try record()
        XCTAssertEqual(record.outcome, "interrupted")
        XCTAssertTrue(exists("run/index.html"))
    }

    func testCtrlCInFitMarksTheRunInterruptedAndRerunSaysSo() throws {
        // The first run trains until interrupted; the re-run finds no flag file and trains one epoch.
        let flag = file("long.flag").path
        try "".write(toFile: flag, atomically: true, encoding: .utf8)
        let run = try start("""
            let fs = feature_set(randn([4096, 4], seed: 1), map(fn(i) = i % 2, range(4096)))
            let model = seq(linear(4, 8), relu(), linear(8, 2))
            let h = fit(model, fs, epochs: 1000000 if exists("\(flag)") else 1, batch_size: 8, progress: "lines")
            report(epochs: h.epochs)
            print("carried on", h.stop_reason)

            """)
        XCTAssertTrue(run.waitUntil { run.stdout.contains("Epoch 1/1000000") }, run.stdout + run.stderr)
        run.send(SIGINT)
        XCTAssertEqual(run.finish(), .exited(130), run.stderr)
        XCTAssertTrue(run.stdout.contains("carried on interrupted"), run.stdout)
        let record = try record()
        XCTAssertEqual(record.outcome, "interrupted")
        XCTAssertTrue(record.error?.contains("stopped by Ctrl-C during epoch") == true, record.error ?? "")
        try FileManager.default.removeItem(atPath: flag)
        let rerun = try runSerscript(["rerun", file("run").path, "--out", file("again").path], in: folder)
        XCTAssertTrue(rerun.stdout.contains("Note: the recorded run did not complete: it ended interrupted"), rerun.stdout)
    }

    func testTheREPLFinishesItsRunFolderOnQuitAndOnSIGTERM() throws {
        for (ending, expected) in [(":quit\n", "completed"), (nil, "terminated")] {
            let out = file("repl-\(expected)").path
            let repl = try PseudoTerminal(executable: serscriptBinary.path, arguments: ["--out", out],
                                          environment: ["HOME": folder.path, "TERM": "xterm", "PATH": "/usr/bin:/bin"])
            try repl.expect(">>> ")
            repl.send("report(answer: 42)\n")
            try repl.expect(">>> ")
            if let ending {
                repl.send(ending)
                XCTAssertEqual(repl.finish(), 0, repl.transcript)
            } else {
                kill(repl.processIdentifier, SIGTERM)
                XCTAssertTrue(repl.waitForExit(timeout: 20))
                XCTAssertEqual(repl.ending, .exited(143), repl.transcript)
            }
            let record = try RunFolder.record(at: out)
            XCTAssertEqual(record.outcome, expected, repl.transcript)
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/index.html"))
        }
    }

    // MARK: checkpoints and resume

    /// Trains 40 epochs of a model with dropout on a fixed seed, then saves the weights.
    private let resumable = """
        let fs = feature_set(randn([256, 16], seed: 1), map(fn(i) = i % 3, range(256)))
        let model = seq(linear(16, 256), relu(), dropout(0.3), linear(256, 256), relu(), linear(256, 3))
        let h = fit(model, fs, epochs: 40, batch_size: 16, progress: "lines")
        save(model, "final.safetensors")
        report(loss: h.train_loss[-1], acc: h.train_acc[-1])

        """

    /// history.csv without the timing columns, which no two runs share.
    private func losses(_ run: String) throws -> [String] {
        try String(contentsOf: file("\(run)/history.csv"), encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",").prefix(6).joined(separator: ",")
        }
    }

    private func assertSameResults(_ run: String, as reference: String, line: UInt = #line) throws {
        XCTAssertEqual(try losses(run), try losses(reference), line: line)
        XCTAssertEqual(try Data(contentsOf: file("\(run)/metrics.json")), try Data(contentsOf: file("\(reference)/metrics.json")), line: line)
        let weights = try Checkpoint.read(path: file("\(run)/final.safetensors").path).weights
        XCTAssertEqual(weights, try Checkpoint.read(path: file("\(reference)/final.safetensors").path).weights, "weights differ", line: line)
    }

    func testResumeAfterSIGKILLDuringTrainingEqualsAnUnbrokenRun() throws {
        let reference = try start(resumable, out: "reference", ["--seed", "7"])
        XCTAssertEqual(reference.finish(), .exited(0), reference.stderr)
        let killed = try start(resumable, out: "killed", ["--seed", "7"])
        XCTAssertTrue(killed.waitUntil { killed.stdout.contains("Epoch 6/40") }, killed.stdout + killed.stderr)
        killed.send(SIGKILL)
        XCTAssertEqual(killed.finish(), .signalled(SIGKILL))
        XCTAssertEqual(try record("killed").outcome, "running", "SIGKILL leaves the record as it was")
        let epoch = try Checkpoint.read(path: file("killed/checkpoints/fit-1.safetensors").path).epoch
        XCTAssertTrue((5..<40).contains(epoch), "killed after epoch \(epoch)")
        let resumed = try runSerscript(["resume", file("killed").path], in: folder)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("after epoch \(epoch)"), resumed.stdout)
        XCTAssertFalse(resumed.stdout.contains("Epoch 1/40 "), "trained again from the start: \(resumed.stdout)")
        let record = try record("killed")
        XCTAssertEqual(record.outcome, "completed")
        XCTAssertEqual(record.resumed.count, 1)
        try assertSameResults("killed", as: "reference")
    }

    func testSIGKILLDuringACheckpointWriteKeepsThePreviousCheckpoint() throws {
        // Weights and momentum of ~64 MB and one tiny batch per epoch: each epoch is mostly a
        // checkpoint write, whose temporary file the test watches for and kills the process on sight.
        let script = """
            let fs = feature_set(randn([8, 2048], seed: 1), map(fn(i) = i % 2, range(8)))
            let model = seq(linear(2048, 4096), relu(), linear(4096, 2))
            let h = fit(model, fs, optimizer: sgd(model, lr: 0.01, momentum: 0.9), epochs: 12, batch_size: 8, progress: "lines")
            save(model, "final.safetensors")
            report(loss: h.train_loss[-1], acc: h.train_acc[-1])

            """
        let reference = try start(script, out: "reference", ["--seed", "3"])
        XCTAssertEqual(reference.finish(timeout: 300), .exited(0), reference.stderr)
        var caughtMidWrite = false
        for attempt in 1...5 where !caughtMidWrite {
            let out = "killed\(attempt)"
            let run = try start(script, out: out, ["--seed", "3"])
            let checkpoints = file("\(out)/checkpoints").path
            let temporaries = { ((try? FileManager.default.contentsOfDirectory(atPath: checkpoints)) ?? []).filter { $0.hasSuffix(".tmp") } }
            // Past the first checkpoint, so there is a previous one to keep.
            XCTAssertTrue(run.waitUntil(timeout: 300) { self.exists("\(out)/checkpoints/fit-1.safetensors") }, run.stderr)
            let deadline = Date().addingTimeInterval(120)
            while temporaries().isEmpty && !run.hasEnded() && Date() < deadline { usleep(200) }
            run.send(SIGKILL)
            guard run.finish() == .signalled(SIGKILL), !temporaries().isEmpty else { continue }
            caughtMidWrite = true
            // The half-written file is a temporary; the checkpoint beside it is whole and resumes.
            let epoch = try Checkpoint.read(path: checkpoints + "/fit-1.safetensors").epoch
            XCTAssertGreaterThanOrEqual(epoch, 1)
            let resumed = try runSerscript(["resume", file(out).path], in: folder)
            XCTAssertEqual(resumed.status, 0, resumed.stderr)
            XCTAssertTrue(resumed.stdout.contains("after epoch \(epoch)"), resumed.stdout)
            try assertSameResults(out, as: "reference")
        }
        XCTAssertTrue(caughtMidWrite, "no kill landed inside a checkpoint write in 5 attempts")
    }

    func testResumeOfAFinishedRunSaysSoAndCheckpointFalseWritesNone() throws {
        let run = try start("""
            let fs = feature_set(randn([32, 4], seed: 1), map(fn(i) = i % 2, range(32)))
            let h = fit(seq(linear(4, 2)), fs, epochs: 2, progress: "silent", checkpoint: false)

            """)
        XCTAssertEqual(run.finish(), .exited(0), run.stderr)
        XCTAssertFalse(exists("run/checkpoints"))
        let resumed = try runSerscript(["resume", file("run").path], in: folder)
        XCTAssertEqual(resumed.status, 0)
        XCTAssertTrue(resumed.stdout.contains("nothing to resume"), resumed.stdout)
    }

    // MARK: divergence

    func testADivergingLossStopsTrainingAndTheRunEndsDiverged() throws {
        let run = try start("""
            let fs = feature_set(randn([64, 4], seed: 1), map(fn(i) = i % 2, range(64)))
            let model = seq(linear(4, 8), relu(), linear(8, 2))
            let h = fit(model, fs, optimizer: sgd(model, lr: 1e30), epochs: 50, batch_size: 8, progress: "lines")
            print("stop", h.stop_reason, h.epochs)
            plot_history(h)
            report(epochs: h.epochs)

            """)
        XCTAssertEqual(run.finish(), .exited(1), run.stderr)
        let match = try XCTUnwrap(run.stdout.firstMatch(of: try Regex<(Substring, Substring, Substring)>(
            #"Training diverged: loss (?:nan|inf|-inf) at epoch (\d+), batch (\d+)/8; stopping"#)), run.stdout)
        let epoch = try XCTUnwrap(Int(match.output.1))
        XCTAssertTrue(run.stdout.contains("stop diverged \(epoch - 1)"), run.stdout)
        let record = try record()
        XCTAssertEqual(record.outcome, "diverged")
        XCTAssertTrue(record.error?.contains("at epoch \(epoch), batch") == true, record.error ?? "")
        XCTAssertTrue(exists("run/loss.svg"), "plot_history must draw a diverged history")
        XCTAssertTrue(exists("run/metrics.json") && exists("run/index.html"))
    }

    func testOnNaNSkipLeavesOutTheBadBatches() throws {
        // Sample 5 holds a NaN: with batches of 4 in order, batch 2 of every epoch has a NaN loss.
        let run = try start("""
            let x = tensor(map(fn(i) = [float("nan") if i == 5 else 0.1 * i, 1.0, -0.5, 0.25], range(16)))
            let fs = feature_set(x, map(fn(i) = i % 2, range(16)))
            let h = fit(seq(linear(4, 2)), fs, epochs: 3, batch_size: 4, shuffle: false, on_nan: "skip", progress: "lines")
            print("stop", h.stop_reason, h.epochs)
            report(x: float("nan"))

            """)
        XCTAssertEqual(run.finish(), .exited(0), run.stderr)
        XCTAssertTrue(run.stdout.contains("Epoch 3: left out 1 of 4 batches whose loss was not finite."), run.stdout)
        XCTAssertTrue(run.stdout.contains("stop completed 3"), run.stdout)
        XCTAssertTrue(run.stdout.contains("warning: report: x is nan"), run.stdout)
        let metrics = try JSONValue.parse(String(contentsOf: file("run/metrics.json"), encoding: .utf8))
        XCTAssertEqual(metrics.objectValue?["x"], .string("nan"))
    }

    // MARK: memory

    func testAllocationsBeyondTheMemoryLimitAreScriptErrors() throws {
        for (code, what) in [("let t = zeros([30000, 30000])", "for a tensor of shape [30000, 30000]"),
                             ("let xs = [0]\nwhile true { xs = xs + xs }", "for a list of")] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", "ulimit -v 3000000; exec \"$0\" -e \"$1\"", serscriptBinary.path, code]
            process.currentDirectoryURL = folder
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .exit, "killed by signal \(process.terminationStatus): \(stderr)")
            XCTAssertEqual(process.terminationStatus, 1, stderr)
            XCTAssertTrue(stderr.contains("cannot allocate") && stderr.contains(what), stderr)
            XCTAssertTrue(stderr.contains("<-e>:"), "the error names the script line: \(stderr)")
        }
    }

    // MARK: parsing

    func testAFlatChainOfThousandsOfTermsRunsAndChecks() throws {
        let path = try write("print(1" + String(repeating: " + 1", count: 5000) + ")\n", name: "chain.sers")
        let run = try runSerscript([path], in: folder)
        XCTAssertEqual(run.stdout, "5001\n", run.stderr)
        let check = try runSerscript(["check", path], in: folder)
        XCTAssertEqual(check.status, 0, check.stderr)
    }

    func testAHugeOneLineScriptIsRefusedAtOnce() throws {
        let path = try write("print(\"" + String(repeating: "x", count: 50 << 20) + "\")\n", name: "huge.sers")
        let run = try runSerscript([path], in: folder)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("huge.sers: the script is 50 MB; scripts are limited to 4 MB"), run.stderr)
        XCTAssertLessThan(run.stderr.utf8.count, 1000, "the error does not echo the script")
    }

    // MARK: plots

    func testPlotsWithTheSameAutomaticNameAreAllKept() throws {
        let run = try start("""
            for i in range(3) { plot_bar({a: i, b: 1}, title: "Counts") }

            """)
        XCTAssertEqual(run.finish(), .exited(0), run.stderr)
        for name in ["counts", "counts-2", "counts-3"] { XCTAssertTrue(exists("run/plots/\(name).svg"), name) }
    }
}
