import Engine
import XCTest

/// Seeded uniform values for tests, from the Engine's SplitMix64 but apart from the generators the
/// code under test draws from.
struct TestRandom {
    private var bits: SplitMix64

    init(seed: UInt64) { bits = SplitMix64(seed: seed) }

    /// Uniform in `[low, high)`.
    mutating func uniform(_ low: Float = -1, _ high: Float = 1) -> Float {
        low + (high - low) * Float(bits.next() >> 40) / Float(1 << 24)
    }

    mutating func values(_ count: Int, _ low: Float = -1, _ high: Float = 1) -> [Float] {
        (0..<count).map { _ in uniform(low, high) }
    }
}

/// Central-difference gradient of `L(x) = Σ f(x) · r` with respect to every entry of `x`.
func numericGradient(of x: [Float], step: Float = 1e-3, weights r: [Float], _ f: ([Float]) -> [Float]) -> [Float] {
    func loss(_ v: [Float]) -> Double { zip(f(v), r).reduce(0) { $0 + Double($1.0) * Double($1.1) } }
    var probe = x
    return (0..<x.count).map { i in
        probe[i] = x[i] + step
        let up = loss(probe)
        probe[i] = x[i] - step
        let down = loss(probe)
        probe[i] = x[i]
        return Float((up - down) / (2 * Double(step)))
    }
}

/// Asserts `|a − b| ≤ absolute + relative · max(|a|, |b|)` element by element, naming the first miss.
func assertClose(_ actual: [Float], _ expected: [Float], absolute: Float = 1e-3, relative: Float = 2e-3,
                 _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(what): count", file: file, line: line)
    for (i, (a, e)) in zip(actual, expected).enumerated()
    where !(abs(a - e) <= absolute + relative * max(abs(a), abs(e))) {
        XCTFail("\(what)[\(i)]: \(a) vs \(e)", file: file, line: line)
        return
    }
}
