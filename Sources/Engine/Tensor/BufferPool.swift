import Foundation

/// Recycles large float buffers by exact size. Training repeats the same shapes every step, so
/// a freed activation or gradient buffer is almost always the next one asked for: reusing it
/// skips the page faults and zeroing the OS would do for fresh memory.
///
/// Bounded: when a returned buffer would push the cache past `limitBytes`, everything cached
/// is released first. Thread-safe (storages die on whichever thread drops the last reference).
final class BufferPool {
    /// The pool behind every `TensorStorage`.
    nonisolated(unsafe) static let shared = BufferPool(limitBytes: 256 << 20)
    /// Buffers smaller than this many floats (64 KB) go straight to malloc, which is fast for them.
    static let minimumCount = 16_384

    private let limitBytes: Int
    private var cached: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var cachedBytes = 0
    private let lock = NSLock()

    init(limitBytes: Int) { self.limitBytes = limitBytes }

    /// A buffer of exactly `count` floats (uninitialised).
    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count >= Self.minimumCount {
            lock.lock()
            let reused = cached[count]?.popLast()
            if reused != nil { cachedBytes -= count * MemoryLayout<Float>.stride }
            lock.unlock()
            if let reused { return reused }
        }
        return UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(count, 1))
    }

    /// Takes back a buffer from `take(count)`.
    func give(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        let bytes = count * MemoryLayout<Float>.stride
        guard count >= Self.minimumCount, bytes <= limitBytes / 4 else {
            pointer.deallocate()
            return
        }
        lock.lock()
        var released: [UnsafeMutablePointer<Float>] = []
        if cachedBytes + bytes > limitBytes {
            released = cached.values.flatMap { $0 }
            cached.removeAll(keepingCapacity: true)
            cachedBytes = 0
        }
        cached[count, default: []].append(pointer)
        cachedBytes += bytes
        lock.unlock()
        for p in released { p.deallocate() }
    }

    /// Bytes currently held for reuse.
    var heldBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return cachedBytes
    }
}
