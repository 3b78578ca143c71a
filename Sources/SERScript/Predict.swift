import Engine
import Foundation

/// What `serscript predict` does (Commands/PredictCommand.swift parses it): applies a model bundle to recordings — files, folders, manifest CSVs — and prints each file's
/// emotion with its top-K probabilities; with `--window` it writes an emotion timeline per file.
/// A file that cannot be read is reported and skipped; the exit status is 1 when any failed.
enum Prediction {
    struct Settings {
        var bundle = ""
        var inputs: [String] = []
        var top = 3
        var csv: String?
        var json = false
        var window: Double?
        var hop: Double?
        var out: String?
        var threads = ProcessInfo.processInfo.activeProcessorCount
    }

    /// Runs and returns the exit status: 0 all predicted, 1 some file failed, 2 an unusable bundle
    /// or input list.
    static func run(_ settings: Settings) -> Int32 {
        let predictor: BundlePredictor
        do { predictor = try BundlePredictor(path: settings.bundle) } catch {
            fputs("serscript predict: \(error)\n", stderr)
            return ExitStatus.usage
        }
        let paths: [String]
        do { paths = try AudioInputs.expand(settings.inputs) } catch {
            fputs("serscript predict: \(error)\n", stderr)
            return ExitStatus.usage
        }
        return settings.window == nil ? classify(paths, predictor, settings) : timelines(paths, predictor, settings)
    }

    /// One answer per file: a table (or JSON) on stdout, failures on stderr, optionally a CSV.
    private static func classify(_ paths: [String], _ predictor: BundlePredictor, _ settings: Settings) -> Int32 {
        let started = Date()
        let results = predictor.predict(paths: paths, threads: settings.threads)
        let seconds = Date().timeIntervalSince(started)
        let classes = predictor.bundle.classNames
        var failed = 0
        var rows: [[String]] = [], records: [JSONValue] = []
        for (path, result) in zip(paths, results) {
            switch result {
            case .success(let answer):
                let top = answer.top(settings.top)
                if !settings.json {
                    print("\(path)\t\(answer.emotion)\t" + top.map { String(format: "%@ %.3f", $0.name, $0.probability) }.joined(separator: ", "))
                }
                rows.append([path, answer.emotion] + answer.probabilities.map { CSV.number(Double($0)) } + [""])
                records.append(.object(["file": .string(path), "emotion": .string(answer.emotion),
                                        "top": .array(top.map { .object(["emotion": .string($0.name), "probability": .number(Double($0.probability))]) }),
                                        "probabilities": .object(Dictionary(uniqueKeysWithValues: zip(classes, answer.probabilities.map { .number(Double($0)) })))]))
            case .failure(let error):
                failed += 1
                let reason = describe(error, path: path)
                fputs("serscript predict: skipped \(reason)\n", stderr)
                rows.append([path, ""] + classes.map { _ in "" } + [reason])
                records.append(.object(["file": .string(path), "error": .string(reason)]))
            }
        }
        if settings.json { print(JSONValue.array(records).encoded(pretty: true)) }
        if let csv = settings.csv, !write(CSV.table(header: ["file", "emotion"] + classes + ["error"], rows: rows), to: csv) { return 1 }
        fputs(String(format: "%d files predicted, %d failed, %.2f s (%.1f files/s)\n", paths.count - failed, failed, seconds,
                     Double(paths.count) / max(seconds, 1e-9)), stderr)
        return failed > 0 ? 1 : 0
    }

    /// One timeline per file: `<stem>.timeline.csv` and `.svg` in `--out`, a summary line each.
    private static func timelines(_ paths: [String], _ predictor: BundlePredictor, _ settings: Settings) -> Int32 {
        guard let window = settings.window else { return 2 }
        let out = settings.out ?? "."
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            fputs("serscript predict: cannot create \(out): \(error.localizedDescription)\n", stderr)
            return 2
        }
        var failed = 0, used: [String: Int] = [:], records: [JSONValue] = []
        for path in paths {
            var stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            used[stem, default: 0] += 1
            if let count = used[stem], count > 1 { stem += "-\(count)" }   // same name in two folders
            let base = (out as NSString).appendingPathComponent(stem + ".timeline")
            do {
                let timeline = try predictor.timeline(path: path, window: window, hop: settings.hop ?? window)
                guard write(timeline.csv(), to: base + ".csv"), write(try timeline.plot().svg(), to: base + ".svg") else {
                    failed += 1
                    continue
                }
                let emotions = timeline.emotions
                let counts = Dictionary(grouping: emotions, by: { $0 }).mapValues(\.count)
                let dominant = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
                if settings.json {
                    records.append(.object(["file": .string(path), "csv": .string(base + ".csv"), "plot": .string(base + ".svg"),
                                            "starts": .array(timeline.starts.map { .number($0) }),
                                            "emotions": .array(emotions.map { .string($0) })]))
                } else {
                    print(String(format: "%@\t%d windows\tmostly %@ (%d of %d)\t%@.csv, %@.svg", path, emotions.count, dominant?.key ?? "-",
                                 dominant?.value ?? 0, emotions.count, base, base))
                }
            } catch {
                failed += 1
                let reason = describe(error, path: path)
                fputs("serscript predict: skipped \(reason)\n", stderr)
                records.append(.object(["file": .string(path), "error": .string(reason)]))
            }
        }
        if settings.json { print(JSONValue.array(records).encoded(pretty: true)) }
        return failed > 0 ? 1 : 0
    }

    /// The error, prefixed with the file unless it already names it.
    private static func describe(_ error: Error, path: String) -> String {
        let text = "\(error)"
        return text.contains(path) ? text : "\(path): \(text)"
    }

    private static func write(_ text: String, to path: String) -> Bool {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            fputs("serscript predict: cannot write \(path): \(error.localizedDescription)\n", stderr)
            return false
        }
        return true
    }
}
