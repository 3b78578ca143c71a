@testable import Engine
import Dispatch
import XCTest

/// The size-keyed buffer pool behind tensor storage.
final class BufferPoolTests: XCTestCase {
    func testLargeBuffersAreReusedBySizeAndSmallOnesAreNot() {
        let pool = BufferPool(limitBytes: 1 << 24)
        let big = BufferPool.minimumCount * 2
        let first = pool.take(big)
        pool.give(first, count: big)
        XCTAssertEqual(pool.heldBytes, big * 4)
        XCTAssertEqual(pool.take(big), first)                 // same size: recycled
        XCTAssertEqual(pool.heldBytes, 0)
        let other = pool.take(big + 1)                       // different size: fresh memory
        XCTAssertNotEqual(other, first)
        pool.give(first, count: big)
        pool.give(other, count: big + 1)
        let small = pool.take(10)
        pool.give(small, count: 10)
        XCTAssertEqual(pool.heldBytes, (2 * big + 1) * 4)      // the small one was freed, not kept
    }

    func testPoolNeverHoldsMoreThanItsLimit() {
        let count = BufferPool.minimumCount * 4              // 256 KB each
        let limit = 5 * count * 4 + 100
        let pool = BufferPool(limitBytes: limit)
        let buffers = (0..<7).map { _ in pool.take(count) }
        for b in buffers {
            pool.give(b, count: count)
            XCTAssertLessThanOrEqual(pool.heldBytes, limit)
        }
        XCTAssertEqual(pool.heldBytes, 2 * count * 4)        // drained at the sixth, then two kept
    }

    func testStoragesCreatedAndDroppedOnManyThreadsStayIntact() throws {
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for round in 0..<50 {
                let value = Float(worker * 1000 + round)
                let storage = TensorStorage(count: BufferPool.minimumCount + worker, repeating: value)
                XCTAssertTrue(storage.buffer.allSatisfy { $0 == value })
            }
        }
    }
}
