import Engine
import Foundation

/// `serscript demo-corpus DIR [--seed N] [--speakers N] [--naming ravdess|savee|tess|cremad|folders]`:
/// synthesises the demo corpus (espeak-ng) unless DIR already holds a complete one with these options.
struct DemoCorpusCommand {
    let directory: String
    var options = DemoCorpusOptions()

    static let usage = "usage: serscript demo-corpus DIR [--seed N] [--speakers N] [--naming ravdess|savee|tess|cremad|folders]"

    static func parse(_ arguments: [String]) throws -> DemoCorpusCommand {
        guard let directory = arguments.first, !directory.hasPrefix("-") else { throw UsageError(description: usage) }
        var command = DemoCorpusCommand(directory: directory)
        var index = 1
        while index < arguments.count {
            let flag = arguments[index]
            guard index + 1 < arguments.count else { throw UsageError(description: "\(flag) needs a value; \(usage)") }
            let value = arguments[index + 1]
            switch flag {
            case "--seed":
                guard let seed = UInt64(value) else { throw UsageError(description: "--seed needs a non-negative integer, got '\(value)'") }
                command.options.seed = seed
            case "--speakers":
                guard let count = Int(value), count >= 1 else { throw UsageError(description: "--speakers needs a positive integer, got '\(value)'") }
                command.options.speakers = count
            case "--naming":
                guard let naming = DemoCorpusNaming(rawValue: value) else {
                    throw UsageError(description: "--naming must be one of \(DemoCorpusNaming.allCases.map(\.rawValue).joined(separator: ", ")), got '\(value)'")
                }
                command.options.naming = naming
                command.options.emotions = naming.emotions
            default:
                throw UsageError(description: "unknown option '\(flag)'; \(usage)")
            }
            index += 2
        }
        return command
    }

    /// Generates the corpus with a progress line; 0 on success (or when already complete), 1 on failure.
    func run() -> Int32 {
        let url = URL(fileURLWithPath: directory)
        if DemoCorpus.isComplete(url, options: options) {
            print("\(directory): demo corpus already complete")
            return 0
        }
        let terminal = isatty(1) == 1
        let started = Date()
        do {
            try DemoCorpus.generate(into: url, options: options) { progress in
                // On a terminal one line rewritten in place; otherwise a line every 10 %.
                let step = max(1, progress.total / 10)
                guard terminal || progress.completed % step == 0 || progress.completed == progress.total else { return }
                let line = "demo corpus: \(progress.completed)/\(progress.total) clips  \(progress.file)"
                print(terminal ? "\r\u{1B}[K" + line : line, terminator: terminal ? "" : "\n")
                fflush(stdout)
            }
        } catch {
            if terminal { print("") }
            fputs("serscript demo-corpus: \(error)\n", stderr)
            return 1
        }
        if terminal { print("") }
        print(String(format: "%@: demo corpus written in %.1f s (%@ naming, %d speakers, seed %llu)",
                     directory, Date().timeIntervalSince(started), options.naming.rawValue, options.speakers, options.seed))
        return 0
    }
}
