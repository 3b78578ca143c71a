import Engine
import Foundation

// `make bench-predict`: files/s of the whole `serscript predict BUNDLE DIR` command (1 and 2 threads)
// against the PyTorch + librosa pipeline doing the same job (Benchmarks/peers/predict_peer.py: librosa
// load and log-mel, the bundle's scaler, the notebook model in PyTorch with the bundle's weights),
// both timed as whole commands in the same run (wall time, and CPU time of the whole process tree,
// which a machine shared with other jobs disturbs less); checks that both predict the same classes.
// The bundle is a random-init Parallel CNN-Transformer (seeded) on the notebook log-mel, with a
// scaler fitted on 32 clips; the audio is the demo corpus (`serscript demo-corpus`, 60 clips per speaker).
// Usage: BenchPredict [--speakers N] [--repeats N] [--no-peer]; writes Benchmarks/results/predict.json.

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
    return v
}
let speakers = option("--speakers", 4), repeats = option("--repeats", 3)
var repoRoot = URL(fileURLWithPath: #filePath)
while repoRoot.lastPathComponent != "Benchmarks" { repoRoot.deleteLastPathComponent() }
repoRoot.deleteLastPathComponent()
let serscript = repoRoot.appendingPathComponent(".build/release/serscript").path
let work = repoRoot.appendingPathComponent(".build/bench-predict")
let corpus = work.appendingPathComponent("demo-\(speakers)").path
let bundlePath = work.appendingPathComponent("pct.bundle.safetensors").path

/// CPU seconds (user + system) of every finished child process so far, grandchildren included.
func childrenCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Runs `executable` with `args`; returns wall and CPU seconds and stdout, or throws with stderr.
func timedRun(_ executable: String, _ args: [String], environment: [String: String] = [:]) throws -> (seconds: Double, cpu: Double, stdout: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = args
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let started = Date(), cpuBefore = childrenCPUSeconds()
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let seconds = Date().timeIntervalSince(started)
    guard process.terminationStatus == 0 else {
        throw DataError("\(executable) \(args.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: stderr, as: UTF8.self))")
    }
    return (seconds, childrenCPUSeconds() - cpuBefore, String(decoding: stdout, as: UTF8.self))
}

/// File name → emotion from a predictions CSV whose first two columns are path and emotion (both
/// writers' layout; demo-corpus names hold no commas or quotes).
func answers(_ csvPath: String) throws -> [String: String] {
    var result: [String: String] = [:]
    // Split on any line end: Python's csv module ends rows with "\r\n", one Character in Swift.
    for line in try String(contentsOfFile: csvPath, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count >= 2 else { continue }
        result[URL(fileURLWithPath: String(fields[0])).lastPathComponent] = String(fields[1])
    }
    return result
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

do {
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    if !FileManager.default.fileExists(atPath: corpus) {
        _ = try timedRun(serscript, ["demo-corpus", corpus, "--speakers", String(speakers), "--seed", "1"])
    }
    let files = try AudioInputs.expand([corpus])
    let pipeline = FeaturePipeline(load: AudioLoadSpec(sampleRate: 48000, offset: 0.5, duration: 3.0, pad: true),
                                   recipe: .logmel(.notebook, ref: .max, topDb: 80))
    let scaler = try StandardScaler(fitting: try files.prefix(32).map { try pipeline.example(path: $0) }, mode: .perPosition)
    let classes = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"]
    try ModelBundle(model: try ParallelCNNTransformer(generator: RandomGenerator(seed: 1)), features: pipeline, scaler: scaler,
                    classNames: classes, provenance: .init(serscriptVersion: "bench")).write(path: bundlePath)
    print("bench-predict: \(files.count) demo clips (3 s at 48 kHz), random-init Parallel CNN-Transformer bundle, median of \(repeats)")

    let peerScript = repoRoot.appendingPathComponent("Benchmarks/peers/predict_peer.py").path
    if !arguments.contains("--no-peer") { _ = try timedRun("/usr/bin/env", ["python3", peerScript, "--help"]) }   // makes the venv; not timed
    var rows: [(threads: Int, ours: Double, oursCPU: Double, peer: Double?, peerCPU: Double?, peerInner: Double?, agreement: Double?)] = []
    for threads in [1, 2] {
        let ourCSV = work.appendingPathComponent("serscript-\(threads).csv").path
        let environment = ["OPENBLAS_NUM_THREADS": String(threads), "OMP_NUM_THREADS": String(threads)]
        let ourRuns = try (0..<repeats).map { _ in
            try timedRun(serscript, ["predict", bundlePath, corpus, "--threads", String(threads), "--csv", ourCSV], environment: environment)
        }
        let ours = median(ourRuns.map(\.seconds)), oursCPU = median(ourRuns.map(\.cpu))
        var peer: Double?, peerCPU: Double?, peerInner: Double?, agreement: Double?
        if !arguments.contains("--no-peer") {
            let peerCSV = work.appendingPathComponent("peer-\(threads).csv").path
            let peerRuns = try (0..<repeats).map { _ in
                try timedRun("/usr/bin/env", ["python3", peerScript, bundlePath, corpus, "--threads", String(threads), "--out", peerCSV],
                             environment: environment)
            }
            peer = median(peerRuns.map(\.seconds))
            peerCPU = median(peerRuns.map(\.cpu))
            let inner = peerRuns.compactMap { (try? JSONValue.parse($0.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))?
                .objectValue?["seconds_after_imports"]?.numberValue }
            peerInner = inner.isEmpty ? nil : median(inner)
            let (a, b) = (try answers(ourCSV), try answers(peerCSV))
            agreement = 100 * Double(a.filter { b[$0.key] == $0.value }.count) / Double(max(1, a.count))
        }
        rows.append((threads, ours, oursCPU, peer, peerCPU, peerInner, agreement))
    }

    let count = Double(files.count)
    func cell(_ value: Double?, _ format: String = "%9.1f") -> String { value.map { String(format: format, $0) } ?? "        -" }
    print("\nthreads  serscript files/s  peer files/s (whole / after imports)  ratio (whole / after imports)  "
          + "files per CPU-s: serscript  peer  ratio  same class")
    var json: [String: JSONValue] = ["files": .number(count), "repeats": .number(Double(repeats)),
                                     "model": .string("parallel_cnn_transformer (random init, seed 1)"),
                                     "features": pipeline.json, "date": .string(ISO8601DateFormatter().string(from: Date()))]
    var perThreads: [JSONValue] = []
    for row in rows {
        let ours = count / row.ours, peer = row.peer.map { count / $0 }, inner = row.peerInner.map { count / $0 }
        let oursPerCPU = count / row.oursCPU, peerPerCPU = row.peerCPU.map { count / $0 }
        print(String(format: "%7d", row.threads) + cell(ours, "%19.1f") + cell(peer, "%14.1f") + " / " + cell(inner, "%6.1f")
              + "   " + cell(peer.map { ours / $0 }, "%11.2f") + " / " + cell(inner.map { ours / $0 }, "%5.2f")
              + "   " + cell(oursPerCPU, "%24.1f") + cell(peerPerCPU, "%6.1f") + cell(peerPerCPU.map { oursPerCPU / $0 }, "%7.2f")
              + "  " + cell(row.agreement, "%8.1f") + " %")
        perThreads.append(.object(["threads": .number(Double(row.threads)), "serscript_files_per_s": .number(ours),
                                   "peer_files_per_s": peer.map(JSONValue.number) ?? .null,
                                   "peer_files_per_s_after_imports": inner.map(JSONValue.number) ?? .null,
                                   "ratio": peer.map { .number(ours / $0) } ?? .null,
                                   "ratio_after_imports": inner.map { .number(ours / $0) } ?? .null,
                                   "serscript_files_per_cpu_s": .number(oursPerCPU),
                                   "peer_files_per_cpu_s": peerPerCPU.map(JSONValue.number) ?? .null,
                                   "same_class_percent": row.agreement.map(JSONValue.number) ?? .null]))
    }
    json["runs"] = .array(perThreads)
    let results = repoRoot.appendingPathComponent("Benchmarks/results")
    try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
    try Data((JSONValue.object(json).encoded() + "\n").utf8).write(to: results.appendingPathComponent("predict.json"))
    print("\nwrote Benchmarks/results/predict.json")
} catch {
    print("bench-predict failed: \(error)")
    exit(1)
}
