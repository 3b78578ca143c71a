/// Whether ops record the graph. Process-wide (kernels that fan out over threads see the same
/// setting); disable it for inference and for optimizer updates.
public enum GradMode {
    nonisolated(unsafe) private static var disabledDepth = 0

    /// True unless inside `withDisabled`.
    public static var isEnabled: Bool { disabledDepth == 0 }

    /// Runs `body` without recording any graph (PyTorch's `torch.no_grad()`); nests.
    public static func withDisabled<R>(_ body: () throws -> R) rethrows -> R {
        disabledDepth += 1
        defer { disabledDepth -= 1 }
        return try body()
    }
}
