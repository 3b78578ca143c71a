import Foundation

/// Values built once per key and shared by every thread: filterbanks, windows and DCT bases that
/// featurising a corpus would otherwise rebuild for every clip. Building happens under the lock, so
/// each key is built exactly once.
final class SharedCache<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]

    /// The value for `key`, built by `build` on first request.
    package func value(for key: Key, build: () throws -> Value) rethrows -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let value = values[key] { return value }
        let value = try build()
        values[key] = value
        return value
    }
}
