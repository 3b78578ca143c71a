import Engine
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineReport
import XCTest

/// The vectorisable exp and tanh against libm.
final class FastMathTests: XCTestCase {
    func testExpWithinTwoUlpOfLibm() {
        var worstUlps: Float = 0
        for i in 0...200_000 {
            let x = -87 + Float(i) * (175.0 / 200_000)
            let reference = Foundation.exp(Double(x))
            let error = Swift.abs(Double(FastMath.exp(x)) - reference) / Double(Float(reference).ulp)
            worstUlps = Swift.max(worstUlps, Float(error))
        }
        XCTAssertLessThan(worstUlps, 2, "worst error \(worstUlps) ulp")
        XCTAssertEqual(FastMath.exp(0), 1)
        XCTAssertEqual(FastMath.exp(-.infinity), 0)
        XCTAssertEqual(FastMath.exp(-100), 0)
        XCTAssertEqual(FastMath.exp(100), .infinity)
        XCTAssertTrue(FastMath.exp(.nan).isNaN)
    }

    func testTanhWithinThreeUlpOfLibm() {
        var worstUlps: Float = 0, worstAt: Float = 0
        for i in 0...200_000 {
            let x = -12 + Float(i) * (24.0 / 200_000)
            let reference = Foundation.tanh(Double(x))
            let error = Float(Swift.abs(Double(FastMath.tanh(x)) - reference) / Double(Float(reference).ulp))
            if error > worstUlps { (worstUlps, worstAt) = (error, x) }
        }
        XCTAssertLessThan(worstUlps, 3, "worst error \(worstUlps) ulp at \(worstAt)")
        XCTAssertEqual(FastMath.tanh(1e-20), 1e-20)
        XCTAssertEqual(FastMath.tanh(-50), -1)
        XCTAssertEqual(FastMath.tanh(.infinity), 1)
        XCTAssertTrue(FastMath.tanh(.nan).isNaN)
    }
}
