import Engine
import XCTest

/// The seeded generator: a pinned stream (so every platform agrees), and the distributions.
final class RandomGeneratorTests: XCTestCase {
    func testStreamMatchesReferenceXoshiro256StarStar() {
        // First outputs of xoshiro256** seeded by SplitMix64(42), from an independent Python
        // implementation of both published algorithms.
        let rng = RandomGenerator(seed: 42)
        XCTAssertEqual(rng.nextUInt64(), 0x1578_0B2E_0C2E_C716)
        XCTAssertEqual(rng.nextUInt64(), 0x6104_D986_6D11_3A7E)
        XCTAssertEqual(rng.nextUInt64(), 0xAE17_5332_39E4_99A1)
    }

    func testReseedRestartsAndForksDiffer() {
        let rng = RandomGenerator(seed: 7)
        let first = (0..<5).map { _ in rng.normal() }
        rng.reseed(7)
        XCTAssertEqual((0..<5).map { _ in rng.normal() }, first)
        let fork = rng.fork()
        XCTAssertNotEqual(fork.nextUInt64(), rng.nextUInt64())
    }

    func testUniformAndNormalMoments() throws {
        let n = 200_000
        let u = try Tensor.uniform([n], low: -2, high: 3, generator: RandomGenerator(seed: 1)).values
        XCTAssertTrue(u.allSatisfy { $0 >= -2 && $0 < 3 })
        XCTAssertEqual(Double(u.reduce(0, +)) / Double(n), 0.5, accuracy: 0.02)           // mean (a+b)/2
        let z = try Tensor.randn([n], mean: 1, std: 2, generator: RandomGenerator(seed: 2)).values.map(Double.init)
        let mean = z.reduce(0, +) / Double(n)
        let variance = z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
        XCTAssertEqual(mean, 1, accuracy: 0.02)
        XCTAssertEqual(variance, 4, accuracy: 0.06)
        // Tails: P(|Z| > 2σ) ≈ 4.55 %.
        let tail = Double(z.filter { Swift.abs($0 - 1) > 4 }.count) / Double(n)
        XCTAssertEqual(tail, 0.0455, accuracy: 0.003)
    }

    func testFillNormalMatchesRepeatedNormalCalls() {
        let a = RandomGenerator(seed: 3), b = RandomGenerator(seed: 3)
        _ = a.normal()
        _ = b.normal()                                   // leaves a spare in both
        var buffer = [Float](repeating: 0, count: 7)
        buffer.withUnsafeMutableBufferPointer { a.fillNormal($0) }
        XCTAssertEqual(buffer, (0..<7).map { _ in b.normal() })
    }

    func testBoundedIntegersAreUniformAndPermutationsValid() {
        let rng = RandomGenerator(seed: 4)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[rng.int(below: 6)] += 1 }
        // χ² with 5 degrees of freedom; 20.5 is the 0.1 % critical value.
        let chiSquare = counts.map { Double(($0 - 10_000) * ($0 - 10_000)) / 10_000 }.reduce(0, +)
        XCTAssertLessThan(chiSquare, 20.5, "\(counts)")
        let perm = rng.permutation(1000)
        XCTAssertEqual(perm.sorted(), Array(0..<1000))
        XCTAssertNotEqual(perm, Array(0..<1000))
        XCTAssertEqual(rng.permutation(0), [])
        XCTAssertEqual(rng.int(below: 1), 0)
    }
}
