import Engine
import XCTest

/// Comparisons, `where` and `maskedFill`.
final class SelectTests: XCTestCase {
    func testComparisons() throws {
        let a = Tensor([1, 2, 3]), b = Tensor([3, 2, 1])
        XCTAssertEqual(try Tensor.equal(a, b).values, [0, 1, 0])
        XCTAssertEqual(try Tensor.greater(a, b).values, [0, 0, 1])
        XCTAssertEqual(try Tensor.less(a, Tensor(scalar: 2.5)).values, [1, 1, 0])
    }

    func testWhereValuesAndGradients() throws {
        let condition = try Tensor(shape: [2, 1, 3], values: [1, 0, 1, 0, 0, 1])
        let rng = GradTest.generator(51)
        let a = try GradTest.normal([4, 3], rng), b = try GradTest.normal([2, 4, 1], rng)
        let out = try Tensor.where(condition, a, b)
        XCTAssertEqual(out.shape, [2, 4, 3])
        XCTAssertEqual(try out.value(at: [1, 2, 2]), try a.value(at: [2, 2]))
        XCTAssertEqual(try out.value(at: [1, 2, 0]), try b.value(at: [1, 2, 0]))
        assertGradientsMatch([a, b]) { try Tensor.where(condition, $0[0], $0[1]) }
    }

    func testMaskedFillWithMinusInfinityKeepsSoftmaxGradientsFinite() throws {
        let scores = Tensor([0.5, 1.0, -0.3, 2.0], requiresGrad: true)
        let mask = Tensor([0, 0, 1, 0])
        let weights = try scores.maskedFill(mask, -.infinity).softmax(dim: 0)
        XCTAssertEqual(weights.values[2], 0)
        try (weights * Tensor([1, 2, 3, 4])).sum().backward()
        XCTAssertTrue(scores.grad?.values.allSatisfy(\.isFinite) ?? false)
        XCTAssertEqual(scores.grad?.values[2], 0)
        XCTAssertThrowsError(try Tensor([1, 2]).maskedFill(Tensor.ones([2, 2]), 0)) { XCTAssertTrue("\($0)".contains("masked_fill"), "\($0)") }
    }
}
