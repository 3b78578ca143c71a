import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process on a pseudo-terminal (its controlling terminal), so that it sees a TTY,
/// readline works, and a typed Ctrl-C becomes SIGINT — the way a person uses the REPL or runs a script.
final class PseudoTerminal {
    struct Timeout: Error, CustomStringConvertible {
        let description: String
    }

    private let master: Int32
    private let pid: pid_t
    /// Everything the child wrote so far.
    private(set) var transcript = ""
    /// Where the next `expect` starts looking.
    private var mark: String.Index

    init(executable: String, arguments: [String], environment: [String: String]) throws {
        // Everything the child needs is built before fork: only exec runs in the child.
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        var size = winsize(ws_row: 40, ws_col: 200, ws_xpixel: 0, ws_ypixel: 0)
        var descriptor: Int32 = -1
        let child = forkpty(&descriptor, nil, nil, &size)
        if child == 0 {
            // Ctrl-C must reach the program as at a shell prompt, even if the test runner ignores or blocks it.
            signal(SIGINT, SIG_DFL)
            sigprocmask(SIG_SETMASK, &unblocked, nil)
            execve(executable, argv, envp)
            _exit(127)
        }
        guard child > 0 else { throw Timeout(description: "forkpty failed: errno \(errno)") }
        master = descriptor
        pid = child
        mark = transcript.startIndex
    }

    /// The child's process id (to send it signals other than a typed Ctrl-C).
    var processIdentifier: pid_t { pid }

    func send(_ text: String) {
        guard ending == nil else { return }   // the terminal is closed
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Waits until `text` appears after the previous match; returns the output up to and including it.
    @discardableResult
    func expect(_ text: String, timeout: TimeInterval = 20) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let range = transcript[mark...].range(of: text) {
                let seen = String(transcript[mark..<range.upperBound])
                mark = range.upperBound
                return seen
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                throw Timeout(description: "timed out waiting for \(text.debugDescription); output so far:\n\(transcript[mark...])")
            }
            guard readOutput(waitingUpTo: Int32(min(remaining, 1) * 1000)) >= 0 else {
                throw Timeout(description: "the program exited while waiting for \(text.debugDescription); output:\n\(transcript[mark...])")
            }
        }
    }

    /// How the child ended.
    enum Ending: Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    /// How the child ended, once `waitForExit` has seen it; nil while it runs.
    private(set) var ending: Ending?

    /// Waits up to `timeout` for the child to end, reading its output meanwhile (so it never blocks on
    /// a full terminal buffer); returns whether it ended. Everything it wrote is in `transcript` after.
    func waitForExit(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while ending == nil {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                ending = (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
                while readOutput(waitingUpTo: 0) > 0 {}
                close(master)
                break
            }
            guard Date() < deadline else { return false }
            _ = readOutput(waitingUpTo: 50)
        }
        return true
    }

    /// Waits for the child to exit (killing it after `timeout`) and returns its exit status, or -1
    /// when it was killed by a signal.
    func finish(timeout: TimeInterval = 10) -> Int32 {
        guard waitForExit(timeout: timeout) else {
            stop()
            return -1
        }
        if case .exited(let status) = ending { return status }
        return -1
    }

    /// Kills the child if it still runs, so a failed test never leaves it behind.
    func stop() {
        guard ending == nil else { return }
        kill(pid, SIGKILL)
        _ = waitForExit(timeout: 10)
    }

    deinit { stop() }

    /// Appends what the child wrote within `milliseconds` to `transcript`; the byte count, 0 when
    /// nothing came, -1 once the terminal is closed.
    private func readOutput(waitingUpTo milliseconds: Int32) -> Int {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, milliseconds) > 0 else { return 0 }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        guard count > 0 else { return -1 }
        let offset = transcript.distance(from: transcript.startIndex, to: mark)
        transcript += String(decoding: buffer[0..<count], as: UTF8.self)
        mark = transcript.index(transcript.startIndex, offsetBy: offset)
        return count
    }
}
