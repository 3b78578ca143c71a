import Dispatch
import Engine
import Foundation

// `make bench-audio`: the audio front-end against librosa on the same clips, in the same run.
// `AudioBench featurize [CORPUS]` (`make bench-featurize`) times a whole corpus end to end instead
// (EndToEnd.swift).
// Per-clip times are single-threaded medians (best of `repeats` per clip); throughput runs the whole
// notebook featurisation (load 3 s at 48 kHz, pad, log-mel, dB) over every clip on 1 and 2 threads
// (best of `repeats` passes).

let repeats = 3
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func perClip<T>(_ items: [T], _ step: (T) throws -> Void) rethrows -> Double {
    try median(items.map { item in try (0..<repeats).map { _ in try seconds { try step(item) } }.min() ?? 0 })
}

func notebookFeatures(_ path: String) throws -> FeatureMatrix {
    let clip = try AudioSignal.load(path: path, sampleRate: 48000, offset: 0.5, duration: 3).fixedLength(144_000)
    return try clip.melspectrogram(.notebook).powerToDb(ref: .max)
}

/// Clips per second over the whole list: the best of `repeats` passes, as librosa's side does, so
/// that first-touch costs (thread arenas, worker processes) are not counted.
func throughput(_ paths: [String], threads: Int) throws -> Double {
    let time = try (0..<repeats).map { _ in
        try seconds { _ = try AudioBatch.featurize(paths: paths, threads: threads, notebookFeatures) }
    }.min() ?? .nan
    return Double(paths.count) / time
}

/// RAVDESS clips when present, else 24 synthetic 3.5 s clips written to a temporary folder.
func benchmarkClips() throws -> (paths: [String], source: String) {
    let ravdess = "/work/shared/data/ravdess"
    if let walker = FileManager.default.enumerator(atPath: ravdess) {
        let files = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".wav") }.sorted().map { ravdess + "/" + $0 }
        if !files.isEmpty { return (files, "RAVDESS (\(files.count) clips)") }
    }
    let folder = NSTemporaryDirectory() + "serscript-audio-bench"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var generator = SystemRandomNumberGenerator()
    let paths = try (0..<24).map { index -> String in
        let f0 = Double.random(in: 100...250, using: &generator)
        let samples = (0..<168_000).map { i -> Float in
            let t = Double(i) / 48000
            let voice = (1...20).reduce(0.0) { $0 + sin(2 * .pi * f0 * Double($1) * t) / Double($1) }
            return Float(0.2 * voice * (0.6 - 0.4 * cos(2 * .pi * 3 * t)) + 0.01 * Double.random(in: -1...1, using: &generator))
        }
        let path = folder + "/clip\(index).wav"
        try AudioSignal(samples: samples, sampleRate: 48000).write(path: path)
        return path
    }
    return (paths, "synthetic (\(paths.count) clips, 3.5 s at 48 kHz)")
}

/// One BLAS / OpenMP thread for librosa, as serscript's BLAS is set to one: per-clip times compare
/// one core with one core (the 2-process rows use both).
let oneBLASThread = ["OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"]

/// Runs `executable` with this process's environment plus `environment`; its stdout, or an error.
func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw AudioParameterError("bench", "\(executable) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
    }
    return output
}

/// The Python of `.venv-librosa`, creating the venv when missing.
func librosaPython() throws -> String {
    let venv = root.appendingPathComponent(".venv-librosa").path
    let python = venv + "/bin/python"
    if !FileManager.default.fileExists(atPath: python) {
        print("creating \(venv) (pip install librosa soundfile soxr numpy safetensors)…")
        _ = try run("/usr/bin/env", ["python3", "-m", "venv", venv])
        _ = try run(python, ["-m", "pip", "install", "-q", "librosa", "soundfile", "soxr", "numpy", "safetensors"])
    }
    return python
}

