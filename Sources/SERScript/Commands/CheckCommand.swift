import ArgumentParser

/// `serscript check FILE`: parse and resolve names without running.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse a script and resolve its names without running it.",
        discussion: """
        Lists every unknown name and bad builtin call; exit status 1 if there is any.

        EXAMPLES:
          serscript check examples/parallel_cnn_transformer.sers
        """)

    @Argument(help: ArgumentHelp("The script to check.", valueName: "file"), completion: .file(extensions: ["sers"]))
    var file: String

    func run() throws {
        try finish(ScriptRunner.check(file))
    }
}
