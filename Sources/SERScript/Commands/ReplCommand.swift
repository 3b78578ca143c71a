import ArgumentParser

/// `serscript repl`: the interactive prompt, also what a bare `serscript` starts on a terminal.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Start the interactive REPL (also a bare `serscript` on a terminal).",
        discussion: """
        Type `:help` at the prompt for its commands (:load, :cells, :run, :vars, :reset, :quit).

        EXAMPLES:
          serscript
          serscript repl --seed 1 --out runs/notebook
        """)

    @OptionGroup var runOptions: RunOptionGroup

    func run() throws {
        try finish(Repl(options: try runOptions.options()).run())
    }
}
