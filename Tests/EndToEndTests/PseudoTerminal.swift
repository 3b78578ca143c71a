import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process on a pseudo-terminal (its controlling terminal), so that it sees a TTY,
/// readline works, and a typed Ctrl-C becomes SIGINT — the way a person uses the REPL.
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
        var size = winsize(ws_row: 40, ws_col: 200, ws_xpixel: 0, ws_ypixel: 0)
        var descriptor: Int32 = -1
        let child = forkpty(&descriptor, nil, nil, &size)
        if child == 0 {
            execve(executable, argv, envp)
            _exit(127)
        }
        guard child > 0 else { throw Timeout(description: "forkpty failed: errno \(errno)") }
        master = descriptor
        pid = child
        mark = transcript.startIndex
    }

    func send(_ text: String) {
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
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, Int32(min(remaining, 1) * 1000)) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            guard count > 0 else {
                throw Timeout(description: "the program exited while waiting for \(text.debugDescription); output:\n\(transcript[mark...])")
            }
            let offset = transcript.distance(from: transcript.startIndex, to: mark)
            transcript += String(decoding: buffer[0..<count], as: UTF8.self)
            mark = transcript.index(transcript.startIndex, offsetBy: offset)
        }
    }

    /// Waits for the child to exit (killing it after `timeout`) and returns its exit status.
    func finish(timeout: TimeInterval = 10) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            // Keep draining so the child never blocks on a full terminal buffer.
            var buffer = [UInt8](repeating: 0, count: 4096)
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 50) > 0 {
                let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                if count > 0 { transcript += String(decoding: buffer[0..<count], as: UTF8.self) }
            }
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                close(master)
                return -1
            }
        }
        close(master)
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }
}
