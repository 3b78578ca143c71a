import Foundation
import Runtime

/// What the command line asked for.
enum Command {
    case version
    case help
    case listBuiltins(markdown: Bool)
    /// Run a script file (`-` or no file with piped input: standard input) or an `-e` snippet.
    case run(source: ScriptSource, RunOptions)
    case check(path: String)
    case sweep(path: String, grid: [(name: String, values: [String])], jobs: Int, RunOptions)
    case repl(RunOptions)
    case demoCorpus(DemoCorpusCommand)
    case rerun(Rerun)
    case predict(arguments: [String])
    case resume(folder: String)
}

enum ScriptSource {
    case file(String)
    case code(String)
    case standardInput
    /// A script kept in a run folder, under the name it was first run as.
    case recorded(name: String, text: String)
}

/// Options shared by running, sweeping and the REPL.
struct RunOptions {
    var overrides: [(name: String, value: String)] = []
    var cells: Set<Int>?
    var seed: UInt64?
    var threads: Int?
    var out: String?
}

/// A command line that cannot be understood; exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
}

enum Options {
    static let usage = """
    serscript \(versionString) — speech emotion recognition, scripted

    USAGE:
      serscript FILE.sers [options]        run a script
      serscript -e 'CODE' [options]        run a snippet
      serscript check FILE.sers            parse and resolve names without running
      serscript sweep FILE.sers --grid name=v1,v2 [--grid ...] [--jobs N] [options]
                                           run every combination in its own process and
                                           tabulate each run's reported metrics
      serscript rerun RUN_DIR [--out DIR]  run a run folder's script again as recorded in its run.json
                                           (params, cells, seed, threads) and compare the results
      serscript resume RUN_DIR             continue a killed, terminated or interrupted run in its folder
                                           from its checkpoints (same results as an unbroken run)
      serscript demo-corpus DIR [--seed N] [--speakers N] [--naming ravdess|savee|tess|cremad|folders]
                                           synthesise the demo corpus (espeak-ng) unless complete
      serscript predict BUNDLE INPUT… [--top K] [--csv FILE] [--json] [--window S [--hop S] [--out DIR]]
                                           apply a model bundle (save(…, features: …)) to audio files,
                                           folders or manifest CSVs; --window writes emotion timelines
      serscript                            interactive REPL (reads a script from piped stdin)
      serscript --list-builtins [--markdown]
      serscript --version | --help

    OPTIONS:
      --set name=value    override a `param` of the script (repeatable)
      --cells 2,4-6       run only these cells (`# %% Title` sections; code before the first runs always)
      --seed N            seed every random generator (default: a drawn seed, kept in run.json)
      --threads N         threads for BLAS
      --out DIR           run-output folder (default runs/<script>-<timestamp>/)
    """

    static var versionString: String { SERScriptVersion.current }

    static func parse(_ arguments: [String], stdinIsTerminal: Bool) throws -> Command {
        guard let first = arguments.first else { return stdinIsTerminal ? .repl(RunOptions()) : .run(source: .standardInput, RunOptions()) }
        switch first {
        case "--version", "-V": return .version
        case "--help", "-h": return .help
        case "--list-builtins":
            let rest = arguments.dropFirst()
            guard rest.allSatisfy({ $0 == "--markdown" }) else { throw UsageError(description: "--list-builtins takes only --markdown") }
            return .listBuiltins(markdown: !rest.isEmpty)
        case "check":
            guard arguments.count == 2 else { throw UsageError(description: "usage: serscript check FILE.sers") }
            return .check(path: arguments[1])
        case "sweep":
            return try sweep(Array(arguments.dropFirst()))
        case "rerun":
            return .rerun(try Rerun.parse(Array(arguments.dropFirst())))
        case "resume":
            guard arguments.count == 2, !arguments[1].hasPrefix("-") else { throw UsageError(description: Resume.usage) }
            return .resume(folder: arguments[1])
        case "demo-corpus":
            return .demoCorpus(try DemoCorpusCommand.parse(Array(arguments.dropFirst())))
        case "predict":
            return .predict(arguments: Array(arguments.dropFirst()))
        case "-e":
            guard arguments.count >= 2 else { throw UsageError(description: "-e needs the code to run") }
            return .run(source: .code(arguments[1]), try runOptions(Array(arguments.dropFirst(2))))
        default:
            if first.hasPrefix("-") && first != "-" {
                if let options = try? runOptions(arguments) { return stdinIsTerminal ? .repl(options) : .run(source: .standardInput, options) }
                throw UsageError(description: "unknown argument '\(first)'")
            }
            return .run(source: first == "-" ? .standardInput : .file(first), try runOptions(Array(arguments.dropFirst())))
        }
    }

    private static func sweep(_ arguments: [String]) throws -> Command {
        guard let path = arguments.first, !path.hasPrefix("-") else { throw UsageError(description: "usage: serscript sweep FILE.sers --grid name=v1,v2 ...") }
        var grid: [(String, [String])] = []
        var jobs = 1
        var rest: [String] = []
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--grid" || argument == "--jobs" {
                guard index + 1 < arguments.count else { throw UsageError(description: "\(argument) needs a value") }
                let value = arguments[index + 1]
                if argument == "--jobs" {
                    guard let count = Int(value), count >= 1 else { throw UsageError(description: "--jobs needs a positive integer, got '\(value)'") }
                    jobs = count
                } else {
                    let (name, values) = try assignment(value, flag: "--grid")
                    let list = values.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    guard !list.contains(where: \.isEmpty) else { throw UsageError(description: "--grid \(value): empty value in the list") }
                    grid.append((name, list))
                }
                index += 2
            } else {
                rest.append(argument)
                index += 1
            }
        }
        guard !grid.isEmpty else { throw UsageError(description: "sweep needs at least one --grid name=v1,v2") }
        let options = try runOptions(rest)
        if options.cells != nil { throw UsageError(description: "sweep runs whole scripts; --cells is not supported") }
        return .sweep(path: path, grid: grid, jobs: jobs, options)
    }

    static func runOptions(_ arguments: [String]) throws -> RunOptions {
        var options = RunOptions()
        var index = 0
        while index < arguments.count {
            let flag = arguments[index]
            guard index + 1 < arguments.count else { throw UsageError(description: "unknown argument '\(flag)' (or a missing value)") }
            let value = arguments[index + 1]
            switch flag {
            case "--set":
                options.overrides.append(try assignment(value, flag: "--set"))
            case "--cells": options.cells = try cells(value)
            case "--seed":
                guard let seed = UInt64(value) else { throw UsageError(description: "--seed needs a non-negative integer, got '\(value)'") }
                options.seed = seed
            case "--threads":
                guard let count = Int(value), count >= 1 else { throw UsageError(description: "--threads needs a positive integer, got '\(value)'") }
                options.threads = count
            case "--out": options.out = value
            default: throw UsageError(description: "unknown argument '\(flag)'")
            }
            index += 2
        }
        return options
    }

    private static func assignment(_ text: String, flag: String) throws -> (String, String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw UsageError(description: "\(flag) needs name=value, got '\(text)'")
        }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    /// `2,4-6` → {2, 4, 5, 6}
    static func cells(_ text: String) throws -> Set<Int> {
        var result = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]),
                  low >= 1, low <= high, high - low < 10_000 else {
                throw UsageError(description: "--cells expects numbers and ranges like 2,4-6 (cells count from 1), got '\(text)'")
            }
            result.formUnion(low...high)
        }
        return result
    }
}
