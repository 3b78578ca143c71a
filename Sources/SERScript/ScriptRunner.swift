import Engine
import Foundation
import Runtime

/// `serscript FILE`, `serscript -e CODE`, piped scripts and `serscript check`.
enum ScriptRunner {
    /// Runs a script to the end; the exit status of its `RunEnding` (0 on success).
    static func run(_ source: ScriptSource, _ options: RunOptions) -> Int32 { execute(source, options).status }

    /// Runs a script and hands back its output (for `rerun`, which compares it with the recorded run);
    /// `prepare` adjusts the interpreter first (`resume` hands it the recorded run).
    static func execute(_ source: ScriptSource, _ options: RunOptions,
                        prepare: (Interpreter) -> Void = { _ in }) -> (status: Int32, output: RunOutput?) {
        // Under mpirun: rank 0's seed, and a scratch run folder on the other ranks.
        guard let role = try? RankRole.adjust(options) else {
            fputs("serscript: the MPI ranks could not agree on the run's seed\n", stderr)
            return (1, nil)
        }
        let options = role.options
        defer { RankRole.cleanUp(role.scratch) }
        let file: SourceFile
        do { file = try load(source) } catch {
            fputs("serscript: \(error)\n", stderr)
            return (1, nil)
        }
        let interpreter = makeInterpreter(options, scriptName: scriptName(file.name), script: file)
        prepare(interpreter)
        // Ctrl-C, SIGTERM and SIGHUP stop the script at its next check, so the run is recorded.
        Interruption.installSIGINTHandler()
        Interruption.installTerminationHandlers()
        let status: Int32 = LargeStack.run {
            var failure: Error?
            do {
                let program = try Program.parse(file)
                try checkOverrides(options, against: program)
                try checkCells(options, against: program)
                let compiled = try interpreter.compile(program)
                try interpreter.run(compiled, cells: options.cells)
            } catch {
                report(error)
                failure = error
            }
            // A stopped or failed run still gets its report (what it wrote up to the error).
            let ending = RunEnding(error: failure, output: interpreter.output)
            ending.record(interpreter.output, parameters: interpreter.parameterValues)
            return ending.status
        }
        return (status, interpreter.output)
    }

    /// Parses and resolves without running: every unknown name and bad builtin call is listed.
    static func check(_ path: String) -> Int32 {
        // On the large stack, like a run: long operator chains make deep trees to resolve.
        LargeStack.run { checkOnThisThread(path) }
    }

    private static func checkOnThisThread(_ path: String) -> Int32 {
        do {
            let file = try load(.file(path))
            let program = try Program.parse(file)
            _ = try Interpreter().compile(program)
            let cells = program.cells.count - 1
            print("\(path): ok (\(cells) cell\(cells == 1 ? "" : "s"), \(program.parameters.count) param\(program.parameters.count == 1 ? "" : "s"))")
            return 0
        } catch {
            report(error)
            return 1
        }
    }

    /// An interpreter set up as the options say. Without `--seed` a seed is drawn, so that every
    /// run — seeded or not — is recorded with the seed that repeats it (`run.json`).
    static func makeInterpreter(_ options: RunOptions, scriptName: String, script: SourceFile?) -> Interpreter {
        let interpreter = Interpreter(output: RunOutput(scriptName: scriptName, directory: options.out))
        interpreter.parameterOverrides = Dictionary(options.overrides.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        let seed = options.seed ?? drawSeed()
        interpreter.reseed(seed)
        if let threads = options.threads {
            BLAS.threadCount = threads
            AudioBatch.threads = threads   // featurising follows --threads too
        }
        interpreter.output.record = RunRecord(
            tool: tool, command: CommandLine.arguments, script: script?.name,
            overrides: options.overrides, cells: options.cells?.sorted(), seed: seed, seedGiven: options.seed != nil,
            threads: BLAS.threadCount)
        interpreter.output.scriptText = script?.text
        return interpreter
    }

    /// The program and version as run records name it.
    static let tool = "serscript \(SERScriptVersion.current)"

    /// A seed for a run (or a sweep) given none: small enough to read and retype as `--seed N`.
    static func drawSeed() -> UInt64 { UInt64.random(in: 0..<(1 << 32)) }

    /// The largest script accepted. Scripts are code, a few kilobytes; the parser takes about a
    /// second per megabyte, so a generated monster is refused at once instead of parsing for a minute.
    static let maximumScriptBytes = 4 << 20

    static func load(_ source: ScriptSource) throws -> SourceFile {
        let file: SourceFile
        switch source {
        case .code(let code): file = SourceFile(name: "<-e>", text: code)
        case .recorded(let name, let text): file = SourceFile(name: name, text: text)
        case .standardInput:
            let data = FileHandle.standardInput.readDataToEndOfFile()
            file = SourceFile(name: "<stdin>", text: String(decoding: data, as: UTF8.self))
        case .file(let path):
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if size > maximumScriptBytes { throw oversized(path, bytes: size) }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw UsageError(description: "\(path): no such file or unreadable")
            }
            guard let text = String(data: data, encoding: .utf8) else { throw UsageError(description: "\(path): not UTF-8 text") }
            file = SourceFile(name: path, text: text)
        }
        if file.text.utf8.count > maximumScriptBytes { throw oversized(file.name, bytes: file.text.utf8.count) }
        return file
    }

    private static func oversized(_ name: String, bytes: Int) -> UsageError {
        UsageError(description: "\(name): the script is \(bytes / (1 << 20)) MB; scripts are limited to \(maximumScriptBytes >> 20) MB "
                   + "(keep data in files and read them with read_text, load or corpus)")
    }

    static func scriptName(_ path: String) -> String {
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return base.hasPrefix("<") ? "snippet" : base
    }

    /// Every `--set` must name a `param` of the script.
    static func checkOverrides(_ options: RunOptions, against program: Program) throws {
        let declared = program.parameters.map(\.name)
        for override in options.overrides where !declared.contains(override.name) {
            let known = declared.isEmpty ? "it declares no params" : "its params: " + declared.joined(separator: ", ")
            let hint = Suggestions.closest(override.name, among: declared).map { "; did you mean '\($0)'?" } ?? ""
            throw UsageError(description: "--set \(override.name): \(program.file.name) has no 'param \(override.name)'\(hint) (\(known))")
        }
    }

    static func checkCells(_ options: RunOptions, against program: Program) throws {
        let last = program.cells.count - 1
        if let cells = options.cells, let beyond = cells.first(where: { $0 > last }) {
            throw UsageError(description: "--cells \(beyond): \(program.file.name) has \(last) cell\(last == 1 ? "" : "s")")
        }
    }

    /// Writes an error to stderr after flushing what the script printed, so the two stay in order.
    static func report(_ error: Error) {
        fflush(stdout)
        let text = error is UsageError ? "serscript: \(error)" : "\(error)"
        fputs(text + "\n", stderr)
    }
}

