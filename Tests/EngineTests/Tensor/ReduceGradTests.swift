import Engine
import XCTest

/// Reductions and softmax: values against hand computation, gradients against finite differences.
final class ReduceGradTests: XCTestCase {
    func testSumMeanVarianceOverEveryDimSet() throws {
        let rng = GradTest.generator(11)
        let x = try GradTest.normal([2, 3, 4], rng)
        for dims in [[], [0], [1], [2], [-1], [0, 2], [1, 2], [0, 1, 2]] {
            for keep in [false, true] {
                assertGradientsMatch([x]) { try $0[0].sum(dims: dims, keepDim: keep) }
                assertGradientsMatch([x]) { try $0[0].mean(dims: dims, keepDim: keep) }
                assertGradientsMatch([x]) { try $0[0].variance(dims: dims, keepDim: keep) }
            }
        }
        assertGradientsMatch([x]) { try $0[0].variance(dims: [1], correction: 0) }
    }

    func testVarianceValues() throws {
        let x = try Tensor(shape: [2, 3], values: [1, 2, 6, 0, 0, 3])
        XCTAssertEqual(try x.variance(dims: [1]).values, [7, 3])               // unbiased
        XCTAssertEqual(try x.variance(dims: [1], correction: 0).values[0], 14.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(try x.variance(dims: [0], keepDim: true).shape, [1, 3])
        XCTAssertThrowsError(try x.sum(dims: [0, 0]))
        XCTAssertThrowsError(try x.mean(dims: [2])) { XCTAssertTrue("\($0)".contains("[2, 3]"), "\($0)") }
    }

    func testMaxAndArgmax() throws {
        let x = try Tensor(shape: [2, 3], values: [1, 7, 3, 9, 2, 9])
        let (values, indices) = try x.max(dim: 1)
        XCTAssertEqual(values.values, [7, 9])
        XCTAssertEqual(indices.values, [1, 0])                  // first occurrence on ties
        XCTAssertEqual(try x.argmax(dim: 0).values, [1, 0, 1])
        XCTAssertEqual(try x.max().item(), 9)
        XCTAssertEqual(try x.max(dim: 0, keepDim: true).values.shape, [1, 3])
        let rng = GradTest.generator(12)
        let y = try GradTest.normal([3, 4, 5], rng)      // continuous values: no ties
        for d in 0..<3 { assertGradientsMatch([y]) { try $0[0].max(dim: d).values } }
        assertGradientsMatch([y]) { try $0[0].max() }
    }

    func testSoftmaxAndLogSoftmax() throws {
        let x = try Tensor(shape: [2, 3], values: [1, 2, 3, 1000, 1000, 1000])
        let s = try x.softmax(dim: 1).values
        let e1 = Foundation.exp(1.0), e2 = Foundation.exp(2.0), e3 = Foundation.exp(3.0)
        XCTAssertEqual(s[0], Float(e1 / (e1 + e2 + e3)), accuracy: 1e-7)
        XCTAssertEqual(s[5], 1.0 / 3, accuracy: 1e-7)                        // stable for huge logits
        XCTAssertEqual(try x.logSoftmax(dim: 1).values[2], Float(3 - Foundation.log(e1 + e2 + e3)), accuracy: 1e-6)
        let rng = GradTest.generator(13)
        let y = try GradTest.normal([3, 4, 5], rng)
        for d in [0, 1, 2, -1] {
            assertGradientsMatch([y]) { try $0[0].softmax(dim: d) }
            assertGradientsMatch([y]) { try $0[0].logSoftmax(dim: d) }
        }
    }
}
