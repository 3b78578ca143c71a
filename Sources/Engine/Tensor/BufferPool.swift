import Foundation

/// Recycles large float buffers by exact size. Training repeats the same shapes every step, so
/// a freed activation or gradient buffer is almost always the next one asked for: reusing it
/// skips the page faults and zeroing the OS would do for fresh memory.
///
/// Memory stays bounded: the pool holds at most `limitBytes`, and every allocation it cannot
/// serve first releases held buffers of at least the same size, so held plus live memory never
/// grows past what the program needed before (a smaller last batch does not double the
/// footprint). Thread-safe (storages die on whichever thread drops the last reference).
final class BufferPool {
    /// The pool behind every `TensorStorage`: up to a quarter of physical memory.
    nonisolated(unsafe) static let shared = BufferPool(limitBytes: Int(clamping: ProcessInfo.processInfo.physicalMemory / 4))
    /// Buffers smaller than this many floats (64 KB) go straight to malloc, which is fast for them.
    static let minimumCount = 16_384

    private let limitBytes: Int
    private var cached: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var cachedBytes = 0
    private let lock = NSLock()

    init(limitBytes: Int) { self.limitBytes = limitBytes }

    /// A buffer of exactly `count` floats (uninitialised).
    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        guard count >= Self.minimumCount else { return .allocate(capacity: Swift.max(count, 1)) }
        lock.lock()
        if let reused = cached[count]?.popLast() {
            cachedBytes -= count * MemoryLayout<Float>.stride
            lock.unlock()
            return reused
        }
        let released = evict(atLeast: count * MemoryLayout<Float>.stride)
        lock.unlock()
        for p in released { p.deallocate() }
        return .allocate(capacity: count)
    }

    /// Takes back a buffer from `take(count)`.
    func give(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        let bytes = count * MemoryLayout<Float>.stride
        guard count >= Self.minimumCount, bytes <= limitBytes else {
            pointer.deallocate()
            return
        }
        lock.lock()
        let released = evict(atLeast: cachedBytes + bytes - limitBytes)
        cached[count, default: []].append(pointer)
        cachedBytes += bytes
        lock.unlock()
        for p in released { p.deallocate() }
    }

    /// Removes held buffers totalling at least `bytes` (or all of them); the caller frees them
    /// outside the lock. Call with the lock held.
    private func evict(atLeast bytes: Int) -> [UnsafeMutablePointer<Float>] {
        var released: [UnsafeMutablePointer<Float>] = []
        var freed = 0
        while freed < bytes, let (count, buffers) = cached.first(where: { !$0.value.isEmpty }) {
            released.append(contentsOf: buffers)
            freed += count * MemoryLayout<Float>.stride * buffers.count
            cached[count] = nil
        }
        cachedBytes -= freed
        return released
    }

    /// Bytes currently held for reuse.
    var heldBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return cachedBytes
    }
}
