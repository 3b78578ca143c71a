import Engine
import XCTest

/// Finite-difference checks of every elementwise op, with and without broadcasting.
final class ElementwiseGradTests: XCTestCase {
    /// Pairs of shapes covering same-shape, scalar, suffix, middle and two-sided broadcasting.
    private let shapePairs: [([Int], [Int])] = [
        ([3, 4], [3, 4]), ([3, 4], []), ([], [2, 3]), ([2, 3, 4], [4]), ([2, 3, 4], [3, 1]),
        ([2, 1, 4], [1, 3, 1]), ([4, 1], [5]), ([2, 3, 2, 2], [1, 3, 1, 1]),
    ]

    func testBinaryOpsWithBroadcasting() throws {
        let rng = GradTest.generator(1)
        for (sa, sb) in shapePairs {
            let a = try GradTest.normal(sa, rng), b = try GradTest.normal(sb, rng)
            assertGradientsMatch([a, b]) { try $0[0] + $0[1] }
            assertGradientsMatch([a, b]) { try $0[0] - $0[1] }
            assertGradientsMatch([a, b]) { try $0[0] * $0[1] }
            let positive = try GradTest.uniform(sb, 0.5, 2, rng)
            assertGradientsMatch([a, positive]) { try $0[0] / $0[1] }
        }
    }

    func testMaximumMinimum() throws {
        let rng = GradTest.generator(2)
        let a = try GradTest.normal([3, 4], rng)
        // Keep b at least 0.05 away from a so no tie sits inside the finite-difference step.
        let b = try a + GradTest.awayFromZero([4], gap: 0.05, rng)
        assertGradientsMatch([a, b]) { try Tensor.maximum($0[0], $0[1]) }
        assertGradientsMatch([a, b]) { try Tensor.minimum($0[0], $0[1]) }
        XCTAssertEqual(try Tensor.maximum(Tensor([1, 5]), Tensor([3, 2])).values, [3, 5])
    }

    func testScalarOps() throws {
        let rng = GradTest.generator(3)
        let x = try GradTest.uniform(GradTest.shape(3, rng), 0.5, 2, rng)
        assertGradientsMatch([x]) { $0[0] + 3 }
        assertGradientsMatch([x]) { 3 - $0[0] }
        assertGradientsMatch([x]) { $0[0] * -2.5 }
        assertGradientsMatch([x]) { $0[0] / 4 }
        assertGradientsMatch([x]) { 2 / $0[0] }
        assertGradientsMatch([x]) { -$0[0] }
    }

    func testUnaryMath() throws {
        let rng = GradTest.generator(4)
        let shape = GradTest.shape(3, rng)
        let positive = try GradTest.uniform(shape, 0.5, 2, rng)
        let any = try GradTest.awayFromZero(shape, rng)
        assertGradientsMatch([any]) { $0[0].exp() }
        assertGradientsMatch([positive]) { $0[0].log() }
        assertGradientsMatch([positive]) { $0[0].sqrt() }
        assertGradientsMatch([any]) { $0[0].abs() }
        assertGradientsMatch([any]) { $0[0].pow(2) }
        assertGradientsMatch([any]) { $0[0].pow(3) }
        assertGradientsMatch([positive]) { $0[0].pow(-1.5) }
        assertGradientsMatch([positive]) { $0[0].pow(0.5) }
        // Bounds at ±0.3 with inputs at least 0.1 from 0 — some clamp, some pass; keep clear of the bounds.
        let clampInput = try GradTest.awayFromZero(shape, rng) * 3
        assertGradientsMatch([clampInput]) { $0[0].clamp(min: -0.35, max: 0.35) }
        assertGradientsMatch([clampInput]) { $0[0].clamp(min: 0.05) }
    }

    func testActivations() throws {
        let rng = GradTest.generator(5)
        let x = try GradTest.awayFromZero(GradTest.shape(3, rng), rng)
        assertGradientsMatch([x]) { $0[0].relu() }
        assertGradientsMatch([x]) { $0[0].leakyRelu(slope: 0.2) }
        assertGradientsMatch([x]) { $0[0].gelu() }
        assertGradientsMatch([x]) { $0[0].tanh() }
        assertGradientsMatch([x]) { $0[0].sigmoid() }
    }

    func testActivationValues() throws {
        let x = Tensor([-2, -1, 0, 1, 2])
        // GELU(x) = x·Φ(x); Φ(1) = 0.841344746, Φ(2) = 0.977249868.
        let gelu = x.gelu().values
        let expected: [Float] = [-2 * (1 - 0.977249868), -(1 - 0.841344746), 0, 0.841344746, 2 * 0.977249868]
        for (g, e) in zip(gelu, expected) { XCTAssertEqual(g, e, accuracy: 1e-6) }
        XCTAssertEqual(x.relu().values, [0, 0, 0, 1, 2])
        XCTAssertEqual(x.leakyRelu().values, [-0.02, -0.01, 0, 1, 2])
        XCTAssertEqual(x.sigmoid().values[3], Float(1 / (1 + Foundation.exp(-1.0))), accuracy: 1e-7)
        let saturated = Tensor([-100, 100]).sigmoid().values
        XCTAssertEqual(saturated[0], 0, accuracy: 1e-40)
        XCTAssertEqual(saturated[1], 1)
        XCTAssertEqual(x.tanh().values[4], Float(Foundation.tanh(2.0)), accuracy: 1e-7)
        XCTAssertEqual(x.clamp(min: -1, max: 1).values, [-1, -1, 0, 1, 1])
    }
}
