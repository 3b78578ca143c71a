import Foundation

/// Runs work on a thread with a 512 MB stack (reserved, not committed), so that recursion up to
/// `Interpreter.maxCallDepth` can never overflow — the CLI, the REPL and the tests all use it.
public enum LargeStack {
    private final class Slot<T>: @unchecked Sendable {
        var value: T?
    }

    public static func run<T>(_ work: @escaping () -> T) -> T {
        let slot = Slot<T>()
        let done = DispatchSemaphore(value: 0)
        start {
            slot.value = work()
            done.signal()
        }
        done.wait()
        return slot.value ?? work()
    }

    /// Starts `work` on a new large-stack thread and returns at once (the Jupyter kernel keeps
    /// serving its control channel while code runs).
    public static func start(_ work: @escaping () -> Void) {
        let thread = Thread(block: work)
        thread.stackSize = 512 << 20
        thread.start()
    }
}
