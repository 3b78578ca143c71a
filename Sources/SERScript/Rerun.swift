import Engine
import Foundation
import Runtime

/// `serscript rerun RUN_DIR [--out DIR]` (`RerunCommand`): runs the script kept in a run folder again, from the folder
/// it was first run in, with the recorded params, cells, seed and threads; then compares the new
/// run's metrics and training history with the recorded ones.
/// Exit status: 0 identical, 3 ran but differs, else the run's own status (1 error, 2 usage).
struct Rerun {
    let folder: String
    var out: String?

    func run() -> Int32 {
        let record: RunRecord, script: String, text: String
        do {
            let recorded = try RecordedScript(folder: folder, purpose: "run again")
            (record, script, text) = (recorded.record, recorded.name, recorded.text)
        } catch {
            fputs("serscript rerun: \(error)\n", stderr)
            return 1
        }
        let recordedFolder = absolute(folder)
        do { try out.map { try Self.prepareOut($0, at: absolute($0), recorded: recordedFolder) } } catch {
            fputs("serscript rerun: \(error)\n", stderr)
            return ExitStatus.usage
        }
        let options = RunOptions(overrides: record.overrides, cells: record.cells.map(Set.init), seed: record.seed,
                                 threads: record.threads, out: out.map(absolute))
        if !FileManager.default.changeCurrentDirectoryPath(record.workingDirectory) {
            fputs("serscript rerun: \(record.workingDirectory) is gone; running from \(FileManager.default.currentDirectoryPath)\n", stderr)
        }
        noteChanges(since: record)
        if record.outcome != "completed" {
            print("Note: the recorded run did not complete: it ended \(record.outcome)\(record.error.map { " (\($0))" } ?? ""), "
                  + "so its results are not expected to match a complete run.")
        }
        print("Re-running \(script) (seed \(record.seed)) as recorded in \(recordedFolder)")
        let (status, output) = ScriptRunner.execute(.recorded(name: script, text: text), options)
        guard status == 0 else { return status }
        guard let output, output.isCreated, let rerunFolder = try? output.directory() else {
            print("The run wrote no run folder: nothing to compare.")
            return 0
        }
        noteDataChanges(from: record.data, to: output.record?.data ?? [])
        return compare(recordedFolder, rerunFolder)
    }

    /// `--out` is checked before anything runs: never the recorded folder, not a file, new or empty,
    /// and writable (it is created here, so a folder that cannot be made fails now, not after the features).
    static func prepareOut(_ out: String, at path: String, recorded: String) throws {
        let files = FileManager.default
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        if target == URL(fileURLWithPath: recorded).standardizedFileURL.resolvingSymlinksInPath().path {
            throw UsageError(description: "--out \(out) is the recorded run's folder; a rerun never overwrites the record: choose a new folder")
        }
        var isFolder: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw UsageError(description: "--out \(out) is a file; give a new or empty folder") }
            let entries = (try? files.contentsOfDirectory(atPath: path)) ?? []
            guard entries.isEmpty else {
                throw UsageError(description: "--out \(out) is not empty (\(entries.count) entr\(entries.count == 1 ? "y" : "ies")); a rerun writes a fresh run folder: give a new or empty one")
            }
        } else {
            try makeFolders(path, named: out)
        }
        guard files.isWritableFile(atPath: path) else { throw UsageError(description: "--out \(out): the folder is not writable") }
    }

    /// `mkdir -p`, failing with the system's reason (Foundation's error only gives a code).
    private static func makeFolders(_ path: String, named out: String) throws {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw UsageError(description: "--out \(out): cannot create the folder (\(prefix): \(String(cString: strerror(errno))))")
            }
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw UsageError(description: "--out \(out): cannot create the folder (a file is in the way)")
        }
    }

    /// Says which corpora the re-run read differently (files, sizes) from the recorded run.
    private func noteDataChanges(from recorded: [DataFingerprint], to now: [DataFingerprint]) {
        for before in recorded where !now.contains(before) {
            let after = now.first { $0.source == before.source }
            print("Note: data \(before.source) was \(before.summary), is now \(after?.summary ?? "not read").")
        }
        for after in now where !recorded.contains(where: { $0.source == after.source }) {
            print("Note: data \(after.source) (\(after.summary)) was not read by the recorded run.")
        }
    }

    private func compare(_ recorded: String, _ rerun: String) -> Int32 {
        let comparison: RunComparison
        do { comparison = try RunComparison(recorded: recorded, rerun: rerun) } catch {
            fputs("serscript rerun: \(error)\n", stderr)
            return 1
        }
        fflush(stdout)
        guard !comparison.rows.isEmpty else {
            print("Neither run reported metrics or a training history: nothing to compare.")
            return 0
        }
        let table = TextTable(header: ["", "recorded", "re-run", ""],
                              rows: comparison.rows.map { [$0.name, $0.recorded, $0.rerun, $0.same ? "same" : "DIFFERS"] })
        print("\n\(table)")
        let differing = comparison.rows.filter { !$0.same }.count
        print(differing == 0 ? "Reproduced: all \(comparison.rows.count) results identical (\(rerun))."
                             : "Not reproduced: \(differing) of \(comparison.rows.count) results differ (\(rerun)).")
        return differing == 0 ? 0 : 3
    }

    /// Says what differs from the recorded machine, which can explain last-bit differences.
    private func noteChanges(since record: RunRecord) {
        let libraries = LibraryVersions.current
        let changes: [(String, String?, String?)] = [("serscript", record.tool, ScriptRunner.tool), ("CPU", record.host["cpu"], Host.cpu)]
            + record.libraries.keys.sorted().map { ($0, record.libraries[$0], libraries[$0]) }
        for (name, before, after) in changes where before != after {
            print("Note: \(name) was \(before ?? "unknown"), is now \(after ?? "unknown").")
        }
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }
}
