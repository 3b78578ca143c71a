import Engine
import Foundation
import Runtime

/// The interactive prompt: evaluates each complete input, shows expression results in rich form,
/// keeps going after errors, and offers `:` commands for notebook-style work with cells.
struct Repl {
    let options: RunOptions

    static let commands = [":load", ":cells", ":run", ":vars", ":help", ":reset", ":quit"]
    static let commandHelp = """
    REPL commands:
      :load FILE          load a script: run its preamble, make its cells runnable
      :cells              list the loaded cells
      :run N|TITLE|all    run one loaded cell (by number or title) or all of them
      :vars               list variables and their values
      :help [name]        help on a builtin, method (list.append) or type; all builtins without a name
      :reset              forget every variable
      :quit               leave (also Ctrl-D)
    Ctrl-C stops running code; at the prompt it clears the line.
    """

    final class Session {
        var interpreter: Interpreter
        var loaded: CompiledProgram?
        var loadedName = ""
        let options: RunOptions

        init(options: RunOptions) {
            self.options = options
            interpreter = ScriptRunner.makeInterpreter(options, scriptName: "repl", script: nil)
        }
    }

    func run() -> Int32 {
        let session = Session(options: options)
        let editor = LineEditor()
        LineEditor.completer = { word in
            word.hasPrefix(":") ? Repl.commands.filter { $0.hasPrefix(word) } : session.interpreter.completions(for: word)
        }
        print("serscript \(SERScriptVersion.current) — :help for commands, Ctrl-D to quit")
        Interruption.installTerminationHandlers()
        var pending = ""
        while true {
            fflush(stdout)
            let input = editor.read(prompt: pending.isEmpty ? ">>> " : "... ")
            if Interruption.isTerminating { return finish(session) }
            switch input {
            case .endOfFile:
                print("")
                return finish(session)
            case .interrupted:
                pending = ""
                continue
            case .line(let line):
                if pending.isEmpty, line.trimmingCharacters(in: .whitespaces).hasPrefix(":") {
                    editor.remember(line)
                    if !command(line.trimmingCharacters(in: .whitespaces), session) { return finish(session) }
                    continue
                }
                pending += pending.isEmpty ? line : "\n" + line
                if Repl.isIncomplete(pending) { continue }
                editor.remember(pending)
                let input = pending
                pending = ""
                evaluate { try session.interpreter.evaluate(input) }
            }
        }
    }

    private func finish(_ session: Session) -> Int32 { RunEnding.endSession(session.interpreter) }

    /// True when `text` only lacks a closing bracket, brace or quote.
    static func isIncomplete(_ text: String) -> Bool { InputCompleteness(text) == .incomplete }

    /// Runs `work` on a large stack, showing its result (if any) or its error.
    private func evaluate(_ work: @escaping () throws -> Value?) {
        Interrupt.clear()
        let outcome: Result<Value?, Error> = LargeStack.run { Result { try work() } }
        switch outcome {
        case .success(let value):
            if let value, !Repl.isNil(value) { print(value.display) }
        case .failure(let error):
            ScriptRunner.report(error)
        }
        fflush(stdout)
    }

    private static func isNil(_ value: Value) -> Bool {
        if case .null = value { return true }
        return false
    }

    /// Handles a `:command`; false to quit.
    private func command(_ line: String, _ session: Session) -> Bool {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch parts[0] {
        case ":quit", ":q", ":exit":
            return false
        case ":help":
            if argument.isEmpty {
                print(Repl.commandHelp)
                print((try? Help.text(for: .null, registry: session.interpreter.registry)) ?? "")
            } else {
                evaluate {
                    print(try Help.text(for: .string(argument), registry: session.interpreter.registry))
                    return nil
                }
            }
        case ":vars":
            for name in session.interpreter.globalNames {
                guard let value = session.interpreter.global(name) else { continue }
                print("  \(name): \(value.typeName) = \(value.repr.prefix(70))")
            }
        case ":reset":
            session.interpreter = ScriptRunner.makeInterpreter(session.options, scriptName: "repl", script: nil)
            session.loaded = nil
            print("all variables forgotten")
        case ":load":
            load(argument, session)
        case ":cells":
            guard let program = session.loaded else { print("no script loaded; use :load FILE"); break }
            for cell in program.cells where cell.number > 0 { print("  \(cell.number)  \(cell.title)") }
        case ":run":
            run(argument, session)
        default:
            print("unknown command \(parts[0]); :help lists the commands")
        }
        return true
    }

    private func load(_ path: String, _ session: Session) {
        guard !path.isEmpty else { print("usage: :load FILE"); return }
        evaluate {
            let program = try Program.parse(try ScriptRunner.load(.file(path)))
            let compiled = try session.interpreter.compile(program, echo: true)
            session.loaded = compiled
            session.loadedName = path
            try session.interpreter.run(compiled, cells: [])
            let count = compiled.cells.count - 1
            print("loaded \(path): \(count) cell\(count == 1 ? "" : "s"); :cells lists them, :run N runs one")
            return nil
        }
    }

    private func run(_ selector: String, _ session: Session) {
        guard let program = session.loaded else { print("no script loaded; use :load FILE"); return }
        let cells = program.cells.filter { $0.number > 0 }
        let chosen: Set<Int>
        if selector == "all" {
            chosen = Set(cells.map(\.number))
        } else if let number = Int(selector), cells.contains(where: { $0.number == number }) {
            chosen = [number]
        } else if let cell = cells.first(where: { $0.title.lowercased() == selector.lowercased() }) {
            chosen = [cell.number]
        } else {
            print("no cell '\(selector)' in \(session.loadedName); :cells lists them")
            return
        }
        evaluate { try session.interpreter.run(program, cells: chosen, preamble: false) }
    }
}
