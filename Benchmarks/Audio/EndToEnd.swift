import Engine
import Foundation

// `make bench-featurize [CORPUS=DIR]`: a corpus featurised end to end — index → load → notebook
// log-mel → one stacked N×1×128×563 tensor — each run a fresh `serscript` process, with and without
// the feature cache, on 1 and 2 threads, against librosa doing the same in a fresh Python process
// (1 and 2 worker processes) in the same run. Wall, user and system time and peak memory come from
// `wait4`; each row is the fastest of `endToEndRepeats` runs.

/// Fresh processes per row (each featurises the whole corpus, so fewer than the per-clip repeats).
private let endToEndRepeats = 2

/// One end-to-end configuration.
private struct EndToEndCase {
    let key: String
    let label: String
    let threads: Int
    /// The `cache:` argument of `features`.
    let cache: String
    /// Pitch-shifted copies instead of the clips: features that are expensive to recompute.
    var pitchShifted = false
    /// Empty the cache before each run.
    var cold = false
    /// Only index and load (the baseline memory: process, corpus table, no features).
    var indexOnly = false

    func script(corpus: String) -> String {
        let clips = "load_audio(corpus(\"ravdess\", \"\(corpus)\"), sr: 48000, offset: 0.5, duration: 3.0)"
        if indexOnly { return "print(\(clips))" }
        let input = pitchShifted ? "clips.augment(pitch_shift(n_steps: [-2, 2], copies: 1, seed: 1), keep_original: false)" : "clips"
        return """
        let clips = \(clips)
        let mel = logmel(sr: 48000, n_fft: 1024, win_length: 512, window: "hamming", hop_length: 256, n_mels: 128, fmax: 24000)
        print(features(\(input), mel, cache: \(cache)))
        """
    }
}

private let cases: [EndToEndCase] = [
    EndToEndCase(key: "index_load_only", label: "index + load_audio only (baseline)", threads: 2, cache: "false", indexOnly: true),
    EndToEndCase(key: "no_cache_1", label: "features, cache: false, --threads 1", threads: 1, cache: "false"),
    EndToEndCase(key: "no_cache_2", label: "features, cache: false, --threads 2", threads: 2, cache: "false"),
    EndToEndCase(key: "auto_cold_2", label: "features, default cache, empty cache", threads: 2, cache: "\"auto\"", cold: true),
    EndToEndCase(key: "auto_warm_2", label: "features, default cache, second run", threads: 2, cache: "\"auto\""),
    EndToEndCase(key: "always_cold_2", label: "features, cache: true (every entry), empty cache", threads: 2, cache: "true", cold: true),
    EndToEndCase(key: "always_warm_2", label: "features, cache: true, second run", threads: 2, cache: "true"),
    EndToEndCase(key: "pitch_auto_cold_2", label: "pitch-shifted copies, default cache, empty cache", threads: 2, cache: "\"auto\"",
                 pitchShifted: true, cold: true),
    EndToEndCase(key: "pitch_auto_warm_2", label: "pitch-shifted copies, default cache, second run", threads: 2, cache: "\"auto\"",
                 pitchShifted: true),
]

/// The corpus folder: the argument, else the demo corpus (synthesised when missing: no download).
private func benchmarkCorpus(_ argument: String?) throws -> String {
    if let argument { return URL(fileURLWithPath: argument).standardizedFileURL.path }
    let demo = root.appendingPathComponent("data/demo")
    if !DemoCorpus.isComplete(demo, options: DemoCorpusOptions()) {
        print("synthesising the demo corpus into \(demo.path)…")
        try DemoCorpus.generate(into: demo, options: DemoCorpusOptions()) { _ in }
    }
    return demo.path
}

