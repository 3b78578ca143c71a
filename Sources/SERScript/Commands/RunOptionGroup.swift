import ArgumentParser

/// `--set/--cells/--seed/--threads/--out`: shared by running a script, sweeping and the REPL.
struct RunOptionGroup: ParsableArguments {
    @Option(name: .customLong("set"),
            help: ArgumentHelp("Override a `param` of the script (repeatable).", valueName: "name=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp("Run only these cells (`# %% Title` sections, from 1); code before the first always runs.",
                               valueName: "2,4-6"))
    var cells: String?

    @Option(help: ArgumentHelp("Seed every random generator (default: a drawn seed, kept in run.json).", valueName: "n"))
    var seed: UInt64?

    @Option(help: ArgumentHelp("Threads for BLAS.", valueName: "n"))
    var threads: Int?

    @Option(help: ArgumentHelp("Run-output folder (default runs/<script>-<timestamp>/).", valueName: "dir"),
            completion: .directory)
    var out: String?

    func validate() throws { _ = try options() }

    /// The options as the runners take them; a `ValidationError` names the bad value.
    func options() throws -> RunOptions {
        if let threads, threads < 1 { throw ValidationError("--threads needs a positive integer, got '\(threads)'") }
        return RunOptions(overrides: try overrides.map { try Assignment.parse($0, flag: "--set") },
                          cells: try cells.map(CellSelection.parse), seed: seed, threads: threads, out: out)
    }
}

/// `name=value` of `--set` and `--grid`.
enum Assignment {
    static func parse(_ text: String, flag: String) throws -> (name: String, value: String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ValidationError("\(flag) needs name=value, got '\(text)'")
        }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }
}

/// `--cells 2,4-6` → {2, 4, 5, 6}
enum CellSelection {
    static func parse(_ text: String) throws -> Set<Int> {
        var result = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]),
                  low >= 1, low <= high, high - low < 10_000 else {
                throw ValidationError("--cells expects numbers and ranges like 2,4-6 (cells count from 1), got '\(text)'")
            }
            result.formUnion(low...high)
        }
        return result
    }
}
