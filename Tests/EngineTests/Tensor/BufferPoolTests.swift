import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import Dispatch
import XCTest

/// The size-keyed buffer pool behind tensor storage.
final class BufferPoolTests: XCTestCase {
    private let big = BufferPool.minimumCount * 2

    func testLargeBuffersAreReusedBySizeAndSmallOnesAreNot() {
        let pool = BufferPool(limitBytes: 1 << 24)
        let first = pool.take(big)
        pool.give(first, count: big)
        XCTAssertEqual(pool.heldBytes, big * 4)
        XCTAssertEqual(pool.take(big), first)                 // same size: recycled
        XCTAssertEqual(pool.heldBytes, 0)
        let small = pool.take(10)
        pool.give(small, count: 10)
        pool.give(first, count: big)
        XCTAssertEqual(pool.heldBytes, big * 4)               // the small one was freed, not kept
    }

    func testAMissWithinTwiceThePeakKeepsHeldBuffers() {
        let pool = BufferPool(limitBytes: 1 << 24)
        let a = pool.take(big), b = pool.take(big)            // peak: two buffers out at once
        pool.give(a, count: big)
        pool.give(b, count: big)
        let other = pool.take(big + 1)                       // footprint 3 big ≤ 2 × peak: nothing evicted
        XCTAssertEqual(pool.heldBytes, 2 * big * 4)
        pool.give(other, count: big + 1)
        XCTAssertEqual(pool.take(big), b)                    // the held ones are still reused
        pool.give(b, count: big)
    }

    func testAMissBeyondTwiceThePeakReleasesTheLeastRecentlyReturned() {
        let pool = BufferPool(limitBytes: 1 << 24)
        let a = pool.take(big), b = pool.take(big)
        pool.give(a, count: big)                              // a is older than b
        pool.give(b, count: big)
        let c = pool.take(2 * big)                           // new peak 2 big; footprint 4 big fits
        XCTAssertEqual(pool.heldBytes, 2 * big * 4)
        let d = pool.take(3 * big)                           // peak 5 big; footprint 7 big fits
        XCTAssertEqual(pool.heldBytes, 2 * big * 4)
        pool.give(c, count: 2 * big)
        pool.give(d, count: 3 * big)                         // held: a, b, c, d = 7 big
        let e = pool.take(4 * big)                           // footprint 11 big > 2 × 5 big: evict 1 big, the oldest
        XCTAssertEqual(pool.heldBytes, 6 * big * 4)
        XCTAssertEqual(pool.take(big), b)                    // b survived, a (the oldest) was released
        pool.give(b, count: big)
        pool.give(e, count: 4 * big)
    }

    func testPoolNeverHoldsMoreThanItsLimit() {
        let limit = 5 * big * 4 + 100
        let pool = BufferPool(limitBytes: limit)
        let buffers = (0..<7).map { _ in pool.take(big) }
        for b in buffers {
            pool.give(b, count: big)
            XCTAssertLessThanOrEqual(pool.heldBytes, limit)
        }
        XCTAssertGreaterThan(pool.heldBytes, 0)
        let huge = pool.take(limit)                          // larger than the limit: never held
        pool.give(huge, count: limit)
        XCTAssertLessThanOrEqual(pool.heldBytes, limit)
    }

    func testStoragesCreatedAndDroppedOnManyThreadsStayIntact() throws {
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for round in 0..<50 {
                let value = Float(worker * 1000 + round)
                let storage = TensorStorage(count: BufferPool.minimumCount + worker % 3, repeating: value)
                XCTAssertTrue(storage.buffer.allSatisfy { $0 == value })
            }
        }
    }
}
