import ArgumentParser
import Runtime

/// The `serscript` command tree. A subcommand is one file in this folder: a `ParsableCommand` with
/// its own abstract, examples and `run()` (ending in `throw ExitCode(status)` when not 0), listed
/// once in `subcommands` below. `run` is the default, so `serscript FILE.sers` needs no word.
struct Serscript: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serscript",
        abstract: "Speech emotion recognition, scripted.",
        usage: """
        serscript FILE.sers [--set name=value ...] [--cells 2,4-6] [--seed n] [--threads n] [--out dir]
        serscript -e CODE [options]
        serscript                      (the REPL; a script piped in is run)
        serscript <subcommand> [options]
        """,
        discussion: """
        Run a script with `serscript FILE.sers`, a snippet with `serscript -e 'CODE'`; bare `serscript` \
        starts the interactive REPL (or runs a script piped into it).

        EXIT STATUS: 0 success · 1 the script (or a run) failed · 2 usage error · 3 rerun's results \
        differ · 130 interrupted (Ctrl-C).
        """,
        version: "serscript \(SERScriptVersion.current)",
        subcommands: [RunCommand.self, CheckCommand.self, SweepCommand.self, RerunCommand.self,
                      ResumeCommand.self, PredictCommand.self, ExportCommand.self, DemoCorpusCommand.self, ListBuiltinsCommand.self,
                      ReplCommand.self, ConvertCommand.self, CacheCommand.self,
                      KernelCommand.self, NotebookCommand.self],
        defaultSubcommand: RunCommand.self)

    /// Usage errors read `serscript: …`, like the tool's other messages.
    static var _errorPrefix: String { "serscript: " }
}

/// Exit statuses shared by every subcommand.
enum ExitStatus {
    static let scriptError: Int32 = 1
    static let usage: Int32 = 2
    static let interrupted: Int32 = 130
}

extension ParsableCommand {
    /// Ends `run()` with `status`: returns for 0, else throws it as the process's exit code.
    func finish(_ status: Int32) throws {
        if status != 0 { throw ExitCode(status) }
    }
}
