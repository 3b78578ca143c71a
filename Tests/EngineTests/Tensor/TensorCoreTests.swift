import Engine
import XCTest

/// Forward values of the core ops against hand-computed results.
final class TensorCoreTests: XCTestCase {
    func testBroadcastingArithmetic() throws {
        let a = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let b = Tensor([10, 20, 30])
        XCTAssertEqual(try (a + b).values, [11, 22, 33, 14, 25, 36])
        let column = try Tensor(shape: [2, 1], values: [2, 3])
        XCTAssertEqual(try (a * column).values, [2, 4, 6, 12, 15, 18])
        XCTAssertEqual(try (column - b).shape, [2, 3])
        XCTAssertEqual(try (column - b).values, [-8, -18, -28, -7, -17, -27])
        XCTAssertEqual((a * 2 + 1).values, [3, 5, 7, 9, 11, 13])
        XCTAssertEqual((1 - a).values, [0, -1, -2, -3, -4, -5])
    }

    func testShapeErrorNamesOpAndBothShapes() throws {
        let a = try Tensor.zeros([2, 3]), b = try Tensor.zeros([4])
        XCTAssertThrowsError(try a + b) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("add") && message.contains("[2, 3]") && message.contains("[4]"), message)
        }
        XCTAssertThrowsError(try Tensor.matmul(a, a)) { error in
            XCTAssertTrue("\(error)".contains("matmul") && "\(error)".contains("[2, 3]"), "\(error)")
        }
    }

    func testMatmulAndBatchedMatmul() throws {
        let a = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let b = try Tensor(shape: [3, 2], values: [7, 8, 9, 10, 11, 12])
        XCTAssertEqual(try Tensor.matmul(a, b).values, [58, 64, 139, 154])
        let batched = try Tensor.stack([a, a * 2], dim: 0)
        XCTAssertEqual(try Tensor.matmul(batched, b).values, [58, 64, 139, 154, 116, 128, 278, 308])
        let bb = try Tensor.stack([b, b], dim: 0)
        XCTAssertEqual(try Tensor.matmul(batched, bb).values, [58, 64, 139, 154, 116, 128, 278, 308])
    }

    func testReshapePermuteSumMean() throws {
        let x = try Tensor.arange(0, 24).reshape([2, 3, 4])
        let p = try x.permute([2, 0, 1])
        XCTAssertEqual(p.shape, [4, 2, 3])
        XCTAssertEqual(try p.value(at: [3, 1, 2]), try x.value(at: [1, 2, 3]))
        XCTAssertEqual(try x.sum(dim: 1).values, [12, 15, 18, 21, 48, 51, 54, 57])
        XCTAssertEqual(try x.sum(dims: [0, 2], keepDim: true).shape, [1, 3, 1])
        XCTAssertEqual(try x.sum(dims: [0, 2]).values, [60, 92, 124])
        XCTAssertEqual(try x.mean().item(), 11.5)
        XCTAssertEqual(try x.reshape([-1, 6]).shape, [4, 6])
        XCTAssertThrowsError(try x.reshape([5, -1]))
    }

    func testBackwardThroughSmallGraph() throws {
        let w = try Tensor(shape: [2, 2], values: [1, 2, 3, 4], requiresGrad: true)
        let x = try Tensor(shape: [1, 2], values: [1, -1])
        let y = try Tensor.matmul(x, w).sum()        // (1·1 − 3) + (2 − 4) = −4
        XCTAssertEqual(try y.item(), -4)
        try y.backward()
        XCTAssertEqual(w.grad?.values, [1, 1, -1, -1])
        try Tensor.matmul(x, w).sum().backward()      // accumulates
        XCTAssertEqual(w.grad?.values, [2, 2, -2, -2])
        w.zeroGrad()
        XCTAssertNil(w.grad)
    }

    func testNoGradBuildsNoGraph() throws {
        let w = try Tensor.ones([3], requiresGrad: true)
        let y = try GradMode.withDisabled { try (w * w).sum() }
        XCTAssertFalse(y.requiresGrad)
        XCTAssertNil(y.gradFn)
        XCTAssertThrowsError(try y.backward())
    }
}
