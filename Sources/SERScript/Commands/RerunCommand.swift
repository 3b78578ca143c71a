import ArgumentParser

/// `serscript rerun RUN_DIR [--out DIR]`.
struct RerunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun",
        abstract: "Run a run folder's script again as recorded in its run.json and compare the results.",
        discussion: """
        The script kept in RUN_DIR runs from the folder it was first run in, with the recorded params, \
        cells, seed and threads; its metrics and training history are then compared with the recorded ones.
        Exit status: 0 all results identical, 3 the re-run differs, 1 it failed.

        EXAMPLES:
          serscript rerun runs/parallel_cnn_transformer-20261201-101500
          serscript rerun runs/train-20261201-101500 --out runs/train-again
        """)

    @Argument(help: ArgumentHelp("A run folder (holds run.json and script.sers).", valueName: "run-dir"),
              completion: .directory)
    var folder: String

    @Option(help: ArgumentHelp("Folder for the new run (new or empty; default runs/<script>-<timestamp>/).", valueName: "dir"),
            completion: .directory)
    var out: String?

    func run() throws {
        try finish(Rerun(folder: folder, out: out).run())
    }
}
