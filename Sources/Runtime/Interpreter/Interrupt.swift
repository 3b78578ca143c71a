import Synchronization

/// The process-wide Ctrl-C flag. The REPL's SIGINT handler sets it; the interpreter checks it on
/// every loop iteration and call and stops with an "interrupted" error; long-running builtins
/// (the Engine's training loop, via its binding) should call `Interrupt.check()` between batches.
public enum Interrupt {
    private static let flag = Atomic<Bool>(false)

    /// Asks running code to stop at its next check. Async-signal-safe.
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// Forgets a pending request (the REPL does this before running each input).
    public static func clear() { flag.store(false, ordering: .relaxed) }

    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Throws `InterruptedError` if Ctrl-C was pressed, clearing the request.
    public static func check() throws {
        if flag.load(ordering: .relaxed) {
            clear()
            throw InterruptedError()
        }
    }
}

/// Thrown when Ctrl-C stops running code.
public struct InterruptedError: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}
