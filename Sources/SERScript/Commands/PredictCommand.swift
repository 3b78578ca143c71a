import ArgumentParser
import Foundation

/// `serscript predict BUNDLE INPUT…`: a model bundle applied to recordings (Predict.swift does the work).
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Apply a model bundle to audio files, folders or manifest CSVs.",
        discussion: """
        Prints each file's emotion and its top-K probabilities; a file that cannot be read is reported \
        and skipped. With --window each file gets an emotion timeline (CSV and SVG) in --out instead.
        Exit status: 0 every file predicted, 1 some failed, 2 a usage error or an unusable bundle.

        EXAMPLES:
          serscript predict runs/pct/models/parallel_cnn_transformer.bundle.safetensors clips/ --top 3
          serscript predict model.bundle.safetensors list.csv --csv answers.csv
          serscript predict model.bundle.safetensors talk.flac --window 3 --hop 1 --out timelines
        """)

    @Argument(help: ArgumentHelp("A model bundle written by save(…, features: …).", valueName: "bundle"), completion: .file())
    var bundle: String

    @Argument(help: ArgumentHelp("Audio files, folders (every audio file below) or manifest CSVs (a path column).", valueName: "input"),
              completion: .file())
    var inputs: [String]

    @Option(help: ArgumentHelp("Probabilities to print per file.", valueName: "k"))
    var top = 3

    @Option(help: ArgumentHelp("Also write one row per file with every class's probability.", valueName: "file"), completion: .file())
    var csv: String?

    @Flag(help: "Print a JSON array instead of the table.")
    var json = false

    @Option(help: ArgumentHelp("Slide the model over each recording in windows of this many seconds.", valueName: "seconds"))
    var window: Double?

    @Option(help: ArgumentHelp("Seconds between windows (default: the window).", valueName: "seconds"))
    var hop: Double?

    @Option(help: ArgumentHelp("Folder for the timelines (default: the current folder).", valueName: "dir"), completion: .directory)
    var out: String?

    @Option(help: ArgumentHelp("Files featurised at once (default: the cores).", valueName: "n"))
    var threads: Int?

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("needs a bundle and at least one input") }
        if top < 1 { throw ValidationError("--top needs a positive integer, got '\(top)'") }
        if let threads, threads < 1 { throw ValidationError("--threads needs a positive integer, got '\(threads)'") }
        for (flag, seconds) in [("--window", window), ("--hop", hop)] {
            if let seconds, !(seconds > 0 && seconds.isFinite) {
                throw ValidationError("\(flag) needs a positive number of seconds, got '\(seconds)'")
            }
        }
        if window == nil, let flag = hop != nil ? "--hop" : out != nil ? "--out" : nil {
            throw ValidationError("\(flag) needs --window")
        }
        if window != nil, csv != nil {
            throw ValidationError("--csv is for one answer per file; with --window each file's timeline CSV goes into --out")
        }
    }

    func run() throws {
        var settings = Prediction.Settings()
        (settings.bundle, settings.inputs, settings.top, settings.csv, settings.json) = (bundle, inputs, top, csv, json)
        (settings.window, settings.hop, settings.out) = (window, hop, out)
        if let threads { settings.threads = threads }
        try finish(Prediction.run(settings))
    }
}
