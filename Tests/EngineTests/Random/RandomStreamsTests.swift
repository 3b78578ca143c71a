import Engine
import XCTest

/// Keyed streams and the double / integer-range draws used by splits, augmentation and the demo corpus.
final class RandomStreamsTests: XCTestCase {
    func testKeyedStreamsAreReproducibleAndDistinct() {
        func first(_ seed: UInt64, _ keys: [UInt64]) -> [UInt64] {
            let generator = RandomGenerator(seed: seed, stream: keys)
            return (0..<8).map { _ in generator.nextUInt64() }
        }
        XCTAssertEqual(first(5, [1, 2]), first(5, [1, 2]))
        let variants = [first(5, [1, 2]), first(5, [2, 1]), first(5, [1]), first(5, [1, 2, 0]), first(6, [1, 2]), first(5, [])]
        XCTAssertEqual(Set(variants).count, variants.count, "order, length, keys and seed all matter")
    }

    func testIntegerRangeIsUniformAndInBounds() {
        let generator = RandomGenerator(seed: 3)
        var counts = [Int](repeating: 0, count: 7)
        let n = 70_000
        for _ in 0..<n {
            let value = generator.int(-3, 4)
            XCTAssertTrue((-3..<4).contains(value))
            counts[value + 3] += 1
        }
        // χ² with 6 degrees of freedom: the 99.9 % quantile is 22.5.
        let expected = Double(n) / 7
        let chiSquared = counts.reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
        XCTAssertLessThan(chiSquared, 22.5, "\(counts)")
        XCTAssertEqual(generator.int(4, 4), 4, "an empty range gives its lower end")
    }

    func testDoublesAndNormalsHaveTheRightMoments() {
        let generator = RandomGenerator(seed: 8)
        let n = 100_000
        let uniforms = (0..<n).map { _ in generator.uniformDouble(2, 6) }
        XCTAssertTrue(uniforms.allSatisfy { $0 >= 2 && $0 < 6 })
        let mean = uniforms.reduce(0, +) / Double(n)
        XCTAssertEqual(mean, 4, accuracy: 0.02)                         // σ/√n ≈ 0.0037
        var normals = [Float](repeating: 0, count: n)
        generator.fillNormal(&normals)
        let m = normals.reduce(0) { $0 + Double($1) } / Double(n)
        let variance = normals.reduce(0) { $0 + pow(Double($1) - m, 2) } / Double(n)
        XCTAssertEqual(m, 0, accuracy: 0.015)
        XCTAssertEqual(variance, 1, accuracy: 0.02)
    }
}
