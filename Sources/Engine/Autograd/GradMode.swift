import Foundation

/// Whether ops record the graph on the current thread (thread-local, as in PyTorch): a data
/// thread running inference under no-grad never switches recording off for the training thread.
/// Disable it for inference and for optimizer updates.
public enum GradMode {
    /// Per-thread nesting depth of `withDisabled`, stored as the pointer's bit pattern (nil = 0).
    private static let depthKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// True unless the current thread is inside `withDisabled`.
    public static var isEnabled: Bool { pthread_getspecific(depthKey) == nil }

    /// Runs `body` without recording any graph on this thread (PyTorch's `torch.no_grad()`); nests.
    public static func withDisabled<R>(_ body: () throws -> R) rethrows -> R {
        let outer = pthread_getspecific(depthKey)
        pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: Int(bitPattern: outer) + 1))
        defer { pthread_setspecific(depthKey, outer) }
        return try body()
    }
}
