import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// The folder one script run writes into: resolved parameters (`params.json`), per-epoch history
/// (`history.csv`), metrics (`metrics.json`), plots (`plots/*.svg`), how the run was started and on
/// what (`run.json`), other files, and an HTML report (`index.html`) that shows them all.
public final class RunFolder: EpochHistoryWriter {
    /// The run's folder, `<root>/<name>-<yyyyMMdd-HHmmss>` (with `-2`, `-3`, … if taken).
    public let path: String
    /// The run name given at creation.
    public let name: String
    /// When the run started.
    public let started: Date
    private var plots: [(file: String, title: String)] = []
    private var historyColumns: [String]?
    private var files: [String] = []
    /// Captions of audio files shown with players in the report (e.g. a test clip's true and predicted class).
    private var captions: [String: String] = [:]
    private var tables: [ReportTable] = []

    /// Creates a fresh folder for a run called `name` under `root` (created if missing).
    public convenience init(root: String, name: String, started: Date = Date()) throws {
        let safeName = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let base = (root as NSString).appendingPathComponent("\(safeName.isEmpty ? "run" : safeName)-\(formatter.string(from: started))")
        var candidate = base
        var suffix = 2
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = "\(base)-\(suffix)"
            suffix += 1
        }
        try self.init(path: candidate, name: name, started: started)
    }

    /// Uses exactly the folder `path` (created if missing, reused if present: `--out DIR`).
    public init(path: String, name: String, started: Date = Date()) throws {
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).appendingPathComponent("plots"),
                                                    withIntermediateDirectories: true)
        } catch {
            throw ReportError("cannot create run folder \(path): \(error.localizedDescription)")
        }
        self.path = path
        self.name = name
        self.started = started
    }

    /// Path of a file inside the run folder.
    public func file(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

    /// Writes the resolved parameters as `params.json`.
    public func writeParams(_ parameters: [String: JSONValue]) throws {
        try write(JSONValue.object(parameters).encoded(pretty: true) + "\n", to: "params.json")
    }

    /// Writes `run.json`: how the run was started and what it ran on.
    public func writeRecord(_ record: RunRecord) throws {
        try write(record.json.encoded(pretty: true) + "\n", to: "run.json")
    }

    /// Reads the `run.json` of the run folder at `path`.
    public static func record(at path: String) throws -> RunRecord {
        let file = (path as NSString).appendingPathComponent("run.json")
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ReportError("\(file): missing or unreadable (is \(path) a run folder?)")
        }
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw ReportError("\(file): \(error)") }
        return try RunRecord(json: json, source: file)
    }

    /// Writes metrics (e.g. `ClassificationReport.json`, or any object) as `metrics.json`.
    public func writeMetrics(_ metrics: JSONValue) throws {
        try write(metrics.encoded(pretty: true) + "\n", to: "metrics.json")
    }

    /// Appends one epoch's values to `history.csv`; the first row fixes the columns (in the order
    /// given) and later rows must have the same ones.
    public func appendHistory(_ row: KeyValuePairs<String, Double>) throws {
        try appendHistory(row.map { ($0.key, $0.value) })
    }

    /// Appends one row of (column, value) pairs to `history.csv`.
    public func appendHistory(_ row: [(String, Double)]) throws {
        let names = row.map(\.0)
        var text = ""
        if let columns = historyColumns {
            guard Set(columns) == Set(names), columns.count == names.count else {
                throw ReportError("history row has columns \(names) but history.csv has \(columns)")
            }
        } else {
            historyColumns = names
            text += CSV.line(names)
        }
        let values = Dictionary(row, uniquingKeysWith: { _, last in last })
        text += CSV.line((historyColumns ?? names).map { CSV.number(values[$0] ?? .nan) })
        try append(text, to: "history.csv")
    }

    /// Saves a plot as `plots/<name>.svg` and lists it in the report; returns the file path.
    @discardableResult
    public func save(plot: Plot, name: String) throws -> String {
        try save(plot: plot, file: "plots/\(name).svg")
    }

    /// Saves a plot as SVG at `relative` (inside the folder) and lists it in the report; returns the file path.
    @discardableResult
    public func save(plot: Plot, file relative: String) throws -> String {
        try makeParent(of: relative)
        try write(try plot.svg(), to: relative)
        plots.removeAll { $0.file == relative }
        plots.append((relative, plot.title))
        return file(relative)
    }

    /// Lists a file written by someone else (a WAV, a checkpoint) in the report.
    public func record(file relative: String) {
        if !files.contains(relative) { files.append(relative) }
    }

    /// Lists an audio file inside the folder in the report, as a player with `caption` beneath it.
    public func record(audio relative: String, caption: String) {
        record(file: relative)
        captions[relative] = caption
    }

    /// Saves any other text file (e.g. `predictions.csv`) and links it from the report.
    @discardableResult
    public func save(text: String, name: String) throws -> String {
        try makeParent(of: name)
        try write(text, to: name)
        record(file: name)
        return file(name)
    }

    /// Shows `table` in the report (replacing an earlier table of the same title).
    public func add(table: ReportTable) {
        tables.removeAll { $0.title == table.title }
        tables.append(table)
    }

    /// Writes `index.html` showing parameters, metrics, plots, history and files as they are now.
    public func writeReport(title: String? = nil) throws {
        let page = RunReport(title: title ?? name, started: started,
                             parameters: try readJSON("params.json"), metrics: try readJSON("metrics.json"),
                             record: try readJSON("run.json"),
                             history: (try? String(contentsOfFile: file("history.csv"), encoding: .utf8)) ?? "",
                             plots: plots, tables: tables, files: files, captions: captions)
        try write(page.html(), to: "index.html")
    }

    private func makeParent(of relative: String) throws {
        let parent = (file(relative) as NSString).deletingLastPathComponent
        do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            throw ReportError("cannot create \(parent): \(error.localizedDescription)")
        }
    }

    private func readJSON(_ relative: String) throws -> JSONValue? {
        guard let text = try? String(contentsOfFile: file(relative), encoding: .utf8) else { return nil }
        return try JSONValue.parse(text)
    }

    private func write(_ text: String, to relative: String) throws {
        do { try text.write(toFile: file(relative), atomically: true, encoding: .utf8) } catch {
            throw ReportError("cannot write \(file(relative)): \(error.localizedDescription)")
        }
    }

    private func append(_ text: String, to relative: String) throws {
        let target = file(relative)
        guard FileManager.default.fileExists(atPath: target) else { return try write(text, to: relative) }
        guard let handle = FileHandle(forWritingAtPath: target) else { throw ReportError("cannot append to \(target)") }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw ReportError("cannot append to \(target): \(error.localizedDescription)")
        }
    }
}
