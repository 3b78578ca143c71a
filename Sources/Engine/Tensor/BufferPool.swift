import Foundation
import EngineFormats

/// Recycles large float buffers by exact size. Training repeats the same shapes every step, so
/// a freed activation or gradient buffer is almost always the next one asked for: reusing it
/// skips the page faults and zeroing the OS would do for fresh memory.
///
/// Memory stays bounded in two ways. The pool never holds more than `limitBytes`. And the
/// footprint (buffers handed out plus buffers held) is kept within twice the largest amount ever
/// handed out at once: an allocation that would pass that budget first releases the least recently
/// returned buffers. A training loop, whose sizes repeat, settles with no misses at all; a change of
/// shapes (a smaller last batch) evicts the sizes no longer asked for. Thread-safe (storages die on
/// whichever thread drops the last reference).
package final class BufferPool {
    /// The pool behind every `TensorStorage` and kernel scratch buffer: up to a quarter of physical memory.
    package nonisolated(unsafe) static let shared = BufferPool(limitBytes: Int(clamping: ProcessInfo.processInfo.physicalMemory / 4))
    /// Buffers smaller than this many floats (64 KB) go straight to malloc, which is fast for them.
    static let minimumCount = 16_384

    private struct Held {
        package var pointer: UnsafeMutablePointer<Float>
        var returned: Int   // `clock` when it came back, for least-recently-returned eviction
    }

    private let limitBytes: Int
    private var cached: [Int: [Held]] = [:]
    private var cachedBytes = 0
    private var liveBytes = 0
    private var peakLiveBytes = 0
    private var clock = 0
    private let lock = NSLock()

    init(limitBytes: Int) { self.limitBytes = limitBytes }

    /// A buffer of exactly `count` floats (uninitialised).
    package func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        guard count >= Self.minimumCount else { return .allocate(capacity: Swift.max(count, 1)) }
        let bytes = count * MemoryLayout<Float>.stride
        lock.lock()
        liveBytes += bytes
        peakLiveBytes = Swift.max(peakLiveBytes, liveBytes)
        if let reused = cached[count]?.popLast() {
            cachedBytes -= bytes
            lock.unlock()
            return reused.pointer
        }
        let released = evict(atLeast: liveBytes + cachedBytes - 2 * peakLiveBytes)
        lock.unlock()
        for p in released { LargeAllocation.free(p) }
        return LargeAllocation.allocate(count)
    }

    /// Takes back a buffer from `take(count)`.
    package func give(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        guard count >= Self.minimumCount else {
            pointer.deallocate()
            return
        }
        let bytes = count * MemoryLayout<Float>.stride
        lock.lock()
        liveBytes -= bytes
        guard bytes <= limitBytes else {
            lock.unlock()
            LargeAllocation.free(pointer)
            return
        }
        let released = evict(atLeast: cachedBytes + bytes - limitBytes)
        clock += 1
        cached[count, default: []].append(Held(pointer: pointer, returned: clock))
        cachedBytes += bytes
        lock.unlock()
        for p in released { LargeAllocation.free(p) }
    }

    /// Removes the least recently returned held buffers totalling at least `bytes` (or all of
    /// them); the caller frees them outside the lock. Call with the lock held.
    private func evict(atLeast bytes: Int) -> [UnsafeMutablePointer<Float>] {
        guard bytes > 0, cachedBytes > 0 else { return [] }
        let oldestFirst = cached.flatMap { count, buffers in buffers.map { (count, $0) } }
            .sorted { $0.1.returned < $1.1.returned }
        var released: [UnsafeMutablePointer<Float>] = []
        var freed = 0
        for (count, held) in oldestFirst where freed < bytes {
            released.append(held.pointer)
            freed += count * MemoryLayout<Float>.stride
            cached[count]?.removeAll { $0.pointer == held.pointer }
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

/// Fresh memory for pooled buffers: 64-byte aligned, and for blocks of 2 MB and more aligned to
/// 2 MB and marked for transparent huge pages, so the first touch of a large activation faults
/// in 2 MB pages instead of 4 KB ones (512× fewer page faults).
enum LargeAllocation {
    private static let hugePage = 2 << 20

    package static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let bytes = count * MemoryLayout<Float>.stride
        let alignment = bytes >= hugePage ? hugePage : 64
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, alignment, bytes) == 0, let raw else {
            return .allocate(capacity: count)   // out of memory: let the runtime report it
        }
        #if os(Linux)
        if bytes >= hugePage { _ = madvise(raw, bytes / hugePage * hugePage, MADV_HUGEPAGE) }
        #endif
        return raw.bindMemory(to: Float.self, capacity: count)
    }

    static func free(_ pointer: UnsafeMutablePointer<Float>) { Foundation.free(pointer) }
}
