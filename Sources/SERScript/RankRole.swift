import Engine
import Foundation

/// What a script run does as one rank of an mpirun job. Every rank runs the whole script — `fit`
/// trains its shard of each batch, `cross_validate` its share of the folds — but only rank 0
/// prints and keeps the run folder: the other ranks write into a scratch folder that is removed
/// at the end, with standard output discarded (errors still reach standard error). The ranks
/// share rank 0's seed, and each gets the cores of its machine divided among the ranks on it as
/// BLAS threads unless `--threads` says otherwise. Outside mpirun nothing changes.
enum RankRole {
    /// The options this rank runs with, and the scratch folder to remove afterwards (ranks > 0).
    static func adjust(_ options: RunOptions) throws -> (options: RunOptions, scratch: String?) {
        let world = Cluster.world
        guard world.size > 1 else { return (options, nil) }
        var adjusted = options
        adjusted.seed = try world.broadcast(options.seed ?? ScriptRunner.drawSeed())
        if options.threads == nil {
            adjusted.threads = max(1, ProcessInfo.processInfo.activeProcessorCount / Cluster.processesOnThisMachine)
        }
        guard world.rank > 0 else { return (adjusted, nil) }
        let scratch = NSTemporaryDirectory() + "serscript-rank\(world.rank)-\(getpid())"
        adjusted.out = scratch
        fflush(stdout)
        _ = freopen("/dev/null", "w", stdout)
        return (adjusted, scratch)
    }

    /// Removes a rank's scratch folder.
    static func cleanUp(_ scratch: String?) {
        if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
    }
}