func endToEndBenchmark(corpusArgument: String?) throws {
    let corpus = try benchmarkCorpus(corpusArgument)
    let serscript = root.appendingPathComponent(".build/release/serscript").path
    guard FileManager.default.isExecutableFile(atPath: serscript) else {
        throw AudioParameterError("bench", "\(serscript) is missing: build it first (make bench-featurize does)")
    }
    let work = NSTemporaryDirectory() + "serscript-featurize-bench-\(getpid())"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }
    let cacheFolder = FeatureCacheFolder(directory: work + "/.cache/features")
    print("corpus: \(corpus); each row the fastest of \(endToEndRepeats) fresh processes")

    var measured: [(EndToEndCase, MeasuredRun, cacheMB: Double)] = []
    for benchCase in cases {
        var best: MeasuredRun?
        var cacheMB = 0.0
        for _ in 0..<endToEndRepeats {
            if benchCase.cold { cacheFolder.clear() }
            let run = try measuredRun([serscript, "-e", benchCase.script(corpus: corpus), "--threads", String(benchCase.threads), "--seed", "1"],
                                      in: work)
            if run.wall < best?.wall ?? .infinity { best = run }
            cacheMB = Double(cacheFolder.usage().bytes) / 1e6
        }
        if let best { measured.append((benchCase, best, cacheMB)) }
    }
    let python = try librosaPython()
    let peer = root.appendingPathComponent("Benchmarks/Audio/librosa_corpus.py").path
    let librosa = try [1, 2].map { processes in
        try (0..<endToEndRepeats).map { _ in try measuredRun([python, peer, corpus, String(processes)], in: work, environment: oneBLASThread) }
            .reduce(nil as MeasuredRun?) { best, run in best.map { $0.wall <= run.wall ? $0 : run } ?? run }
    }.compactMap { $0 }
    // `FeatureSet(480 × [1, 128, 563], 8 classes)` names the row count.
    let printed = measured.first { $0.0.key == "no_cache_2" }?.1.output ?? ""
    let clips = printed.range(of: "FeatureSet(").flatMap { Int(printed[$0.upperBound...].prefix { $0.isNumber }) }
    report(measured, librosa: librosa, corpus: corpus, clips: clips)
}

private func report(_ measured: [(EndToEndCase, MeasuredRun, cacheMB: Double)], librosa: [MeasuredRun], corpus: String, clips: Int?) {
    let resultMB = Double((clips ?? 0) * 128 * 563 * 4) / 1e6
    let baseline = measured.first { $0.0.indexOnly }?.1.peakMB ?? 0
    print("\n| run | wall s | user s | sys s | peak MB | peak − baseline MB | cache MB | librosa wall s | speed-up |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    var rows: [[String: Any]] = []
    func line(_ label: String, _ run: MeasuredRun, cacheMB: Double?, peer: MeasuredRun?) {
        let peerText = peer.map { String(format: "%.2f", $0.wall) } ?? ""
        let ratio = peer.map { String(format: "%.1f×", $0.wall / run.wall) } ?? ""
        print(String(format: "| %@ | %.2f | %.2f | %.2f | %.0f | %.0f | %@ | %@ | %@ |", label, run.wall, run.user, run.system,
                     run.peakMB, run.peakMB - baseline, cacheMB.map { String(format: "%.0f", $0) } ?? "", peerText, ratio))
    }
    for (benchCase, run, cacheMB) in measured {
        // The plain runs compare with librosa on as many workers; cached and pitch rows stand alone.
        let comparable = !benchCase.indexOnly && !benchCase.pitchShifted && benchCase.cache == "false" && librosa.indices.contains(benchCase.threads - 1)
        let peer = comparable ? librosa[benchCase.threads - 1] : nil
        line(benchCase.label, run, cacheMB: benchCase.indexOnly ? nil : cacheMB, peer: peer)
        var row: [String: Any] = ["run": benchCase.key, "label": benchCase.label, "wall_s": run.wall, "user_s": run.user,
                                  "system_s": run.system, "peak_mb": run.peakMB, "cache_mb": cacheMB]
        if let peer { row["librosa_wall_s"] = peer.wall; row["speedup"] = peer.wall / run.wall }
        rows.append(row)
    }
    for (index, run) in librosa.enumerated() {
        line("librosa, \(index + 1) process\(index == 0 ? "" : "es")", run, cacheMB: nil, peer: nil)
        rows.append(["run": "librosa_\(index + 1)", "wall_s": run.wall, "user_s": run.user, "system_s": run.system, "peak_mb": run.peakMB])
    }
    print(String(format: "\nresult tensor: %d × 1 × 128 × 563 float32 = %.0f MB; baseline (index + load_audio) peak %.0f MB", clips ?? 0, resultMB, baseline))
    let report: [String: Any] = ["corpus": corpus, "clips": clips ?? 0, "result_mb": resultMB, "repeats": endToEndRepeats,
                                 "cores": ProcessInfo.processInfo.activeProcessorCount, "rows": rows]
    writeResults(report, name: "featurize.json")
}
