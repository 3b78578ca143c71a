import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps a sweep's children and stops them all when the sweep is told to stop. SIGINT, SIGTERM and
/// SIGHUP to the sweep send SIGTERM to every running child (SIGKILL after `grace` seconds, or at
/// once on a second signal), and no further run starts; each stopped run then reads "interrupted".
final class SweepSupervisor: @unchecked Sendable {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    /// Seconds a child has to end after SIGTERM before SIGKILL.
    let grace: Double

    private let lock = NSLock()
    private var running: [pid_t: ChildProcess] = [:]
    private var stopSignal: Int32?

    init(grace: Double = 10) { self.grace = grace }

    /// The first signal that stopped the sweep, if any.
    var stoppedBy: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return stopSignal
    }

    /// Runs `body` with the stop signals caught (unblocked, whatever mask the sweep was started
    /// with); the handlers the process had are restored after. The handler only writes the signal's
    /// number into a pipe; a thread reading it does the stopping.
    func whileHandlingSignals(_ body: () -> Void) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return body() }
        SignalPipe.writeEnd = fds[1]
        let readEnd = fds[0]
        let watcher = Thread { [self] in
            var number: UInt8 = 0
            while read(readEnd, &number, 1) == 1 { stop(Int32(number)) }
        }
        watcher.start()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { number in
            var byte = UInt8(truncatingIfNeeded: number)
            _ = write(SignalPipe.writeEnd, &byte, 1)
        }
        action.sa_flags = SA_RESTART
        var previous = Self.signals.map { _ in sigaction() }
        var set = sigset_t()
        sigemptyset(&set)
        for (index, number) in Self.signals.enumerated() {
            sigaction(number, &action, &previous[index])
            sigaddset(&set, number)
        }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        body()
        for (index, number) in Self.signals.enumerated() { sigaction(number, &previous[index], nil) }
        close(fds[1])
        SignalPipe.writeEnd = -1
        while !watcher.isFinished { usleep(1000) }
        close(fds[0])
    }

    /// Starts a child unless the sweep is stopping, and waits for it.
    func run(_ executable: String, _ arguments: [String], log: String) -> SweepOutcome.Status {
        lock.lock()
        guard stopSignal == nil else {
            lock.unlock()
            return .notStarted
        }
        let child: ChildProcess
        do { child = try ChildProcess.spawn(executable, arguments, log: log) } catch {
            lock.unlock()
            try? "serscript sweep: \(error)\n".write(toFile: log, atomically: true, encoding: .utf8)
            return .failed(127)
        }
        running[child.pid] = child
        lock.unlock()

        let ending = child.wait()
        lock.lock()
        running[child.pid] = nil
        let stopping = stopSignal != nil
        lock.unlock()
        return SweepOutcome.Status(ending, stopping: stopping)
    }

    private func stop(_ number: Int32) {
        lock.lock()
        let first = stopSignal == nil
        if first { stopSignal = number }
        let children = Array(running.values)
        lock.unlock()
        let name = number == SIGINT ? "SIGINT" : number == SIGTERM ? "SIGTERM" : "SIGHUP"
        FileHandle.standardError.write(Data(
            (first ? "\nsweep: \(name): stopping \(children.count) running run\(children.count == 1 ? "" : "s"); no new run starts\n"
                   : "\nsweep: \(name) again: killing the runs\n").utf8))
        children.forEach { $0.send(first ? SIGTERM : SIGKILL) }
        guard first, !children.isEmpty else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [self] in
            lock.lock()
            let left = children.filter { running[$0.pid] != nil }
            lock.unlock()
            left.forEach { $0.send(SIGKILL) }
        }
    }
}

/// Where the C signal handler, which can capture nothing, writes.
private enum SignalPipe {
    nonisolated(unsafe) static var writeEnd: Int32 = -1
}
