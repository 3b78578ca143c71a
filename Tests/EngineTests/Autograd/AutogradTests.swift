import Engine
import XCTest

/// Graph mechanics: accumulation, shared inputs, freeing, custom ops, and that the checker fails.
final class AutogradTests: XCTestCase {
    func testGradientCheckRejectsAWrongBackward() throws {
        let x = try Tensor.randn([5], generator: RandomGenerator(seed: 1))
        let report = try GradientCheck.check([x]) { xs in
            let input = xs[0]
            let out = try input * input    // forward x², backward deliberately 3x instead of 2x
            return Tensor.record(out.detach(), op: "wrong_square", parents: [input]) { g in [try g * input * 3] }
        }
        XCTAssertFalse(report.passed, report.description)
    }

    func testCustomOpThroughRecordMatchesFiniteDifferences() throws {
        let x = try Tensor.randn([2, 3], generator: RandomGenerator(seed: 2))
        assertGradientsMatch([x]) { xs in
            let input = xs[0]
            let out = try (input * input).detach()
            return Tensor.record(out, op: "square", parents: [input]) { g in [try g * input * 2] }
        }
    }

    func testTensorUsedTwiceAccumulatesBothPaths() throws {
        let x = Tensor([1, 2, 3], requiresGrad: true)
        let y = try (x * x + x * 3).sum()            // d/dx = 2x + 3
        try y.backward()
        XCTAssertEqual(x.grad?.values, [5, 7, 9])
    }

    func testGradientOfNonLeafRetainedOnRequest() throws {
        let x = Tensor([1, 2], requiresGrad: true)
        let h = x * 3
        h.retainGrad()
        try (h * h).sum().backward()
        XCTAssertEqual(h.grad?.values, [6, 12])
        XCTAssertEqual(x.grad?.values, [18, 36])
    }

    func testSecondBackwardNeedsRetainGraph() throws {
        let x = Tensor([1, 2], requiresGrad: true)
        let y = try (x.exp() * 2).sum()
        try y.backward(retainGraph: true)
        try y.backward()
        XCTAssertEqual(x.grad?.values[0] ?? 0, 4 * Float(M_E), accuracy: 1e-5)
        XCTAssertThrowsError(try y.backward()) { XCTAssertTrue("\($0)".contains("freed"), "\($0)") }
    }

    func testBackwardNeedsScalarOrSeed() throws {
        let x = Tensor([1, 2], requiresGrad: true)
        let y = x * 2
        XCTAssertThrowsError(try y.backward())
        XCTAssertThrowsError(try y.backward(gradient: Tensor([1])))
        try y.backward(gradient: Tensor([1, -1]))
        XCTAssertEqual(x.grad?.values, [2, -2])
    }

    func testLeafGradientsNeverShareStorage() throws {
        let a = Tensor([1, 2], requiresGrad: true), b = Tensor([3, 4], requiresGrad: true)
        try (a + b).sum().backward()
        a.grad?.withUnsafeMutableBufferPointer { $0[0] = 100 }
        XCTAssertEqual(b.grad?.values, [1, 1])
    }

    func testCustomOpWithWrongGradientShapeThrowsNamingOp() throws {
        let x = Tensor([1, 2, 3], requiresGrad: true)
        let y = Tensor.record(x.detach(), op: "broken_op", parents: [x]) { _ in [Tensor([1])] }
        XCTAssertThrowsError(try y.sum().backward()) { XCTAssertTrue("\($0)".contains("broken_op"), "\($0)") }
    }

    func testDeepChainDoesNotOverflowTheStack() throws {
        let x = Tensor([0.5], requiresGrad: true)
        var h = x
        for _ in 0..<20_000 { h = h * 1 }
        try h.sum().backward()
        XCTAssertEqual(x.grad?.values, [1])
    }
}
