@testable import Engine
import XCTest

/// The vectorisable exp against libm over its whole finite range.
final class FastMathTests: XCTestCase {
    func testExpWithinFourUlpOfLibm() {
        var worstUlps: Float = 0
        for i in 0...200_000 {
            let x = -87 + Float(i) * (175.0 / 200_000)
            let reference = Foundation.exp(Double(x))
            let error = Swift.abs(Double(FastMath.exp(x)) - reference) / Double(Float(reference).ulp)
            worstUlps = Swift.max(worstUlps, Float(error))
        }
        XCTAssertLessThan(worstUlps, 4, "worst error \(worstUlps) ulp")
        XCTAssertEqual(FastMath.exp(0), 1)
        XCTAssertEqual(FastMath.exp(-.infinity), 0)
        XCTAssertEqual(FastMath.exp(-100), 0)
        XCTAssertEqual(FastMath.exp(100), .infinity)
        XCTAssertTrue(FastMath.exp(.nan).isNaN)
    }
}
