import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `serscript` child started with `posix_spawn`: a clean signal mask and default handlers for the
/// signals its parent may have ignored or blocked (a sweep's children must die of SIGINT/SIGTERM/
/// SIGHUP like any program), standard input from /dev/null, standard output and error into `log`,
/// and none of the MPI launcher's variables (under mpirun, a run is a program of its own, not a rank).
/// It stays in the parent's process group, so Ctrl-C at a terminal reaches it too.
struct ChildProcess {
    let pid: pid_t

    /// How a child ended.
    enum Ending: Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    /// Signals a child must not inherit as ignored.
    static let defaultSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD]

    static func spawn(_ executable: String, _ arguments: [String], log: String,
                      environment: [String: String] = [:]) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in defaultSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var merged = ProcessInfo.processInfo.environment.filter { !Cluster.isLaunchVariable($0.key) }
        merged.merge(environment) { $1 }
        let envp = merged.map { strdup("\($0)=\($1)") } + [nil]
        defer { envp.forEach { free($0) } }

        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw UsageError(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid)
    }

    /// Waits for the child to end (retrying when a signal interrupts the wait).
    func wait() -> Ending {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return .exited(127) }
        }
        // WIFEXITED / WTERMSIG are macros Swift does not import.
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    func send(_ signal: Int32) { kill(pid, signal) }

    /// This program's own executable, to start copies of it.
    static var currentExecutable: String { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path }
}
