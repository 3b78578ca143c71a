import Engine
import Foundation

/// A run folder's record and the script it kept (`script.sers`), which `rerun` and `resume` run again.
struct RecordedScript {
    let record: RunRecord
    /// The script's name as first run.
    let name: String
    /// The script as it was run.
    let text: String

    /// Reads `folder`'s record and kept script; `purpose` ("run again", "resume") words the error
    /// for a REPL session's folder, which keeps no script.
    init(folder: String, purpose: String) throws {
        record = try RunFolder.record(at: folder)
        guard let recordedScript = record.script else {
            throw ReportError("\(folder) is an interactive session's folder: there is no script to \(purpose)")
        }
        let copy = (folder as NSString).appendingPathComponent("script.sers")
        guard let contents = try? String(contentsOfFile: copy, encoding: .utf8) else {
            throw ReportError("\(copy): missing or unreadable; it holds the script as it was run")
        }
        (name, text) = (recordedScript, contents)
    }
}
