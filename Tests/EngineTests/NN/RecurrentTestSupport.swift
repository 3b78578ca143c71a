import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

/// Helpers the recurrent-layer test classes share.
extension XCTestCase {
    /// A uniform(−1, 1) tensor drawn from its own seed.
    func recurrentInput(_ shape: [Int], seed: UInt64) throws -> Tensor {
        try Tensor.uniform(shape, low: -1, high: 1, generator: RandomGenerator(seed: seed))
    }

    /// Finite differences through `inputs` for the outputs `function` returns, flattened and joined.
    func assertRecurrentGradients(_ inputs: [Tensor], _ label: String, file: StaticString = #filePath, line: UInt = #line,
                                  _ function: @escaping () throws -> [Tensor]) throws {
        let report = try GradientCheck.check(inputs, epsilon: 1e-3, absoluteTolerance: 2e-3, relativeTolerance: 5e-3) { _ in
            try Tensor.concat(try function().map { try $0.flatten() }, dim: 0)
        }
        XCTAssertTrue(report.passed, "\(label): \(report)", file: file, line: line)
    }

    /// The description of the error `body` throws, or "no error".
    func thrownMessage(_ body: () throws -> Any) -> String {
        do { _ = try body() } catch { return "\(error)" }
        return "no error"
    }
}
