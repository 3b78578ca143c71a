import Engine
import Foundation
import Runtime

/// `serscript resume RUN_DIR`: continues a run that was killed, terminated or interrupted. The script
/// kept in the folder runs again from the folder it was first run in, with the recorded params,
/// cells, seed and threads, writing into the same run folder; every `fit` whose checkpoint the
/// first run wrote continues from it (a finished `fit` does not train again), so the results equal
/// those of a run that was never stopped. Exit status: that of the resumed run.
enum Resume {
    static func run(_ folder: String) -> Int32 {
        var record: RunRecord
        let script: String, text: String
        do {
            let recorded = try RecordedScript(folder: folder, purpose: "resume")
            (record, script, text) = (recorded.record, recorded.name, recorded.text)
        } catch {
            fputs("serscript resume: \(error)\n", stderr)
            return 1
        }
        if record.outcome == "completed" {
            print("\(folder) completed on \(record.finished.map { "\($0)" } ?? "an unknown date"): nothing to resume.")
            return 0
        }
        let target = folder.hasPrefix("/") ? folder
            : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(folder)
        let options = RunOptions(overrides: record.overrides, cells: record.cells.map(Set.init), seed: record.seed,
                                 threads: record.threads, out: target)
        if !FileManager.default.changeCurrentDirectoryPath(record.workingDirectory) {
            fputs("serscript resume: \(record.workingDirectory) is gone; running from \(FileManager.default.currentDirectoryPath)\n", stderr)
        }
        print("Resuming \(script) (seed \(record.seed), ended \(record.outcome)) in \(target)")
        fflush(stdout)
        record.resumed.append(Date())
        record.outcome = "running"
        record.finished = nil
        record.error = nil
        let resumed = record
        return ScriptRunner.execute(.recorded(name: script, text: text), options) { interpreter in
            interpreter.output.record = resumed
            interpreter.output.resuming = true
        }.status
    }
}
