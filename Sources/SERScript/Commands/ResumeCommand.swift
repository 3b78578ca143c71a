import ArgumentParser

/// `serscript resume RUN_DIR` (Resume.swift does the work).
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue a killed, terminated or interrupted run in its folder from its checkpoints.",
        discussion: """
        The script kept in RUN_DIR runs again as recorded (params, cells, seed, threads) into the same \
        folder; every fit continues from the checkpoint the first run wrote after its last whole epoch, \
        so the results equal those of a run that was never stopped. A completed run is left as it is.
        Exit status: that of the resumed run.

        EXAMPLES:
          serscript resume runs/parallel_cnn_transformer-20261201-101500
        """)

    @Argument(help: ArgumentHelp("A run folder (holds run.json, script.sers and checkpoints/).", valueName: "run-dir"),
              completion: .directory)
    var folder: String

    func run() throws {
        try finish(Resume.run(folder))
    }
}
