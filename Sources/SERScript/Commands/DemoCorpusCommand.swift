import ArgumentParser
import Engine
import Foundation

extension DemoCorpusNaming: ExpressibleByArgument {}

/// `serscript demo-corpus DIR`: synthesises the demo corpus (espeak-ng) unless DIR already holds a
/// complete one with these options.
struct DemoCorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-corpus",
        abstract: "Synthesise the demo corpus (espeak-ng) into DIR unless it is already complete.",
        discussion: """
        EXAMPLES:
          serscript demo-corpus data/demo
          serscript demo-corpus data/demo-tess --naming tess --speakers 2 --seed 3
        """)

    @Argument(help: ArgumentHelp("Folder to write the corpus into.", valueName: "dir"), completion: .directory)
    var directory: String

    @Option(help: ArgumentHelp("Seed of the synthesis.", valueName: "n"))
    var seed: UInt64?

    @Option(help: ArgumentHelp("Number of speakers.", valueName: "n"))
    var speakers: Int?

    @Option(help: "File and folder naming of a public corpus.")
    var naming: DemoCorpusNaming?

    func validate() throws {
        if let speakers, speakers < 1 { throw ValidationError("--speakers needs a positive integer, got '\(speakers)'") }
    }

    private var options: DemoCorpusOptions {
        var options = DemoCorpusOptions()
        if let seed { options.seed = seed }
        if let speakers { options.speakers = speakers }
        if let naming {
            options.naming = naming
            options.emotions = naming.emotions
        }
        return options
    }

    /// Generates the corpus with a progress line; 0 on success (or when already complete), 1 on failure.
    func run() throws {
        let options = self.options
        let url = URL(fileURLWithPath: directory)
        if DemoCorpus.isComplete(url, options: options) {
            print("\(directory): demo corpus already complete")
            return
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
            fflush(stdout)
            fputs("serscript demo-corpus: \(error)\n", stderr)
            throw ExitCode(ExitStatus.scriptError)
        }
        if terminal { print("") }
        print(String(format: "%@: demo corpus written in %.1f s (%@ naming, %d speakers, seed %llu)",
                     directory, Date().timeIntervalSince(started), options.naming.rawValue, options.speakers, options.seed))
    }
}
