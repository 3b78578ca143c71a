import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `serscript` started as a real child process — no signal blocked or ignored, output in files —
/// so a test can send it SIGTERM, SIGHUP, SIGINT or SIGKILL at a chosen moment and see how it ended.
final class SignalledProcess {
    enum Ending: Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    let pid: pid_t
    private let stdoutPath: String
    private let stderrPath: String
    private(set) var ending: Ending?

    /// Starts `serscript arguments` (or `executable arguments`) in `directory`; output goes to
    /// `<directory>/<label>.out` and `.err`.
    init(_ arguments: [String], in directory: URL, label: String = "serscript", executable: String = serscriptBinary.path) throws {
        stdoutPath = directory.appendingPathComponent("\(label).out").path
        stderrPath = directory.appendingPathComponent("\(label).err").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Whatever the test runner blocks or ignores, the child starts as from a shell.
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(directory.path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, environ)
        guard status == 0 else { throw NSError(domain: "posix_spawn", code: Int(status)) }
        pid = child
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    func send(_ signal: Int32) { if ending == nil { kill(pid, signal) } }

    /// Polls until `condition` holds (true) or `timeout` passes or the child ends (false).
    func waitUntil(timeout: TimeInterval = 60, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            if hasEnded() { return condition() }
            usleep(5_000)
        }
        return false
    }

    /// Whether the child has ended (reaping it).
    func hasEnded() -> Bool {
        guard ending == nil else { return true }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return false }
        ending = (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
        return true
    }

    /// Waits up to `timeout` for the child to end (then kills it); how it ended.
    @discardableResult
    func finish(timeout: TimeInterval = 60) -> Ending? {
        if !waitUntil(timeout: timeout, { hasEnded() }) {
            kill(pid, SIGKILL)
            _ = waitUntil(timeout: 10) { hasEnded() }
            return nil
        }
        return ending
    }

    deinit {
        if !hasEnded() {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }
}
