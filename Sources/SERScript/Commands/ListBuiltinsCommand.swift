import ArgumentParser
import Runtime

/// `serscript list-builtins [--markdown]`: every builtin with its signature and summary.
struct ListBuiltinsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list-builtins",
        abstract: "List every builtin function, method and type with its signature.",
        discussion: """
        The Markdown form is the table in docs/language.md. `serscript --list-builtins` is the older spelling.

        EXAMPLES:
          serscript list-builtins
          serscript list-builtins --markdown > builtins.md
        """)

    @Flag(help: "Write a Markdown table.")
    var markdown = false

    func run() throws {
        print(Help.table(BuiltinRegistry.standard, markdown: markdown))
    }
}
