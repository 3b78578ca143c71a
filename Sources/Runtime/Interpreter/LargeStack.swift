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
        let thread = Thread {
            slot.value = work()
            done.signal()
        }
        thread.stackSize = 512 << 20
        thread.start()
        done.wait()
        return slot.value ?? work()
    }
}
