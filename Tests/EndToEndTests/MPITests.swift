import Engine
import Foundation
import XCTest

/// serscript under `mpirun` (Open MPI, installed by scripts/setup.sh): data-parallel `fit`,
/// distributed sweeps and cross-validation, each against the same work done by one process.
final class MPITests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-mpi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// A small network on fixed random data; `batch` examples per rank, dropout off.
    private static let trainingScript = """
        param batch = 32
        param norm = "none"
        param sync_bn = false
        let inputs = randn([96, 12], seed: 1)
        let data = feature_set(inputs, map(fn(i) = i % 4, range(96)))
        let body = seq(linear(12, 24), batchnorm1d(24), relu()) if norm == "batch" else seq(linear(12, 24), relu())
        let model = seq(body, linear(24, 16), relu(), linear(16, 4))
        let opt = sgd(model, lr: 0.05, momentum: 0.9, weight_decay: 1e-3)
        let history = fit(model, data, optimizer: opt, epochs: 3, batch_size: batch, seed: 7, progress: "silent",
                          checkpoint: false, sync_batchnorm: sync_bn)
        save(model, "model.safetensors")
        report(loss: history.train_loss[-1], acc: history.train_acc[-1])
        """

    private func train(ranks: Int, batch: Int, name: String, extra: [String] = []) throws -> (weights: [String: StoredTensor], metrics: [String: Any]) {
        let script = folder.appendingPathComponent("train.sers")
        try Self.trainingScript.write(to: script, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent(name).path
        let arguments = [script.path, "--set", "batch=\(batch)", "--seed", "3", "--threads", "1", "--out", out] + extra
        let result = ranks == 1 ? try runSerscript(arguments, in: folder) : try runUnderMPI(ranks: ranks, arguments)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        let weights = try SafeTensors.read(path: out + "/model.safetensors").tensors
        let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/metrics.json")))
        return (weights, metrics as? [String: Any] ?? [:])
    }

    /// The largest difference between two state dicts, relative to the largest weight.
    private func difference(_ a: [String: StoredTensor], _ b: [String: StoredTensor]) -> Float {
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted())
        var largest: Float = 0, scale: Float = 0
        for (key, tensor) in a {
            guard let other = b[key], other.shape == tensor.shape else { return .infinity }
            for (x, y) in zip(tensor.values, other.values) {
                largest = max(largest, abs(x - y))
                scale = max(scale, abs(x))
            }
        }
        return largest / max(scale, 1e-12)
    }

    func testTwoRanksOfBatch16TrainAsOneProcessOfBatch32() throws {
        let single = try train(ranks: 1, batch: 32, name: "single")
        let parallel = try train(ranks: 2, batch: 16, name: "parallel")
        let half = try train(ranks: 1, batch: 16, name: "half")
        XCTAssertLessThan(difference(single.weights, parallel.weights), 1e-5, "2 × 16 is one batch of 32 per step")
        XCTAssertGreaterThan(difference(single.weights, half.weights), 1e-3, "the test can tell batch 16 from batch 32")
        let loss1 = try XCTUnwrap(single.metrics["loss"] as? Double), loss2 = try XCTUnwrap(parallel.metrics["loss"] as? Double)
        XCTAssertEqual(loss1, loss2, accuracy: 1e-5 * abs(loss1), "the history's loss is over the whole batch")
        XCTAssertEqual(single.metrics["acc"] as? Double, parallel.metrics["acc"] as? Double)
        // Only rank 0 writes: nothing else appeared beside the three run folders.
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertEqual(entries, ["half", "parallel", "single", "train.sers"])
    }

    /// Batch norm normalises by each rank's own batch statistics (as PyTorch DDP does), unless
    /// `sync_batchnorm: true` takes them over the whole batch, which then equals one process.
    func testBatchNormStatisticsPerRankOrSynchronised() throws {
        let norm = ["--set", "norm=batch"]
        let single = try train(ranks: 1, batch: 32, name: "single", extra: norm)
        let perRank = try train(ranks: 2, batch: 16, name: "per-rank", extra: norm)
        let synced = try train(ranks: 2, batch: 16, name: "synced", extra: norm + ["--set", "sync_bn=true"])
        XCTAssertLessThan(difference(single.weights, synced.weights), 1e-5)
        XCTAssertGreaterThan(difference(single.weights, perRank.weights), 1e-4)
    }

    func testADistributedSweepEqualsOneProcessRunForRun() throws {
        let script = folder.appendingPathComponent("grid.sers")
        try """
        param lr = 0.1
        param depth = 1
        assert(depth < 3, "depth {depth} is too deep")
        let data = feature_set(randn([40, 6], seed: 2), map(fn(i) = i % 2, range(40)))
        let model = seq(linear(6, 8), relu(), linear(8, 2))
        let history = fit(model, data, optimizer: sgd(model, lr: lr), epochs: depth, batch_size: 8, progress: "silent")
        report(loss: history.train_loss[-1], score: lr * depth)
        """.write(to: script, atomically: true, encoding: .utf8)
        let grid = ["--grid", "lr=0.1,0.05", "--grid", "depth=1,2,3", "--seed", "11", "--threads", "1"]
        let one = try runSerscript(["sweep", script.path] + grid + ["--out", folder.appendingPathComponent("one").path])
        let two = try runUnderMPI(ranks: 2, ["sweep", script.path] + grid + ["--out", folder.appendingPathComponent("two").path])
        XCTAssertEqual(one.status, 1, "the depth-3 runs fail: " + one.stdout + one.stderr)
        XCTAssertEqual(two.status, 1, two.stdout + two.stderr)
        let table = { (name: String) in
            SweepTests.maskSeconds(try String(contentsOfFile: self.folder.appendingPathComponent(name + "/results.csv").path, encoding: .utf8))
        }
        let (oneTable, twoTable) = (try table("one"), try table("two"))
        XCTAssertEqual(twoTable, oneTable)
        XCTAssertTrue(twoTable.contains("3,0.1,3,failed (exit 1)"), twoTable)
        let log = try String(contentsOfFile: folder.appendingPathComponent("two/run-3/log.txt").path, encoding: .utf8)
        XCTAssertTrue(log.contains("depth 3 is too deep"), log)
        XCTAssertTrue(two.stdout.contains("[rank 0]") && two.stdout.contains("[rank 1]"), "both ranks ran runs:\n" + two.stdout)
        XCTAssertEqual(two.stdout.components(separatedBy: "results: ").count, 2, "rank 0 alone prints the table")
    }

    /// Ctrl-C on mpirun reaches every rank: the running runs stop, nothing new starts, and rank 0
    /// writes the table of what finished.
    func testInterruptingMpirunEndsEveryRunWithTheTable() throws {
        let script = folder.appendingPathComponent("slow.sers")
        try """
        param n = 1
        let x = randn([80, 80])
        for i in range(3 if n == 1 else 1000000) { x = matmul(x, x) / 80 }
        report(done: n)
        """.write(to: script, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("sweep").path
        let job = try SignalledProcess(mpirunOptions + ["--mca", "odls_base_sigkill_timeout", "3", "-np", "2",
                                        serscriptBinary.path, "sweep", script.path, "--grid", "n=1,2,3,4,5", "--threads", "1", "--out", out],
                                       in: folder, label: "mpirun", executable: "/usr/bin/mpirun")
        let csv = out + "/results.csv"
        XCTAssertTrue(job.waitUntil(timeout: 120) {
            ((try? String(contentsOfFile: csv, encoding: .utf8)) ?? "").contains("\n1,1,ok,")
                && FileManager.default.fileExists(atPath: out + "/run-3/log.txt")
        }, "run 1 finishes and runs 2, 3 start: " + job.stdout + job.stderr)
        job.send(SIGINT)
        XCTAssertTrue(job.waitUntil(timeout: 60) { job.hasEnded() }, "mpirun ends")
        let table = try String(contentsOfFile: csv, encoding: .utf8)
        let statuses = table.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] }
        XCTAssertEqual(statuses, ["ok", "interrupted", "interrupted", "not started", "not started"], table + job.stdout + job.stderr)
        XCTAssertTrue(job.stdout.contains("results: \(out)/results.csv"), job.stdout + job.stderr)
    }

    /// `cross_validate` under mpirun: the runs spread over both ranks, the scores those of one process, run for run.
    func testCrossValidationSpreadsItsRunsOverTheRanks() throws {
        let corpus = folder.appendingPathComponent("corpus").path
        let made = try runSerscript(["demo-corpus", corpus, "--speakers", "2", "--seed", "5"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let script = folder.appendingPathComponent("cv.sers")
        try """
        let ds = corpus("ravdess", "\(corpus)")
        fn recipe(train, test, seed) {
            let x = randn([300, 300])
            for i in range(30) { x = matmul(x, x) / 17.3 }   # some work, so both ranks ask for runs
            return {accuracy: len(test) / 1000.0 + random() / 10, uar: seed / 10.0, macro_f1: len(train) / 1000.0}
        }
        let cv = cross_validate(ds, recipe, folds: kfold(3, seed: 1), seeds: [1, 2, 3], name: "cv")
        report(accuracy: cv.mean["accuracy"])
        """.write(to: script, atomically: true, encoding: .utf8)
        let one = try runSerscript([script.path, "--seed", "4", "--out", folder.appendingPathComponent("one").path])
        let two = try runUnderMPI(ranks: 2, [script.path, "--seed", "4", "--out", folder.appendingPathComponent("two").path])
        XCTAssertEqual(one.status, 0, one.stdout + one.stderr)
        XCTAssertEqual(two.status, 0, two.stdout + two.stderr)
        let table = { (name: String) -> [String] in
            // Every column but the last (seconds).
            try String(contentsOfFile: self.folder.appendingPathComponent(name + "/cv.csv").path, encoding: .utf8)
                .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }
        }
        let (oneTable, twoTable) = (try table("one"), try table("two"))
        XCTAssertEqual(twoTable, oneTable)
        XCTAssertEqual(oneTable.count, 9 + 1 + 2, "9 runs, header, mean and std rows")
        let ranOnRankZero = two.stdout.components(separatedBy: "── cross_validate:").count - 1
        XCTAssertTrue((1..<9).contains(ranOnRankZero), "rank 0 ran \(ranOnRankZero) of 9 runs:\n" + two.stdout)
    }
}

/// As root in a CI container, more ranks than cores, and no single-copy shared memory (ptrace is
/// often not allowed in containers).
let mpirunOptions = ["--oversubscribe", "--allow-run-as-root", "--mca", "btl_vader_single_copy_mechanism", "none"]

/// Runs `serscript arguments` on `ranks` processes with Open MPI's mpirun (as root in CI containers).
func runUnderMPI(ranks: Int, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/mpirun")
    process.arguments = mpirunOptions + ["-np", String(ranks), serscriptBinary.path] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    let stderrData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdoutData, as: UTF8.self), String(decoding: stderrData, as: UTF8.self))
}
