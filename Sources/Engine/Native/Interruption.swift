import Foundation
import Synchronization
import EngineFormats

/// The process-wide "stop what you are doing" request behind Ctrl-C, SIGTERM and SIGHUP.
///
/// A signal handler (`installSignalHandlers()`), the language runtime or the REPL sets it; long
/// loops such as `fit` check it between batches and stop cleanly. Ctrl-C is a request that `fit`
/// clears, so a script carries on with the model as it is; SIGTERM and SIGHUP are *terminations*
/// that stay pending until the process ends, so everything running stops (after writing what it has).
/// Backed by atomics, so setting them is safe from a signal handler.
public enum Interruption {
    private static let flag = Atomic<Bool>(false)
    /// The pending termination signal (SIGTERM, SIGHUP), 0 for none. Never cleared.
    private static let termination = Atomic<Int32>(0)

    /// Whether a stop has been requested and not yet handled, or a termination is pending.
    public static var isRequested: Bool { flag.load(ordering: .relaxed) || isTerminating }

    /// Whether SIGTERM or SIGHUP asked the process to end.
    public static var isTerminating: Bool { termination.load(ordering: .relaxed) != 0 }

    /// The termination signal received (SIGTERM or SIGHUP), if any.
    public static var terminationSignal: Int32? {
        let signal = termination.load(ordering: .relaxed)
        return signal == 0 ? nil : signal
    }

    /// Asks running work to stop at its next check. Async-signal-safe.
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// Asks the process to end because of `signal` (SIGTERM, SIGHUP): every check from now on stops. Async-signal-safe.
    public static func terminate(signal: Int32) {
        termination.store(signal, ordering: .relaxed)
        flag.store(true, ordering: .relaxed)
    }

    /// Forgets a pending Ctrl-C request (a termination stays).
    public static func clear() { flag.store(false, ordering: .relaxed) }

    /// Returns whether a stop was requested and clears a Ctrl-C request (the check a loop makes);
    /// true for as long as a termination is pending.
    public static func consume() -> Bool { flag.exchange(false, ordering: .relaxed) || isTerminating }

    /// Thrown by work that stopped part-way because a stop was requested (it leaves the request
    /// pending, so the caller sees it too).
    public struct Stopped: Error, CustomStringConvertible {
        public init() {}
        public var description: String { isTerminating ? "terminated" : "interrupted" }
    }

    /// Makes Ctrl-C request a stop instead of killing the process. A second Ctrl-C while the first
    /// is still pending restores the default action and kills the process, so a program that never
    /// checks the flag can still be stopped.
    public static func installSIGINTHandler() {
        _ = isRequested   // initialise the atomics now, never inside the handler
        signal(SIGINT) { _ in
            if Interruption.flag.exchange(true, ordering: .relaxed) {
                signal(SIGINT, SIG_DFL)
                raise(SIGINT)
            }
        }
    }

    /// Makes SIGTERM and SIGHUP end the process cleanly: running work stops at its next check and the
    /// caller records the run before exiting. A second such signal while the first is pending kills
    /// the process at once (the default action).
    public static func installTerminationHandlers() {
        _ = isRequested
        for signalNumber in [SIGTERM, SIGHUP] {
            signal(signalNumber) { received in
                if Interruption.termination.exchange(received, ordering: .relaxed) != 0 {
                    signal(received, SIG_DFL)
                    raise(received)
                }
                Interruption.flag.store(true, ordering: .relaxed)
            }
        }
    }
}