/// Runs the librosa peer in `.venv-librosa`.
func librosaTimings(_ paths: [String]) throws -> [String: Any] {
    let python = try librosaPython()
    let list = NSTemporaryDirectory() + "serscript-audio-bench-clips.txt"
    try paths.joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
    let script = root.appendingPathComponent("Benchmarks/Audio/librosa_peer.py").path
    let output = try run(python, [script, list, String(repeats)], environment: oneBLASThread)
    guard let json = try JSONSerialization.jsonObject(with: output) as? [String: Any] else {
        throw AudioParameterError("bench", "librosa peer printed no JSON object")
    }
    return json
}

/// Writes `report` as `Benchmarks/results/NAME` and says so.
func writeResults(_ report: [String: Any], name: String) {
    let results = root.appendingPathComponent("Benchmarks/results")
    do {
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        let file = results.appendingPathComponent(name)
        try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys]).write(to: file)
        print("\nwrote \(file.path)")
    } catch {
        print("\ncannot write Benchmarks/results/\(name): \(error)")
    }
}

func main() throws {
    BLAS.threadCount = 1
    let (paths, source) = try benchmarkClips()
    print("clips: \(source)")
    let clips48 = try paths.map { try AudioSignal.load(path: $0, sampleRate: 48000, offset: 0.5, duration: 3).fixedLength(144_000) }
    let clips22 = try paths.map { try AudioSignal.load(path: $0, sampleRate: 22050) }
    _ = try notebookFeatures(paths[0])   // warm-up: FFT plans, filterbank cache

    let ours: [(key: String, label: String, value: Double)] = [
        ("load_48k_offset_duration", "load 3 s at 48 kHz (offset 0.5)", try perClip(paths) { _ = try AudioSignal.load(path: $0, sampleRate: 48000, offset: 0.5, duration: 3) }),
        ("load_resample_22050", "load + resample to 22.05 kHz", try perClip(paths) { _ = try AudioSignal.load(path: $0, sampleRate: 22050) }),
        ("notebook_logmel", "notebook log-mel, 3 s at 48 kHz", try perClip(clips48) { _ = try $0.melspectrogram(.notebook).powerToDb(ref: .max) }),
        ("mfcc40_22050", "MFCC 40 at 22.05 kHz", try perClip(clips22) { _ = try $0.mfcc(.notebook) }),
        ("featurize_clips_per_s_1", "featurise, clips/s, 1 thread", try throughput(paths, threads: 1)),
        ("featurize_clips_per_s_2", "featurise, clips/s, 2 threads", try throughput(paths, threads: 2)),
    ]
    let peer = try librosaTimings(paths)

    print("\n| step | serscript | librosa \(peer["librosa"] ?? "?") | speed-up |")
    print("|---|---:|---:|---:|")
    var rows: [[String: Any]] = []
    for (key, label, value) in ours {
        let theirs = (peer[key] as? Double) ?? .nan
        let throughputRow = key.hasPrefix("featurize")
        let ratio = throughputRow ? value / theirs : theirs / value
        let show = { (v: Double) in throughputRow ? String(format: "%.1f", v) : String(format: "%.3f ms", v * 1000) }
        print("| \(label) | \(show(value)) | \(show(theirs)) | \(String(format: "%.1f×", ratio)) |")
        rows.append(["step": key, "label": label, "serscript": value, "librosa": theirs, "speedup": ratio,
                     "unit": throughputRow ? "clips/s" : "s/clip"])
    }
    writeResults(["clips": source, "repeats": repeats, "cores": ProcessInfo.processInfo.activeProcessorCount, "rows": rows], name: "audio.json")
}

do {
    let arguments = CommandLine.arguments.dropFirst()
    if arguments.first == "featurize" { try endToEndBenchmark(corpusArgument: arguments.dropFirst().first) } else { try main() }
} catch {
    FileHandle.standardError.write(Data("bench-audio: \(error)\n".utf8))
    exit(1)
}
