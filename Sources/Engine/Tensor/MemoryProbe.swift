import Foundation
import EngineFormats

/// Asks the system for a large block before an allocation that would trap if it failed (Swift
/// arrays and tensor storage cannot report failure), so that running out of memory — a `ulimit -v`,
/// a container limit — is an error naming what was asked for, not an abort.
public enum MemoryProbe {
    /// Below this, allocations are not probed (a failure there means the process is already lost).
    public static let threshold = 64 << 20

    /// Throws `OutOfMemoryError` unless `bytes` can be allocated now; `what` names the request.
    public static func check(bytes: Int, _ what: @autoclosure () -> String) throws {
        guard bytes >= threshold else { return }
        // A mapping like the one malloc makes for a block this large (an unused malloc/free pair
        // would be optimised away); untouched, so it costs no memory.
        let block = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let block, block != MAP_FAILED else { throw OutOfMemoryError(bytes: bytes, what: what()) }
        munmap(block, bytes)
    }
}

/// More memory was asked for than the process can get.
public struct OutOfMemoryError: Error, CustomStringConvertible {
    /// The size of the request.
    public var bytes: Int
    /// What it was for ("a tensor of shape [30000, 30000]").
    public var what: String
    /// An error for a request of `bytes` for `what`.
    public init(bytes: Int, what: String) {
        self.bytes = bytes
        self.what = what
    }
    public var description: String {
        String(format: "cannot allocate %.2f GB for %@: not enough memory available to this process", Double(bytes) / 1e9, what)
    }
}
