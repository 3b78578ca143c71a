import Foundation
import Synchronization

/// The process-wide "stop what you are doing" request behind Ctrl-C.
///
/// A SIGINT handler (`installSIGINTHandler()`), the language runtime or the REPL sets it; long
/// loops such as `fit` check it between batches, stop cleanly and clear it, so the script carries
/// on with the model as it is. Backed by an atomic, so setting it is safe from a signal handler.
public enum Interruption {
    private static let flag = Atomic<Bool>(false)

    /// Whether a stop has been requested and not yet handled.
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Asks running work to stop at its next check. Async-signal-safe.
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// Forgets a pending request.
    public static func clear() { flag.store(false, ordering: .relaxed) }

    /// Returns whether a stop was requested and clears the request (the check a loop makes).
    public static func consume() -> Bool { flag.exchange(false, ordering: .relaxed) }

    /// Makes Ctrl-C request a stop instead of killing the process. A second Ctrl-C while the first
    /// is still pending restores the default action and kills the process, so a program that never
    /// checks the flag can still be stopped.
    public static func installSIGINTHandler() {
        _ = isRequested   // initialise the atomic now, never inside the handler
        signal(SIGINT) { _ in
            if Interruption.flag.exchange(true, ordering: .relaxed) {
                signal(SIGINT, SIG_DFL)
                raise(SIGINT)
            }
        }
    }
}
