import Foundation

/// The job this program is part of. Started by `mpirun` (Open MPI sets `OMPI_COMM_WORLD_SIZE`),
/// `start()` joins MPI_COMM_WORLD; otherwise everything stays a single process and MPI is never
/// initialised, so serscript behaves exactly as without MPI.
public enum Cluster {
    /// Every process of the job (a `SingleProcess` until `start()` joins an MPI job).
    public private(set) nonisolated(unsafe) static var world: any Communicator = SingleProcess()
    /// The processes `fit` trains data-parallel over: the world, except while `cross_validate`
    /// spreads folds over the ranks and each fold trains on one process (`whileTrainingAlone`).
    public private(set) nonisolated(unsafe) static var training: any Communicator = SingleProcess()

    /// Whether Open MPI's `mpirun` started this process (it sets `OMPI_COMM_WORLD_SIZE` before the program runs).
    public static var isLaunchedByMPI: Bool { environmentInt("OMPI_COMM_WORLD_SIZE") != nil }

    /// How many of the job's processes share this machine (1 when not under mpirun).
    public static var processesOnThisMachine: Int { max(1, environmentInt("OMPI_COMM_WORLD_LOCAL_SIZE") ?? 1) }

    /// Joins the MPI job when launched by mpirun; does nothing otherwise.
    public static func start() throws {
        guard isLaunchedByMPI, world.size == 1, !(world is MPICommunicator) else { return }
        let communicator = try MPICommunicator.initialize()
        world = communicator
        training = communicator
    }

    /// Leaves the MPI job (MPI_Finalize), if `start()` joined one; mpirun counts a rank that ends without it as failed.
    public static func stop() {
        (world as? MPICommunicator)?.finalize()
        world = SingleProcess()
        training = world
    }

    /// Runs `body` with `fit` training on this process alone (folds spread over ranks).
    public static func whileTrainingAlone<T>(_ body: () throws -> T) rethrows -> T {
        let saved = training
        training = SingleProcess()
        defer { training = saved }
        return try body()
    }

    /// Whether an environment variable is one of the MPI launcher's: a process a rank starts
    /// (a sweep's run) must not see them, or it would take itself for a rank of the job.
    public static func isLaunchVariable(_ name: String) -> Bool {
        ["OMPI_", "PMIX_", "OPAL_", "ORTE_", "PRTE_"].contains { name.hasPrefix($0) }
    }

    private static func environmentInt(_ name: String) -> Int? {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) }
    }
}
