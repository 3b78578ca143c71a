import Foundation

enum ScriptSource {
    case file(String)
    case code(String)
    case standardInput
    /// A script kept in a run folder, under the name it was first run as.
    case recorded(name: String, text: String)
}

/// Options shared by running, sweeping and the REPL (parsed by `RunOptionGroup`).
struct RunOptions {
    var overrides: [(name: String, value: String)] = []
    var cells: Set<Int>?
    var seed: UInt64?
    var threads: Int?
    var out: String?
}

/// A request that cannot be carried out as asked (an unknown param, a missing file); found after
/// parsing, reported as `serscript: …`.
struct UsageError: Error, CustomStringConvertible {
    let description: String
}
