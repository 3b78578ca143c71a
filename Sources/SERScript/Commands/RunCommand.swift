import ArgumentParser
import Foundation

/// `serscript FILE.sers`, `serscript -e CODE`, a script piped into `serscript`, or the REPL when
/// neither is given on a terminal. The default subcommand, so the word `run` is optional.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a script file or an -e snippet (the word `run` is optional).",
        discussion: """
        Without FILE or -e: a script piped into standard input is run; on a terminal the REPL starts.
        FILE `-` reads the script from standard input.

        EXAMPLES:
          serscript examples/parallel_cnn_transformer.sers --set epochs=1 --seed 1
          serscript train.sers --cells 1,3-4 --threads 2 --out runs/try
          serscript -e 'print(sqrt(2))'
          cat script.sers | serscript --seed 7
        """)

    @Argument(help: ArgumentHelp("The script to run (`-`: standard input).", valueName: "file"),
              completion: .file(extensions: ["sers"]))
    var file: String?

    @Option(name: .customShort("e"), parsing: .unconditional,
            help: ArgumentHelp("Run CODE instead of a file.", valueName: "code"))
    var code: String?

    @OptionGroup var runOptions: RunOptionGroup

    func validate() throws {
        if file != nil, code != nil { throw ValidationError("give a script file or -e CODE, not both") }
    }

    func run() throws {
        let options = try runOptions.options()
        let status: Int32
        if let code {
            status = ScriptRunner.run(.code(code), options)
        } else if let file, file != "-" {
            status = ScriptRunner.run(.file(file), options)
        } else if file == nil, isatty(0) == 1 {
            status = Repl(options: options).run()
        } else {
            status = ScriptRunner.run(.standardInput, options)
        }
        try finish(status)
    }
}
