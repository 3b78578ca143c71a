import Engine
import Foundation

/// A run's output folder — the Engine's `RunFolder` at `--out DIR` exactly, else at
/// `runs/<script>-<timestamp>/`, made on first use — with the metrics the script reports into it
/// (`metrics.json`, read back by `serscript sweep`) and the report written when the run ends.
public final class RunOutput {
    public let scriptName: String
    private let requested: String?
    private var folder: RunFolder?
    /// Everything `report(...)` recorded, in order.
    public let metrics = DictBox()
    /// How the run was started, written as `run.json` when the folder is made and again at the end.
    public var record: RunRecord?
    /// The script as it was run, kept as `script.sers` (the file may change after the run).
    public var scriptText: String?
    /// Set when training stopped short but the script carried on (Ctrl-C in `fit`, a diverged
    /// loss): the run then ends with this outcome ("interrupted", "diverged") and note, not "completed".
    public var trainingStop: (outcome: String, note: String)?
    /// Set by `serscript resume`: each `fit` continues from its checkpoint in the run folder if there is one.
    public var resuming = false
    /// How many `fit` calls have started; names their automatic checkpoints (`checkpoints/fit-N.safetensors`).
    public var fitCalls = 0
    private var automaticPlotNames: Set<String> = []
    /// Called with each plot's path once it is written (the Jupyter kernel shows it inline).
    public var plotWritten: ((String) -> Void)?

    public init(scriptName: String, directory: String?) {
        self.scriptName = scriptName
        self.requested = directory
    }

    /// The run folder, creating it the first time.
    public func runFolder() throws -> RunFolder {
        if let folder { return folder }
        let made = try requested.map { try RunFolder(path: $0, name: scriptName) } ?? RunFolder(root: "runs", name: scriptName)
        folder = made
        record?.describeThisMachine()
        if let record { try made.writeRecord(record) }
        if let scriptText { try made.save(text: scriptText, name: "script.sers") }
        return made
    }

    /// The folder's path, creating it the first time.
    public func directory() throws -> String { try runFolder().path }

    /// Whether anything has been written (so the folder exists).
    public var isCreated: Bool { folder != nil }

    /// Where feature caches live: `.cache/features` beside `--out DIR`, else under the current folder,
    /// so runs of a sweep (and reruns) share it.
    public var cacheDirectory: String {
        let base = requested.map { (($0 as NSString).standardizingPath as NSString).deletingLastPathComponent } ?? ""
        return ((base.isEmpty ? "." : base) as NSString).appendingPathComponent(".cache/features")
    }

    /// A script's output path: relative paths land in the run folder (and are listed in its report).
    public func resolve(_ path: String) throws -> String {
        if path.hasPrefix("/") { return path }
        let folder = try runFolder()
        folder.record(file: path)
        let target = folder.file(path)
        let parent = (target as NSString).deletingLastPathComponent
        do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            throw BuiltinError("cannot create \(parent): \(error.localizedDescription)")
        }
        return target
    }

    /// Like `resolve`, for an audio file the report shows as a player with `caption`.
    public func resolve(audio path: String, caption: String) throws -> String {
        let target = try resolve(path)
        if !path.hasPrefix("/") { try runFolder().record(audio: path, caption: caption) }
        return target
    }

    /// Saves a plot as SVG at `file` (relative: in the run folder, shown in the report); returns the path.
    public func save(plot: Plot, file: String) throws -> String {
        let path: String
        if file.hasPrefix("/") {
            do { try plot.svg().write(toFile: file, atomically: true, encoding: .utf8) } catch {
                throw BuiltinError("cannot write \(file): \(error)")
            }
            path = file
        } else {
            path = try runFolder().save(plot: plot, file: file)
        }
        plotWritten?(path)
        return path
    }

    /// `plots/<stem>.svg`, or `plots/<stem>-2.svg`, `-3`, … if this run already named a plot so.
    public func unusedPlotName(_ stem: String) -> String {
        var name = "plots/\(stem).svg", number = 2
        while automaticPlotNames.contains(name) {
            name = "plots/\(stem)-\(number).svg"
            number += 1
        }
        automaticPlotNames.insert(name)
        return name
    }

    /// Notes a corpus the run indexed, for `run.json` (once per distinct fingerprint).
    public func noteData(_ fingerprint: DataFingerprint) {
        guard record?.data.contains(fingerprint) == false else { return }
        record?.data.append(fingerprint)
    }

    /// Merges `values` into the metrics and rewrites `metrics.json`.
    public func report(_ values: [(DictKey, Value)]) throws {
        for (key, value) in values { metrics[key] = value }
        try runFolder().writeMetrics(Value.dict(metrics).json)
    }

    /// At the end of a run that wrote anything: the resolved params (`params.json`), how the run
    /// ended (`run.json`: "completed", "interrupted", "terminated", "failed" or "diverged", with the
    /// error) and `index.html`.
    public func finish(parameters: [String: Value], outcome: String = "completed", error: String? = nil) throws {
        guard let folder else { return }
        try folder.writeParams(parameters.mapValues(\.json))
        if var record {
            record.finished = Date()
            record.outcome = outcome
            record.error = error
            try folder.writeRecord(record)
        }
        try folder.writeReport()
    }
}
