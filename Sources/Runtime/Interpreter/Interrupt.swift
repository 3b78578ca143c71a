import Engine
import Foundation

/// The process-wide Ctrl-C flag, shared with the Engine: it *is* `Engine.Interruption`'s flag, so
/// the REPL's SIGINT handler and `fit`'s one set the same bit. The interpreter checks it on every
/// loop iteration and call and stops with an "interrupted" error; `fit` checks it between batches,
/// stops there and clears it, so the script carries on with the model as it is. SIGTERM and SIGHUP
/// set it for good: `fit` stops and so does the script ("terminated by SIGTERM").
public enum Interrupt {
    /// Asks running code to stop at its next check. Async-signal-safe.
    public static func request() { Interruption.request() }

    /// Forgets a pending request (the REPL does this before running each input).
    public static func clear() { Interruption.clear() }

    public static var isRequested: Bool { Interruption.isRequested }

    /// Throws `InterruptedError` if Ctrl-C was pressed, clearing the request.
    public static func check() throws {
        if Interruption.consume() { throw InterruptedError() }
    }

    /// What stopped the code: "interrupted" (Ctrl-C) or "terminated by SIGTERM" / "by SIGHUP".
    public static var reason: String {
        guard let signal = Interruption.terminationSignal else { return "interrupted" }
        return "terminated by " + signalName(signal)
    }

    /// "SIGTERM", "SIGHUP", "SIGINT" or "signal N".
    public static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        case SIGINT: return "SIGINT"
        default: return "signal \(signal)"
        }
    }
}

/// Thrown when Ctrl-C (or SIGTERM, SIGHUP) stops running code.
public struct InterruptedError: Error, CustomStringConvertible {
    public init() {}
    public var description: String { Interrupt.reason }
}
