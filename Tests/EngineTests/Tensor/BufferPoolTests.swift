@testable import Engine
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

    func testAMissReleasesHeldMemoryOfAtLeastItsOwnSize() {
        let pool = BufferPool(limitBytes: 1 << 24)
        let a = pool.take(big), b = pool.take(big)
        pool.give(a, count: big)
        pool.give(b, count: big)
        XCTAssertEqual(pool.heldBytes, 2 * big * 4)
        let other = pool.take(big + 1)                       // a new size: held memory is given back first
        XCTAssertLessThanOrEqual(pool.heldBytes, big * 4)
        pool.give(other, count: big + 1)
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
