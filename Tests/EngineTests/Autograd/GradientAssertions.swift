import Engine
import XCTest

/// Shared helpers for finite-difference tests of ops.
enum GradTest {
    /// A generator for the shapes and values of one test, fixed by `seed`.
    static func generator(_ seed: UInt64) -> RandomGenerator { RandomGenerator(seed: seed) }

    /// A random shape of `rank` dimensions with sizes in `1...maxSize`.
    static func shape(_ rank: Int, maxSize: Int = 4, _ rng: RandomGenerator) -> [Int] {
        (0..<rank).map { _ in 1 + rng.int(below: maxSize) }
    }

    /// Normal values (std 1) of `shape`.
    static func normal(_ shape: [Int], _ rng: RandomGenerator) throws -> Tensor {
        try Tensor.randn(shape, generator: rng)
    }

    /// Uniform values in `[low, high)` of `shape`.
    static func uniform(_ shape: [Int], _ low: Float, _ high: Float, _ rng: RandomGenerator) throws -> Tensor {
        try Tensor.uniform(shape, low: low, high: high, generator: rng)
    }

    /// Values whose magnitudes are at least `gap` (for ops with a kink at 0).
    static func awayFromZero(_ shape: [Int], gap: Float = 0.1, _ rng: RandomGenerator) throws -> Tensor {
        let t = try normal(shape, rng)
        t.withUnsafeMutableBufferPointer { b in
            for i in b.indices where Swift.abs(b[i]) < gap { b[i] = b[i] < 0 ? -gap - b[i] : gap + b[i] }
        }
        return t
    }
}

/// Fails the test with the report's description unless the gradient check passed.
func assertGradientsMatch(_ inputs: [Tensor], epsilon: Float = 1e-2, atol: Float = 2e-3, rtol: Float = 1e-2,
                          file: StaticString = #filePath, line: UInt = #line,
                          _ function: ([Tensor]) throws -> Tensor) {
    do {
        let report = try GradientCheck.check(inputs, epsilon: epsilon, absoluteTolerance: atol,
                                             relativeTolerance: rtol, function)
        XCTAssertTrue(report.passed, report.description, file: file, line: line)
        XCTAssertGreaterThan(report.checkedElements, 0, file: file, line: line)
    } catch {
        XCTFail("gradient check threw: \(error)", file: file, line: line)
    }
}
