import ArgumentParser

/// `serscript sweep FILE --grid a=1,2 [--grid b=x,y] [--jobs N]`: every combination in its own process.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every combination of parameter values, each in its own process, and tabulate the results.",
        discussion: """
        Each run gets `--set` for its values and its own folder (run-1, run-2, … under --out); every run \
        shares one seed (--seed, else one drawn for the sweep). results.csv and results.md list each run's \
        params, status, seconds and the metrics it reported with `report(...)`. With --seeds (or a `seed` \
        grid axis) every combination is repeated per seed, and summary.csv (and results.md) give the mean \
        ± std of each metric per combination. Without --threads each run gets cores / jobs BLAS threads. \
        Ctrl-C (or SIGTERM/SIGHUP) stops every run and still writes the tables. The folder is --out, \
        else runs/sweep-<script>-<timestamp>/; --cells is not supported.

        EXAMPLES:
          serscript sweep train.sers --grid lr=0.01,0.001 --grid hidden=64,128 --jobs 2
          serscript sweep train.sers --grid lr=0.01,0.001 --seeds 1,2,3 --jobs 2
        """)

    @Argument(help: ArgumentHelp("The script to sweep.", valueName: "file"), completion: .file(extensions: ["sers"]))
    var file: String

    @Option(help: ArgumentHelp("A param and its values (repeatable, one per param).", valueName: "name=v1,v2"))
    var grid: [String] = []

    @Option(help: ArgumentHelp("Seeds to repeat every combination with.", valueName: "s1,s2"))
    var seeds: String?

    @Option(help: ArgumentHelp("Runs at a time.", valueName: "n"))
    var jobs = 1

    @OptionGroup var runOptions: RunOptionGroup

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs needs a positive integer, got '\(jobs)'") }
        let axes = try SweepGrid.parse(grid: grid, seeds: seeds)
        guard !axes.isEmpty else { throw ValidationError("sweep needs at least one --grid name=v1,v2 (or --seeds)") }
        if runOptions.cells != nil { throw ValidationError("sweep runs whole scripts; --cells is not supported") }
        if runOptions.seed != nil, axes.contains(where: { $0.name == SweepGrid.seedAxis }) {
            throw ValidationError("--seed and a seed axis (--seeds or --grid seed=…) cannot both be given")
        }
    }

    func run() throws {
        let sweep = Sweep(path: file, grid: try SweepGrid.parse(grid: grid, seeds: seeds), jobs: jobs,
                          options: try runOptions.options())
        try finish(sweep.run())
    }
}
