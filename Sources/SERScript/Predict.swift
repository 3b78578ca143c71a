import Engine
import Foundation

/// `serscript predict BUNDLE INPUT… [--top K] [--csv FILE] [--json] [--window S [--hop S] [--out DIR]] [--threads N]`:
/// applies a model bundle to recordings — files, folders, manifest CSVs — and prints each file's
/// emotion with its top-K probabilities; with `--window` it writes an emotion timeline per file.
/// A file that cannot be read is reported and skipped; the exit status is 1 when any failed.
enum PredictCommand {
    static let usage = "usage: serscript predict BUNDLE INPUT… [--top K] [--csv FILE] [--json] [--window SECONDS [--hop SECONDS] [--out DIR]] [--threads N]"

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

    /// Parses `arguments` (after `predict`), runs, and returns the exit status: 0 all predicted,
    /// 1 some file failed, 2 a usage error or an unusable bundle.
    static func run(_ arguments: [String]) -> Int32 {
        let settings: Settings
        do { settings = try parse(arguments) } catch {
            fputs("serscript predict: \(error)\n\(usage)\n", stderr)
            return 2
        }
        let predictor: BundlePredictor
        do { predictor = try BundlePredictor(path: settings.bundle) } catch {
            fputs("serscript predict: \(error)\n", stderr)
            return 2
        }
        let paths: [String]
        do { paths = try AudioInputs.expand(settings.inputs) } catch {
            fputs("serscript predict: \(error)\n", stderr)
            return 2
        }
        return settings.window == nil ? classify(paths, predictor, settings) : timelines(paths, predictor, settings)
    }

    static func parse(_ arguments: [String]) throws -> Settings {
        var settings = Settings()
        var positional: [String] = []
        var index = 0
        func value(_ flag: String) throws -> String {
            index += 1
            guard index < arguments.count else { throw UsageError(description: "\(flag) needs a value") }
            return arguments[index]
        }
        func seconds(_ flag: String) throws -> Double {
            let text = try value(flag)
            guard let number = Double(text), number > 0, number.isFinite else { throw UsageError(description: "\(flag) needs a positive number of seconds, got '\(text)'") }
            return number
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--top":
                let text = try value(argument)
                guard let k = Int(text), k >= 1 else { throw UsageError(description: "--top needs a positive integer, got '\(text)'") }
                settings.top = k
            case "--csv": settings.csv = try value(argument)
            case "--json": settings.json = true
            case "--window": settings.window = try seconds(argument)
            case "--hop": settings.hop = try seconds(argument)
            case "--out": settings.out = try value(argument)
            case "--threads":
                let text = try value(argument)
                guard let count = Int(text), count >= 1 else { throw UsageError(description: "--threads needs a positive integer, got '\(text)'") }
                settings.threads = count
            default:
                guard !argument.hasPrefix("--") else { throw UsageError(description: "unknown option '\(argument)'") }
                positional.append(argument)
            }
            index += 1
        }
        guard positional.count >= 2 else { throw UsageError(description: "needs a bundle and at least one input") }
        if settings.window == nil, let flag = settings.hop != nil ? "--hop" : settings.out != nil ? "--out" : nil {
            throw UsageError(description: "\(flag) needs --window")
        }
        if settings.window != nil, settings.csv != nil {
            throw UsageError(description: "--csv is for one answer per file; with --window each file's timeline CSV goes into --out")
        }
        settings.bundle = positional[0]
        settings.inputs = Array(positional.dropFirst())
        return settings
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
