import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C typed at the terminal while `serscript FILE` trains (docs/training.md "Ctrl-C",
/// docs/model-bindings.md): the first one stops `fit` after the running batch and the script goes
/// on (the run ends "interrupted", exit status 130); a second one while the first is still pending
/// kills the process.
final class FitInterruptTests: XCTestCase {
    private var folder: URL!
    private var terminal: PseudoTerminal?

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-interrupt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        terminal?.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Starts `serscript script.sers --out run` on a terminal.
    private func start(_ script: String) throws -> PseudoTerminal {
        let path = folder.appendingPathComponent("script.sers")
        try script.write(to: path, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm"
        let started = try PseudoTerminal(executable: serscriptBinary.path,
                                         arguments: [path.path, "--out", runFolder.path], environment: environment)
        terminal = started
        return started
    }

    private var runFolder: URL { folder.appendingPathComponent("run") }

    func testCtrlCStopsFitAfterTheBatchAndTheNextCellsRun() throws {
        // About a millisecond per batch: a million epochs would take hours, so only Ctrl-C ends this fit.
        let script = try start("""
            # %% Data
            let fs = feature_set(randn([4096, 4], seed: 1), map(fn(i) = i % 2, range(4096)))
            let model = seq(linear(4, 8), relu(), linear(8, 2))
            # %% Train
            let h = fit(model, fs, epochs: 1000000, batch_size: 8, checkpoint: "ckpt.safetensors")
            print("fit ended:", h.stop_reason, "after", h.epochs, "epochs")
            # %% Afterwards
            print("checkpointed epoch", load_checkpoint(seq(linear(4, 8), relu(), linear(8, 2)), "ckpt.safetensors").epoch)
            print("evaluated", evaluate(model, fs).accuracy >= 0)

            """)
        try script.expect("Epoch 1/1000000  train loss", timeout: 60)
        let pressed = Date()
        script.send("\u{03}")
        let report = try script.expect("; keeping the model as it is.", timeout: 20)
        let match = try XCTUnwrap(report.firstMatch(of: try Regex<(Substring, Substring, Substring)>(
            #"Interrupted during epoch (\d+) after (\d+)/512 batches"#)), report)
        let cutShort = try XCTUnwrap(Int(match.output.1)), batches = try XCTUnwrap(Int(match.output.2))
        XCTAssertGreaterThanOrEqual(cutShort, 2)
        XCTAssertTrue((1...512).contains(batches), report)
        // The cut-short epoch is neither recorded nor checkpointed; the script carries on.
        let completed = cutShort - 1
        try script.expect("fit ended: interrupted after \(completed) epochs", timeout: 20)
        try script.expect("checkpointed epoch \(completed)", timeout: 20)
        try script.expect("evaluated true", timeout: 20)
        // The script carried on, but its results come from cut-short training: the run says so.
        XCTAssertEqual(script.finish(timeout: 20), 130, script.transcript)
        let record = try String(contentsOf: runFolder.appendingPathComponent("run.json"), encoding: .utf8)
        XCTAssertTrue(record.contains("\"outcome\": \"interrupted\""), record)
        XCTAssertLessThan(Date().timeIntervalSince(pressed), 20)
        let history = try String(contentsOf: runFolder.appendingPathComponent("history.csv"), encoding: .utf8)
        let rows = history.split(separator: "\n")
        XCTAssertEqual(rows.first, "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds,samples_per_s")
        XCTAssertEqual(rows.count, completed + 1, history)
        XCTAssertEqual(rows.last?.split(separator: ",").first.map(String.init), "\(completed)")
    }

    func testASecondCtrlCWhileTheFirstIsPendingKillsTheProcess() throws {
        // One quick training batch per epoch, then seconds of validation, during which `fit` does
        // not look at the request: the first Ctrl-C stays pending, and the second kills.
        let script = try start("""
            let fs = feature_set(randn([8, 256], seed: 1), map(fn(i) = i % 2, range(8)))
            let vs = feature_set(randn([40000, 256], seed: 2), map(fn(i) = i % 2, range(40000)))
            let model = seq(linear(256, 1024), relu(), linear(1024, 1024), relu(), linear(1024, 2))
            let h = fit(model, fs, val: vs, epochs: 1000, batch_size: 8)
            print("fit returned")

            """)
        // Shown after the batch loop's last look at Ctrl-C: from here on a press stays pending.
        try script.expect("validating on 40000 samples", timeout: 60)
        let pressed = Date()
        script.send("\u{03}")
        // Signals sent back to back may merge into one, so press again until the process ends.
        repeat { script.send("\u{03}") } while !script.waitForExit(timeout: 0.1) && Date().timeIntervalSince(pressed) < 20
        XCTAssertEqual(script.ending, .signalled(SIGINT), script.transcript)
        XCTAssertLessThan(Date().timeIntervalSince(pressed), 20)
        for text in ["train loss", "Interrupted during", "fit returned"] {
            XCTAssertFalse(script.transcript.contains(text), "killed during epoch 1's validation: \(script.transcript)")
        }
    }
}
